"""Splitting a list into pages that fit Telegram's limits (pure).

Every list the bot shows grows: groups in an area, meetings, scheduled posts. A page is a
run of whole entries whose text and buttons stay within a budget; an entry is never split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_TEXT = 4096  # characters of a message, as Telegram counts them (UTF-16 code units)
MAX_BUTTONS = 100  # buttons in one inline keyboard


def text_length(text: str) -> int:
    """Telegram's count: UTF-16 code units. Markup still in the text only overestimates."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Size:
    text: int  # the entry's text with its separator
    buttons: int


def split_pages(sizes: Sequence[Size], text_budget: int, button_budget: int) -> list[range]:
    """Consecutive entries per page, as ranges of indices; at least one (maybe empty) page.

    An entry larger than a budget on its own still gets a page of its own: callers keep
    single entries small (names are at most 64 characters)."""
    pages: list[range] = []
    start, text, buttons = 0, 0, 0
    for index, size in enumerate(sizes):
        fits = text + size.text <= text_budget and buttons + size.buttons <= button_budget
        if not fits and index > start:
            pages.append(range(start, index))
            start, text, buttons = index, 0, 0
        text += size.text
        buttons += size.buttons
    pages.append(range(start, len(sizes)))
    return pages


def fit_names(names: Sequence[str], budget: int, separator: str = ", ") -> tuple[list[str], int]:
    """As many names as fit in `budget` characters, and how many were left out."""
    shown: list[str] = []
    used = 0
    for name in names:
        cost = text_length(name) + (text_length(separator) if shown else 0)
        if used + cost > budget:
            break
        shown.append(name)
        used += cost
    return shown, len(names) - len(shown)
