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


@dataclass(frozen=True)
class _Rows:
    """Rows read once up to some end; each period filters them by its own end."""

    sessions: list[tuple[int, SessionState, datetime]]  # held since the year's start
    first_answers: list[tuple[int, str, datetime]]  # each person's first of the year
    only: list[int] | None  # the groups asked about (None: all that took part)
    held: list[tuple[int, SessionState, datetime]]  # ever held, by those groups
    stays: list[tuple[int, str, str, datetime]]  # joins and leaves in those groups


class Welfare:
    def __init__(self, db: Database, zone: ZoneInfo, clock: Clock) -> None:
        self._db = db
        self._zone = zone
        self._clock = clock

    async def areas(self) -> list[str]:
        return [area.name for area in await groups_sql.areas(self._db)]

    async def report(self, year: int) -> WelfareReport:
        """The year's rows are read once and each period takes its part in memory: every
        period counts from the year's start, so reading per period read the year's answers
        two and a half times, and its messages twice."""
        area_of = await self._area_names()
        rows = await self._rows(self._db, Period(year))
        sums = await self._sums(year)
        figures: dict[tuple[str, Period], Counter[Indicator]] = defaultdict(Counter)
        for period in periods_of_year(year):
            for group_id, values in (await self._per_group(period, rows, sums)).items():
                if group_id in area_of:
                    figures[area_of[group_id], period].update(values)
        found = dict(figures)
        areas = sorted({a for a, _ in found if +found.get((a, Period(year)), Counter())})
        return WelfareReport(year, areas, found, self._clock())

    async def _per_group(
        self, period: Period, rows: _Rows, sums: dict[tuple[Period, int, str], int]
    ) -> dict[int, Counter[Indicator]]:
        start, end = self._held_bounds(period)
        per_group: dict[int, Counter[Indicator]] = defaultdict(Counter)
        first_held: dict[int, datetime] = {}
        for group_id, state, moment in rows.sessions:
            if moment >= end:
                continue
            first_held[group_id] = min(moment, first_held.get(group_id, moment))
            if moment >= start:
                per_group[group_id][_SESSION[state]] += 1
        for group_id, first in first_held.items():  # counted once a year, when it first met
            per_group[group_id][Indicator.GROUPS_RUN] = int(start <= first)
        for (of, group_id, kind), amount in sums.items():
            if of == period:
                per_group[group_id][_CONTACTS[EventKind(kind)]] += amount
        for group_id, taking in self._taking_part(period, rows).items():
            per_group[group_id][Indicator.PARTICIPANTS] += taking.reached
            per_group[group_id][Indicator.COMPLETERS] += taking.completers
        for group_id, (reached, completers) in (await sql.frozen(self._db, str(period))).items():
            per_group[group_id][Indicator.PARTICIPANTS] += reached
            per_group[group_id][Indicator.COMPLETERS] += completers
        return per_group

    async def _sums(self, year: int) -> dict[tuple[Period, int, str], int]:
        """Contacts per period, group and kind: the quarters from the daily counts, the year
        their sum."""
        quarters = periods_of_year(year)[1:]
        cuts = [q.bounds(self._zone)[0] for q in quarters] + [quarters[-1].bounds(self._zone)[1]]
        sums: dict[tuple[Period, int, str], int] = defaultdict(int)
        for (part, group_id, kind), amount in (
            await sql.contact_sums_by_part(self._db, cuts, list(_CONTACTS))
        ).items():
            sums[quarters[part], group_id, kind] += amount
            sums[Period(year), group_id, kind] += amount
        return dict(sums)

    async def freeze(self, tx: Transaction, group_id: int) -> None:
        """Before a group's pseudonyms are cleared: keep who took part, as counts per period."""
        sessions = await sql.sessions_held(tx, EARLIEST, self._clock(), [group_id])
        moments = [start for _, _, start in sessions] + await sql.answer_span(tx, group_id)
        local = sorted({moment.astimezone(self._zone).year for moment in moments})
        years = range(local[0], local[-1] + 1) if local else range(0)
        for period in [p for year in years for p in periods_of_year(year)]:
            rows = await self._rows(tx, period, [group_id])
            taking = self._taking_part(period, rows).get(group_id)
            if taking and (taking.reached or taking.completers):
                await sql.freeze(tx, group_id, str(period), taking.reached, taking.completers)

    async def _rows(
        self, reader: Database | Transaction, period: Period, only: list[int] | None = None
    ) -> _Rows:
        """What taking part is worked out from, from the year's start (sessions: from ever)
        to the end of `period`; a period that ends sooner filters them by its own end."""
        _, end = self._held_bounds(period)
        year_start = self._year_start(period)
        sessions = await sql.sessions_held(reader, year_start, end)
        answers = await sql.first_answers(reader, year_start, end)
        groups = only or sorted({g for g, _, _ in sessions} | {g for g, _, _ in answers})
        held = await sql.sessions_held(reader, EARLIEST, end, groups)
        stays = await sql.stays(reader, groups, end)
        return _Rows(sessions, answers, only, held, stays)

    def _taking_part(self, period: Period, rows: _Rows) -> dict[int, Taking]:
        start, end = self._held_bounds(period)
        year_start = self._year_start(period)
        answered: dict[int, dict[str, datetime]] = defaultdict(dict)
        for group_id, pseudonym, moment in rows.first_answers:
            if moment < end:  # the first of the year, so also the first before `end`
                answered[group_id][pseudonym] = moment
        groups = rows.only or sorted(
            {g for g, _, moment in rows.sessions if moment < end} | answered.keys()
        )
        wanted = set(groups)
        held: dict[int, list[datetime]] = defaultdict(list)
        for group_id, _, moment in rows.held:
            if moment < end and group_id in wanted:
                held[group_id].append(moment)
        stays: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for group_id, pseudonym, kind, moment in rows.stays:
            if moment < end and group_id in wanted:
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
