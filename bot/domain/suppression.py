"""Small-count suppression for published tables (PRODUCT.md §5).

A column is the parts (one per municipality) and, when there is more than one part,
their total. A count below the threshold is hidden (primary suppression). A hidden part
must not be worked out from the total either: with the total shown, at least two parts
are hidden and together they come to at least the threshold, so each could be anything
from 0 to that sum. If that cannot be reached by hiding more parts, the total is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Protected:
    parts: tuple[int | None, ...]  # None: hidden
    total: int | None  # None: hidden, or not published (a single part)


def protect(parts: Sequence[int], total: int | None, threshold: int) -> Protected:
    """`total` is None when only the parts are published."""
    hidden = {i for i, value in enumerate(parts) if value < threshold}
    total_hidden = total is None or total < threshold
    while not total_hidden and hidden and _derivable(parts, hidden, threshold):
        shown = [i for i in range(len(parts)) if i not in hidden]
        if not shown:
            total_hidden = True
            break
        hidden.add(min(shown, key=lambda i: (parts[i], i)))  # the least informative one
    return Protected(
        tuple(None if i in hidden else value for i, value in enumerate(parts)),
        None if total_hidden else total,
    )


def _derivable(parts: Sequence[int], hidden: set[int], threshold: int) -> bool:
    return len(hidden) < 2 or sum(parts[i] for i in hidden) < threshold
