"""Contacts outside Telegram: a leader's phone calls and visits, counted
for the group; no one is named. A leader sees the week's totals and can take back a
contact logged by mistake the same day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.db import events as events_sql
from bot.db import groups as groups_sql
from bot.db.database import Database
from bot.domain.clock import Clock, day_start
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.domain.weeks import week_of
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed

KINDS = (EventKind.PHONE_CONTACT, EventKind.VISIT)


@dataclass(frozen=True)
class WeekContacts:
    """A group's contacts outside Telegram this week, and the day they were counted on."""

    group: Group
    calls: int
    visits: int
    today: date


class OutsideContacts:
    def __init__(self, db: Database, log: ContactLog, clock: Clock, zone: ZoneInfo) -> None:
        self._db = db
        self._log = log
        self._clock = clock
        self._zone = zone

    async def week(self, access: Access, group_id: int) -> WeekContacts:
        group = await self._led(access, group_id)
        today = self._clock().astimezone(self._zone).date()
        start, end = week_of(today).bounds(self._zone)
        totals = [
            await events_sql.unnamed_total(self._db, group_id, kind, start, end) for kind in KINDS
        ]
        return WeekContacts(group, totals[0], totals[1], today)

    async def log(self, access: Access, group_id: int, kind: EventKind) -> WeekContacts:
        group = await self._led(access, group_id)
        if kind not in KINDS:
            raise ValueError(kind)
        async with self._db.transaction() as tx:
            await self._log.record(tx, kind, group)
        return await self.week(access, group_id)

    async def undo(
        self, access: Access, group_id: int, kind: EventKind, day: int, total: int
    ) -> WeekContacts | None:
        """Take back one contact of `kind` logged today, if the week's total is still the
        `total` the undo was offered at; None if not (taken back already, as by a double
        tap, or logged on another day: those figures stand)."""
        await self._led(access, group_id)
        if kind not in KINDS:
            raise ValueError(kind)
        now = self._clock()
        if day != day_number(now.astimezone(self._zone).date()):
            return None
        week = await self.week(access, group_id)
        if (week.calls if kind is EventKind.PHONE_CONTACT else week.visits) != total:
            return None
        async with self._db.transaction() as tx:
            removed = await events_sql.delete_one_unnamed(
                tx, group_id, kind, day_start(now, self._zone)
            )
        return await self.week(access, group_id) if removed else None

    async def _led(self, access: Access, group_id: int) -> Group:
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        return group


def day_number(day: date) -> int:
    """A day as yyyymmdd, as an undo button carries it."""
    return day.year * 10000 + day.month * 100 + day.day
