"""Figures for the municipality's welfare report (PRODUCT.md §5): per municipality (area)
and period, counts only. Small counts are hidden where they are published (documents)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db import repo
from bot.db import welfare as sql
from bot.db.database import Database, Transaction
from bot.domain.clock import Clock
from bot.domain.events import EventKind
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
class AreaFigures:
    name: str
    values: Counter[Indicator] = field(default_factory=Counter)


@dataclass(frozen=True)
class WelfareReport:
    period: Period
    areas: list[AreaFigures]  # only areas with something in the period
    made_at: datetime

    @property
    def total(self) -> Counter[Indicator]:
        return sum((a.values for a in self.areas), Counter())


class Welfare:
    def __init__(self, db: Database, zone: ZoneInfo, clock: Clock) -> None:
        self._db = db
        self._zone = zone
        self._clock = clock

    async def report(self, period: Period, area_names: list[str] | None = None) -> WelfareReport:
        """`area_names` limits it to some municipalities (unknown names give nothing)."""
        start, end = self._held_bounds(period)
        per_group: dict[int, Counter[Indicator]] = defaultdict(Counter)
        for group_id, state, _ in await sql.sessions_held(self._db, start, end):
            per_group[group_id][_SESSION[state]] += 1
        sums = await sql.event_sums(self._db, *period.bounds(self._zone), list(_CONTACTS))
        for (group_id, kind), amount in sums.items():
            per_group[group_id][_CONTACTS[EventKind(kind)]] += amount
        for group_id, taking in (await self._taking_part(period)).items():
            per_group[group_id][Indicator.PARTICIPANTS] += taking.reached
            per_group[group_id][Indicator.COMPLETERS] += taking.completers
        for group_id, (reached, completers) in (await sql.frozen(self._db, str(period))).items():
            per_group[group_id][Indicator.PARTICIPANTS] += reached
            per_group[group_id][Indicator.COMPLETERS] += completers
        return WelfareReport(period, await self._by_area(per_group, area_names), self._clock())

    async def freeze(self, tx: Transaction, group_id: int) -> None:
        """Before a group's pseudonyms are cleared: keep who took part, as counts per period."""
        sessions = await sql.sessions_held(tx, EARLIEST, self._clock(), [group_id])
        years = {start.astimezone(self._zone).year for _, _, start in sessions}
        for period in [p for year in sorted(years) for p in periods_of_year(year)]:
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
        answered: dict[int, list[str]] = defaultdict(list)
        for group_id, pseudonym in await sql.answering(reader, start, end):
            answered[group_id].append(pseudonym)
        groups = only or sorted(
            {g for g, _, _ in await sql.sessions_held(reader, start, end)} | answered.keys()
        )
        held: dict[int, list[datetime]] = defaultdict(list)
        for group_id, _, moment in await sql.sessions_held(reader, EARLIEST, end, groups):
            held[group_id].append(moment)
        stays: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for group_id, pseudonym, kind, moment in await sql.stays(reader, groups, end):
            stays[group_id].append((pseudonym, kind, moment))
        return {
            g: taking_part(held[g], presences(stays[g], answered[g]), start, end) for g in groups
        }

    def _held_bounds(self, period: Period) -> tuple[datetime, datetime]:
        """A session still to come has not been held yet."""
        start, end = period.bounds(self._zone)
        return start, min(end, self._clock())

    async def _by_area(
        self, per_group: dict[int, Counter[Indicator]], area_names: list[str] | None
    ) -> list[AreaFigures]:
        for values in per_group.values():
            held = values[Indicator.SESSIONS_IN_PERSON] + values[Indicator.SESSIONS_REMOTE]
            values[Indicator.GROUPS_RUN] = int(held > 0)
        group_area = await sql.group_areas(self._db)
        by_area: dict[int, Counter[Indicator]] = defaultdict(Counter)
        for group_id, values in per_group.items():
            if group_id in group_area:
                by_area[group_area[group_id]].update(values)
        wanted = {n.casefold() for n in area_names} if area_names else None
        return [
            AreaFigures(area.name, +by_area[area.id])  # + drops the zeros
            for area in await repo.areas(self._db)
            if +by_area[area.id] and (wanted is None or area.name.casefold() in wanted)
        ]


_SESSION = {"planned": Indicator.SESSIONS_IN_PERSON, "remote": Indicator.SESSIONS_REMOTE}
_CONTACTS = {
    EventKind.DELIVERY_SENT: Indicator.MESSAGES,
    EventKind.PHONE_CONTACT: Indicator.OUTSIDE_CONTACTS,
    EventKind.VISIT: Indicator.OUTSIDE_CONTACTS,
}
