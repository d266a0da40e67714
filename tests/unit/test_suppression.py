"""Small-count suppression: examples, and a property test in which an attacker who knows
every published cell, that counts are whole numbers from 0 up, and every sum in the table
(municipalities to their total, quarters to the year) searches for another value of each
hidden cell. There must always be one, and no count from 1 to below the threshold may be
published (a 0 is: nothing happened)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.suppression import Relation, hidden_cells

Cell = tuple[int, int]  # (municipality, period); the last of each is the total / the year


def table(rows: list[list[int]]) -> tuple[dict[Cell, int], list[Relation[Cell]]]:
    """Municipalities by quarters, with each one's year and, for several, the totals."""
    quarters = len(rows[0])
    full = [[*row, sum(row)] for row in rows]
    if len(rows) > 1:
        full.append([sum(column) for column in zip(*full, strict=True)])
    values = {(r, c): value for r, row in enumerate(full) for c, value in enumerate(row)}
    relations = [
        Relation([(r, c) for c in range(quarters)], (r, quarters)) for r in range(len(full))
    ]
    if len(rows) > 1:
        relations += [
            Relation([(r, c) for r in range(len(rows))], (len(rows), c))
            for c in range(quarters + 1)
        ]
    return values, relations


def test_a_lone_small_count_takes_the_smallest_rectangle_with_it() -> None:
    values, relations = table([[1], [40], [50]])  # three municipalities, one quarter
    # 1 and 40 with their years: +1 on one and -1 on the other keeps every sum.
    assert hidden_cells(values, relations, 5) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_two_small_counts_in_one_sum_protect_each_other() -> None:
    values, relations = table([[1, 2, 50, 60]])
    assert hidden_cells(values, relations, 5) == {(0, 0), (0, 1)}


def test_a_small_count_alone_in_its_sum_takes_the_total_with_it() -> None:
    values, relations = table([[0, 3]])
    assert hidden_cells(values, relations, 5) == {(0, 1), (0, 2)}


def test_large_counts_and_zeros_are_shown() -> None:
    values, relations = table([[5, 12, 0], [7, 9, 0]])
    assert hidden_cells(values, relations, 5) == set()


def other_value_possible(
    values: Mapping[Cell, int], hidden: set[Cell], relations: list[Relation[Cell]], cell: Cell
) -> bool:
    cap = max(values.values()) + 10  # the attacker tries every value below this
    return any(
        _solve({cell: guess}, values, hidden, relations, cap)
        for guess in range(cap)
        if guess != values[cell]
    )


def _solve(
    guessed: dict[Cell, int],
    values: Mapping[Cell, int],
    hidden: set[Cell],
    relations: list[Relation[Cell]],
    cap: int,
) -> bool:
    """Is there a whole table with these guesses that agrees with every published cell?"""
    guessed = dict(guessed)
    progress = True
    while progress:  # a sum with one cell unknown gives that cell
        progress = False
        for relation in relations:
            cells = [*relation.parts, relation.total]
            unknown = [c for c in cells if c in hidden and c not in guessed]
            known = {c: guessed[c] if c in hidden else values[c] for c in cells if c not in unknown}
            if not unknown:
                if sum(known[p] for p in relation.parts) != known[relation.total]:
                    return False
            elif len(unknown) == 1:
                (missing,) = unknown
                parts = sum(known[p] for p in relation.parts if p != missing)
                value = parts if missing == relation.total else known[relation.total] - parts
                if not 0 <= value < cap:
                    return False
                guessed[missing] = value
                progress = True
    free = sorted(c for c in hidden if c not in guessed)
    if not free:
        return True
    return any(
        _solve({**guessed, free[0]: v}, values, hidden, relations, cap)
        for v in _near(values[free[0]], cap)
    )


def _near(value: int, cap: int) -> Iterator[int]:
    """The true value first, then ever further from it: a table is found quickly."""
    yield value
    for step in range(1, cap):
        yield from (v for v in (value - step, value + step) if 0 <= v < cap)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(1, 4).flatmap(
        lambda quarters: st.lists(
            st.lists(st.integers(0, 9), min_size=quarters, max_size=quarters),
            min_size=1,
            max_size=3,
        )
    ),
    threshold=st.integers(2, 6),
)
def test_no_hidden_cell_can_be_worked_out_and_nothing_small_is_shown(
    rows: list[list[int]], threshold: int
) -> None:
    values, relations = table(rows)
    hidden = hidden_cells(values, relations, threshold)
    shown = [value for cell, value in values.items() if cell not in hidden]
    assert all(value == 0 or value >= threshold for value in shown)
    for cell in sorted(hidden):
        assert other_value_possible(values, hidden, relations, cell), f"{cell} of {rows}"
