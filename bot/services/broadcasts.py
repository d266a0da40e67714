"""Leaders' broadcasts (README: How it works): compose, queue into the outbox, cancel, take back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import outbox as sql
from bot.db import posts as posts_sql
from bot.db import sessions as sessions_sql
from bot.db.database import Database, Reader, Transaction
from bot.domain import broadcast_draft as drafts
from bot.domain.broadcast_draft import BroadcastDraft, Step, When
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.domain.outbox import Broadcast, BroadcastState, ContentKey, Progress, State, Target
from bot.domain.outbox import Scheduled as Scheduled  # render imports it from here
from bot.domain.parsing import Invalid, Problem
from bot.domain.posts import RECENT_POSTS, GroupGap, Missing, PostReport, usual_groups
from bot.domain.when import parse_when, this_evening, tomorrow_morning
from bot.services.contact_log import ContactLog
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.outbox import group_targets

DRAFT = DialogKind.BROADCAST


@dataclass(frozen=True)
class ComposeView:
    revision: int
    draft: BroadcastDraft
    groups: list[Group]  # the groups this leader leads
    next_meetings: dict[int, datetime]  # group id → its next meeting, where there is one
    evening_ahead: bool  # "this evening at 18" is still to come
    removed: frozenset[int] = frozenset()  # groups whose chat removed the bot

    def missing(self, group: Group) -> Missing | None:
        """Why a group's chat would not get the post (said before it is sent)."""
        if group.chat_id is not None:
            return None
        return Missing.REMOVED if group.id in self.removed else Missing.NO_CHAT

    @property
    def chosen(self) -> list[Group]:
        return [g for g in self.groups if g.id in self.draft.groups]

    @property
    def can_wait_for_meeting(self) -> bool:
        return all(g.id in self.next_meetings for g in self.chosen)


@dataclass(frozen=True)
class Queued:
    broadcast_id: int
    targets: int
    first_due: datetime
    immediate: bool
    tried_until: datetime  # if Telegram cannot be reached, the last try is then
    waiting: ComposeView | None = None  # messages set aside meanwhile: now a post of their own


class Broadcasts:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        zone: ZoneInfo,
        log: ContactLog,
        deadline: timedelta = timedelta(hours=24),
    ) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone
        self._log = log
        self._deadline = deadline  # after its due time, transient trouble is retried this long

    # --- composing ------------------------------------------------------------------------

    async def start(
        self,
        access: Access,
        *,
        chat_id: int | None = None,
        message_id: int | None = None,
        media_group_id: str | None = None,
        tip_id: str | None = None,
        item_id: int | None = None,
    ) -> ComposeView | None:
        """A new post from a leader. Album parts after the first join it: None is
        returned for them, since the question was (or will be) asked once. A message sent
        while a post waits is set aside in it (`draft.waiting`): the leader is asked whether
        it belongs to the post; nothing is replaced unasked. A tip starts a post at once."""
        if not access.is_leader:
            raise NotAllowed
        current = await self.current(access)
        if current is not None and message_id is not None:
            return await self._another_message(access, current, message_id, media_group_id)
        led = tuple(sorted(access.leader_of))
        recent = await posts_sql.recent_choices(self._db, access.user_id, RECENT_POSTS)
        draft = drafts.start(
            led,
            usual_groups(led, recent),
            chat_id=chat_id,
            message_ids=(message_id,) if message_id is not None else (),
            media_group_id=media_group_id,
            tip_id=tip_id,
            item_id=item_id,
        )
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, DRAFT, draft.to_json(), self._clock()
            )
        if opened.kind is not DRAFT:
            raise Busy(opened.kind)
        return await self._view(access, opened.revision, draft)

    async def _another_message(
        self, access: Access, current: ComposeView, message_id: int, album: str | None
    ) -> ComposeView | None:
        draft = current.draft
        if album and album == draft.media_group_id and not draft.waiting:
            moved = drafts.add_to_album(draft, message_id)
            await self._save(access.user_id, current.revision + 1, moved)
            return None
        later_part = album is not None and album == draft.waiting_album
        moved = drafts.set_aside(draft, message_id, album)
        # The same revision: the post's own buttons keep working while the leader decides.
        await self._save(access.user_id, current.revision, moved)
        return None if later_part else replace(current, draft=moved)

    async def place_waiting(self, access: Access, message_id: int, *, add: bool) -> ComposeView:
        """The leader's answer for messages set aside: add them to the post, or make them
        a new post instead (the earlier one is then dropped, as the question said)."""
        view = await self.current(access)
        if view is None or message_id not in view.draft.waiting:
            raise Stale
        draft = view.draft
        if add:
            moved = drafts.add_waiting(draft)
            if isinstance(moved, Invalid):
                raise Stale
        else:
            moved = await self._fresh(self._db, access, draft)
        await self._save(access.user_id, view.revision + 1, moved)
        return await self._view(access, view.revision + 1, moved)

    async def _fresh(self, db: Reader, access: Access, draft: BroadcastDraft) -> BroadcastDraft:
        """A new post of the messages set aside in `draft`."""
        led = tuple(sorted(access.leader_of))
        recent = await posts_sql.recent_choices(db, access.user_id, RECENT_POSTS)
        return drafts.start(
            led,
            usual_groups(led, recent),
            # A tip's draft has no chat; the messages set aside are in the leader's own.
            chat_id=draft.chat_id if draft.chat_id is not None else access.user_id,
            message_ids=draft.waiting,
            media_group_id=draft.waiting_album,
        )

    async def current(self, access: Access) -> ComposeView | None:
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not DRAFT or not access.is_leader:
            return None
        return await self._view(access, dialog.revision, BroadcastDraft.from_json(dialog.state))

    async def press(
        self, access: Access, revision: int, action: str, argument: str = ""
    ) -> ComposeView | Invalid:
        """A compose button: g <group>, private, next, now, evening, morning or meeting."""
        view = await self._live(access, revision)
        moved = self._apply(view, action, argument)
        if isinstance(moved, Invalid):
            return moved
        await self._save(access.user_id, revision + 1, moved)
        return await self._view(access, revision + 1, moved)

    async def typed_time(self, access: Access, text: str) -> ComposeView | Invalid:
        view = await self._live(access, None)
        if view.draft.step is not Step.WHEN:
            return Invalid(Problem.NOT_UNDERSTOOD)
        at = parse_when(text, self._local_now())
        if isinstance(at, Invalid):
            return at
        return await self.press(access, view.revision, "at", at.isoformat())

    def _apply(self, view: ComposeView, action: str, argument: str) -> BroadcastDraft | Invalid:
        draft, now = view.draft, self._local_now()
        led = tuple(g.id for g in view.groups)
        match action:
            case "g" if argument.isdigit():
                return drafts.toggle_group(draft, int(argument), led)
            case "all":
                return drafts.choose_all(draft, led)
            case "private":
                return drafts.toggle_private(draft)
            case "next":
                return drafts.targets_chosen(draft)
            case "now":
                return drafts.choose_when(draft, When.NOW)
            case "evening":
                evening = this_evening(now)
                if evening is None:
                    return Invalid(Problem.IN_THE_PAST)
                return drafts.choose_when(draft, When.AT, evening)
            case "morning":
                return drafts.choose_when(draft, When.AT, tomorrow_morning(now))
            case "meeting" if view.can_wait_for_meeting:
                return drafts.choose_when(draft, When.NEXT_MEETING)
            case "at":
                at = _future(argument, now)
                return (
                    drafts.choose_when(draft, When.AT, at) if at else Invalid(Problem.IN_THE_PAST)
                )
        return Invalid(Problem.NOT_UNDERSTOOD)

    async def cancel_draft(self, access: Access, revision: int) -> ComposeView | None:
        """Drop the post; messages set aside while it waited become the next post (returned)."""
        view = await self._live(access, revision)
        async with self._db.transaction() as tx:
            if not await dialogs_sql.take_dialog(tx, access.user_id, DRAFT, revision):
                raise Stale
            waiting = await self._carry_on(tx, access, view.draft)
        return None if waiting is None else await self._view(access, *waiting)

    # --- queueing into the outbox -----------------------------------------------------------

    async def confirm(self, access: Access, revision: int) -> Queued | None:
        """One broadcast row and a delivery per target chat, in one transaction, before
        anything is sent. None if the chosen groups have nowhere to send to yet."""
        view = await self._live(access, revision)
        draft = view.draft
        if draft.step is not Step.CONFIRM:
            raise Stale
        now = self._clock()
        async with self._db.transaction() as tx:
            targets = await self._targets(tx, view, now)
            if not targets:
                return None
            if not await dialogs_sql.take_dialog(tx, access.user_id, DRAFT, revision):
                raise Stale  # confirmed twice: the first press queued it
            broadcast_id = await sql.insert_broadcast(
                tx,
                leader_id=access.user_id,
                source_chat_id=draft.chat_id,
                message_ids=draft.message_ids,
                content_key=_content_key(draft),
                now=now,
            )
            await sql.insert_deliveries(tx, broadcast_id, targets, now)
            chosen = [(g.id, view.missing(g)) for g in view.chosen]
            await posts_sql.insert_chosen(tx, broadcast_id, chosen)
            for group in view.chosen:
                await self._log.record(tx, EventKind.BROADCAST_QUEUED, group)
            waiting = await self._carry_on(tx, access, draft)
        first = min(t.due for t in targets)
        chats = len({t.chat_id for t in targets})
        queued = Queued(broadcast_id, chats, first, first <= now, first + self._deadline)
        if waiting is None:
            return queued
        return replace(queued, waiting=await self._view(access, waiting[0], waiting[1]))

    async def _carry_on(
        self, tx: Transaction, access: Access, draft: BroadcastDraft
    ) -> tuple[int, BroadcastDraft] | None:
        """Messages set aside while this post waited are not dropped with it: they become
        the next post (its revision and draft)."""
        if not draft.waiting:
            return None
        fresh = await self._fresh(tx, access, draft)
        opened = await dialogs_sql.begin_dialog(
            tx, access.user_id, DRAFT, fresh.to_json(), self._clock()
        )
        return opened.revision, fresh

    async def _targets(self, tx: Transaction, view: ComposeView, now: datetime) -> list[Target]:
        draft, targets = view.draft, []
        for group in view.chosen:
            due = {
                When.NOW: now,
                When.AT: draft.at or now,
                When.NEXT_MEETING: view.next_meetings.get(group.id, now),
            }[draft.when]
            # Counted from each send's own time, so a scheduled one gets the whole span.
            deadline = due + self._deadline
            targets += await group_targets(tx, group, due, draft.include_private, deadline=deadline)
        return targets

    async def set_report(self, broadcast_id: int, message_id: int) -> None:
        async with self._db.transaction() as tx:
            await sql.set_report(tx, broadcast_id, message_id)

    # --- after queueing ---------------------------------------------------------------------

    async def scheduled(self, access: Access) -> list[Scheduled]:
        return await sql.scheduled_for(self._db, access.user_id, self._clock())

    async def cancel(self, access: Access, broadcast_id: int) -> int:
        """Cancel what has not been sent yet; return how many deliveries that stopped."""
        await self._own(access, broadcast_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            stopped = await sql.move_open(tx, broadcast_id, (State.PENDING,), State.CANCELLED, now)
            await sql.set_state(tx, broadcast_id, BroadcastState.CANCELLED)
        return stopped

    async def reached(self, access: Access, broadcast_id: int) -> int:
        """How many chats a broadcast reached (asked before taking it back)."""
        await self._own(access, broadcast_id)
        return (await self.report(broadcast_id)).progress.sent

    async def report(self, broadcast_id: int) -> PostReport:
        """What the leader's report says: progress, and by group what did not arrive."""
        progress = Progress.from_counts(await sql.counts(self._db, broadcast_id))
        gaps = [
            GroupGap(c.group_id, c.name, c.missing)
            for c in await posts_sql.chosen(self._db, broadcast_id)
            if c.missing is not None
        ]
        stopped = failed = 0
        for d in await posts_sql.undelivered(self._db, broadcast_id):
            if d.private:
                stopped += d.blocked
                failed += not d.blocked
            elif d.group_id is not None and d.name is not None:
                missing = Missing.REMOVED if d.blocked else Missing.NOT_DELIVERED
                gaps.append(GroupGap(d.group_id, d.name, missing))
        broadcast = await sql.broadcast(self._db, broadcast_id)
        own = broadcast is not None and broadcast.source_chat_id is not None  # not a tip
        return PostReport(progress, tuple(gaps), stopped, failed, offerable=own)

    async def original(self, access: Access, broadcast_id: int) -> Broadcast:
        """A leader's own post, to show it again (a reply to its first message)."""
        return await self._own(access, broadcast_id)

    async def take_back(self, access: Access, broadcast_id: int) -> int:
        """Delete a broadcast from every chat it reached (the outbox does the deleting)."""
        await self._own(access, broadcast_id)
        now = self._clock()
        async with self._db.transaction() as tx:
            await sql.move_open(tx, broadcast_id, (State.PENDING,), State.CANCELLED, now)
            taken = await sql.move_open(tx, broadcast_id, (State.SENT,), State.RETRACTING, now)
            await sql.set_state(tx, broadcast_id, BroadcastState.TAKEN_BACK)
        return taken

    async def send_again(self, access: Access, broadcast_id: int) -> int:
        """The leader's broadcast to the chats it did not reach (Telegram was down past its
        deadline, or refused it), now, with a new deadline. How many chats it goes to."""
        broadcast = await self._own(access, broadcast_id)
        if broadcast.state in (BroadcastState.CANCELLED, BroadcastState.TAKEN_BACK):
            raise Stale
        now = self._clock()
        async with self._db.transaction() as tx:
            again = await sql.retry_failed(tx, broadcast_id, now, now + self._deadline)
            if again:
                await sql.set_state(tx, broadcast_id, BroadcastState.QUEUED)
        return again

    async def leader(self, broadcast_id: int) -> int | None:
        broadcast = await sql.broadcast(self._db, broadcast_id)
        return broadcast.leader_id if broadcast else None

    async def report_target(self, broadcast_id: int) -> tuple[int, int] | None:
        """The leader's chat and the message that shows this broadcast's progress."""
        broadcast = await sql.broadcast(self._db, broadcast_id)
        if broadcast is None or broadcast.report_message_id is None:
            return None
        return broadcast.leader_id, broadcast.report_message_id

    async def _own(self, access: Access, broadcast_id: int) -> Broadcast:
        broadcast = await sql.broadcast(self._db, broadcast_id)
        if broadcast is None or broadcast.leader_id != access.user_id:
            raise NotAllowed
        return broadcast

    # --- helpers ----------------------------------------------------------------------------

    def _local_now(self) -> datetime:
        return self._clock().astimezone(self._zone)

    async def _live(self, access: Access, revision: int | None) -> ComposeView:
        view = await self.current(access)
        if view is None or (revision is not None and revision != view.revision):
            raise Stale
        return view

    async def _view(self, access: Access, revision: int, draft: BroadcastDraft) -> ComposeView:
        groups = await groups_sql.groups(self._db, access.leader_of)
        now = self._clock()
        meetings = {}
        for group in groups:
            start = await sessions_sql.next_session(self._db, group.id, now)
            if start is not None:
                meetings[group.id] = start
        evening = this_evening(self._local_now()) is not None
        removed = await posts_sql.removed(self._db, access.leader_of)
        return ComposeView(revision, draft, groups, meetings, evening, removed)

    async def _save(self, user_id: int, revision: int, draft: BroadcastDraft) -> None:
        async with self._db.transaction() as tx:
            await dialogs_sql.save_dialog(
                tx, user_id, DRAFT, revision, draft.to_json(), self._clock()
            )


def _content_key(draft: BroadcastDraft) -> ContentKey | None:
    """A written tip or a library item; None for the leader's own post (copied)."""
    if draft.tip_id:
        return ContentKey.tip(draft.tip_id)
    if draft.item_id is not None:
        return ContentKey.library(draft.item_id)
    return None


def _future(text: str, now: datetime) -> datetime | None:
    """A pressed or typed moment, if it is still ahead (buttons can be pressed late)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment <= now or moment - now > timedelta(days=366):
        return None
    return moment
