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
from bot.domain.outbox import ContentKey, ContentKind, Delivery
from bot.domain.parsing import Invalid
from bot.domain.weeks import parse_week
from bot.i18n import Translator, translator
from bot.render import escalation as escalation_texts
from bot.render import leaders_mail as leaders_texts
from bot.render import meetings as meeting_texts
from bot.render import plans as plan_texts
from bot.render import summaries as summary_texts
from bot.render.common import Reply
from bot.services.action_plans import ActionPlans
from bot.services.checkins import Checkins
from bot.services.errors import NotAllowed
from bot.services.escalation import Escalations, WaitingRequest
from bot.services.library import Library
from bot.services.people import People
from bot.services.summaries import Summaries, WeekReport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    text: str  # Telegram HTML
    markup: InlineKeyboardMarkup | None = None
    files: tuple[Attachment, ...] = ()  # sent after the text, made afresh each time


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
        escalations: Escalations,
    ) -> None:
        self._summaries = summaries
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
            ContentKind.CONTACT_REMINDER: self._about_request,
            ContentKind.ESCALATION: self._about_request,
            ContentKind.PASSED_ON: self._about_request,
            ContentKind.TO_LEADERS: self._to_leaders,
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


_REQUEST_TEXTS: dict[ContentKind, Callable[[Translator, WaitingRequest, ZoneInfo], Reply]] = {
    ContentKind.CONTACT_REMINDER: escalation_texts.reminder,
    ContentKind.ESCALATION: escalation_texts.escalation,
    ContentKind.PASSED_ON: escalation_texts.passed_on,
}
