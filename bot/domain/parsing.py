"""Reading dates, times and names that people type in the guided chats.

Each reader returns the value or a `Problem` that says, in a word, what was wrong,
so the handler can answer kindly in the person's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

MAX_NAME = 64


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_UNDERSTOOD = "not_understood"
    NO_SUCH_DATE = "no_such_date"
    NO_SUCH_TIME = "no_such_time"
    IN_THE_PAST = "in_the_past"
    TOO_FAR = "too_far"
    WEEKDAY_MISMATCH = "weekday_mismatch"  # "ke 10.12." when the 10th is a Thursday
    HIDDEN_CHARACTERS = "hidden_characters"


@dataclass(frozen=True)
class Invalid:
    problem: Problem


_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(?:klo\s*|kl\.?\s*|at\s*)?(\d{1,2})(?:[.:](\d{2}))?$")


# Characters that change how the text around them is shown (right-to-left overrides and
# isolates): a name with them can look like another name, or hide part of itself.
DIRECTION_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def parse_name(text: str) -> str | Invalid:
    name = " ".join(text.split())
    if any(c in DIRECTION_CONTROLS or unicodedata.category(c) == "Cc" for c in name):
        return Invalid(Problem.HIDDEN_CHARACTERS)
    # Only invisible characters (zero-width spaces and joiners) is no name at all.
    if all(unicodedata.category(c) == "Cf" for c in name):
        return Invalid(Problem.EMPTY)
    if len(name) > MAX_NAME:
        return Invalid(Problem.TOO_LONG)
    return name


def parse_date(text: str, today: date) -> date | Invalid:
    """A day in '12.1.2027', '12.1.27', '12.1.' (the next such day) or '2027-01-12' form."""
    cleaned = text.strip().lower().replace(" ", "")
    if match := _ISO_DATE.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
    elif match := _FINNISH_DATE.match(cleaned if cleaned.count(".") > 1 else cleaned + "."):
        day, month = int(match.group(1)), int(match.group(2))
        year = _full_year(match.group(3), day, month, today)
    else:
        return Invalid(Problem.NOT_UNDERSTOOD)
    try:
        result = date(year, month, day)
    except ValueError:
        return Invalid(Problem.NO_SUCH_DATE)
    if result < today:
        return Invalid(Problem.IN_THE_PAST)
    if result.year > today.year + 2:
        return Invalid(Problem.TOO_FAR)
    return result


def _full_year(year: str | None, day: int, month: int, today: date) -> int:
    if year is None:
        # No year: the next such day, so '12.1.' in December means next January.
        return today.year if (month, day) >= (today.month, today.day) else today.year + 1
    return int(year) + 2000 if len(year) == 2 else int(year)


def parse_time(text: str) -> time | Invalid:
    """A wall-clock time in '18', '18.30', '18:30' or 'klo 18.30' form."""
    match = _TIME.match(text.strip().lower())
    if not match:
        return Invalid(Problem.NOT_UNDERSTOOD)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return Invalid(Problem.NO_SUCH_TIME)
    return time(hour, minute)
