"""Coordinators reach their leaders (README: Coordinators): a message of any kind, copied
through the outbox to every leader of the coordinator's areas or of chosen groups (staff
mail, not a contact), with a note under it whose button lets a leader answer in one tap.
The answer is copied to the coordinator as it is; nothing of it is stored.

A small flow of its own beside the leaders' posts (bot/services/broadcasts.py): it shares the
outbox and the guided-chat table, not the posts' draft, whose choices are a leader's groups."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from bot.db import checkins as checkins_sql
from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import outbox as outbox_sql
from bot.db import people as people_sql
from bot.db.database import Database
from bot.domain import leaders_post as posts
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.leaders_post import LeadersPost, Step
from bot.domain.models import Access, Group
from bot.domain.outbox import Audience, ContentKey, Target
from bot.domain.parsing import Invalid, Problem
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.outbox import Outbox

POST = DialogKind.LEADERS_POST
ANSWER = DialogKind.ANSWER_COORDINATOR


@dataclass(frozen=True)
class LeadersPostView:
    revision: int
    post: LeadersPost
    groups: list[Group]  # the groups of the coordinator's areas
    leaders: dict[int, tuple[int, ...]]  # group id → its leaders

    @property
    def chosen(self) -> list[Group]:
        return [g for g in self.groups if g.id in self.post.groups]

    @property
    def recipients(self) -> int:
        """Leaders who would get it: each once, however many groups they lead."""
        return len({u for g in self.chosen for u in self.leaders.get(g.id, ())})


@dataclass(frozen=True)
class Answer:
    """Where a leader's answer goes: the coordinator (None: no longer reachable here), and
    whether it is its first message (an album's later parts follow it)."""

    coordinator: int | None
    first: bool


@dataclass(frozen=True)
class _AnswerState:
    broadcast_id: int
    album: str | None = None  # the album being answered with, once its first part came

    def to_json(self) -> str:
        return json.dumps({"broadcast": self.broadcast_id, "album": self.album})

    @classmethod
    def from_json(cls, text: str) -> _AnswerState:
        data = json.loads(text)
        return cls(int(data["broadcast"]), data["album"])


class LeadersMail:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        box: Outbox,
        deadline: timedelta,
        global_coordinators: frozenset[int],
    ) -> None:
        self._db = db
        self._global = global_coordinators
        self._clock = clock
        self._outbox = box
        self._deadline = deadline  # transient trouble is retried this long

    # --- the coordinator's message ------------------------------------------------------------

    async def begin(self, access: Access) -> None:
        """/leaders: the next message the coordinator sends goes to leaders."""
        if not access.is_coordinator:
            raise NotAllowed
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, POST, LeadersPost().to_json(), self._clock()
            )
        if opened.kind is not POST:
            raise Busy(opened.kind)

    async def current(self, access: Access) -> LeadersPostView | None:
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not POST or not access.is_coordinator:
            return None
        return await self._view(access, dialog.revision, LeadersPost.from_json(dialog.state))

    async def received(
        self, access: Access, chat_id: int, message_id: int, media_group_id: str | None
    ) -> LeadersPostView | None:
        """The message to send. A later part of the same album joins it and returns None
        (the question was asked once, and its buttons stay valid)."""
        view = await self._live(access, None)
        moved = posts.message_received(view.post, chat_id, message_id, media_group_id)
        same_album = media_group_id is not None and media_group_id == view.post.media_group_id
        revision = view.revision if same_album else view.revision + 1
        await self._save(access.user_id, revision, moved)
        return None if same_album else await self._view(access, revision, moved)

    async def press(
        self, access: Access, revision: int, group_id: int | None
    ) -> LeadersPostView | Invalid:
        """A group chosen or unchosen; None: every group of the coordinator's areas."""
        view = await self._live(access, revision)
        allowed = tuple(g.id for g in view.groups)
        moved = (
            posts.choose_all(view.post, allowed)
            if group_id is None
            else posts.toggle_group(view.post, group_id, allowed)
        )
        if isinstance(moved, Invalid):
            return moved
        await self._save(access.user_id, revision + 1, moved)
        return await self._view(access, revision + 1, moved)

    async def send(self, access: Access, revision: int) -> int | Invalid:
        """Queue the copies and the notes under them; how many leaders it goes to."""
        view = await self._live(access, revision)
        post = view.post
        if post.step is not Step.TARGETS or post.chat_id is None:
            raise Stale
        if not view.chosen:
            return Invalid(Problem.EMPTY)
        now = self._clock()
        targets = [
            Target(group.id, leader, True, now, now + self._deadline)
            for group in view.chosen
            for leader in view.leaders.get(group.id, ())
        ]
        if not targets:
            return 0
        async with self._db.transaction() as tx:
            if not await dialogs_sql.take_dialog(tx, access.user_id, POST, revision):
                raise Stale  # sent twice: the first press queued it
            copied = await outbox_sql.insert_broadcast(
                tx,
                leader_id=access.user_id,
                source_chat_id=post.chat_id,
                message_ids=post.message_ids,
                content_key=None,
                now=now,
                audience=Audience.STAFF,
            )
            await outbox_sql.insert_deliveries(tx, copied, targets, now)
            await self._outbox.queue(
                tx,
                leader_id=access.user_id,
                content_key=ContentKey.to_leaders(copied),
                targets=targets,
                audience=Audience.STAFF,
            )
        return view.recipients

    # --- a leader's answer --------------------------------------------------------------------

    async def sender_of(self, broadcast_id: int) -> int | None:
        """The coordinator who sent a message to leaders."""
        broadcast = await outbox_sql.broadcast(self._db, broadcast_id)
        return broadcast.leader_id if broadcast and broadcast.audience is Audience.STAFF else None

    async def begin_answer(self, access: Access, broadcast_id: int) -> None:
        """'Answer' under a coordinator's message: only a leader it was sent to."""
        receipt = await checkins_sql.delivered_to(self._db, broadcast_id, access.user_id)
        if receipt is None or not access.is_leader or await self.sender_of(broadcast_id) is None:
            raise NotAllowed
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, ANSWER, _AnswerState(broadcast_id).to_json(), self._clock()
            )
        if opened.kind is not ANSWER:
            raise Busy(opened.kind)

    async def take_answer(self, access: Access, media_group_id: str | None) -> Answer | None:
        """A message while an answer is awaited: whom to copy it to. An album's parts all
        go (the chat stays open for them); the first message after the album is no answer
        (None: it ends the chat, and is handled as any other message)."""
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not ANSWER:
            return None
        state = _AnswerState.from_json(dialog.state)
        if state.album is not None and media_group_id == state.album:
            return await self._answer_to(state.broadcast_id, first=False)
        async with self._db.transaction() as tx:
            if state.album is not None or media_group_id is None:
                if not await dialogs_sql.take_dialog(tx, access.user_id, ANSWER, dialog.revision):
                    return None
                if state.album is not None:
                    return None  # the album is over: this message is something else
            else:  # the first part of an album: wait for the rest
                album = _AnswerState(state.broadcast_id, media_group_id).to_json()
                await dialogs_sql.save_dialog(
                    tx, access.user_id, ANSWER, dialog.revision, album, self._clock()
                )
        return await self._answer_to(state.broadcast_id, first=True)

    async def _answer_to(self, broadcast_id: int, *, first: bool) -> Answer:
        """The coordinator, if still one (else None in the answer: it cannot be passed on)."""
        coordinator = await self.sender_of(broadcast_id)
        if coordinator is None:
            return Answer(None, first)
        all_areas, areas = await people_sql.coordinator_scope(self._db, coordinator)
        still = all_areas or bool(areas) or coordinator in self._global
        return Answer(coordinator if still else None, first)

    # --- helpers ------------------------------------------------------------------------------

    async def _live(self, access: Access, revision: int | None) -> LeadersPostView:
        view = await self.current(access)
        if view is None or (revision is not None and revision != view.revision):
            raise Stale
        return view

    async def _view(self, access: Access, revision: int, post: LeadersPost) -> LeadersPostView:
        scope = None if access.all_areas else access.coordinator_areas
        groups = await groups_sql.groups_in_areas(self._db, scope)
        leaders = {g.id: tuple(await people_sql.leaders(self._db, g.id)) for g in groups}
        return LeadersPostView(revision, post, groups, leaders)

    async def _save(self, user_id: int, revision: int, post: LeadersPost) -> None:
        async with self._db.transaction() as tx:
            await dialogs_sql.save_dialog(
                tx, user_id, POST, revision, post.to_json(), self._clock()
            )
