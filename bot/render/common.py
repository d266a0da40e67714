"""Shared by every section: the reply type, dates and times the Finnish way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.models import Group, Session
from bot.i18n import N_, Translator

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
WEEKDAYS = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.buttons) if self.buttons else None


def local_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def local_time(at: time) -> str:
    return f"{at.hour}.{at.minute:02d}"


def session_line(session: Session, zone: ZoneInfo) -> str:
    start = session.starts_at.astimezone(zone)
    return f"{session.number}. {local_date(start.date())} {local_time(start.time())}"


def plan_line(tr: Translator, group: Group) -> str:
    return tr._(
        "{weekday} at {time}, from {date}",
        weekday=tr._(WEEKDAYS[group.weekday]),
        time=local_time(group.local_time),
        date=local_date(group.first_date),
    )


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local_date(local.date())} {local_time(local.time())}"
