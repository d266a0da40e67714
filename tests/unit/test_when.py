from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.parsing import Invalid, Problem
from bot.domain.when import parse_when, this_evening, tomorrow_morning

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 11, 28, 14, 0, tzinfo=HKI)  # a Saturday afternoon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ti 18", datetime(2026, 12, 1, 18, 0)),
        ("huomenna 9.30", datetime(2026, 11, 29, 9, 30)),
        ("12.1. klo 10", datetime(2027, 1, 12, 10, 0)),
        ("2026-12-01 10:00", datetime(2026, 12, 1, 10, 0)),
        ("imorgon 9", datetime(2026, 11, 29, 9, 0)),
        ("i morgon kl 9", datetime(2026, 11, 29, 9, 0)),
        ("tomorrow 9am", datetime(2026, 11, 29, 9, 0)),
        ("tuesday 7.15pm", datetime(2026, 12, 1, 19, 15)),
        ("18", datetime(2026, 11, 28, 18, 0)),
        ("17.30", datetime(2026, 11, 28, 17, 30)),
        ("12.1 10", datetime(2027, 1, 12, 10, 0)),
        ("9", datetime(2026, 11, 29, 9, 0)),  # 9 has passed today: tomorrow
        ("la 10", datetime(2026, 12, 5, 10, 0)),  # Saturday 10 has passed: next week
        ("tänään 15", datetime(2026, 11, 28, 15, 0)),
        # What Finns type (issue: "ke. 18" was read as today, the weekday lost as filler)
        ("ke. 18", datetime(2026, 12, 2, 18, 0)),
        ("kello 18", datetime(2026, 11, 28, 18, 0)),
        ("klo 18", datetime(2026, 11, 28, 18, 0)),
        ("ti. 18", datetime(2026, 12, 1, 18, 0)),
        ("pe 9.30", datetime(2026, 12, 4, 9, 30)),
        ("ke 9.12. klo 16.20", datetime(2026, 12, 9, 16, 20)),
        ("huomenna aamulla", datetime(2026, 11, 29, 9, 0)),
        ("tänä iltana", datetime(2026, 11, 28, 18, 0)),
        ("ensi maanantaina", datetime(2026, 11, 30, 9, 0)),
        ("huomenna", datetime(2026, 11, 29, 9, 0)),  # a day alone: in the morning
        ("illalla 7", datetime(2026, 11, 28, 19, 0)),
        ("huomenna 9.12", datetime(2026, 11, 29, 9, 12)),  # beside a day, a time
        ("klo 18 huomenna", datetime(2026, 11, 29, 18, 0)),
        # Swedish and English alike
        ("i kväll", datetime(2026, 11, 28, 18, 0)),
        ("på onsdag kl. 18", datetime(2026, 12, 2, 18, 0)),
        ("i morgon bitti", datetime(2026, 11, 29, 9, 0)),
        ("nästa måndag", datetime(2026, 11, 30, 9, 0)),
        ("tonight", datetime(2026, 11, 28, 18, 0)),
        ("next monday 10am", datetime(2026, 11, 30, 10, 0)),
        ("tomorrow morning", datetime(2026, 11, 29, 9, 0)),
        ("wed 9.12. 16:20", datetime(2026, 12, 9, 16, 20)),
    ],
)
def test_typed_times(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected.replace(tzinfo=HKI)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tänään 10", Problem.IN_THE_PAST),
        ("31.2. 10", Problem.NO_SUCH_DATE),
        ("huomenna 25", Problem.NO_SUCH_TIME),
        ("to 9.12.", Problem.WEEKDAY_MISMATCH),  # the 9th is a Wednesday
        ("ma ti 18", Problem.WEEKDAY_MISMATCH),
        ("joskus", Problem.NOT_UNDERSTOOD),
        ("", Problem.NOT_UNDERSTOOD),
        ("13pm", Problem.NO_SUCH_TIME),
        ("1.1.2028 10", Problem.TOO_FAR),
    ],
)
def test_bad_times(text: str, problem: Problem) -> None:
    assert parse_when(text, NOW) == Invalid(problem)


def test_quick_choices() -> None:
    assert this_evening(NOW) == datetime(2026, 11, 28, 18, tzinfo=HKI)
    assert this_evening(NOW.replace(hour=19)) is None
    assert tomorrow_morning(NOW) == datetime(2026, 11, 29, 9, tzinfo=HKI)
