"""Nobody left waiting (README: Contact requests): a "please contact me" that no one marks
handled gets one reminder to the group's leaders half-way, and at CONTACT_ESCALATION_HOURS
goes to the area's coordinators (the global ones if the area has none), while the leaders
are told it was passed on. Each step is claimed in the transaction that queues its messages
(staff mail through the outbox), so it happens exactly once, across restarts too."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.db import checkins as checkins_sql
from bot.db import escalation as sql
from bot.db import groups as groups_sql
from bot.db import people as people_sql
from bot.db.database import Database, Transaction
from bot.domain.clock import Clock
from bot.domain.escalation import Step, Timing, Waiting
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.domain.outbox import Audience, ContentKey, ContentKind, Target
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed
from bot.services.outbox import Outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WaitingRequest:
    """What the reminder and the escalation say: the group, the person's id (for a mention
    link, never stored elsewhere) and the times."""

    request: Waiting
    group: Group
    escalation_at: datetime


class Escalations:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        log: ContactLog,
        box: Outbox,
        timing: Timing,
        global_coordinators: frozenset[int],
    ) -> None:
        self._db = db
        self._clock = clock
        self._log = log
        self._outbox = box
        self.timing = timing
        self._global = global_coordinators

    async def handle(self, access: Access, request_id: int) -> bool:
        """A leader of the group, or a coordinator of its area, marks it handled; False if it
        already was (two at once: one wins, the other is told)."""
        request = await sql.request(self._db, request_id)
        group = await groups_sql.group(self._db, request.group_id) if request else None
        if request is None or group is None:
            return False  # handled already: the row (and the person's id) is gone
        if not (access.leads(group.id) or access.coordinates(group.area_id)):
            raise NotAllowed
        now = self._clock()
        async with self._db.transaction() as tx:
            done = await checkins_sql.mark_handled(tx, request_id)
            if done:
                late = self.timing.late(request.created_at, now)
                kind = EventKind.CONTACT_HANDLED_LATE if late else EventKind.CONTACT_HANDLED
                await self._log.record(tx, kind, group)
        return done

    async def waiting(self, request_id: int) -> WaitingRequest | None:
        """For the messages about a request; None once it is handled or erased."""
        request = await sql.request(self._db, request_id)
        group = await groups_sql.group(self._db, request.group_id) if request else None
        if request is None or group is None:
            return None
        return WaitingRequest(request, group, self.timing.escalation_at(request.created_at))

    async def next_due(self) -> datetime | None:
        """When the next reminder or escalation falls due (perhaps already past)."""
        requests = await sql.not_passed_on(self._db)
        return min((s[1] for r in requests if (s := self.timing.next_step(r))), default=None)

    async def take_due_steps(self) -> int:
        """Queue every reminder and escalation that is due; returns how many were taken."""
        now = self._clock()
        taken = 0
        async with self._db.transaction() as tx:
            for request in await sql.not_passed_on(tx):
                step = self.timing.due(request, now)
                if step is None or not await sql.claim(tx, request.id, step, now):
                    continue
                group = await groups_sql.group(tx, request.group_id)
                if group is None:
                    continue
                if step is Step.REMIND:
                    await self._remind(tx, request, group, now)
                else:
                    await self._escalate(tx, request, group, now)
                taken += 1
        return taken

    async def _remind(self, tx: Transaction, request: Waiting, group: Group, now: datetime) -> None:
        leaders = await people_sql.leaders(tx, group.id)
        deadline = self.timing.escalation_at(request.created_at)  # no use after it is passed on
        targets = [Target(group.id, leader, True, now, deadline) for leader in leaders]
        await self._queue(tx, ContentKind.CONTACT_REMINDER, request.id, targets)

    async def _escalate(
        self, tx: Transaction, request: Waiting, group: Group, now: datetime
    ) -> None:
        coordinators = await self.coordinators_of(tx, group)
        if not coordinators:  # no coordinator at all: the leaders still have the request
            logger.warning("a contact request could not be passed on: no coordinators")
            return
        targets = [Target(group.id, user, True, now) for user in coordinators]
        await self._queue(tx, ContentKind.ESCALATION, request.id, targets)
        leaders = [u for u in await people_sql.leaders(tx, group.id) if u not in coordinators]
        told = [Target(group.id, leader, True, now) for leader in leaders]
        await self._queue(tx, ContentKind.PASSED_ON, request.id, told)
        await self._log.record(tx, EventKind.CONTACT_ESCALATED, group)

    async def coordinators_of(self, tx: Transaction, group: Group) -> list[int]:
        """The area's coordinators; if it has none, the coordinators of every area."""
        found = await sql.area_coordinators(tx, group.area_id)
        if not found:
            found = sorted(set(await sql.global_coordinators(tx)) | self._global)
        return found

    async def _queue(
        self, tx: Transaction, kind: ContentKind, request_id: int, targets: list[Target]
    ) -> None:
        if not targets:
            return
        await self._outbox.queue(
            tx,
            leader_id=targets[0].chat_id,
            content_key=ContentKey.numbered(kind, request_id),
            targets=targets,
            audience=Audience.STAFF,
        )
