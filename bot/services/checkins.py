"""Meetings that cannot be held, and check-ins instead (PRODUCT.md §3).

Cancelling a meeting queues a notice now and, if the group keeps in touch remotely, a
check-in (with the week's tip) at the meeting's start time, all through the outbox. A
check-in takes answers until its window closes; then its group's leaders get a summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db import checkins as sql
from bot.db import outbox as outbox_sql
from bot.db import repo
from bot.db.database import Database, Row, Transaction
from bot.domain.action_plans import iso_week
from bot.domain.checkins import WEEK_SCALE, Mode, PlanAnswer, Reason, Tally
from bot.domain.clock import Clock, from_db
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.domain.outbox import State
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed
from bot.services.library import Library
from bot.services.outbox import Outbox, group_targets


class Refused(StrEnum):
    STARTED = "started"  # the meeting has begun or is over
    ALREADY = "already"  # cancelled already (perhaps by the other leader)
    NOT_CANCELLED = "not_cancelled"


class AnswerStatus(StrEnum):
    SAVED = "saved"
    CLOSED = "closed"
    NOT_HERE = "not_here"  # this check-in was not sent to this chat


@dataclass(frozen=True)
class Answered:
    status: AnswerStatus
    first_in_group: bool = False
    new_contact_request: int | None = None  # its id, when the person just asked
    group: Group | None = None
    leaders: tuple[int, ...] = ()


@dataclass(frozen=True)
class MeetingStatus:
    group: Group
    starts_at: datetime
    state: str  # planned, remote or cancelled
    reason: Reason | None


@dataclass(frozen=True)
class CheckinInfo:
    id: int
    group: Group
    week: int | None  # the session number it stands in for
    opens_at: datetime
    closes_at: datetime
    closed: bool
    broadcast_id: int | None


class Checkins:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        log: ContactLog,
        box: Outbox,
        library: Library,
        window: timedelta,
    ) -> None:
        self._db = db
        self._clock = clock
        self._log = log
        self._outbox = box
        self._library = library
        self._window = window

    # --- cancelling a meeting ---------------------------------------------------------------

    async def cancel_meeting(
        self, access: Access, session_id: int, mode: Mode, reason: Reason
    ) -> Refused | None:
        """Notice now; a check-in and the week's tip at the meeting time if held remotely."""
        now = self._clock()
        async with self._db.transaction() as tx:
            row, group = await self._led_session(tx, access, session_id)
            if from_db(row["starts_at"]) <= now:
                return Refused.STARTED
            if not await sql.set_session_state(tx, session_id, "planned", mode.value, reason.value):
                return Refused.ALREADY  # two leaders at once: the first one's choice stands
            notice = await group_targets(tx, group, now)
            await self._outbox.queue(
                tx, leader_id=access.user_id, content_key=f"notice:{session_id}", targets=notice
            )
            if mode is Mode.REMOTE:
                await self._schedule_checkin(tx, access.user_id, group, row)
            kind = EventKind.SESSION_REMOTE if mode is Mode.REMOTE else EventKind.SESSION_CANCELLED
            await self._log.record(tx, kind, group)
        return None

    async def undo(self, access: Access, session_id: int) -> Refused | None:
        """The meeting is on after all: the check-in is called off and the group told."""
        now = self._clock()
        async with self._db.transaction() as tx:
            row, group = await self._led_session(tx, access, session_id)
            if from_db(row["starts_at"]) <= now:
                return Refused.STARTED
            if row["state"] not in (Mode.REMOTE, Mode.CANCELLED):
                return Refused.NOT_CANCELLED
            if not await sql.set_session_state(tx, session_id, row["state"], "planned", None):
                return Refused.NOT_CANCELLED  # the other leader undid it a moment ago
            checkin = await sql.checkin_of_session(tx, session_id)
            if checkin is not None:
                await sql.cancel_checkin(tx, checkin["id"])
                for broadcast_id in (checkin["broadcast_id"], checkin["tip_broadcast_id"]):
                    if broadcast_id is not None:
                        await outbox_sql.move_open(
                            tx, broadcast_id, (State.PENDING,), State.CANCELLED, now
                        )
            notice = await group_targets(tx, group, now)
            await self._outbox.queue(
                tx, leader_id=access.user_id, content_key=f"notice:{session_id}", targets=notice
            )
        return None

    async def _led_session(
        self, tx: Transaction, access: Access, session_id: int
    ) -> tuple[Row, Group]:
        row = await sql.session(tx, session_id)
        group = await repo.group(tx, row["group_id"]) if row else None
        if row is None or group is None or not access.leads(group.id):
            raise NotAllowed
        return row, group

    async def _schedule_checkin(
        self, tx: Transaction, leader: int, group: Group, session: Row
    ) -> None:
        starts = from_db(session["starts_at"])
        tip = self._week_tip(group.language, session["number"])
        await self._open(tx, leader, group, session["id"], starts, tip)

    def _week_tip(self, language: str, week: int) -> str | None:
        tips = self._library.for_week(language, week)
        return min(tips, key=lambda t: t.id).id if tips else None

    # --- check-ins --------------------------------------------------------------------------

    async def send_now(self, access: Access, group_id: int) -> int:
        """A leader's check-in at any time; returns its id."""
        group = await repo.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        async with self._db.transaction() as tx:
            return await self._open(tx, access.user_id, group, None, self._clock())

    async def _open(
        self,
        tx: Transaction,
        leader: int,
        group: Group,
        session_id: int | None,
        opens: datetime,
        tip: str | None = None,
    ) -> int:
        asked = await repo.participant_count(tx, group.id)
        checkin_id = await sql.insert_checkin(
            tx, group.id, session_id, opens, opens + self._window, asked
        )
        targets = await group_targets(tx, group, opens)
        broadcast_id = await self._outbox.queue(
            tx, leader_id=leader, content_key=f"checkin:{checkin_id}", targets=targets
        )
        tip_broadcast_id = None
        if tip is not None:
            tip_broadcast_id = await self._outbox.queue(
                tx, leader_id=leader, content_key=f"tip:{tip}", targets=targets
            )
        await sql.set_checkin_broadcasts(tx, checkin_id, broadcast_id, tip_broadcast_id)
        await self._log.record(tx, EventKind.CHECKIN_SENT, group)
        return checkin_id

    async def meeting(self, session_id: int) -> MeetingStatus | None:
        """A session as its notice tells it."""
        row = await sql.session(self._db, session_id)
        group = await repo.group(self._db, row["group_id"]) if row else None
        if row is None or group is None:
            return None
        reason = Reason(row["reason"]) if row["reason"] else None
        return MeetingStatus(group, from_db(row["starts_at"]), row["state"], reason)

    async def info(self, checkin_id: int) -> CheckinInfo | None:
        row = await sql.checkin(self._db, checkin_id)
        group = await repo.group(self._db, row["group_id"]) if row else None
        if row is None or group is None:
            return None
        session = await sql.session(self._db, row["session_id"]) if row["session_id"] else None
        return CheckinInfo(
            id=row["id"],
            group=group,
            week=session["number"] if session else None,
            opens_at=from_db(row["opens_at"]),
            closes_at=from_db(row["closes_at"]),
            closed=row["state"] != "scheduled" or from_db(row["closes_at"]) <= self._clock(),
            broadcast_id=row["broadcast_id"],
        )

    async def answer(
        self, user_id: int, chat_id: int, checkin_id: int, question: str, value: str
    ) -> Answered:
        """A button pressed on a check-in: 'week' 1-3, 'plan' yes/partly/no/none, 'contact'."""
        info = await self.info(checkin_id)
        if info is None or not await self._was_sent_to(info, chat_id, user_id):
            return Answered(AnswerStatus.NOT_HERE)
        if info.closed:
            return Answered(AnswerStatus.CLOSED, group=info.group)
        pseudonym = self._log.pseudonym(user_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            first_in_group = not await sql.has_answered_in_group(tx, info.group.id, pseudonym)
            if question == "contact":
                request_id = await sql.insert_contact_request(
                    tx, checkin_id, info.group.id, user_id, now
                )
                if request_id is not None:
                    await self._log.record(tx, EventKind.CONTACT_REQUESTED, info.group, user_id)
                leaders = tuple(await repo.leaders(tx, info.group.id))
                return Answered(AnswerStatus.SAVED, first_in_group, request_id, info.group, leaders)
            column, stored = _validated(question, value)
            if await sql.save_answer(tx, checkin_id, pseudonym, column, stored, now):
                # Dated when the check-in opened, so answers count in its week.
                await self._log.record(
                    tx, EventKind.CHECKIN_ANSWERED, info.group, user_id, at=info.opens_at
                )
            if column == "plan" and stored != PlanAnswer.NONE and chat_id == user_id:
                await self._follow_up(tx, pseudonym, str(stored), info.group, user_id)
        return Answered(AnswerStatus.SAVED, first_in_group, group=info.group)

    async def _follow_up(
        self, tx: Transaction, pseudonym: str, followed: str, group: Group, user_id: int
    ) -> None:
        """In a private chat, the plan answer says how the person's own action plan went."""
        plan = await sql.open_plan(tx, pseudonym, self._plan_weeks_from())
        if plan is not None:
            await sql.follow_up_plan(tx, pseudonym, plan["week"], followed)
            await self._log.record(tx, EventKind.PLAN_FOLLOWED_UP, group, user_id)

    def _plan_weeks_from(self) -> str:
        return iso_week((self._clock() - timedelta(weeks=1)).date())

    async def open_plan(self, user_id: int) -> int | None:
        """The confidence of the person's plan from this or last week, not yet followed up."""
        plan = await sql.open_plan(self._db, self._log.pseudonym(user_id), self._plan_weeks_from())
        return int(plan["confidence"]) if plan else None

    async def save_plan(self, access: Access, confidence: int) -> None:
        """Only the week and the confidence are kept; the words stay in the person's chat."""
        groups = sorted(access.participant_of | access.leader_of)
        if not groups:
            raise NotAllowed  # nothing is stored about someone who has not joined a group
        group = await repo.group(self._db, groups[0])
        assert group is not None
        pseudonym = self._log.pseudonym(access.user_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            await sql.save_plan(tx, pseudonym, iso_week(now.date()), confidence, now)
            await self._log.record(tx, EventKind.PLAN_MADE, group, access.user_id)

    async def _was_sent_to(self, info: CheckinInfo, chat_id: int, user_id: int) -> bool:
        if info.broadcast_id is None:
            return False
        row = await sql.delivered_to(self._db, info.broadcast_id, chat_id)
        # In a private chat, only its owner can press; in the group chat, its members.
        return row is not None and (not row["private"] or chat_id == user_id)

    async def group_message(self, info: CheckinInfo) -> int | None:
        """The check-in's message in the group chat, once it has been sent there."""
        if info.broadcast_id is None or info.group.chat_id is None:
            return None
        row = await sql.delivered_to(self._db, info.broadcast_id, info.group.chat_id)
        ids = json.loads(row["message_ids"]) if row and row["message_ids"] else []
        return int(ids[0]) if ids else None

    async def answered(self, checkin_id: int) -> int:
        return len(await sql.answers(self._db, checkin_id))

    async def tally(self, checkin_id: int) -> Tally:
        rows = await sql.answers(self._db, checkin_id)
        info = await self.info(checkin_id)
        requests = await sql.open_contact_requests(self._db, info.group.id) if info else []
        return Tally(
            answered=len(rows),
            week={w: sum(1 for r in rows if r["week"] == w) for w in WEEK_SCALE},
            plan={p: sum(1 for r in rows if r["plan"] == p.value) for p in PlanAnswer},
            contact_requests=[(r["id"], r["user_id"]) for r in requests],
        )

    # --- closing windows --------------------------------------------------------------------

    async def close_due(self) -> list[int]:
        """Close the check-ins whose window has ended; each group's leaders get a summary
        (queued in the same transaction, so a crash cannot lose or double it)."""
        now = self._clock()
        closed = []
        async with self._db.transaction() as tx:
            for row in await sql.due_to_close(tx, now):
                leaders = await repo.leaders(tx, row["group_id"])
                targets = [(row["group_id"], leader, True, now) for leader in leaders]
                if targets:
                    broadcast = await outbox_sql.broadcast(tx, row["broadcast_id"])
                    leader_id = broadcast["leader_id"] if broadcast else leaders[0]
                    await self._outbox.queue(
                        tx, leader_id=leader_id, content_key=f"summary:{row['id']}", targets=targets
                    )
                closed.append(row["id"])
        return closed

    async def closing_times(self) -> list[datetime]:
        return [from_db(r["closes_at"]) for r in await sql.open_checkins(self._db)]

    async def handle_request(self, access: Access, request_id: int) -> bool:
        """A leader marks a contact request handled; False if it already was."""
        row = await sql.contact_request(self._db, request_id)
        if row is None or not access.leads(row["group_id"]):
            raise NotAllowed
        async with self._db.transaction() as tx:
            done = await sql.mark_handled(tx, request_id, self._clock())
            group = await repo.group(tx, row["group_id"])
            if done and group:
                await self._log.record(tx, EventKind.CONTACT_HANDLED, group)
        return done

    # --- contacts outside Telegram ----------------------------------------------------------

    async def log_contact(self, access: Access, group_id: int, kind: EventKind) -> None:
        """A phone call or a visit, counted for the group (no one is named)."""
        group = await repo.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        if kind not in (EventKind.PHONE_CONTACT, EventKind.VISIT):
            raise ValueError(kind)
        async with self._db.transaction() as tx:
            await self._log.record(tx, kind, group)


def _validated(question: str, value: str) -> tuple[str, object]:
    if question == "week" and value.isdigit() and int(value) in WEEK_SCALE:
        return "week", int(value)
    if question == "plan" and value in {p.value for p in PlanAnswer}:
        return "plan", value
    raise NotAllowed  # forged button data
