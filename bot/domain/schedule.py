"""A group's session plan: weekly meetings at a local wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_SESSIONS = 20
DEFAULT_SESSIONS = 6


def session_starts(first: date, at: time, count: int, zone: ZoneInfo) -> list[datetime]:
    """UTC start times of `count` weekly sessions.

    Built from the local date and wall-clock time each week, so a meeting at 18:00
    stays at 18:00 across daylight-saving changes (its UTC time moves instead).
    """
    if not 1 <= count <= MAX_SESSIONS:
        raise ValueError(f"session count must be 1..{MAX_SESSIONS}")
    local_days = (first + timedelta(weeks=week) for week in range(count))
    return [datetime.combine(day, at, tzinfo=zone).astimezone(UTC) for day in local_days]
