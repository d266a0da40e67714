from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.parsing import Invalid, Problem
from bot.domain.weeks import Week, parse_week, week_of

TODAY = date(2026, 11, 28)


def test_weeks_people_type() -> None:
    assert parse_week("2026-W48", TODAY) == Week(2026, 48)
    assert parse_week("2026w47", TODAY) == Week(2026, 47)
    assert str(Week(2026, 1)) == "2026-W01"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-W60", Problem.NO_SUCH_DATE),
        ("2025-W53", Problem.NO_SUCH_DATE),
        ("2026-W49", Problem.TOO_FAR),
        ("last week", Problem.NOT_UNDERSTOOD),
        ("0001-W01", Problem.IN_THE_PAST),  # its week before would fall before year 1
        ("1999-W52", Problem.IN_THE_PAST),
    ],
)
def test_bad_weeks(text: str, problem: Problem) -> None:
    assert parse_week(text, TODAY) == Invalid(problem)


def test_bounds_follow_local_midnight_across_the_autumn_change() -> None:
    start, end = Week(2026, 43).bounds(
        ZoneInfo("Europe/Helsinki")
    )  # 19.-26.10., summer time ends 25.10.
    assert start == datetime(2026, 10, 18, 21, tzinfo=UTC)
    assert end == datetime(2026, 10, 25, 22, tzinfo=UTC)
    assert week_of(date(2027, 1, 1)) == Week(2026, 53) and Week(2027, 1).previous == Week(2026, 53)


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("48", Week(2026, 48)),
        ("viikko 47/2026", Week(2026, 47)),
        ("Viikko 47 / 2026", Week(2026, 47)),
        ("vko 47", Week(2026, 47)),
        ("v. 46 2026", Week(2026, 46)),
        ("vecka 45/2026", Week(2026, 45)),
        ("week 44", Week(2026, 44)),
        ("52", Week(2025, 52)),  # week 52 of this year has not come: last year's
        ("49/2025", Week(2025, 49)),
    ],
)
def test_weeks_as_finns_and_swedes_write_them(text: str, week: Week) -> None:
    assert parse_week(text, TODAY) == week


def test_a_bare_number_in_january_means_last_year() -> None:
    january = date(2027, 1, 12)  # ISO week 2 of 2027
    assert parse_week("53", january) == Week(2026, 53)
    assert parse_week("1", january) == Week(2027, 1)
    assert parse_week("viikko 49/2026", january) == Week(2026, 49)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("viikko 49/2026", Problem.TOO_FAR),
        ("53", Problem.NO_SUCH_DATE),  # 2025 had 52 weeks
        ("viikko", Problem.NOT_UNDERSTOOD),
        ("48/26", Problem.NOT_UNDERSTOOD),
        ("0", Problem.NO_SUCH_DATE),
    ],
)
def test_bad_local_weeks(text: str, problem: Problem) -> None:
    assert parse_week(text, TODAY) == Invalid(problem)
