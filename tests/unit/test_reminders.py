"""When meeting reminders are due, and the meeting place as typed (pure rules)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import Session, SessionState
from bot.domain.parsing import Invalid, Problem
from bot.domain.reminders import (
    MeetingSettings,
    ReminderKind,
    due_at,
    due_now,
    next_due,
    parse_place,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def session(starts: datetime, state: SessionState = SessionState.PLANNED) -> Session:
    return Session(1, 1, 1, starts, state)


def test_the_day_before_at_the_local_time_across_daylight_saving() -> None:
    # Monday 30.3.2026 18.00 in Helsinki (summer time began on Sunday 29.3.).
    starts = datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    assert due_at(ReminderKind.DAY, starts, time(18), HELSINKI) == datetime(
        2026, 3, 29, 15, 0, tzinfo=UTC
    )
    # Saturday 28.3. was still winter time: 18.00 is 16.00 UTC.
    assert due_at(ReminderKind.DAY, starts - timedelta(days=1), time(18), HELSINKI) == datetime(
        2026, 3, 28, 16, 0, tzinfo=UTC
    )
    assert due_at(ReminderKind.EARLY, starts, time(18), HELSINKI) == starts - timedelta(hours=2)


def test_which_reminders_are_due_and_until_when() -> None:
    starts = datetime(2027, 1, 13, 15, 30, tzinfo=UTC)
    both = MeetingSettings(1, early=True)
    day_before = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)
    assert due_now(session(starts), both, day_before, HELSINKI) == [ReminderKind.DAY]
    assert due_now(session(starts), both, day_before - timedelta(seconds=1), HELSINKI) == []
    two_hours = starts - timedelta(hours=2)
    assert due_now(session(starts), both, two_hours, HELSINKI) == [ReminderKind.EARLY]
    assert due_now(session(starts), both, starts, HELSINKI) == []  # begun: too late
    off = MeetingSettings(1, reminders_on=False)
    assert due_now(session(starts), off, day_before, HELSINKI) == []
    remote = session(starts, SessionState.REMOTE)  # only the one that says what instead
    assert due_now(remote, both, two_hours - timedelta(minutes=1), HELSINKI) == [ReminderKind.DAY]
    assert due_now(remote, both, two_hours, HELSINKI) == []
    assert next_due([(session(starts), both)], day_before, HELSINKI) == two_hours


def test_a_meeting_place_as_typed() -> None:
    assert parse_place("  Kirjasto,\n kokoushuone 2 ") == "Kirjasto, kokoushuone 2"
    assert parse_place("<b>Sali</b>") == "<b>Sali</b>"  # kept; escaped wherever shown
    assert parse_place("x" * 100) == "x" * 100
    assert parse_place("x" * 101) == Invalid(Problem.TOO_LONG)
    assert parse_place("   ") == Invalid(Problem.EMPTY)
    assert parse_place("\u200b") == Invalid(Problem.EMPTY)
    assert parse_place("Sali\u202e2") == Invalid(Problem.HIDDEN_CHARACTERS)
