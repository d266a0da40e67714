"""Meetings that cannot be held, and check-ins instead (README: How it works).

Cancelling a meeting queues a notice now and, if the group keeps in touch remotely, a
check-in (with the week's tip) at the meeting's start time, all through the outbox. A
check-in takes answers until its window closes; then its group's leaders get a summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db import checkins as sql
from bot.db import groups as groups_sql
from bot.db import library as library_sql
from bot.db import outbox as outbox_sql
from bot.db import people as people_sql
from bot.db import sessions as sessions_sql
from bot.db.database import Database, Transaction
from bot.domain.checkins import (
    WEEK_SCALE,
    CheckinState,
    Mine,
    Mode,
    PlanAnswer,
    Reason,
    Tally,
)
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Access, Group, Role, Session, SessionState
from bot.domain.outbox import Audience, ContentKey, State, Target
from bot.services.action_plans import ActionPlans
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed
from bot.services.library import TOPICS, Library
from bot.services.outbox import Outbox, group_targets


class Refused(StrEnum):
    STARTED = "started"  # the meeting has begun or is over
    ALREADY = "already"  # cancelled already (perhaps by the other leader)
    NOT_CANCELLED = "not_cancelled"


class AnswerStatus(StrEnum):
    SAVED = "saved"
    CLOSED = "closed"
    NOT_HERE = "not_here"  # this check-in was not sent to this chat
    NOT_PARTICIPANT = "not_participant"  # sent to this group chat, but the person has not joined


@dataclass(frozen=True)
class Answered:
    status: AnswerStatus
    new_contact_request: int | None = None  # its id, when the person just asked
    group: Group | None = None
    leaders: tuple[int, ...] = ()


@dataclass(frozen=True)
class MeetingStatus:
    group: Group
    starts_at: datetime
    state: SessionState
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
        plans: ActionPlans,
        window: timedelta,
    ) -> None:
        self._db = db
        self._clock = clock
        self._log = log
        self._outbox = box
        self._library = library
        self._plans = plans
        self._window = window

    # --- cancelling a meeting ---------------------------------------------------------------

    async def cancel_meeting(
        self, access: Access, session_id: int, mode: Mode, reason: Reason
    ) -> Refused | None:
        """Notice now; a check-in and the week's tip at the meeting time if held remotely."""
        now = self._clock()
        async with self._db.transaction() as tx:
            session, group = await self._led_session(tx, access, session_id)
            if session.starts_at <= now:
                return Refused.STARTED
            state = SessionState(mode.value)
            if not await sessions_sql.set_session_state(
                tx, session_id, SessionState.PLANNED, state, reason
            ):
                return Refused.ALREADY  # two leaders at once: the first one's choice stands
            await self._queue_notice(tx, access.user_id, group, session, now)
            if mode is Mode.REMOTE:
                await self._schedule_checkin(tx, access.user_id, group, session)
            kind = EventKind.SESSION_REMOTE if mode is Mode.REMOTE else EventKind.SESSION_CANCELLED
            await self._log.record(tx, kind, group)
        return None

    async def undo(self, access: Access, session_id: int) -> Refused | None:
        """The meeting is on after all: the check-in is called off and the group told."""
        now = self._clock()
        async with self._db.transaction() as tx:
            session, group = await self._led_session(tx, access, session_id)
            if session.starts_at <= now:
                return Refused.STARTED
            if session.state is SessionState.PLANNED:
                return Refused.NOT_CANCELLED
            if not await sessions_sql.set_session_state(
                tx, session_id, session.state, SessionState.PLANNED, None
            ):
                return Refused.NOT_CANCELLED  # the other leader undid it a moment ago
            checkin = await sql.checkin_of_session(tx, session_id)
            if checkin is not None:
                await sql.cancel_checkin(tx, checkin.id)
                for broadcast_id in (checkin.broadcast_id, checkin.tip_broadcast_id):
                    if broadcast_id is not None:
                        await outbox_sql.move_open(
                            tx, broadcast_id, (State.PENDING,), State.CANCELLED, now
                        )
            await self._queue_notice(tx, access.user_id, group, session, now)
        return None

    async def _queue_notice(
        self, tx: Transaction, leader: int, group: Group, session: Session, now: datetime
    ) -> None:
        """Worth sending until the meeting starts."""
        targets = await group_targets(tx, group, now, deadline=session.starts_at)
        await self._outbox.queue(
            tx,
            leader_id=leader,
            content_key=ContentKey.notice(session.id),
            targets=targets,
            audience=Audience.GROUP,
        )

    async def _led_session(
        self, tx: Transaction, access: Access, session_id: int
    ) -> tuple[Session, Group]:
        session = await sessions_sql.session(tx, session_id)
        group = await groups_sql.group(tx, session.group_id) if session else None
        if session is None or group is None or not access.leads(group.id):
            raise NotAllowed
        return session, group

    async def _schedule_checkin(
        self, tx: Transaction, leader: int, group: Group, session: Session
    ) -> None:
        tip = await self._week_tip(tx, group, session.number)
        await self._open(tx, leader, group, session.id, session.starts_at, tip)

    async def _week_tip(self, tx: Transaction, group: Group, week: int) -> ContentKey | None:
        """A leader-made item of the week's topic approved for the group's area, if there
        is one (the newest); else the written tip of the week."""
        for topic in (t for t, w in TOPICS.items() if w == week):
            items = await library_sql.approved(tx, (group.area_id,), group.language, topic)
            if items:
                return ContentKey.library(items[0].id)
        tips = self._library.for_week(group.language, week)
        return ContentKey.tip(min(tips, key=lambda t: t.id).id) if tips else None

    # --- check-ins --------------------------------------------------------------------------

    async def send_now(self, access: Access, group_id: int) -> int:
        """A leader's check-in at any time; returns its id."""
        group = await groups_sql.group(self._db, group_id)
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
        tip: ContentKey | None = None,
    ) -> int:
        asked = await people_sql.participant_count(tx, group.id)
        closes = opens + self._window
        opened = opens <= self._clock()  # a planned one resolves its recipients when it opens
        checkin_id = await sql.insert_checkin(
            tx, group.id, session_id, opens, closes, asked, opened=opened
        )
        # Worth sending (with its tip) while it takes answers.
        targets = await group_targets(tx, group, opens, deadline=closes)
        broadcast_id = await self._outbox.queue(
            tx,
            leader_id=leader,
            content_key=ContentKey.checkin(checkin_id),
            targets=targets,
            audience=Audience.GROUP,
        )
        tip_broadcast_id = None
        if tip is not None:
            tip_broadcast_id = await self._outbox.queue(
                tx,
                leader_id=leader,
                content_key=tip,
                targets=targets,
                audience=Audience.GROUP,
            )
        await sql.set_checkin_broadcasts(tx, checkin_id, broadcast_id, tip_broadcast_id)
        await self._log.record(tx, EventKind.CHECKIN_SENT, group)
        return checkin_id

    async def meeting(self, session_id: int) -> MeetingStatus | None:
        """A session as its notice tells it."""
        session = await sessions_sql.session(self._db, session_id)
        group = await groups_sql.group(self._db, session.group_id) if session else None
        if session is None or group is None:
            return None
        return MeetingStatus(group, session.starts_at, session.state, session.reason)

    async def info(self, checkin_id: int) -> CheckinInfo | None:
        checkin = await sql.checkin(self._db, checkin_id)
        group = await groups_sql.group(self._db, checkin.group_id) if checkin else None
        if checkin is None or group is None:
            return None
        session = (
            await sessions_sql.session(self._db, checkin.session_id) if checkin.session_id else None
        )
        return CheckinInfo(
            id=checkin.id,
            group=group,
            week=session.number if session else None,
            opens_at=checkin.opens_at,
            closes_at=checkin.closes_at,
            closed=checkin.state is not CheckinState.SCHEDULED
            or checkin.closes_at <= self._clock(),
            broadcast_id=checkin.broadcast_id,
        )

    async def answer(
        self, user_id: int, chat_id: int, checkin_id: int, question: str, value: str
    ) -> Answered:
        """A button pressed on a check-in: 'week' 1-3, 'plan' yes/partly/no/none, 'contact'."""
        info = await self.info(checkin_id)
        private = chat_id > 0  # a private chat's id is its person's; groups' are negative
        if info is None or not await self._was_sent_to(info, chat_id):
            return Answered(AnswerStatus.NOT_HERE)
        if private and chat_id != user_id:
            return Answered(AnswerStatus.NOT_HERE)  # someone else's chat: a forged press
        if not await self._may_answer(info, user_id):
            return Answered(AnswerStatus.NOT_PARTICIPANT, group=info.group)
        if info.closed:
            return Answered(AnswerStatus.CLOSED, group=info.group)
        pseudonym = self._log.pseudonym(user_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            if question == "contact":
                request_id = await sql.insert_contact_request(
                    tx, checkin_id, info.group.id, user_id, now
                )
                if request_id is not None:
                    # No pseudonym: the request itself names the person, so it would unmask it.
                    await self._log.record(tx, EventKind.CONTACT_REQUESTED, info.group)
                leaders = tuple(await people_sql.leaders(tx, info.group.id))
                return Answered(AnswerStatus.SAVED, request_id, info.group, leaders)
            column, stored = _validated(question, value)
            if await sql.save_answer(tx, checkin_id, pseudonym, column, stored):
                # Dated when the check-in opened, so answers count in its week.
                await self._log.record(
                    tx, EventKind.CHECKIN_ANSWERED, info.group, user_id, at=info.opens_at
                )
            # In a private chat, the plan answer says how the person's own action plan went.
            if (
                isinstance(stored, PlanAnswer)
                and stored is not PlanAnswer.NONE
                and chat_id == user_id
            ):
                await self._plans.follow_up(tx, stored, info.group, user_id)
        return Answered(AnswerStatus.SAVED, group=info.group)

    async def _was_sent_to(self, info: CheckinInfo, chat_id: int) -> bool:
        """Posted to this chat and open (a guessed id of a check-in not yet posted, or
        posted elsewhere, is refused)."""
        if info.broadcast_id is None or info.opens_at > self._clock():
            return False
        receipt = await sql.delivered_to(self._db, info.broadcast_id, chat_id)
        return receipt is not None and receipt.sent

    async def _may_answer(self, info: CheckinInfo, user_id: int) -> bool:
        """Only the group's participants: not outsiders in its chat, nor anyone after /stop."""
        roles = await people_sql.memberships(self._db, user_id)
        return (info.group.id, Role.PARTICIPANT) in roles

    async def group_message(self, info: CheckinInfo) -> int | None:
        """The check-in's message in the group chat, once it has been sent there."""
        if info.broadcast_id is None or info.group.chat_id is None:
            return None
        receipt = await sql.delivered_to(self._db, info.broadcast_id, info.group.chat_id)
        return receipt.message_ids[0] if receipt and receipt.message_ids else None

    async def mine(self, checkin_id: int, user_id: int) -> Mine:
        """The person's own answers, to mark on their private copy."""
        answer = await sql.answer_of(self._db, checkin_id, self._log.pseudonym(user_id))
        contact = await sql.asked_contact(self._db, checkin_id, user_id)
        if answer is None:
            return Mine(contact=contact)
        return Mine(answer.week, answer.plan, contact)

    async def copies(self, checkin_id: int) -> list[sql.Copy]:
        """Where the check-in was posted: the group chat and private chats."""
        info = await self.info(checkin_id)
        if info is None or info.broadcast_id is None:
            return []
        return await sql.copies(self._db, info.broadcast_id)

    async def answered(self, checkin_id: int) -> int:
        return len(await sql.answers(self._db, checkin_id))

    async def tally(self, checkin_id: int) -> Tally:
        answers = await sql.answers(self._db, checkin_id)
        info = await self.info(checkin_id)
        requests = await sql.open_contact_requests(self._db, info.group.id) if info else []
        return Tally(
            answered=len(answers),
            week={w: sum(1 for a in answers if a.week == w) for w in WEEK_SCALE},
            plan={p: sum(1 for a in answers if a.plan is p) for p in PlanAnswer},
            contact_requests=[(r.id, r.user_id) for r in requests],
        )

    # --- opening and closing windows ---------------------------------------------------------

    async def open_due(self) -> list[int]:
        """Planned check-ins whose time has come go also to whoever joined (or bound the
        group's chat) since they were planned; their 'asked' is counted again."""
        now = self._clock()
        opened = []
        async with self._db.transaction() as tx:
            for checkin in await sql.due_to_open(tx, now):
                group = await groups_sql.group(tx, checkin.group_id)
                if group is None:
                    continue
                targets = await group_targets(tx, group, now, deadline=checkin.closes_at)
                for broadcast_id in (checkin.broadcast_id, checkin.tip_broadcast_id):
                    if broadcast_id is not None:
                        await self._outbox.top_up(tx, broadcast_id, targets)
                opened.append(checkin.id)
        return opened

    async def opening_times(self) -> list[datetime]:
        return await sql.opening_times(self._db)

    async def close_due(self) -> list[int]:
        """Close the check-ins whose window has ended; each group's leaders get a summary
        (queued in the same transaction, so a crash cannot lose or double it)."""
        now = self._clock()
        closed = []
        async with self._db.transaction() as tx:
            for checkin in await sql.due_to_close(tx, now):
                leaders = await people_sql.leaders(tx, checkin.group_id)
                targets = [Target(checkin.group_id, leader, True, now) for leader in leaders]
                if targets:
                    broadcast = (
                        await outbox_sql.broadcast(tx, checkin.broadcast_id)
                        if checkin.broadcast_id is not None
                        else None
                    )
                    leader_id = broadcast.leader_id if broadcast else leaders[0]
                    key = ContentKey.summary(checkin.id)
                    await self._outbox.queue(
                        tx,
                        leader_id=leader_id,
                        content_key=key,
                        targets=targets,
                        audience=Audience.STAFF,
                    )
                closed.append(checkin.id)
        return closed

    async def closing_times(self) -> list[datetime]:
        return [c.closes_at for c in await sql.open_checkins(self._db)]


def _validated(question: str, value: str) -> tuple[str, int | PlanAnswer]:
    if question == "week" and value.isdigit() and int(value) in WEEK_SCALE:
        return "week", int(value)
    if question == "plan" and value in {p.value for p in PlanAnswer}:
        return "plan", PlanAnswer(value)
    raise NotAllowed  # forged button data
