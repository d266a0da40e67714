"""The pairing rule and the weekly question's time (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.buddies import next_question, pair_up

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_an_even_number_makes_pairs() -> None:
    assert pair_up([1, 2, 3, 4]) == ([(1, 2), (3, 4)], None)


def test_an_odd_number_makes_one_group_of_three() -> None:
    assert pair_up([1, 2, 3]) == ([(1, 2, 3)], None)
    assert pair_up([1, 2, 3, 4, 5]) == ([(1, 2), (3, 4, 5)], None)


def test_one_alone_waits() -> None:
    assert pair_up([7]) == ([], 7)
    assert pair_up([]) == ([], None)


@given(st.lists(st.integers(1, 10**9), unique=True, max_size=40))
def test_everyone_is_in_exactly_one_pair_of_two_or_three(people: list[int]) -> None:
    pairs, alone = pair_up(people)
    placed = [p for pair in pairs for p in pair]
    assert sorted(placed + ([alone] if alone is not None else [])) == sorted(people)
    assert all(len(pair) in (2, 3) for pair in pairs)
    assert (alone is not None) == (len(people) == 1)


def test_the_question_comes_a_week_later_at_midday_across_daylight_saving() -> None:
    # Saturday 24.10.2026 evening; clocks go back on Sunday 25.10.
    asked = next_question(datetime(2026, 10, 24, 18, tzinfo=UTC), HELSINKI)
    assert asked.astimezone(HELSINKI) == datetime(2026, 10, 31, 12, tzinfo=HELSINKI)
