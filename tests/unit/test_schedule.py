from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import session_starts

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_wall_clock_time_holds_across_spring_change() -> None:
    # Summer time starts on Sunday 29 March 2026: 18:00 is 16:00 UTC before, 15:00 after.
    starts = session_starts(date(2026, 3, 24), time(18), 2, HELSINKI)
    assert starts == [
        datetime(2026, 3, 24, 16, tzinfo=UTC),
        datetime(2026, 3, 31, 15, tzinfo=UTC),
    ]


def test_wall_clock_time_holds_across_autumn_change() -> None:
    # Summer time ends on Sunday 25 October 2026.
    starts = session_starts(date(2026, 10, 20), time(17, 30), 2, HELSINKI)
    assert [s.astimezone(HELSINKI).time() for s in starts] == [time(17, 30)] * 2
    assert starts[1] - starts[0] == (
        datetime(2026, 10, 27, 15, 30) - datetime(2026, 10, 20, 14, 30)
    )


def test_six_weekly_sessions_by_default_plan() -> None:
    starts = session_starts(date(2027, 1, 13), time(10), 6, HELSINKI)
    assert [s.astimezone(HELSINKI).date() for s in starts] == [
        date(2027, 1, 13),
        date(2027, 1, 20),
        date(2027, 1, 27),
        date(2027, 2, 3),
        date(2027, 2, 10),
        date(2027, 2, 17),
    ]


@pytest.mark.parametrize("count", [0, 21])
def test_count_is_bounded(count: int) -> None:
    with pytest.raises(ValueError):
        session_starts(date(2027, 1, 13), time(10), count, HELSINKI)
