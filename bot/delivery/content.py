"""Messages the bot writes itself for the outbox, from a broadcast's content key.

The key names what to write ('tip:fi/2-physical_activity-1', …); the text is made when
it is sent, in the reader's language, so nothing written is stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.documents import Attachment
from bot.documents.weekly import weekly_files
from bot.domain.outbox import Delivery
from bot.domain.parsing import Invalid
from bot.domain.weeks import parse_week
from bot.i18n import Translator, translator
from bot.render import meetings as meeting_texts
from bot.render import plans as plan_texts
from bot.render import summaries as summary_texts
from bot.services.checkins import Checkins
from bot.services.errors import NotAllowed
from bot.services.library import Library
from bot.services.people import People
from bot.services.summaries import Summaries, WeekReport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    text: str  # Telegram HTML
    markup: InlineKeyboardMarkup | None = None
    files: tuple[Attachment, ...] = ()  # sent after the text, made afresh each time


class Writer:
    def __init__(
        self,
        library: Library,
        checkins: Checkins,
        people: People,
        summaries: Summaries,
        zone: ZoneInfo,
    ) -> None:
        self._summaries = summaries
        self._library = library
        self._checkins = checkins
        self._people = people
        self._zone = zone

    async def __call__(self, key: str, delivery: Delivery) -> Written | None:
        """The message for one delivery, or None if its subject is gone."""
        kind, _, subject = key.partition(":")
        if kind == "tip":
            text = self._library.text(subject)
            return Written(text) if text else None
        if kind == "weekly":
            return await self._weekly(subject, delivery.chat_id)
        if not subject.isdigit():
            return None
        if kind == "notice":
            return await self._notice(int(subject))
        if kind == "checkin":
            return await self._checkin(int(subject), delivery)
        if kind == "summary":
            return await self._summary(int(subject), delivery.chat_id)
        return None

    async def _weekly(self, subject: str, coordinator: int) -> Written | None:
        week = parse_week(subject, date.max)
        if isinstance(week, Invalid):
            return None
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

    async def _notice(self, session_id: int) -> Written | None:
        meeting = await self._checkins.meeting(session_id)
        if meeting is None:
            return None
        tr = translator(meeting.group.language)
        return Written(meeting_texts.meeting_notice(tr, meeting, self._zone))

    async def _checkin(self, checkin_id: int, delivery: Delivery) -> Written | None:
        info = await self._checkins.info(checkin_id)
        if info is None:
            return None
        answered = await self._checkins.answered(checkin_id)
        tr = translator(info.group.language)
        reply = meeting_texts.checkin(tr, checkin_id, answered, info.closed)
        if delivery.private:  # the person's own action plan, if they made one
            confidence = await self._checkins.open_plan(delivery.chat_id)
            if confidence is not None:
                return Written(plan_texts.with_plan(tr, reply.text, confidence), reply.markup)
        return Written(reply.text, reply.markup)

    async def _summary(self, checkin_id: int, leader_id: int) -> Written | None:
        info = await self._checkins.info(checkin_id)
        if info is None:
            return None
        tr = translator(await self._people.stored_language(leader_id))
        reply = meeting_texts.checkin_summary(
            tr, info.group, await self._checkins.tally(checkin_id)
        )
        return Written(reply.text, reply.markup)
