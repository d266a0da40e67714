"""Messages the bot writes itself for the outbox, from a broadcast's content key.

The key names what to write (a tip, a meeting's notice, …); the text is made when it is
sent, in the reader's language, so nothing written is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.documents import Attachment
from bot.documents.weekly import weekly_files
from bot.domain.library import Part
from bot.domain.outbox import ContentKey, ContentKind, Delivery
from bot.domain.parsing import Invalid
from bot.domain.weeks import parse_week
from bot.i18n import Translator, translator
from bot.render import library as library_texts
from bot.render import meetings as meeting_texts
from bot.render import plans as plan_texts
from bot.render import summaries as summary_texts
from bot.services.action_plans import ActionPlans
from bot.services.checkins import Checkins
from bot.services.errors import NotAllowed
from bot.services.library import Library
from bot.services.library_items import LibraryItems
from bot.services.people import People
from bot.services.summaries import Summaries, WeekReport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    text: str  # Telegram HTML
    markup: InlineKeyboardMarkup | None = None
    files: tuple[Attachment, ...] = ()  # sent after the text, made afresh each time
    # A library item instead of a text: sent again by file id. `on_refused` runs when
    # Telegram no longer accepts a file id (the item is retired).
    parts: tuple[Part, ...] = ()
    on_refused: Callable[[], Awaitable[None]] | None = None


_Write = Callable[[ContentKey, Delivery], Awaitable[Written | None]]


class Writer:
    def __init__(
        self,
        library: Library,
        checkins: Checkins,
        plans: ActionPlans,
        people: People,
        summaries: Summaries,
        zone: ZoneInfo,
        items: LibraryItems | None = None,
    ) -> None:
        self._items = items
        self._summaries = summaries
        self._library = library
        self._checkins = checkins
        self._plans = plans
        self._people = people
        self._zone = zone
        self._writers: dict[ContentKind, _Write] = {
            ContentKind.TIP: self._tip,
            ContentKind.WEEKLY: self._weekly,
            ContentKind.NOTICE: self._notice,
            ContentKind.CHECKIN: self._checkin,
            ContentKind.SUMMARY: self._summary,
            ContentKind.LIBRARY: self._library_item,
            ContentKind.LIBRARY_RETIRED: self._library_retired,
        }

    async def __call__(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """The message for one delivery, or None if its subject is gone."""
        return await self._writers[key.kind](key, delivery)

    async def _tip(self, key: ContentKey, delivery: Delivery) -> Written | None:
        language = await self._private_language(delivery)
        text = self._library.text(key.id, language)
        return Written(text) if text else None

    async def _private_language(self, delivery: Delivery) -> str | None:
        """A private chat reads its person's language; a group chat, the group's."""
        return await self._people.stored_language(delivery.chat_id) if delivery.private else None

    async def _reader(self, delivery: Delivery, group_language: str) -> Translator:
        return translator(await self._private_language(delivery) or group_language)

    async def _weekly(self, key: ContentKey, delivery: Delivery) -> Written | None:
        week = parse_week(key.id, date.max)
        if isinstance(week, Invalid):
            return None
        coordinator = delivery.chat_id
        try:
            report = await self._summaries.week(await self._people.access(coordinator), week)
        except NotAllowed:  # no longer a coordinator
            return None
        tr = translator(await self._people.stored_language(coordinator))
        return Written(
            summary_texts.weekly_summary(tr, report), files=await self._files(tr, report)
        )

    async def _files(self, tr: Translator, report: WeekReport) -> tuple[Attachment, ...]:
        """The chart and spreadsheets; if making them fails, the figures still go out."""
        if not report.groups:
            return ()
        try:
            return tuple(await weekly_files(tr, report, self._zone))
        except Exception:
            logger.exception("the weekly files could not be made; sending the text alone")
            return ()

    async def _notice(self, key: ContentKey, delivery: Delivery) -> Written | None:
        meeting = await self._checkins.meeting(key.number)
        if meeting is None:
            return None
        tr = await self._reader(delivery, meeting.group.language)
        return Written(meeting_texts.meeting_notice(tr, meeting, self._zone))

    async def _checkin(self, key: ContentKey, delivery: Delivery) -> Written | None:
        checkin_id = key.number
        info = await self._checkins.info(checkin_id)
        if info is None:
            return None
        answered = await self._checkins.answered(checkin_id)
        tr = await self._reader(delivery, info.group.language)
        reply = meeting_texts.checkin(tr, checkin_id, answered, info.closed)
        if delivery.private:  # the person's own action plan, if they made one
            confidence = await self._plans.open_confidence(delivery.chat_id)
            if confidence is not None:
                return Written(plan_texts.with_plan(tr, reply.text, confidence), reply.markup)
        return Written(reply.text, reply.markup)

    async def _summary(self, key: ContentKey, delivery: Delivery) -> Written | None:
        info = await self._checkins.info(key.number)
        if info is None:
            return None
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = meeting_texts.checkin_summary(
            tr, info.group, await self._checkins.tally(key.number)
        )
        return Written(reply.text, reply.markup)

    async def _library_item(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """An approved item, by file id; a retired or withdrawn one is never sent again."""
        assert self._items is not None
        items, item_id = self._items, key.number
        item = await items.sendable_item(item_id)
        if item is None:
            return None

        async def refused() -> None:
            await items.file_rejected(item_id)

        return Written("", parts=item.parts, on_refused=refused)

    async def _library_retired(self, key: ContentKey, delivery: Delivery) -> Written | None:
        assert self._items is not None
        item = await self._items.item(key.number)
        if item is None:
            return None
        tr = translator(await self._people.stored_language(delivery.chat_id))
        return Written(library_texts.retired_notice(tr, item))
