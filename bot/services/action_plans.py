"""Participants' action plans: only the week and the confidence are kept,
under a pseudonym; a check-in's plan answer later says how it went."""

from __future__ import annotations

from datetime import timedelta

from bot.db import action_plans as sql
from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db.database import Database, Transaction
from bot.domain.action_plans import iso_week
from bot.domain.checkins import PlanAnswer
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.services.contact_log import ContactLog
from bot.services.errors import Busy, NotAllowed

PLAN = DialogKind.PLAN


class ActionPlans:
    def __init__(self, db: Database, clock: Clock, log: ContactLog) -> None:
        self._db = db
        self._clock = clock
        self._log = log

    async def begin(self, access: Access) -> None:
        """Open the plan's guided chat. Its row says only that a plan is being made: the
        words are kept in memory by the handler, never in the database."""
        if not (access.participant_of or access.leader_of):
            raise NotAllowed
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(tx, access.user_id, PLAN, "", self._clock())
        if opened.kind is not PLAN:
            raise Busy(opened.kind)

    async def save(self, access: Access, confidence: int) -> None:
        """Only the week and the confidence are kept; the words stay in the person's chat."""
        groups = sorted(access.participant_of | access.leader_of)
        if not groups:
            raise NotAllowed  # nothing is stored about someone who has not joined a group
        group = await groups_sql.group(self._db, groups[0])
        assert group is not None
        pseudonym = self._log.pseudonym(access.user_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            await dialogs_sql.end_dialog(tx, access.user_id, PLAN)
            await sql.save_plan(tx, pseudonym, iso_week(now.date()), confidence)
            await self._log.record(tx, EventKind.PLAN_MADE, group, access.user_id)

    async def open_confidence(self, user_id: int) -> int | None:
        """The confidence of the person's plan from this or last week, not yet followed up."""
        pseudonym = self._log.pseudonym(user_id)
        plan = await sql.open_plan(self._db, pseudonym, self._weeks_from())
        return plan.confidence if plan else None

    async def follow_up(
        self, tx: Transaction, followed: PlanAnswer, group: Group, user_id: int
    ) -> None:
        """A check-in's plan answer in a private chat says how the person's plan went."""
        pseudonym = self._log.pseudonym(user_id)
        plan = await sql.open_plan(tx, pseudonym, self._weeks_from())
        if plan is not None:
            await sql.follow_up_plan(tx, pseudonym, plan.week, followed)
            await self._log.record(tx, EventKind.PLAN_FOLLOWED_UP, group, user_id)

    def _weeks_from(self) -> str:
        return iso_week((self._clock() - timedelta(weeks=1)).date())
