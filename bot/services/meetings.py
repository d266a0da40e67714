"""Each group's session plan as leaders see it (README: How it works)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import sessions as sql
from bot.db.database import Database
from bot.domain.calendar import holiday
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.models import Access, Group, Session, SessionState
from bot.domain.parsing import Invalid, Problem
from bot.domain.when import parse_when
from bot.services.errors import Busy, NotAllowed, Stale

MOVE = DialogKind.MOVE_SESSION


@dataclass(frozen=True)
class Meeting:
    session: Session
    holiday: str | None  # the public holiday it falls on, named in the reader's language


@dataclass(frozen=True)
class Plan:
    group: Group
    upcoming: list[Meeting]


class Meetings:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone

    async def upcoming(self, access: Access, language: str) -> list[Plan]:
        """The sessions still ahead in the groups this person leads."""
        now = self._clock()
        plans = []
        ahead_of: dict[int, list[Session]] = {}
        for session in await sql.sessions_ahead(self._db, access.leader_of, now):
            ahead_of.setdefault(session.group_id, []).append(session)
        for group in await groups_sql.groups(self._db, access.leader_of):
            ahead = ahead_of.get(group.id, [])
            meetings = [
                Meeting(s, holiday(s.starts_at.astimezone(self._zone).date(), language))
                for s in ahead
            ]
            plans.append(Plan(group, meetings))
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
