"""Each group's session plan as leaders see it (README: How it works)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import meetings as meetings_sql
from bot.db import sessions as sql
from bot.db.database import Database, Transaction
from bot.domain.calendar import holiday
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.models import Access, Group, Session, SessionState
from bot.domain.outbox import Audience, ContentKey, ContentKind
from bot.domain.parsing import Invalid, Problem
from bot.domain.schedule import MAX_SESSIONS
from bot.domain.when import parse_when
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.outbox import Outbox, group_targets

MOVE = DialogKind.MOVE_SESSION
ADD = DialogKind.ADD_SESSION


@dataclass(frozen=True)
class TooMany:
    """A group has MAX_SESSIONS sessions already."""


@dataclass(frozen=True)
class BeforeLast:
    """An added meeting must come after the group's last session."""

    last: datetime


@dataclass(frozen=True)
class Meeting:
    session: Session
    holiday: str | None  # the public holiday it falls on, named in the reader's language


@dataclass(frozen=True)
class Plan:
    group: Group
    upcoming: list[Meeting]
    several: bool = False  # the leader leads several groups: buttons name the group


class Meetings:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo, box: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone
        self._outbox = box

    async def upcoming(self, access: Access, language: str) -> list[Plan]:
        """The sessions still ahead in the groups this person leads."""
        now = self._clock()
        plans = []
        ahead_of: dict[int, list[Session]] = {}
        for session in await sql.sessions_ahead(self._db, access.leader_of, now):
            ahead_of.setdefault(session.group_id, []).append(session)
        groups = await groups_sql.groups(self._db, access.leader_of)
        for group in groups:
            ahead = ahead_of.get(group.id, [])
            meetings = [
                Meeting(s, holiday(s.starts_at.astimezone(self._zone).date(), language))
                for s in ahead
            ]
            plans.append(Plan(group, meetings, several=len(groups) > 1))
        return plans

    # --- moving a session: the leader presses "move", then types the new time ---------------

    async def start_move(self, access: Access, session_id: int) -> Session:
        session = await self._led_planned(access, session_id)
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, MOVE, str(session_id), self._clock()
            )
        if opened.kind is not MOVE:
            raise Busy(opened.kind)
        return session

    async def moving(self, user_id: int) -> int | None:
        """The session this person is moving, if they are in the middle of it."""
        dialog = await dialogs_sql.dialog(self._db, user_id)
        return int(dialog.state) if dialog and dialog.kind is MOVE else None

    async def move(self, access: Access, text: str) -> Session | Invalid:
        """Move the session being moved to the typed time (in the group's local time)."""
        session_id = await self.moving(access.user_id)
        if session_id is None:
            raise Stale
        session = await self._led_planned(access, session_id)
        # A day typed alone keeps the meeting's own time of day.
        usual = session.starts_at.astimezone(self._zone).time()
        at = parse_when(text, self._clock().astimezone(self._zone), default_time=usual)
        if isinstance(at, Invalid):
            return at
        async with self._db.transaction() as tx:
            taken = await sql.move_session(tx, session_id, at)
            await dialogs_sql.end_dialog(tx, access.user_id, MOVE)
            if taken:  # the group is told; the notice names the time as it is when sent
                await self._tell_group(tx, access.user_id, session, ContentKind.MOVED, at)
        if not taken:
            return Invalid(Problem.NOT_UNDERSTOOD)
        moved = await sql.session(self._db, session_id)
        assert moved is not None
        return moved

    async def _led_planned(self, access: Access, session_id: int) -> Session:
        session = await sql.session(self._db, session_id)
        if (
            session is None
            or session.group_id not in access.leader_of
            or session.state is not SessionState.PLANNED
            or session.starts_at <= self._clock()
        ):
            raise NotAllowed
        return session

    async def _tell_group(
        self, tx: Transaction, leader: int, session: Session, kind: ContentKind, until: datetime
    ) -> None:
        group = await groups_sql.group(tx, session.group_id)
        assert group is not None, "sessions cascade with their group"
        targets = await group_targets(tx, group, self._clock(), deadline=until)
        if targets:
            await self._outbox.queue(
                tx,
                leader_id=leader,
                content_key=ContentKey.numbered(kind, session.id),
                targets=targets,
                audience=Audience.GROUP,
            )

    # --- adding a session: a replacement at the end, or a follow-up meeting -------------------

    async def last_session_id(self, access: Access, group_id: int) -> int | None:
        await self._led_group(access, group_id)
        sessions = await sql.sessions(self._db, group_id)
        return max(sessions, key=lambda s: s.starts_at).id if sessions else None

    async def add_replacement(
        self, access: Access, group_id: int, after: int | None = None
    ) -> Session | TooMany:
        """A session a week after the group's last one, at the group's usual time. `after`:
        the last session the leader saw; if one was added since (a double press, or two
        leaders at once), that one is the replacement and nothing more is added."""
        group = await self._led_group(access, group_id)
        last = await meetings_sql.last_start(self._db, group_id)
        usual = last.astimezone(self._zone) if last else self._clock().astimezone(self._zone)
        day = max(usual.date(), self._clock().astimezone(self._zone).date()) + timedelta(weeks=1)
        at = datetime.combine(day, group.local_time, tzinfo=self._zone)
        return await self._add(access, group_id, at, None, after=after)

    async def start_add(self, access: Access, group_id: int) -> Group:
        group = await self._led_group(access, group_id)
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, ADD, str(group_id), self._clock()
            )
        if opened.kind is not ADD:
            raise Busy(opened.kind)
        return group

    async def add(self, access: Access, text: str) -> Session | Invalid | BeforeLast | TooMany:
        """A follow-up meeting (or an extra session) at the typed time, after the last one."""
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not ADD:
            raise Stale
        group = await self._led_group(access, int(dialog.state))
        now = self._clock().astimezone(self._zone)
        at = parse_when(text, now, default_time=group.local_time)
        if isinstance(at, Invalid):
            return at
        last = await meetings_sql.last_start(self._db, group.id)
        if last is not None and at <= last:
            return BeforeLast(last)
        return await self._add(access, group.id, at, ADD)

    async def _add(
        self,
        access: Access,
        group_id: int,
        at: datetime,
        dialog: DialogKind | None,
        *,
        after: int | None = None,
    ) -> Session | TooMany:
        async with self._db.transaction() as tx:
            sessions = await sql.sessions(tx, group_id)
            latest = max(sessions, key=lambda s: s.starts_at) if sessions else None
            if after is not None and latest is not None and latest.id != after:
                return latest  # added already: the press is not repeated
            if len(sessions) >= MAX_SESSIONS:
                return TooMany()
            session_id = await meetings_sql.add_session(tx, group_id, at)
            if dialog is not None:
                await dialogs_sql.end_dialog(tx, access.user_id, dialog)
        added = await sql.session(self._db, session_id)
        assert added is not None
        return added

    async def _led_group(self, access: Access, group_id: int) -> Group:
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        return group
