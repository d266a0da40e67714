"""A participant's own message to their group's leaders, and a leader's answer.

The bot only passes messages on (copies them from one private chat to another): it stores
neither the message nor who wrote to whom. While a leader writes an answer, the open guided
chat keeps only the group; whom the answer is for stays in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import people as people_sql
from bot.db.database import Database
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.models import Access, Group, Role
from bot.services.errors import Busy, NotAllowed

ANSWER = DialogKind.ANSWER_PARTICIPANT


@dataclass(frozen=True)
class Recipients:
    group: Group
    leaders: tuple[int, ...]


class Messages:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def groups(self, access: Access) -> list[Group]:
        """The groups whose leaders a participant can write to."""
        found = [await groups_sql.group(self._db, g) for g in sorted(access.participant_of)]
        return [g for g in found if g is not None]

    async def leaders(self, access: Access, group_id: int) -> Recipients:
        """A participant's group and its leaders (not the writer, if they lead it too)."""
        group = await groups_sql.group(self._db, group_id)
        if group is None or group_id not in access.participant_of:
            raise NotAllowed
        leaders = await people_sql.leaders(self._db, group_id)
        return Recipients(group, tuple(u for u in leaders if u != access.user_id))

    async def start_answer(self, access: Access, participant: int, group_id: int) -> Group:
        """A leader starts an answer to a participant of their group."""
        group = await self._check(access, participant, group_id)
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, ANSWER, str(group_id), self._clock()
            )
        if opened.kind is not ANSWER:
            raise Busy(opened.kind)
        return group

    async def answer_to(self, access: Access, participant: int, group_id: int) -> Group:
        """The answer may go: the leader still leads the group and the person is still in
        it (not after /stop or /forget). The guided chat ends."""
        async with self._db.transaction() as tx:
            await dialogs_sql.end_dialog(tx, access.user_id, ANSWER)
        return await self._check(access, participant, group_id)

    async def _check(self, access: Access, participant: int, group_id: int) -> Group:
        group = await groups_sql.group(self._db, group_id)
        roles = await people_sql.memberships(self._db, participant)
        if group is None or not access.leads(group_id) or (group_id, Role.PARTICIPANT) not in roles:
            raise NotAllowed
        return group
