"""Reporting periods of the welfare report: a year, or a quarter of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # 1-4, or None for the whole year

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ValueError("a year between 2000 and 2100, please")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError("a quarter is 1, 2, 3 or 4")

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """From the first day 00:00 to the day after the last, local time, as UTC."""
        first_month = 1 if self.quarter is None else 3 * self.quarter - 2
        months = 12 if self.quarter is None else 3
        end_year, end_month = divmod(first_month - 1 + months, 12)
        start = datetime.combine(date(self.year, first_month, 1), time(0), zone)
        end = datetime.combine(date(self.year + end_year, end_month + 1, 1), time(0), zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def periods_of_year(year: int) -> list[Period]:
    """The year and its quarters: everything an export can ask about."""
    return [Period(year), *(Period(year, q) for q in range(1, 5))]
