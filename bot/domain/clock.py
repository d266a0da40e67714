"""Time in one place: aware UTC datetimes inside, local time only at the edges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo

Clock = Callable[[], datetime]

_DB_FORMAT = "%Y-%m-%d %H:%M:%S"


def system_clock() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store only aware UTC times")
    return moment.astimezone(UTC).strftime(_DB_FORMAT)


def from_db(text: str) -> datetime:
    return datetime.strptime(text, _DB_FORMAT).replace(tzinfo=UTC)


def day_start(moment: datetime, zone: tzinfo) -> datetime:
    """The start of the moment's local day, in UTC: the only time a pseudonymous row keeps,
    so that it cannot be joined to an identified row by an equal or nearby time."""
    local = moment.astimezone(zone)
    midnight = datetime.combine(local.date(), time(), tzinfo=zone)
    return midnight.astimezone(UTC)


def whole_second_up(moment: datetime) -> datetime:
    """The next whole second (or the moment itself): the database keeps whole seconds, and a
    due time cut down to them would come early (a retry_after of 1 s retried after 0.46 s)."""
    if moment.microsecond == 0:
        return moment
    return moment.replace(microsecond=0) + timedelta(seconds=1)
