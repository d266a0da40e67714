"""Figures for the municipality's welfare report (README: Admin commands): per municipality (area)
and period, counts only. Small counts are hidden where they are published (documents)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db import groups as groups_sql
from bot.db import welfare as sql
from bot.db.database import Database, Transaction
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import SessionState
from bot.domain.participation import Taking, presences, taking_part
from bot.domain.periods import Period, periods_of_year

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class Indicator(StrEnum):
    GROUPS_RUN = "groups_run"
    SESSIONS_IN_PERSON = "sessions_in_person"
    SESSIONS_REMOTE = "sessions_remote"
    PARTICIPANTS = "participants"
    COMPLETERS = "completers"
    MESSAGES = "messages"  # contacts through Telegram
    OUTSIDE_CONTACTS = "outside_contacts"  # phone calls and visits


@dataclass(frozen=True)
class WelfareReport:
    """A year and its quarters: the figures of each municipality (area) with anything in
    that year, by period. Published together, so that one suppression covers them all."""

    year: int
    areas: list[str]
    figures: dict[tuple[str, Period], Counter[Indicator]]
    made_at: datetime

    @property
    def periods(self) -> list[Period]:
        return [*periods_of_year(self.year)[1:], Period(self.year)]  # quarters, then the year


class Welfare:
    def __init__(self, db: Database, zone: ZoneInfo, clock: Clock) -> None:
        self._db = db
        self._zone = zone
        self._clock = clock

    async def areas(self) -> list[str]:
        return [area.name for area in await groups_sql.areas(self._db)]

    async def report(self, year: int) -> WelfareReport:
        area_of = await self._area_names()
        figures: dict[tuple[str, Period], Counter[Indicator]] = defaultdict(Counter)
        for period in periods_of_year(year):
            for group_id, values in (await self._per_group(period)).items():
                if group_id in area_of:
                    figures[area_of[group_id], period].update(values)
        found = dict(figures)
        areas = sorted({a for a, _ in found if +found.get((a, Period(year)), Counter())})
        return WelfareReport(year, areas, found, self._clock())

    async def _per_group(self, period: Period) -> dict[int, Counter[Indicator]]:
        start, end = self._held_bounds(period)
        per_group: dict[int, Counter[Indicator]] = defaultdict(Counter)
        first_held: dict[int, datetime] = {}
        for group_id, state, moment in await sql.sessions_held(
            self._db, self._year_start(period), end
        ):
            first_held[group_id] = min(moment, first_held.get(group_id, moment))
            if moment >= start:
                per_group[group_id][_SESSION[state]] += 1
        for group_id, first in first_held.items():  # counted once a year, when it first met
            per_group[group_id][Indicator.GROUPS_RUN] = int(start <= first)
        sums = await sql.event_sums(self._db, *period.bounds(self._zone), list(_CONTACTS))
        for (group_id, kind), amount in sums.items():
            per_group[group_id][_CONTACTS[EventKind(kind)]] += amount
        for group_id, taking in (await self._taking_part(period)).items():
            per_group[group_id][Indicator.PARTICIPANTS] += taking.reached
            per_group[group_id][Indicator.COMPLETERS] += taking.completers
        for group_id, (reached, completers) in (await sql.frozen(self._db, str(period))).items():
            per_group[group_id][Indicator.PARTICIPANTS] += reached
            per_group[group_id][Indicator.COMPLETERS] += completers
        return per_group

    async def freeze(self, tx: Transaction, group_id: int) -> None:
        """Before a group's pseudonyms are cleared: keep who took part, as counts per period."""
        sessions = await sql.sessions_held(tx, EARLIEST, self._clock(), [group_id])
        moments = [start for _, _, start in sessions] + await sql.answer_span(tx, group_id)
        local = sorted({moment.astimezone(self._zone).year for moment in moments})
        years = range(local[0], local[-1] + 1) if local else range(0)
        for period in [p for year in years for p in periods_of_year(year)]:
            taking = (await self._taking_part(period, tx, [group_id])).get(group_id)
            if taking and (taking.reached or taking.completers):
                await sql.freeze(tx, group_id, str(period), taking.reached, taking.completers)

    async def _taking_part(
        self,
        period: Period,
        db: Database | Transaction | None = None,
        only: list[int] | None = None,
    ) -> dict[int, Taking]:
        reader = db or self._db
        start, end = self._held_bounds(period)
        year_start = self._year_start(period)
        answered: dict[int, dict[str, datetime]] = defaultdict(dict)
        for group_id, pseudonym, moment in await sql.first_answers(reader, year_start, end):
            answered[group_id][pseudonym] = moment
        groups = only or sorted(
            {g for g, _, _ in await sql.sessions_held(reader, year_start, end)} | answered.keys()
        )
        held: dict[int, list[datetime]] = defaultdict(list)
        for group_id, _, moment in await sql.sessions_held(reader, EARLIEST, end, groups):
            held[group_id].append(moment)
        stays: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for group_id, pseudonym, kind, moment in await sql.stays(reader, groups, end):
            stays[group_id].append((pseudonym, kind, moment))
        return {
            g: taking_part(held[g], presences(stays[g], answered[g]), (start, end), year_start)
            for g in groups
        }

    def _year_start(self, period: Period) -> datetime:
        return Period(period.year).bounds(self._zone)[0]

    def _held_bounds(self, period: Period) -> tuple[datetime, datetime]:
        """A session still to come has not been held yet."""
        start, end = period.bounds(self._zone)
        return start, min(end, self._clock())

    async def _area_names(self) -> dict[int, str]:
        """Each group's municipality, by name."""
        names = {area.id: area.name for area in await groups_sql.areas(self._db)}
        return {group: names[area] for group, area in (await sql.group_areas(self._db)).items()}


_SESSION = {
    SessionState.PLANNED: Indicator.SESSIONS_IN_PERSON,
    SessionState.REMOTE: Indicator.SESSIONS_REMOTE,
}
_CONTACTS = {
    EventKind.DELIVERY_SENT: Indicator.MESSAGES,
    EventKind.PHONE_CONTACT: Indicator.OUTSIDE_CONTACTS,
    EventKind.VISIT: Indicator.OUTSIDE_CONTACTS,
}
