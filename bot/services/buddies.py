"""Phone buddies (kaveripuhelu, README: Phone buddies): participants who opt in are paired
within their group for a weekly call, introduced with a link that opens a chat (never a
phone number), and asked once a week whether they talked. A call is a contact event under
the pseudonym, once a pair a week; leaders see how many pairs talked, never who said what.

Whoever leaves (a button, /stop, /forget) ends their pair; the others are told kindly, in
the same transaction, and offered a new buddy."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import buddies as sql
from bot.db import groups as groups_sql
from bot.db import people as people_sql
from bot.db.database import Database, Transaction
from bot.domain.buddies import (
    Answer,
    BuddyStatus,
    GroupBuddies,
    Pair,
    Standing,
    call_label,
    next_question,
    pair_up,
    week_start,
)
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.domain.outbox import Audience, ContentKey, ContentKind, Target
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed, Stale
from bot.services.outbox import Outbox

NUDGE_DEADLINE = timedelta(days=1)
NOTICE_DEADLINE = timedelta(days=7)


class Buddies:
    def __init__(
        self, db: Database, clock: Clock, zone: ZoneInfo, log: ContactLog, outbox: Outbox
    ) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone
        self._log = log
        self._outbox = outbox

    # --- a participant ------------------------------------------------------------------

    async def status(self, access: Access) -> list[BuddyStatus]:
        found = {v.group_id: v for v in await sql.volunteers_of(self._db, access.user_id)}
        result = []
        for group in await groups_sql.groups(self._db, access.participant_of):
            volunteer = found.get(group.id)
            if volunteer is None:
                result.append(BuddyStatus(group, Standing.OUT))
            elif volunteer.pair_id is None:
                result.append(BuddyStatus(group, Standing.WAITING))
            else:
                pair = await sql.pair(self._db, volunteer.pair_id)
                others = pair.others(access.user_id) if pair else ()
                result.append(BuddyStatus(group, Standing.PAIRED, volunteer.pair_id, others))
        return result

    async def join(self, access: Access, group_id: int) -> Standing:
        """Opt in; paired at once if someone waits, otherwise waiting (leaders are told)."""
        if group_id not in access.participant_of:
            raise NotAllowed
        async with self._db.transaction() as tx:
            group = await groups_sql.group(tx, group_id)
            if group is None:
                raise Stale
            await sql.add_volunteer(tx, group_id, access.user_id)
            await self._pair_waiting(tx, group)
            volunteer = await sql.volunteer(tx, group_id, access.user_id)
        assert volunteer is not None
        return Standing.WAITING if volunteer.pair_id is None else Standing.PAIRED

    async def leave(self, access: Access, group_id: int) -> bool:
        """Leave the buddy calls of a group; False if they were not in them."""
        async with self._db.transaction() as tx:
            if await sql.volunteer(tx, group_id, access.user_id) is None:
                return False
            await self._leave(tx, group_id, access.user_id)
        return True

    async def end_for(self, tx: Transaction, user_id: int, group_ids: list[int] | None) -> None:
        """In the caller's transaction (/stop, /forget): the person leaves the buddy calls
        of these groups (None: of all), and their buddies are told."""
        for volunteer in await sql.volunteers_of(tx, user_id):
            if group_ids is None or volunteer.group_id in group_ids:
                await self._leave(tx, volunteer.group_id, user_id)

    async def answer(self, access: Access, pair_id: int, answer: Answer) -> Answer:
        """The weekly question answered. A yes counts the pair's call once a week."""
        async with self._db.transaction() as tx:
            pair = await sql.pair(tx, pair_id)
            if pair is None or access.user_id not in pair.members:
                raise Stale
            if answer is Answer.STOP:
                await self._leave(tx, pair.group_id, access.user_id)
            elif answer is Answer.YES:
                await self._count_call(tx, pair, access.user_id)
        return answer

    async def nudge(self, access: Access, pair_id: int) -> bool:
        """Ask the buddies to write first; one a day. False if one went today already."""
        now = self._clock()
        async with self._db.transaction() as tx:
            pair = await sql.pair(tx, pair_id)
            if pair is None or access.user_id not in pair.members:
                raise Stale
            today = now.astimezone(self._zone).date()
            if not await sql.mark_nudged(tx, pair.group_id, access.user_id, today):
                return False
            others = list(pair.others(access.user_id))
            await self._tell(
                tx, ContentKind.BUDDY_NUDGE, pair_id, pair.group_id, others, NUDGE_DEADLINE
            )
        return True

    # --- what the messages say, at send time ---------------------------------------------

    async def pair_of(self, user_id: int, pair_id: int) -> Pair | None:
        """The pair, if the person is still in it (a message to an ended pair is not sent)."""
        pair = await sql.pair(self._db, pair_id)
        return pair if pair and user_id in pair.members else None

    async def group(self, group_id: int) -> Group | None:
        return await groups_sql.group(self._db, group_id)

    async def is_volunteer(self, user_id: int, group_id: int) -> bool:
        return await sql.volunteer(self._db, group_id, user_id) is not None

    # --- leaders --------------------------------------------------------------------------

    async def overview(self, access: Access) -> list[GroupBuddies]:
        result = []
        for group in await groups_sql.groups(self._db, access.leader_of):
            pairs = await sql.pairs_of_group(self._db, group.id)
            result.append(GroupBuddies(group, pairs, await sql.waiting(self._db, group.id)))
        return result

    async def group_overview(self, access: Access, group_id: int) -> GroupBuddies:
        if not access.leads(group_id):
            raise NotAllowed
        for found in await self.overview(access):
            if found.group.id == group_id:
                return found
        raise Stale

    async def split(self, access: Access, pair_id: int) -> int:
        """A leader ends a pair; its members wait and are paired again with whoever waits.
        Returns the group's id."""
        async with self._db.transaction() as tx:
            pair = await sql.pair(tx, pair_id)
            if pair is None:
                raise Stale
            if not access.leads(pair.group_id):
                raise NotAllowed
            group = await groups_sql.group(tx, pair.group_id)
            assert group is not None
            await self._end_pair(tx, pair)
            await self._pair_waiting(tx, group, avoid=pair.members)
        return pair.group_id

    async def make_three(self, access: Access, group_id: int) -> None:
        """A leader adds the one who waits alone to a pair: three buddies together."""
        if not access.leads(group_id):
            raise NotAllowed
        async with self._db.transaction() as tx:
            waiting = await sql.waiting(tx, group_id)
            twos = [p for p in await sql.pairs_of_group(tx, group_id) if len(p.members) == 2]
            if len(waiting) != 1 or not twos:
                raise Stale
            pair = twos[0]
            await sql.join_pair(tx, pair.id, group_id, (waiting[0],))
            await self._tell(
                tx,
                ContentKind.BUDDY_HELLO,
                pair.id,
                group_id,
                [*pair.members, waiting[0]],
                NOTICE_DEADLINE,
            )

    # --- the weekly question --------------------------------------------------------------

    async def next_question(self) -> datetime | None:
        return await sql.next_question(self._db)

    async def ask_due(self) -> int:
        """Ask every pair whose week is up, each once: the claim and the messages are
        written in one transaction, so a restart neither loses nor repeats a question."""
        now = self._clock()
        asked = 0
        async with self._db.transaction() as tx:
            await sql.delete_empty_pairs(tx)
        for pair in await sql.due_pairs(self._db, now):
            async with self._db.transaction() as tx:
                if not await sql.mark_asked(tx, pair.id, now, next_question(now, self._zone), now):
                    continue
                if pair.asked_at is not None:  # last week's answers are over
                    await sql.drop_call(tx, self._call_key(pair.id, pair.asked_at))
                gone = await sql.unreachable(tx, pair.group_id, pair.members)
                if gone:  # blocked the bot: the pair ends, the others are told
                    await self._leave(tx, pair.group_id, gone[0])
                    continue
                await self._tell(
                    tx,
                    ContentKind.BUDDY_ASK,
                    pair.id,
                    pair.group_id,
                    list(pair.members),
                    timedelta(days=6),
                )
                asked += 1
        return asked

    # --- inside -----------------------------------------------------------------------------

    async def _pair_waiting(
        self, tx: Transaction, group: Group, avoid: tuple[int, ...] = ()
    ) -> None:
        """Pair whoever waits; one alone waits and the group's leaders are told."""
        waiting = await sql.waiting(tx, group.id)
        if avoid:  # a pair a leader split is not made again: they wait for others
            if set(waiting) <= set(avoid):
                return
            waiting = _interleave(waiting, avoid)
        pairs, alone = pair_up(waiting)
        now = self._clock()
        for members in pairs:
            pair_id = await sql.create_pair(tx, group.id, members, next_question(now, self._zone))
            await self._tell(
                tx, ContentKind.BUDDY_HELLO, pair_id, group.id, list(members), NOTICE_DEADLINE
            )
        if alone is not None:
            leaders = await people_sql.leaders(tx, group.id)
            if leaders:
                await self._outbox.queue(
                    tx,
                    leader_id=leaders[0],
                    content_key=ContentKey.numbered(ContentKind.BUDDY_WAITING, group.id),
                    targets=[
                        Target(group.id, u, True, now, now + NOTICE_DEADLINE) for u in leaders
                    ],
                    audience=Audience.STAFF,
                )

    async def _leave(self, tx: Transaction, group_id: int, user_id: int) -> None:
        volunteer = await sql.volunteer(tx, group_id, user_id)
        if volunteer is None:
            return
        await sql.remove_volunteer(tx, group_id, user_id)
        if volunteer.pair_id is None:
            return
        pair = await sql.pair(tx, volunteer.pair_id)
        if pair is None:
            return
        others = list(pair.others(user_id))
        await self._end_pair(tx, pair)
        for other in others:  # they choose again whether they want a new buddy
            await sql.remove_volunteer(tx, group_id, other)
        await self._tell(tx, ContentKind.BUDDY_LEFT, group_id, group_id, others, NOTICE_DEADLINE)

    async def _count_call(self, tx: Transaction, pair: Pair, user_id: int) -> None:
        """A yes to this week's question: the pair's call, counted once (whoever says it
        first), dated by the week's Monday under the answerer's pseudonym."""
        if pair.asked_at is None or not await sql.add_call(
            tx, self._call_key(pair.id, pair.asked_at)
        ):
            return
        group = await groups_sql.group(tx, pair.group_id)
        assert group is not None
        week = week_start(pair.asked_at, self._zone)
        await self._log.record(tx, EventKind.BUDDY_CALL, group, user_id, at=week)

    async def _end_pair(self, tx: Transaction, pair: Pair) -> None:
        if pair.asked_at is not None:
            await sql.drop_call(tx, self._call_key(pair.id, pair.asked_at))
        await sql.delete_pair(tx, pair.id)

    def _call_key(self, pair_id: int, asked_at: datetime) -> str:
        return self._log.keyed(call_label(pair_id, asked_at))

    async def _tell(
        self,
        tx: Transaction,
        kind: ContentKind,
        subject_id: int,
        group_id: int,
        user_ids: list[int],
        deadline: timedelta,
    ) -> None:
        """A message the bot writes to buddies in private: a contact with the group."""
        if not user_ids:
            return
        now = self._clock()
        await self._outbox.queue(
            tx,
            leader_id=user_ids[0],
            content_key=ContentKey.numbered(kind, subject_id),
            targets=[Target(group_id, u, True, now, now + deadline) for u in user_ids],
            audience=Audience.GROUP,
        )


def _interleave(waiting: list[int], avoid: tuple[int, ...]) -> list[int]:
    """Order the waiting so that people of a split pair do not end up together again."""
    others = [u for u in waiting if u not in avoid]
    split = [u for u in waiting if u in avoid]
    ordered: list[int] = []
    while others or split:
        if split:
            ordered.append(split.pop(0))
        if others:
            ordered.append(others.pop(0))
    return ordered
