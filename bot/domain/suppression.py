"""Small-count suppression for published tables (README: Admin commands, `export`).

A table is cells and the sums that tie them together: each relation says that some parts
add up to a total (municipalities to all of them, quarters to the year). A count from 1
to below the threshold is hidden (primary suppression); a 0 is shown, since that nothing
happened says nothing about anyone.

Then more cells are hidden (secondary suppression) until every hidden cell could be
different: it lies on a *move*, a few hidden cells changed by +1 or -1 so that every sum
stays as published and no count goes below 0 (two cells of one sum, or the four corners
of a rectangle across two sums). Whoever knows every published number, and that the sums
hold, still cannot tell the hidden cell's value. For each cell that needs one, the move
that hides the least is chosen.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Relation(Generic[Key]):
    parts: Sequence[Key]
    total: Key

    @property
    def cells(self) -> list[Key]:
        return [*self.parts, self.total]


def hidden_cells(
    values: Mapping[Key, int], relations: Sequence[Relation[Key]], threshold: int
) -> set[Key]:
    table = _Table(values, relations)
    hidden = {key for key, value in values.items() if 0 < value < threshold}
    while True:
        bare = next((c for c in table.ordered(hidden) if not table.protected(c, hidden)), None)
        if bare is None:
            return hidden
        more = table.cheapest_move(bare, hidden) - hidden
        if not more:  # cannot happen in a table of parts and totals; never loop on it
            raise ValueError(f"no move of two or four cells protects {bare!r}")
        hidden |= more


class _Table(Generic[Key]):
    def __init__(self, values: Mapping[Key, int], relations: Sequence[Relation[Key]]) -> None:
        self.values = values
        self.order = {key: index for index, key in enumerate(values)}
        self.relations_of: dict[Key, list[Relation[Key]]] = defaultdict(list)
        for relation in relations:
            for cell in relation.cells:
                self.relations_of[cell].append(relation)

    def ordered(self, cells: set[Key]) -> list[Key]:
        return sorted(cells, key=self.order.__getitem__)

    def protected(self, cell: Key, hidden: set[Key]) -> bool:
        return any(set(move) <= hidden for move in self._moves(cell))

    def cheapest_move(self, cell: Key, hidden: set[Key]) -> set[Key]:
        """The cells a move through `cell` needs hidden: the smallest counts first."""

        def cost(move: dict[Key, int]) -> tuple[int, int]:
            new = [c for c in move if c not in hidden]
            return sum(self.values[c] for c in new), len(new)

        best = min(self._moves(cell), key=cost, default=None)
        if best is None:  # no move at all: hide everything it is summed with
            return {c for r in self.relations_of[cell] for c in r.cells}
        return set(best)

    def _moves(self, cell: Key) -> Iterator[dict[Key, int]]:
        """Moves through `cell` that keep every sum and, one way or the other, every count
        at 0 or above."""
        for cells in self._shapes(cell):
            for signs in itertools.product((1, -1), repeat=len(cells) - 1):
                move = dict(zip(cells, (1, *signs), strict=True))
                if self._keeps_sums(move) and self._possible(move):
                    yield move

    def _shapes(self, cell: Key) -> Iterator[tuple[Key, ...]]:
        """Two cells of one sum; four corners of a rectangle across two sums."""
        mine = self.relations_of[cell]
        for relation in mine:
            for other in relation.cells:
                if other != cell:
                    yield (cell, other)
        for first, second in itertools.permutations(mine, 2):
            for across in first.cells:
                for down in second.cells:
                    if cell in (across, down) or across == down:
                        continue
                    for corner in self._shared(across, down, first, second):
                        if corner not in (cell, across, down):
                            yield (cell, across, down, corner)

    def _shared(
        self, across: Key, down: Key, first: Relation[Key], second: Relation[Key]
    ) -> Iterator[Key]:
        downs = {c for r in self.relations_of[down] if r is not second for c in r.cells}
        for relation in self.relations_of[across]:
            if relation is not first:
                yield from (c for c in relation.cells if c in downs)

    def _keeps_sums(self, move: dict[Key, int]) -> bool:
        touched = {id(r): r for c in move for r in self.relations_of[c]}.values()
        return all(sum(move.get(p, 0) for p in r.parts) == move.get(r.total, 0) for r in touched)

    def _possible(self, move: dict[Key, int]) -> bool:
        """Up by one where the move says +1, down where -1, or the other way round: the
        cells going down must be at least 1."""
        return any(
            all(self.values[c] >= 1 for c, sign in move.items() if sign == direction)
            for direction in (1, -1)
        )
