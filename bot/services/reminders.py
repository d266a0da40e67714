"""Meeting reminders, a group's meeting place and reminder settings, and the question to
leaders after the last session (README: Meeting reminders).

A reminder is queued through the outbox (group chat and private subscribers, each written
in the reader's language when sent) and claimed in the same transaction, keyed by the
session and the start time it names: it goes once across a restart, and a moved session
gets a reminder of its new time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import meetings as sql
from bot.db import outbox as outbox_sql
from bot.db import people as people_sql
from bot.db import sessions as sessions_sql
from bot.db.database import Database, Transaction
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
OWN = DialogKind.CLOSING_OWN
# An album comes as one message per part: its copy waits this long for the later parts.
ALBUM_WAIT = timedelta(seconds=10)
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


@dataclass(frozen=True)
class OwnClosing:
    """A leader's own closing message: to how many chats it goes (None: the closing message
    had gone already, 0: the group has no chat to send to), and whether this was its first
    part (an album's later parts join it silently)."""

    group: Group
    chats: int | None
    first: bool = True


@dataclass(frozen=True)
class _OwnState:
    group_id: int
    album: str | None = None  # the album being sent, once its first part came
    broadcast_id: int | None = None  # its copy, which the later parts join

    def to_json(self) -> str:
        return json.dumps(
            {"group": self.group_id, "album": self.album, "broadcast": self.broadcast_id}
        )

    @classmethod
    def from_json(cls, text: str) -> _OwnState:
        data = json.loads(text)
        return cls(int(data["group"]), data.get("album"), data.get("broadcast"))


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

    async def send_closing(self, access: Access, group_id: int) -> int | None:
        """A leader sends the standard closing message to the group chat and private
        subscribers (ending their own one, if they had begun to write it); returns how many
        chats it goes to (None: a closing message went already, 0: there is no chat)."""
        group = await self._led(access, group_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            targets = await group_targets(tx, group, now, deadline=None)
            if not targets:
                return 0
            if not await sql.claim_closing(tx, group_id):
                return None
            await self._outbox.queue(
                tx,
                leader_id=access.user_id,
                content_key=ContentKey.numbered(ContentKind.CLOSING, group_id),
                targets=targets,
                audience=Audience.GROUP,
            )
            dialog = await dialogs_sql.dialog(tx, access.user_id)
            if (
                dialog is not None
                and dialog.kind is OWN
                and _OwnState.from_json(dialog.state).group_id == group_id
            ):
                await dialogs_sql.end_dialog(tx, access.user_id, OWN)
        return len(targets)

    async def begin_own_closing(self, access: Access, group_id: int) -> Group | None:
        """'Write my own': the group's leader's next message is its closing message.
        None: a closing message went already."""
        group = await self._led(access, group_id)
        if not access.leads(group_id):
            raise NotAllowed
        if await sql.closing_claimed(self._db, group_id):
            return None
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, OWN, _OwnState(group_id).to_json(), self._clock()
            )
        if opened.kind is not OWN:
            raise Busy(opened.kind)
        return group

    async def own_closing(
        self, access: Access, chat_id: int, message_id: int, album: str | None
    ) -> OwnClosing | None:
        """The leader's own closing message: copied to the group through the outbox, once
        for the group whoever sends first (claimed in the transaction that queues it).
        An album's later parts join the copy; the first message after the album is not
        part of it (None: it ends the chat, and is handled as any other message)."""
        first_look = await dialogs_sql.dialog(self._db, access.user_id)
        if first_look is None or first_look.kind is not OWN:
            raise Stale
        group = await self._led(access, _OwnState.from_json(first_look.state).group_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            # Read again in the transaction: an album's parts come close together.
            dialog = await dialogs_sql.dialog(tx, access.user_id)
            if dialog is None or dialog.kind is not OWN:
                raise Stale
            state = _OwnState.from_json(dialog.state)
            if state.group_id != group.id:
                raise Stale
            if state.album is not None:
                if album != state.album:
                    await dialogs_sql.take_dialog(tx, access.user_id, OWN, dialog.revision)
                    return None
                if state.broadcast_id is not None:
                    await outbox_sql.add_source_message(tx, state.broadcast_id, message_id)
                return OwnClosing(group, None, first=False)
            single = album is None
            if single and not await dialogs_sql.take_dialog(
                tx, access.user_id, OWN, dialog.revision
            ):
                raise Stale  # a second copy of the update: the first one sent it
            targets = await group_targets(
                tx, group, now + ALBUM_WAIT if album else now, deadline=None
            )
            claimed = bool(targets) and await sql.claim_closing(tx, group.id)
            broadcast_id = (
                await self._copy(tx, access, chat_id, message_id, targets) if claimed else None
            )
            if album is not None:
                state = _OwnState(group.id, album, broadcast_id)
                await dialogs_sql.save_dialog(
                    tx, access.user_id, OWN, dialog.revision, state.to_json(), now
                )
        return OwnClosing(group, len(targets) if claimed or not targets else None)

    async def _copy(
        self,
        tx: Transaction,
        access: Access,
        chat_id: int,
        message_id: int,
        targets: list[Target],
    ) -> int:
        copied = await outbox_sql.insert_broadcast(
            tx,
            leader_id=access.user_id,
            source_chat_id=chat_id,
            message_ids=(message_id,),
            content_key=None,
            now=self._clock(),
            audience=Audience.GROUP,
        )
        await outbox_sql.insert_deliveries(tx, copied, targets, self._clock())
        return copied

    async def group_of_session(self, session_id: int) -> Group | None:
        session = await sessions_sql.session(self._db, session_id)
        return await groups_sql.group(self._db, session.group_id) if session else None

    async def group(self, group_id: int) -> Group | None:
        return await groups_sql.group(self._db, group_id)

    # --- settings --------------------------------------------------------------------------

    async def settings(self, access: Access, group_id: int) -> tuple[Group, MeetingSettings]:
        group = await self._led(access, group_id)
        return group, await sql.settings(self._db, group_id)

    async def switch(self, access: Access, group_id: int, what: str) -> MeetingSettings:
        """Reminders 'on' or 'off', the two-hours-before one 'early' or 'no_early': set to
        what the button said, not flipped, so a stale or repeated press changes nothing."""
        _, current = await self.settings(access, group_id)
        changed = (
            replace(current, reminders_on=what == "on")
            if what in ("on", "off")
            else replace(current, early=what == "early")
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
