"""Small-count suppression: examples, and a property test with a brute-force attacker who
knows the published cells, that counts are whole numbers ≥ 0 and that the total is the
sum of the parts."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.suppression import Protected, protect

CAP = 20  # the attacker tries every hidden value below this (the data stay below 10)


def test_a_lone_small_count_takes_the_next_smallest_with_it() -> None:
    assert protect([1, 40, 50], 91, 5) == Protected((None, None, 50), 91)


def test_two_small_counts_that_add_up_below_the_threshold_take_a_third() -> None:
    assert protect([1, 2, 50, 60], 113, 5) == Protected((None, None, None, 60), 113)


def test_when_every_part_is_hidden_and_still_too_small_the_total_goes_too() -> None:
    assert protect([1, 3], 4, 5) == Protected((None, None), None)
    assert protect([0, 0, 7], 7, 5) == Protected((None, None, None), 7)


def test_large_counts_and_a_single_part_are_shown_as_they_are() -> None:
    assert protect([5, 12], 17, 5) == Protected((5, 12), 17)
    assert protect([7], None, 5) == Protected((7,), None)
    assert protect([3], None, 5) == Protected((None,), None)


def feasible(shown: Protected, hidden_cell: int) -> set[int]:
    """Every value the attacker cannot rule out for one hidden cell (index len(parts) is
    the total), trying all hidden values below CAP."""
    parts, total = shown.parts, shown.total
    hidden = [i for i, value in enumerate(parts) if value is None]
    known = sum(value for value in parts if value is not None)
    values = set()
    for guess in itertools.product(range(CAP), repeat=len(hidden)):
        guessed_total = known + sum(guess)
        if total is not None and len(parts) > 1 and guessed_total != total:
            continue
        cell = guessed_total if hidden_cell == len(parts) else guess[hidden.index(hidden_cell)]
        values.add(cell)
    return values


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.integers(0, 9), min_size=1, max_size=3),
    threshold=st.integers(2, 6),
)
def test_no_hidden_cell_can_be_worked_out_and_nothing_small_is_shown(
    parts: list[int], threshold: int
) -> None:
    total = sum(parts) if len(parts) > 1 else None
    shown = protect(parts, total, threshold)
    published = [v for v in (*shown.parts, shown.total) if v is not None]
    assert all(value >= threshold for value in published)
    assert all(shown.parts[i] in (None, parts[i]) for i in range(len(parts)))
    cells = [i for i, value in enumerate(shown.parts) if value is None]
    if total is not None and shown.total is None:
        cells.append(len(parts))
    for cell in cells:
        truth = total if cell == len(parts) else parts[cell]
        could_be = feasible(shown, cell)
        assert truth in could_be
        assert len(could_be) > 1, f"cell {cell} of {parts} can be worked out"
