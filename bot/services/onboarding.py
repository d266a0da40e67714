"""Onboarding (README: How it works): groups, leaders, the group chat and participants.

Every method takes the acting person's `Access` or id and checks it itself, so a
forged button or a link in the wrong hands changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import invites as invites_sql
from bot.db import outbox as outbox_sql
from bot.db import pending_leaves as leaves_sql
from bot.db import people as people_sql
from bot.db import posts as posts_sql
from bot.db import sessions as sessions_sql
from bot.db.database import Database, Transaction
from bot.domain import group_draft
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.events import EventKind
from bot.domain.group_draft import AreaOptions, GroupDraft, Step
from bot.domain.invites import Invite, InviteKind, InviteToken
from bot.domain.models import Access, Group, Role, Session
from bot.domain.parsing import Invalid
from bot.domain.schedule import session_starts
from bot.services.buddies import Buddies
from bot.services.contact_log import ContactLog
from bot.services.errors import Busy, NotAllowed, Stale

# How long a chat the bot was just added to may stay unbound: the binding /start
# arrives right after the bot is added, as a separate update.
BIND_GRACE = timedelta(seconds=60)
DRAFT = DialogKind.NEW_GROUP


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"  # nothing to change: they already are what the link makes them
    UNKNOWN = "unknown"  # a made-up or mistyped link
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    NOT_ALLOWED = "not_allowed"
    IS_LEADER = "is_leader"  # a leader opened their group's participant link
    CONFIRM = "confirm"  # the chat serves another group: moving it needs a confirmation
    TAKEN = "taken"  # the chat serves another group, and this person may not move it


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    group: Group | None = None
    previous: Group | None = None  # the group whose chat it was, when it is another's
    invite_id: int | None = None  # for the confirmation of a move
    told: tuple[int, ...] = ()  # the leaders of both groups, who hear of a move or a refusal


@dataclass(frozen=True)
class DraftView:
    revision: int
    draft: GroupDraft
    options: AreaOptions


@dataclass(frozen=True)
class CreatedGroup:
    group: Group
    sessions: list[Session]
    leader_invite: InviteToken


@dataclass(frozen=True)
class GroupOverview:
    group: Group
    area_name: str
    leaders: int
    participants: int


@dataclass(frozen=True)
class ChatGone:
    """The bot was removed from a group's chat: who to tell, and the link to add it again."""

    group: Group
    leaders: tuple[int, ...]
    chat_link: InviteToken


@dataclass(frozen=True)
class GroupLinks:
    group: Group
    chat: InviteToken
    participant: InviteToken


class Onboarding:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        zone: ZoneInfo,
        invite_ttl: timedelta,
        log: ContactLog,
        global_coordinators: frozenset[int] = frozenset(),
        buddies: Buddies | None = None,
    ) -> None:
        self._db = db
        self._buddies = buddies  # a buddy who stops private messages ends their pair
        self._global = global_coordinators
        self._clock = clock
        self._zone = zone
        self._ttl = invite_ttl
        self._log = log

    def _today(self) -> date:
        return self._clock().astimezone(self._zone).date()

    # --- the coordinator's guided chat ---------------------------------------------------

    async def area_options(self, access: Access) -> AreaOptions:
        scope = None if access.all_areas else access.coordinator_areas
        areas = await groups_sql.areas(self._db, scope)
        return AreaOptions(tuple(areas), may_create=access.all_areas)

    async def start_draft(self, access: Access) -> DraftView:
        if not access.is_coordinator:
            raise NotAllowed
        options = await self.area_options(access)
        if not options.areas and not options.may_create:
            raise NotAllowed
        draft = GroupDraft()
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, DRAFT, draft.to_json(), self._clock()
            )
        if opened.kind is not DRAFT:
            raise Busy(opened.kind)
        return DraftView(opened.revision, draft, options)

    async def current_draft(self, access: Access) -> DraftView | None:
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not DRAFT or not access.is_coordinator:
            return None
        return DraftView(
            dialog.revision, GroupDraft.from_json(dialog.state), await self.area_options(access)
        )

    async def answer_draft(
        self, access: Access, answer: str, revision: int | None = None
    ) -> DraftView | Invalid:
        """A typed answer (revision None) or a pressed one (revision of its message)."""
        view = await self._live_draft(access, revision)
        moved = group_draft.answer(view.draft, answer, view.options, self._today())
        if isinstance(moved, Invalid):
            return moved
        view = DraftView(view.revision + 1, moved, view.options)
        await self._save(access.user_id, view)
        return view

    async def confirm_draft(self, access: Access, revision: int) -> CreatedGroup:
        view = await self._live_draft(access, revision)
        draft = view.draft
        if draft.step is not Step.CONFIRM:
            raise Stale
        assert draft.name and draft.area_name and draft.first_date and draft.local_time
        assert draft.language
        starts = session_starts(draft.first_date, draft.local_time, draft.sessions, self._zone)
        now = self._clock()
        token = InviteToken.new(InviteKind.LEADER)
        async with self._db.transaction() as tx:
            if not await dialogs_sql.take_dialog(tx, access.user_id, DRAFT, revision):
                raise Stale  # confirmed twice: the first press took it
            area = await groups_sql.area_by_name(
                tx, draft.area_name, create=view.options.may_create
            )
            if area is None or not access.coordinates(area.id):
                raise NotAllowed
            group_id = await groups_sql.insert_group(
                tx,
                area_id=area.id,
                name=draft.name,
                language=draft.language,
                first_date=draft.first_date,
                local_time=draft.local_time,
                starts=starts,
                now=now,
            )
            await invites_sql.insert_invite(
                tx, group_id, token.kind, token.digest, now, now + self._ttl
            )
            group = await groups_sql.group(tx, group_id)
            assert group is not None
            await self._log.record(tx, EventKind.GROUP_CREATED, group)
        return CreatedGroup(group, await sessions_sql.sessions(self._db, group_id), token)

    async def _live_draft(self, access: Access, revision: int | None) -> DraftView:
        view = await self.current_draft(access)
        if view is None or (revision is not None and revision != view.revision):
            raise Stale
        return view

    async def _save(self, user_id: int, view: DraftView) -> None:
        async with self._db.transaction() as tx:
            await dialogs_sql.save_dialog(
                tx, user_id, DRAFT, view.revision, view.draft.to_json(), self._clock()
            )

    # --- groups as coordinators and leaders see them ------------------------------------

    async def overview(self, access: Access) -> list[GroupOverview]:
        """Coordinators see their areas' groups; leaders see the groups they lead."""
        if access.is_coordinator:
            scope = None if access.all_areas else access.coordinator_areas
            found = await groups_sql.groups_in_areas(self._db, scope)
        else:
            found = await groups_sql.groups(self._db, access.leader_of)
        names = {area.id: area.name for area in await groups_sql.areas(self._db)}
        members = await groups_sql.member_counts(self._db, frozenset(g.id for g in found))
        result = []
        for group in found:
            counts = members.get(group.id, {})
            result.append(
                GroupOverview(
                    group,
                    names[group.area_id],
                    counts.get(Role.LEADER, 0),
                    counts.get(Role.PARTICIPANT, 0),
                )
            )
        return result

    async def _coordinated_group(self, access: Access, group_id: int) -> Group:
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.coordinates(group.area_id):
            raise NotAllowed
        return group

    async def new_leader_invite(self, access: Access, group_id: int) -> tuple[Group, InviteToken]:
        group = await self._coordinated_group(access, group_id)
        token = InviteToken.new(InviteKind.LEADER)
        now = self._clock()
        async with self._db.transaction() as tx:
            await invites_sql.insert_invite(
                tx, group.id, token.kind, token.digest, now, now + self._ttl
            )
        return group, token

    async def revoke_leader_invites(self, access: Access, group_id: int) -> tuple[Group, int]:
        group = await self._coordinated_group(access, group_id)
        async with self._db.transaction() as tx:
            count = await invites_sql.revoke_invites(tx, group.id, InviteKind.LEADER, self._clock())
        return group, count

    async def links(self, access: Access, group_id: int, renew: bool = False) -> GroupLinks:
        """Fresh links for a leader: one that adds the bot to the group chat, one for
        participants. Renewing stops every earlier participant link."""
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        chat = InviteToken.new(InviteKind.CHAT)
        participant = InviteToken.new(InviteKind.PARTICIPANT)
        now = self._clock()
        last = max(s.starts_at for s in await sessions_sql.sessions(self._db, group_id))
        async with self._db.transaction() as tx:
            if renew:
                await invites_sql.revoke_invites(tx, group_id, InviteKind.PARTICIPANT, now)
            await invites_sql.insert_invite(
                tx, group_id, chat.kind, chat.digest, now, now + self._ttl
            )
            # Participants may join while the group runs, and a while after.
            until = max(last, now) + self._ttl
            await invites_sql.insert_invite(
                tx, group_id, participant.kind, participant.digest, now, until
            )
        return GroupLinks(group, chat, participant)

    # --- opening links ---------------------------------------------------------------------

    async def _check(self, tx: Transaction, token: InviteToken) -> tuple[Result, Invite | None]:
        invite = await invites_sql.invite_by_digest(tx, token.digest)
        if invite is None or invite.kind is not token.kind:
            return Result(Outcome.UNKNOWN), None
        return await self._usable(tx, invite), invite

    async def _usable(self, tx: Transaction, invite: Invite) -> Result:
        group = await groups_sql.group(tx, invite.group_id)
        if invite.revoked_at:
            return Result(Outcome.REVOKED, group)
        if invite.used_at:
            return Result(Outcome.USED, group)
        if invite.expires_at <= self._clock():
            return Result(Outcome.EXPIRED, group)
        return Result(Outcome.DONE, group)

    async def join_as_leader(self, user_id: int, language: str, token: InviteToken) -> Result:
        now = self._clock()
        async with self._db.transaction() as tx:
            result, invite = await self._check(tx, token)
            group = result.group
            if group and user_id in await people_sql.leaders(tx, group.id):
                return Result(Outcome.ALREADY, group)  # the link stays unused for the co-leader
            if result.outcome is not Outcome.DONE or invite is None or group is None:
                return result
            await invites_sql.use_invite(tx, invite.id, now)
            await people_sql.ensure_person(tx, user_id, language)
            await people_sql.add_membership(tx, group.id, user_id, Role.LEADER)
            await self._log.record(tx, EventKind.LEADER_JOINED, group, user_id)
        return result

    async def preview_participant(self, user_id: int, token: InviteToken) -> Result:
        """Where a participant link leads, storing nothing (consent comes first)."""
        async with self._db.transaction() as tx:
            return await self._participant_check(tx, user_id, token)

    async def _participant_check(self, tx: Transaction, user_id: int, token: InviteToken) -> Result:
        result, _ = await self._check(tx, token)
        if result.group is None:
            return result
        roles = dict(await people_sql.memberships(tx, user_id))
        if roles.get(result.group.id) is Role.LEADER:
            return Result(Outcome.IS_LEADER, result.group)
        if roles.get(result.group.id) is Role.PARTICIPANT:
            return Result(Outcome.ALREADY, result.group)
        return result

    async def consent(self, user_id: int, language: str, token: InviteToken) -> Result:
        async with self._db.transaction() as tx:
            result = await self._participant_check(tx, user_id, token)
            if result.outcome is not Outcome.DONE or result.group is None:
                return result
            await people_sql.ensure_person(tx, user_id, language)
            await people_sql.add_membership(tx, result.group.id, user_id, Role.PARTICIPANT)
            await self._log.record(tx, EventKind.PARTICIPANT_JOINED, result.group, user_id)
        return result

    async def stop_private_messages(self, user_id: int) -> list[Group]:
        """A participant leaves every group's private messages; known only by count after."""
        async with self._db.transaction() as tx:
            left = []
            for group_id in await people_sql.remove_participations(tx, user_id):
                group = await groups_sql.group(tx, group_id)
                assert group is not None
                await self._log.record(tx, EventKind.PARTICIPANT_LEFT, group, user_id)
                left.append(group)
            if left:  # what is already queued for them is not sent either
                groups = [g.id for g in left]
                if self._buddies is not None:  # their buddies are told, kindly
                    await self._buddies.end_for(tx, user_id, groups)
                await outbox_sql.cancel_pending_to(tx, user_id, groups, self._clock())
            await people_sql.forget_person_if_unused(tx, user_id)
        return left

    # --- the group's Telegram chat ------------------------------------------------------------

    async def bind_chat(self, user_id: int, chat_id: int, token: InviteToken) -> Result:
        """Bind the chat to the link's group; a chat that serves another group is moved
        only after a confirmation (`move_chat`), by whoever may move it."""
        async with self._db.transaction() as tx:
            result, invite = await self._check(tx, token)
            group = result.group
            if group and group.chat_id == chat_id:
                return Result(Outcome.ALREADY, group)
            if result.outcome is not Outcome.DONE or invite is None or group is None:
                return result
            if user_id not in await people_sql.leaders(tx, group.id):
                return Result(Outcome.NOT_ALLOWED, group)
            previous = await groups_sql.group_by_chat(tx, chat_id)
            if previous is not None:  # another group's chat: never moved at once
                if not await self._may_move(tx, user_id, previous):
                    told = await self._leaders_of(tx, group, previous)
                    return Result(Outcome.TAKEN, group, previous, told=told)
                return Result(Outcome.CONFIRM, group, previous, invite.id)
            return await self._bind(tx, invite.id, group, chat_id)

    async def move_chat(
        self, user_id: int, chat_id: int, invite_id: int, previous_id: int
    ) -> Result:
        """The confirmed move of a chat from one group (`previous_id`) to the invite's."""
        async with self._db.transaction() as tx:
            invite = await invites_sql.invite(tx, invite_id)
            previous = await groups_sql.group_by_chat(tx, chat_id)
            if invite is None or previous is None or previous.id != previous_id:
                raise Stale  # moved, unbound or used in the meantime
            result = await self._usable(tx, invite)
            group = result.group
            if result.outcome is not Outcome.DONE or group is None:
                return result
            leads = user_id in await people_sql.leaders(tx, group.id)
            if not leads or not await self._may_move(tx, user_id, previous):
                raise NotAllowed
            bound = await self._bind(tx, invite.id, group, chat_id)
            told = await self._leaders_of(tx, group, previous)
            return Result(Outcome.DONE, bound.group, previous, told=told)

    async def _bind(self, tx: Transaction, invite_id: int, group: Group, chat_id: int) -> Result:
        await invites_sql.use_invite(tx, invite_id, self._clock())
        await groups_sql.bind_chat(tx, group.id, chat_id)
        await posts_sql.clear_removed(tx, group.id)
        await leaves_sql.drop(tx, chat_id)
        await self._log.record(tx, EventKind.CHAT_BOUND, group)
        return Result(Outcome.DONE, await groups_sql.group(tx, group.id))

    async def may_move(self, user_id: int, chat_id: int) -> bool:
        """Whether this person decides where the bound chat belongs (its leaders, its area's
        coordinators): the only ones whose "no" to a move counts."""
        async with self._db.transaction() as tx:
            owner = await groups_sql.group_by_chat(tx, chat_id)
            return owner is not None and await self._may_move(tx, user_id, owner)

    async def _may_move(self, tx: Transaction, user_id: int, owner: Group) -> bool:
        """Only the chat's own group's leaders and its area's coordinators may move it."""
        if user_id in await people_sql.leaders(tx, owner.id):
            return True
        all_areas, areas = await people_sql.coordinator_scope(tx, user_id)
        return all_areas or user_id in self._global or owner.area_id in areas

    async def _leaders_of(self, tx: Transaction, *groups: Group) -> tuple[int, ...]:
        leaders = [leader for g in groups for leader in await people_sql.leaders(tx, g.id)]
        return tuple(dict.fromkeys(leaders))

    async def group_of_chat(self, chat_id: int) -> Group | None:
        return await groups_sql.group_by_chat(self._db, chat_id)

    async def chat_added(self, chat_id: int) -> datetime | None:
        """The bot was added to a chat: an unbound one is left at the returned time unless
        it is bound first (a row, so a restart in between does not forget it)."""
        async with self._db.transaction() as tx:
            if await groups_sql.group_by_chat(tx, chat_id) is not None:
                return None
            due = self._clock() + BIND_GRACE
            await leaves_sql.expect_binding(tx, chat_id, due)
        return due

    async def leave_due(self, chat_id: int) -> bool:
        """Whether to leave the chat now: its leave is due, not done already (nor the bot
        removed), and the chat is still unbound."""
        async with self._db.transaction() as tx:
            if not await leaves_sql.take_due(tx, chat_id, self._clock()):
                return False
            return await groups_sql.group_by_chat(tx, chat_id) is None

    async def leaving(self, chat_id: int) -> None:
        """The bot leaves (or was removed from) a chat: no leave is pending there any more."""
        async with self._db.transaction() as tx:
            await leaves_sql.drop(tx, chat_id)

    async def pending_leaves(self) -> list[tuple[int, datetime]]:
        return await leaves_sql.pending(self._db)

    async def chat_gone(self, chat_id: int) -> ChatGone | None:
        """The bot was removed from a chat: the group no longer has a chat. Its leaders are
        to hear it at once, with a fresh link that adds the bot to the chat again."""
        now = self._clock()
        token = InviteToken.new(InviteKind.CHAT)
        async with self._db.transaction() as tx:
            await leaves_sql.drop(tx, chat_id)
            group_id = await groups_sql.unbind_chat(tx, chat_id)
            group = await groups_sql.group(tx, group_id) if group_id else None
            if group is None:
                return None
            await posts_sql.mark_removed(tx, group.id, now)
            await invites_sql.insert_invite(
                tx, group.id, token.kind, token.digest, now, now + self._ttl
            )
            leaders = await people_sql.leaders(tx, group.id)
        return ChatGone(group, tuple(leaders), token)

    async def chat_migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self._db.transaction() as tx:
            await groups_sql.move_chat(tx, old_chat_id, new_chat_id)
