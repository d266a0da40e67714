"""Meeting reminders, a group's meeting place and reminder settings, and the question to
leaders after the last session (README: Meeting reminders).

A reminder is queued through the outbox (group chat and private subscribers, each written
in the reader's language when sent) and claimed in the same transaction, keyed by the
session and the start time it names: it goes once across a restart, and a moved session
gets a reminder of its new time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import meetings as sql
from bot.db import people as people_sql
from bot.db import sessions as sessions_sql
from bot.db.database import Database
from bot.db.privacy import ERASED_ID
from bot.domain.calendar import holiday
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.models import Access, Group, Session
from bot.domain.outbox import Audience, ContentKey, ContentKind, Target
from bot.domain.parsing import Invalid, parse_time
from bot.domain.reminders import LOOK_AHEAD, MeetingSettings, due_now, next_due, parse_place
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.outbox import Outbox, group_targets

PLACE = DialogKind.MEETING_PLACE
TIME = DialogKind.REMINDER_TIME
# Leaders are asked about a follow-up only for groups that ended this recently (not for
# every group that ended before this feature came).
ASK_WITHIN = timedelta(days=14)

_Change = Callable[[MeetingSettings], MeetingSettings]


@dataclass(frozen=True)
class Reminder:
    """What a reminder says: the session as it is now, where, and the holiday it falls on."""

    group: Group
    session: Session
    place: str | None
    holiday: str | None


class Reminders:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo, box: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone
        self._outbox = box

    # --- queueing --------------------------------------------------------------------------

    async def queue_due(self) -> int:
        """Queue every reminder that is due and not yet queued; returns how many."""
        now = self._clock()
        queued = 0
        async with self._db.transaction() as tx:
            sessions = await sql.sessions_between(tx, now, now + LOOK_AHEAD)
            settings = await sql.settings_of(tx, [s.group_id for s in sessions])
            for session in sessions:
                kinds = due_now(session, settings[session.group_id], now, self._zone)
                group = await groups_sql.group(tx, session.group_id) if kinds else None
                for kind in kinds:
                    if group is None or not await sql.claim_reminder(
                        tx, session.id, kind, session.starts_at
                    ):
                        continue
                    targets = await group_targets(tx, group, now, deadline=session.starts_at)
                    leaders = await people_sql.leaders(tx, group.id)
                    if targets:
                        await self._outbox.queue(
                            tx,
                            leader_id=leaders[0] if leaders else ERASED_ID,  # no report goes
                            content_key=ContentKey.numbered(ContentKind.REMINDER, session.id),
                            targets=targets,
                            audience=Audience.GROUP,
                        )
                        queued += 1
        return queued

    async def next_time(self) -> datetime | None:
        """When the next reminder falls due, for a timer."""
        now = self._clock()
        sessions = await sql.sessions_between(self._db, now, now + LOOK_AHEAD + LOOK_AHEAD)
        settings = await sql.settings_of(self._db, [s.group_id for s in sessions])
        return next_due([(s, settings[s.group_id]) for s in sessions], now, self._zone)

    async def reminder(self, session_id: int, language: str) -> Reminder | None:
        session = await sessions_sql.session(self._db, session_id)
        group = await groups_sql.group(self._db, session.group_id) if session else None
        if session is None or group is None:
            return None
        settings = await sql.settings(self._db, group.id)
        day = session.starts_at.astimezone(self._zone).date()
        return Reminder(group, session, settings.place, holiday(day, language))

    # --- after the last session ------------------------------------------------------------

    async def ask_about_follow_up(self) -> int:
        """Once per group, when its last session has started: its leaders are asked whether
        to plan a follow-up and offered a closing message for the group chat."""
        now = self._clock()
        asked = 0
        async with self._db.transaction() as tx:
            for group_id in await sql.ended_unasked(tx, now, now - ASK_WITHIN):
                if not await sql.mark_closing_asked(tx, group_id):
                    continue
                leaders = await people_sql.leaders(tx, group_id)
                if not leaders:
                    continue
                await self._outbox.queue(
                    tx,
                    leader_id=leaders[0],
                    content_key=ContentKey.numbered(ContentKind.FOLLOW_UP, group_id),
                    targets=[Target(group_id, leader, True, now) for leader in leaders],
                    audience=Audience.STAFF,
                )
                asked += 1
        return asked

    async def send_closing(self, access: Access, group_id: int) -> int:
        """A leader sends the closing message to the group chat and private subscribers;
        returns how many chats it goes to (0 if it went already)."""
        group = await self._led(access, group_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            if not await sql.claim_closing(tx, group_id):
                return 0
            targets = await group_targets(tx, group, now, deadline=None)
            if targets:
                await self._outbox.queue(
                    tx,
                    leader_id=access.user_id,
                    content_key=ContentKey.numbered(ContentKind.CLOSING, group_id),
                    targets=targets,
                    audience=Audience.GROUP,
                )
        return len(targets)

    async def group_of_session(self, session_id: int) -> Group | None:
        session = await sessions_sql.session(self._db, session_id)
        return await groups_sql.group(self._db, session.group_id) if session else None

    async def group(self, group_id: int) -> Group | None:
        return await groups_sql.group(self._db, group_id)

    # --- settings --------------------------------------------------------------------------

    async def settings(self, access: Access, group_id: int) -> tuple[Group, MeetingSettings]:
        group = await self._led(access, group_id)
        return group, await sql.settings(self._db, group_id)

    async def toggle(self, access: Access, group_id: int, what: str) -> MeetingSettings:
        """Reminders on/off ('on') or the two-hours-before one on/off ('early')."""
        _, current = await self.settings(access, group_id)
        changed = (
            replace(current, reminders_on=not current.reminders_on)
            if what == "on"
            else replace(current, early=not current.early)
        )
        async with self._db.transaction() as tx:
            await sql.save_settings(tx, changed)
        return changed

    async def start_typing(self, access: Access, group_id: int, kind: DialogKind) -> Group:
        """The leader types the place or the reminder time next."""
        group = await self._led(access, group_id)
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, kind, str(group_id), self._clock()
            )
        if opened.kind is not kind:
            raise Busy(opened.kind)
        return group

    async def typed_place(self, access: Access, text: str) -> MeetingSettings | Invalid:
        place = parse_place(text)
        if isinstance(place, Invalid):
            return place
        return await self._save_typed(access, PLACE, lambda s: replace(s, place=place))

    async def typed_time(self, access: Access, text: str) -> MeetingSettings | Invalid:
        at = parse_time(text)
        if isinstance(at, Invalid):
            return at
        return await self._save_typed(access, TIME, lambda s: replace(s, reminder_time=at))

    async def _save_typed(
        self, access: Access, kind: DialogKind, change: _Change
    ) -> MeetingSettings:
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not kind:
            raise Stale
        group_id = int(dialog.state)
        await self._led(access, group_id)
        async with self._db.transaction() as tx:
            changed = change(await sql.settings(tx, group_id))
            await sql.save_settings(tx, changed)
            await dialogs_sql.end_dialog(tx, access.user_id, kind)
        return changed

    async def _led(self, access: Access, group_id: int) -> Group:
        """A group's leader, or a coordinator of its area."""
        group = await groups_sql.group(self._db, group_id)
        if group is None or not (access.leads(group_id) or access.coordinates(group.area_id)):
            raise NotAllowed
        return group
