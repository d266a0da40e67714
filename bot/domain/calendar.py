"""Finnish public holidays, to flag meetings that fall on one (the holidays library)."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays

# The library's names for our languages.
_LANGUAGE = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


@cache
def _finland(year: int, language: str) -> holidays.HolidayBase:
    import holidays  # imported when first asked: it is large, and rarely needed

    return holidays.country_holidays("FI", years=year, language=_LANGUAGE[language])


def holiday(day: date, language: str) -> str | None:
    """The public holiday on `day` in Finland, named in `language`, or None."""
    name = _finland(day.year, language).get(day)
    return str(name) if name else None
