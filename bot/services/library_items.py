"""The co-created library (README: The library): leaders offer their own posts, a
coordinator of their area approves them, and leaders of the area send them again by
Telegram file id through the outbox."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from bot.db import dialogs as dialogs_sql
from bot.db import groups as groups_sql
from bot.db import library as sql
from bot.db import outbox as outbox_sql
from bot.db.database import Database, Transaction
from bot.db.library import NewItem
from bot.domain.clock import Clock
from bot.domain.dialogs import DialogKind
from bot.domain.library import (
    DECIDED,
    MAX_TITLE,
    Decision,
    Item,
    ItemState,
    Part,
    RejectReason,
    sendable,
)
from bot.domain.models import Access
from bot.domain.outbox import Audience, ContentKey, Target
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.library import TOPICS
from bot.services.outbox import Outbox

# Posts a leader sent lately, by (chat, message): what an offer stores. Kept in memory only
# (like an action plan's words): nothing a leader sends is stored unless they offer it.
RECENT_POSTS = 2000
TITLE = DialogKind.LIBRARY_TITLE
NOTICE_DEADLINE = timedelta(days=7)


class Unsupported(Exception):
    """A post the library cannot keep for sending again (a poll, a location, …)."""


class Forgotten(Exception):
    """The bot no longer holds the post (it restarted): the leader sends it again."""


@dataclass(frozen=True)
class Offered:
    item: Item
    coordinators: list[int]  # to ask for a decision


@dataclass(frozen=True)
class Decided:
    item: Item
    won: bool  # False: someone else decided first; `item` shows what they decided


class LibraryItems:
    def __init__(
        self, db: Database, clock: Clock, outbox: Outbox, global_coordinators: frozenset[int]
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._clock = clock
        self._global = global_coordinators
        self._recent: OrderedDict[tuple[int, int], Part | None] = OrderedDict()

    # --- offering -------------------------------------------------------------------------

    def remember(self, chat_id: int, message_id: int, part: Part | None) -> None:
        """A leader's post as it arrived (None: a kind the library cannot keep)."""
        self._recent[(chat_id, message_id)] = part
        while len(self._recent) > RECENT_POSTS:
            self._recent.popitem(last=False)

    def _parts(self, chat_id: int, message_ids: Sequence[int]) -> tuple[Part, ...]:
        keys = [(chat_id, m) for m in message_ids]
        if not keys or any(k not in self._recent for k in keys):
            raise Forgotten
        parts = [self._recent[k] for k in keys]
        if any(p is None for p in parts):
            raise Unsupported
        kept = tuple(p for p in parts if p is not None)
        if not sendable(kept):
            raise Unsupported
        return kept

    async def offer(
        self,
        access: Access,
        broadcast_id: int,
        topic: str,
        language: str,
        author_name: str | None,
    ) -> Offered:
        """The leader's own post, which they agreed may go to other groups of their area,
        waits for a coordinator of that area."""
        if not access.is_leader or topic not in TOPICS:
            raise NotAllowed  # a forged topic too
        broadcast = await outbox_sql.broadcast(self._db, broadcast_id)
        if (
            broadcast is None
            or broadcast.leader_id != access.user_id
            or broadcast.source_chat_id is None
        ):
            raise NotAllowed
        parts = self._parts(broadcast.source_chat_id, broadcast.source_message_ids)
        groups = await groups_sql.groups(self._db, access.leader_of)
        if not groups:
            raise NotAllowed
        area_id = min(g.area_id for g in groups)
        new = NewItem(
            area_id=area_id,
            author_id=access.user_id,
            author_name=author_name,
            topic=topic,
            language=language,
            title=None,
            parts=parts,
            source_chat_id=broadcast.source_chat_id,
            source_message_ids=broadcast.source_message_ids,
            state=ItemState.OFFERED,
        )
        now = self._clock()
        async with self._db.transaction() as tx:
            if await sql.offered_from(tx, broadcast.source_chat_id, broadcast.source_message_ids):
                raise Stale  # offered twice: the first tap counts
            item_id = await sql.insert_item(tx, new, now)
            staff = sorted({*await sql.coordinators_of(tx, area_id), *self._global})
            await self._ask_staff(tx, access.user_id, item_id, new, staff)
        item = await sql.item(self._db, item_id)
        assert item is not None
        return Offered(item, staff)

    async def _ask_staff(
        self, tx: Transaction, leader: int, item_id: int, new: NewItem, staff: list[int]
    ) -> None:
        """The post itself, copied from the leader's chat (not uploaded again), then the
        choices under it: staff mail, queued with the item, so neither is lost. A chat's
        deliveries go in the order queued: the copy comes before its buttons."""
        if not staff:
            return
        now = self._clock()
        targets = [Target(None, c, True, now, now + NOTICE_DEADLINE) for c in staff]
        copied = await outbox_sql.insert_broadcast(
            tx,
            leader_id=leader,
            source_chat_id=new.source_chat_id,
            message_ids=tuple(new.source_message_ids),
            content_key=None,
            now=now,
            audience=Audience.STAFF,
        )
        await outbox_sql.insert_deliveries(tx, copied, targets, now)
        await self._outbox.queue(
            tx,
            leader_id=leader,
            content_key=ContentKey.library_offer(item_id),
            targets=targets,
            audience=Audience.STAFF,
        )

    async def suggested_topic(self, access: Access, zone: tzinfo) -> str | None:
        """The current week's topic of the leader's group (the programme's week)."""
        groups = await groups_sql.groups(self._db, access.leader_of)
        if not groups:
            return None
        today = self._clock().astimezone(zone).date()
        first = min(g.first_date for g in groups)
        week = min(max((today - first).days // 7 + 1, 1), max(TOPICS.values()))
        return next((topic for topic, w in TOPICS.items() if w == week), None)

    async def coordinators_of(self, area_id: int | None) -> list[int]:
        return sorted({*await sql.coordinators_of(self._db, area_id), *self._global})

    async def ask_title(self, access: Access, item_id: int) -> None:
        """The author chose to type a title: a guided chat until they do (or /cancel)."""
        item = await sql.item(self._db, item_id)
        if item is None or item.author_id != access.user_id:
            raise NotAllowed
        if item.state not in (ItemState.OFFERED, ItemState.APPROVED):
            raise Stale
        async with self._db.transaction() as tx:
            opened = await dialogs_sql.begin_dialog(
                tx, access.user_id, TITLE, str(item_id), self._clock()
            )
        if opened.kind is not TITLE:
            raise Busy(opened.kind)

    async def set_title(self, access: Access, text: str) -> str | None:
        """The title typed for the item just offered; None if it is too long or empty
        (the question stays open)."""
        dialog = await dialogs_sql.dialog(self._db, access.user_id)
        if dialog is None or dialog.kind is not TITLE:
            raise Stale
        title = " ".join(text.split())
        if not 0 < len(title) <= MAX_TITLE:
            return None
        async with self._db.transaction() as tx:
            await sql.set_title(tx, int(dialog.state), access.user_id, title)
            await dialogs_sql.end_dialog(tx, access.user_id, TITLE)
        return title

    # --- curating -------------------------------------------------------------------------

    async def decide(
        self, access: Access, item_id: int, decision: Decision, reason: RejectReason | None
    ) -> Decided:
        item = await self._curated(access, item_id)
        everywhere = decision is Decision.APPROVE_EVERYWHERE
        if everywhere and not access.all_areas:
            raise NotAllowed
        now = self._clock()
        async with self._db.transaction() as tx:
            if everywhere:
                await sql.for_every_area(tx, item_id)
            won = await sql.decide(
                tx,
                item_id,
                (ItemState.OFFERED,),
                DECIDED[decision],
                reason.value if reason else None,
                now,
            )
            if won and item.author_id is not None:  # told through the outbox: never lost
                await self._outbox.queue(
                    tx,
                    leader_id=access.user_id,
                    content_key=ContentKey.library_decision(item_id),
                    targets=[Target(None, item.author_id, True, now, now + NOTICE_DEADLINE)],
                    audience=Audience.STAFF,
                )
        return Decided(await self._curated(access, item.id), won)

    async def retire(self, access: Access, item_id: int) -> Decided:
        await self._curated(access, item_id)
        async with self._db.transaction() as tx:
            won = await sql.decide(
                tx, item_id, (ItemState.APPROVED,), ItemState.RETIRED, None, self._clock()
            )
        return Decided(await self._curated(access, item_id), won)

    async def _curated(self, access: Access, item_id: int) -> Item:
        item = await sql.item(self._db, item_id)
        if item is None or not _coordinates(access, item):
            raise NotAllowed
        return item

    async def file_rejected(self, item_id: int) -> None:
        """Telegram no longer accepts the item's file id: it is retired, and the area's
        coordinators are told through the outbox (reliably, in their language)."""
        now = self._clock()
        async with self._db.transaction() as tx:
            if not await sql.decide(
                tx, item_id, (ItemState.APPROVED,), ItemState.RETIRED, "file", now
            ):
                return  # already retired: told once
            item = await sql.item(tx, item_id)
            assert item is not None
            staff = sorted({*await sql.coordinators_of(tx, item.area_id), *self._global})
            if not staff:
                return
            await self._outbox.queue(
                tx,
                leader_id=staff[0],
                content_key=ContentKey.library_retired(item_id),
                targets=[Target(None, c, True, now, now + NOTICE_DEADLINE) for c in staff],
                audience=Audience.STAFF,
            )

    # --- using ----------------------------------------------------------------------------

    async def for_leader(self, access: Access, language: str, topic: str | None) -> list[Item]:
        if not access.is_leader:
            raise NotAllowed
        groups = await groups_sql.groups(self._db, access.leader_of)
        return await sql.approved(self._db, {g.area_id for g in groups}, language, topic)

    async def usable(self, access: Access, item_id: int) -> Item:
        """An approved item this leader may send; Stale once it is retired."""
        item = await sql.item(self._db, item_id)
        if item is None or not access.is_leader:
            raise NotAllowed
        groups = await groups_sql.groups(self._db, access.leader_of)
        if item.area_id is not None and item.area_id not in {g.area_id for g in groups}:
            raise NotAllowed
        if item.state is not ItemState.APPROVED:
            raise Stale
        return item

    async def sendable_item(self, item_id: int) -> Item | None:
        """For the outbox: the item if it may still be sent (a retired one never is)."""
        item = await sql.item(self._db, item_id)
        return item if item is not None and item.state is ItemState.APPROVED else None

    async def authored(self, user_id: int) -> bool:
        """Whether the person has posts published in the library (the ones /forget may
        keep without their name; the rest go with them)."""
        return await sql.authored(self._db, user_id)

    async def item(self, item_id: int) -> Item | None:
        return await sql.item(self._db, item_id)

    async def curated(self, access: Access) -> list[Item]:
        """A coordinator's approved items (their areas', and those for every area)."""
        if not access.is_coordinator:
            raise NotAllowed
        items = await sql.all_approved(self._db)
        return sorted(
            (i for i in items if i.area_id is None or access.coordinates(i.area_id)),
            key=lambda i: i.id,
            reverse=True,
        )


class UnknownArea(Exception):
    """An import into a municipality the bot does not know."""


@dataclass(frozen=True)
class Imported:
    """An item read from another installation, its media uploaded here."""

    topic: str
    language: str
    title: str | None
    attribution: str | None
    parts: tuple[Part, ...]


class LibraryTransfer:
    """The operator's export and import (no Telegram here: the CLI moves the files)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def approved(self, area: str | None) -> list[Item]:
        """Approved items of one municipality (and those for every area), or all of them."""
        items = await sql.all_approved(self._db)
        if area is None:
            return items
        area_id = await self._area_id(area)
        return [i for i in items if i.area_id in (None, area_id)]

    async def area_id(self, area: str | None) -> int | None:
        return None if area is None else await self._area_id(area)

    async def _area_id(self, name: str) -> int:
        known = await groups_sql.areas(self._db)
        match = next((a for a in known if a.name.casefold() == name.casefold()), None)
        if match is None:
            raise UnknownArea(name)
        return match.id

    async def store(self, items: Sequence[Imported], area_id: int | None) -> int:
        """All the items, approved, in one transaction: nothing half imported."""
        now = self._clock()
        async with self._db.transaction() as tx:
            for item in items:
                new = NewItem(
                    area_id=area_id,
                    author_id=None,  # another installation's people are not known here
                    author_name=item.attribution,
                    topic=item.topic,
                    language=item.language,
                    title=item.title,
                    parts=item.parts,
                    source_chat_id=None,
                    source_message_ids=(),
                    state=ItemState.APPROVED,
                )
                await sql.insert_item(tx, new, now)
        return len(items)


def _coordinates(access: Access, item: Item) -> bool:
    if item.area_id is None:
        return access.all_areas
    return access.coordinates(item.area_id)
