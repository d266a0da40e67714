"""ISO weeks ('2026-W48'), their bounds in local time, and the weeks people ask about
('48', 'viikko 49/2026', 'vko 49', 'vecka 49 2026', '2026-W48')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.parsing import Invalid, Problem

EARLIEST_YEAR = 2000  # no figures before it; and weeks before year 1 do not exist at all
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
# The way Finns and Swedes write it: an optional word for week, the number, an optional year.
_LOCAL_WEEK = re.compile(
    r"(?:(?:viikko|viikon|vko|vk|vecka|veckan|v|week|wk)\.?\s*)?(\d{1,2})(?:\s*[/.\s]\s*(\d{4}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """From Monday 00:00 to the next Monday 00:00 local time, as UTC."""
        start = datetime.combine(self.monday, time(0), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(weeks=1), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def previous(self) -> Week:
        return week_of(self.monday - timedelta(weeks=1))


def week_of(day: date) -> Week:
    year, number, _ = day.isocalendar()
    return Week(year, number)


def parse_week(text: str, today: date) -> Week | Invalid:
    """'2026-W48', '48' (the latest week 48: this year's, or last year's while it has not
    come yet), 'viikko 49/2026', 'vko 49', 'v. 49 2026', 'vecka 49'. Not a week to come,
    not one before EARLIEST_YEAR, and not a week that does not exist."""
    cleaned = " ".join(text.split())
    if match := _ISO_WEEK.fullmatch(cleaned):
        year, number = int(match.group(1)), int(match.group(2))
    elif match := _LOCAL_WEEK.fullmatch(cleaned):
        number = int(match.group(1))
        current = week_of(today)
        if match.group(2):
            year = int(match.group(2))
        else:
            year = current.year if number <= current.number else current.year - 1
    else:
        return Invalid(Problem.NOT_UNDERSTOOD)
    if year < EARLIEST_YEAR:  # the eight weeks before it would fall before year 1
        return Invalid(Problem.IN_THE_PAST)
    try:
        week = week_of(date.fromisocalendar(year, number, 1))
    except ValueError:
        return Invalid(Problem.NO_SUCH_DATE)
    if week > week_of(today):
        return Invalid(Problem.TOO_FAR)
    return week
