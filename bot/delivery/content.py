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
from bot.domain.library import ItemState, Part
from bot.domain.outbox import ContentKey, ContentKind, Delivery
from bot.domain.parsing import Invalid
from bot.domain.weeks import parse_week
from bot.i18n import Translator, translator
from bot.render import buddies as buddy_texts
from bot.render import escalation as escalation_texts
from bot.render import leaders_mail as leaders_texts
from bot.render import library as library_texts
from bot.render import meetings as meeting_texts
from bot.render import plans as plan_texts
from bot.render import reminders as reminder_texts
from bot.render import summaries as summary_texts
from bot.render.common import Reply
from bot.services.action_plans import ActionPlans
from bot.services.buddies import Buddies
from bot.services.checkins import Checkins
from bot.services.errors import NotAllowed, Stale
from bot.services.escalation import Escalations, WaitingRequest
from bot.services.library import Library
from bot.services.library_items import LibraryItems
from bot.services.people import People
from bot.services.reminders import Reminders
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
        buddies: Buddies | None = None,
        *,
        reminders: Reminders,
        escalations: Escalations,
        items: LibraryItems | None = None,
    ) -> None:
        self._items = items
        self._summaries = summaries
        self._buddies = buddies
        self._reminders = reminders
        self._escalations = escalations
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
            ContentKind.BUDDY_HELLO: self._buddy_pair,
            ContentKind.BUDDY_ASK: self._buddy_pair,
            ContentKind.BUDDY_NUDGE: self._buddy_pair,
            ContentKind.BUDDY_LEFT: self._buddy_left,
            ContentKind.BUDDY_WAITING: self._buddy_waiting,
            ContentKind.REMINDER: self._reminder,
            ContentKind.MOVED: self._moved,
            ContentKind.FOLLOW_UP: self._follow_up,
            ContentKind.CLOSING: self._closing,
            ContentKind.CONTACT_REMINDER: self._about_request,
            ContentKind.ESCALATION: self._about_request,
            ContentKind.PASSED_ON: self._about_request,
            ContentKind.TO_LEADERS: self._to_leaders,
            ContentKind.LIBRARY: self._library_item,
            ContentKind.LIBRARY_RETIRED: self._library_retired,
            ContentKind.LIBRARY_OFFER: self._library_offer,
            ContentKind.LIBRARY_DECISION: self._library_decision,
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
        reply = summary_texts.weekly_summary_reply(tr, report)
        return Written(reply.text, reply.markup, await self._files(tr, report))

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
        tr = await self._reader(delivery, info.group.language)
        # A private copy shows no count: nobody would ever see it change.
        answered = None if delivery.private else await self._checkins.answered(checkin_id)
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

    async def _buddy_pair(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """An introduction, the weekly question or a nudge: only while the reader is still
        in the pair (a pair that ended meanwhile sends nothing)."""
        if self._buddies is None:
            return None
        reader = delivery.chat_id
        pair = await self._buddies.pair_of(reader, key.number)
        group = await self._buddies.group(pair.group_id) if pair else None
        if pair is None or group is None:
            return None
        tr = translator(await self._people.stored_language(reader))
        match key.kind:
            case ContentKind.BUDDY_HELLO:
                reply = buddy_texts.introduction(tr, group, pair, reader)
            case ContentKind.BUDDY_ASK:
                reply = buddy_texts.weekly_question(tr, pair, reader)
            case _:
                reply = buddy_texts.nudge(tr, pair, reader)
        return Written(reply.text, reply.markup)

    async def _buddy_left(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """Your buddy left: a new one? Not sent if they have asked again meanwhile."""
        if self._buddies is None:
            return None
        group = await self._buddies.group(key.number)
        if group is None or await self._buddies.is_volunteer(delivery.chat_id, group.id):
            return None
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = buddy_texts.buddy_left(tr, group)
        return Written(reply.text, reply.markup)

    async def _buddy_waiting(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """To a leader: someone waits alone. Not sent once nobody waits alone any more."""
        if self._buddies is None:
            return None
        leader = delivery.chat_id
        try:
            found = await self._buddies.group_overview(
                await self._people.access(leader), key.number
            )
        except (NotAllowed, Stale):
            return None
        if len(found.waiting) != 1:
            return None
        tr = translator(await self._people.stored_language(leader))
        reply = buddy_texts.waiting_alone(tr, found)
        return Written(reply.text, reply.markup)

    async def _reminder(self, key: ContentKey, delivery: Delivery) -> Written | None:
        group = await self._reminders.group_of_session(key.number)
        if group is None:
            return None
        tr = await self._reader(delivery, group.language)
        found = await self._reminders.reminder(key.number, tr.language)  # the holiday's name too
        return Written(reminder_texts.reminder(tr, found, self._zone)) if found else None

    async def _moved(self, key: ContentKey, delivery: Delivery) -> Written | None:
        group = await self._reminders.group_of_session(key.number)
        found = await self._reminders.reminder(key.number, group.language) if group else None
        if found is None:
            return None
        tr = await self._reader(delivery, found.group.language)
        return Written(reminder_texts.moved_notice(tr, found.session, self._zone))

    async def _follow_up(self, key: ContentKey, delivery: Delivery) -> Written | None:
        group = await self._reminders.group(key.number)
        if group is None:
            return None
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = reminder_texts.follow_up_question(tr, group)
        return Written(reply.text, reply.markup)

    async def _closing(self, key: ContentKey, delivery: Delivery) -> Written | None:
        group = await self._reminders.group(key.number)
        if group is None:
            return None
        tr = await self._reader(delivery, group.language)
        return Written(reminder_texts.closing_message(tr, group))

    async def _about_request(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """A waiting contact request's reminder, escalation or 'passed on' notice; nothing
        once it has been handled (or the person erased)."""
        waiting = await self._escalations.waiting(key.number)
        if waiting is None:
            return None
        reader = await self._people.access(delivery.chat_id)
        group = waiting.group
        if not (reader.leads(group.id) or reader.coordinates(group.area_id)):
            return None  # removed as a leader meanwhile: no link to the person
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = _REQUEST_TEXTS[key.kind](tr, waiting, self._zone)
        return Written(reply.text, reply.markup)

    async def _to_leaders(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """The note under a coordinator's message: who sent it, and 'Answer'."""
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = leaders_texts.note(tr, key.number)
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

    async def _library_offer(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """Under the copy of an offered post: the coordinator's choices (a decision made
        meanwhile is shown when a button is pressed)."""
        assert self._items is not None
        item = await self._items.item(key.number)
        if item is None:
            return None  # withdrawn (/forget) before it was sent
        reader = await self._people.access(delivery.chat_id)
        tr = translator(await self._people.stored_language(delivery.chat_id))
        reply = library_texts.curate(tr, item, reader.all_areas)
        return Written(reply.text, reply.markup)

    async def _library_decision(self, key: ContentKey, delivery: Delivery) -> Written | None:
        """To the author: what the coordinator decided (nothing once it was withdrawn)."""
        assert self._items is not None
        item = await self._items.item(key.number)
        if item is None or item.state not in TOLD_TO_AUTHOR:
            return None
        tr = translator(await self._people.stored_language(delivery.chat_id))
        return Written(library_texts.to_author(tr, item))


# A decision the author hears of; a retirement later on is not theirs to hear of this way.
TOLD_TO_AUTHOR = frozenset({ItemState.APPROVED, ItemState.CHANGES, ItemState.REJECTED})

_REQUEST_TEXTS: dict[ContentKind, Callable[[Translator, WaitingRequest, ZoneInfo], Reply]] = {
    ContentKind.CONTACT_REMINDER: escalation_texts.reminder,
    ContentKind.ESCALATION: escalation_texts.escalation,
    ContentKind.PASSED_ON: escalation_texts.passed_on,
}
