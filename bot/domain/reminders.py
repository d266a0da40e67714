"""Meeting reminders: when each is due, until when it is worth sending, and a group's
meeting place as typed (README: Meeting reminders)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.models import Session, SessionState
from bot.domain.parsing import DIRECTION_CONTROLS, Invalid, Problem

DEFAULT_TIME = time(18)
EARLY = timedelta(hours=2)  # the optional reminder this long before the meeting
MAX_PLACE = 100
LOOK_AHEAD = timedelta(days=2)  # a reminder is due at most this long before its meeting


class ReminderKind(StrEnum):
    DAY = "day"  # the day before, at the group's time
    EARLY = "early"  # two hours before


@dataclass(frozen=True)
class MeetingSettings:
    group_id: int
    place: str | None = None
    reminders_on: bool = True
    reminder_time: time = DEFAULT_TIME
    early: bool = False


def due_at(kind: ReminderKind, starts_at: datetime, at: time, zone: ZoneInfo) -> datetime:
    """When a reminder of a meeting is due (UTC): the day before at the group's local time,
    or two hours before."""
    if kind is ReminderKind.EARLY:
        return starts_at - EARLY
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, at, tzinfo=zone).astimezone(UTC)


def worth_until(kind: ReminderKind, starts_at: datetime) -> datetime:
    """A late reminder (the bot was down, the meeting was moved nearer, or the time was set
    later than the meeting) still goes until then: the day-before one until the early one
    would be due, the early one until the meeting starts."""
    return starts_at - EARLY if kind is ReminderKind.DAY else starts_at


def kinds_for(session: Session, settings: MeetingSettings) -> list[ReminderKind]:
    """Which reminders a session gets. A meeting not held in person gets only the day-before
    one, which says what happens instead."""
    if not settings.reminders_on:
        return []
    if session.state is not SessionState.PLANNED or not settings.early:
        return [ReminderKind.DAY]
    return [ReminderKind.DAY, ReminderKind.EARLY]


def due_now(
    session: Session, settings: MeetingSettings, now: datetime, zone: ZoneInfo
) -> list[ReminderKind]:
    """The reminders of a session to queue at `now`."""
    return [
        kind
        for kind in kinds_for(session, settings)
        if due_at(kind, session.starts_at, settings.reminder_time, zone)
        <= now
        < worth_until(kind, session.starts_at)
    ]


def next_due(
    sessions: list[tuple[Session, MeetingSettings]], now: datetime, zone: ZoneInfo
) -> datetime | None:
    """The next moment a reminder falls due after `now`, to arm a timer for it."""
    times = [
        due_at(kind, session.starts_at, settings.reminder_time, zone)
        for session, settings in sessions
        for kind in kinds_for(session, settings)
    ]
    ahead = [t for t in times if t > now]
    return min(ahead) if ahead else None


def parse_place(text: str) -> str | Invalid:
    """A meeting place as a leader types it: one line, no hidden characters, at most
    MAX_PLACE characters. Markup is kept as typed and escaped wherever it is shown."""
    place = " ".join(text.split())
    if any(c in DIRECTION_CONTROLS or unicodedata.category(c) == "Cc" for c in place):
        return Invalid(Problem.HIDDEN_CHARACTERS)
    if all(unicodedata.category(c) == "Cf" for c in place):
        return Invalid(Problem.EMPTY)
    if len(place) > MAX_PLACE:
        return Invalid(Problem.TOO_LONG)
    return place
