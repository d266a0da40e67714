"""The welfare-report figures from a fixture with known events, cell by cell, before and
after the groups' personal rows expire."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.context import Services
from bot.db import welfare as welfare_sql
from bot.documents.welfare import HIDDEN, Only, welfare_table
from bot.domain.checkins import Mode, Reason
from bot.domain.events import EventKind
from bot.domain.periods import Period, periods_of_year
from bot.i18n import translator
from bot.services.welfare import _CONTACTS as welfare_kinds
from bot.services.welfare import Indicator, WelfareReport
from tests.service.world import LEADER, build_world, new_group

K = Indicator  # short, for the tables below
VARKAUS = range(3101, 3107)


async def world(services: Services) -> None:
    """Kuopio: two groups (3 and 2 participants, one of them in both); Varkaus: one group
    of 6. All six sessions fall in January and February 2027."""
    kuopio = await build_world(services)
    group, invite = await new_group(services, "Varkauden ryhmä", area="Varkaus")
    await services.onboarding.join_as_leader(LEADER, "fi", invite)
    links = await services.onboarding.links(await services.people.access(LEADER), group.id)
    for user_id in VARKAUS:
        await services.onboarding.consent(user_id, "fi", links.participant)
    leader = await kuopio.leader()
    first, second = kuopio.groups

    async def session(group_id: int, number: int) -> int:
        row = await services.db.fetch_one(
            "SELECT id FROM sessions WHERE group_id = ? AND number = ?", (group_id, number)
        )
        assert row is not None
        return int(row[0])

    await services.checkins.cancel_meeting(
        leader, await session(first.id, 2), Mode.REMOTE, Reason.WEATHER
    )
    await services.checkins.cancel_meeting(
        leader, await session(second.id, 3), Mode.CANCELLED, Reason.LEADER_ILL
    )
    for _ in range(2):
        await services.outside_contacts.log(leader, group.id, EventKind.PHONE_CONTACT)


# The first quarter as published: 1-4 hidden, and what would give them away; 0 shown.
PUBLISHED: dict[tuple[str, str], object] = {
    ("Kuopio", "Toimineet ryhmät"): HIDDEN,  # 2
    ("Varkaus", "Toimineet ryhmät"): HIDDEN,  # 1
    ("Kaikki kunnat", "Toimineet ryhmät"): HIDDEN,  # 3
    ("Kuopio", "Tapaamiset paikan päällä"): 10,
    ("Varkaus", "Tapaamiset paikan päällä"): 6,
    ("Kaikki kunnat", "Tapaamiset paikan päällä"): 16,
    ("Kuopio", "Etätapaamiset"): HIDDEN,  # 1
    ("Varkaus", "Etätapaamiset"): 0,
    ("Kaikki kunnat", "Etätapaamiset"): HIDDEN,  # 1: it would be Kuopio's
    ("Kuopio", "Tavoitetut osallistujat"): 5,
    ("Varkaus", "Tavoitetut osallistujat"): 6,
    ("Kaikki kunnat", "Tavoitetut osallistujat"): 11,
    ("Kuopio", "Loppuun osallistuneet"): 5,
    ("Varkaus", "Loppuun osallistuneet"): 6,
    ("Kaikki kunnat", "Loppuun osallistuneet"): 11,
    ("Kuopio", "Yhteydet: perille menneet viestit"): 0,
    ("Varkaus", "Yhteydet: perille menneet viestit"): 0,
    ("Kaikki kunnat", "Yhteydet: perille menneet viestit"): 0,
    ("Kuopio", "Yhteydet: puhelut ja käynnit"): 0,  # the calls were in 2026
    ("Varkaus", "Yhteydet: puhelut ja käynnit"): 0,
    ("Kaikki kunnat", "Yhteydet: puhelut ja käynnit"): 0,
}

FIRST_QUARTER = {
    "Kuopio": {
        K.GROUPS_RUN: 2,
        K.SESSIONS_IN_PERSON: 10,
        K.SESSIONS_REMOTE: 1,
        K.PARTICIPANTS: 5,
        K.COMPLETERS: 5,
    },
    "Varkaus": {K.GROUPS_RUN: 1, K.SESSIONS_IN_PERSON: 6, K.PARTICIPANTS: 6, K.COMPLETERS: 6},
}


def figures(report: WelfareReport, period: Period) -> dict[str, dict[Indicator, int]]:
    found = {a: +report.figures.get((a, period), Counter()) for a in report.areas}
    return {area: dict(values) for area, values in found.items() if values}


async def test_figures_cell_by_cell_and_as_published(services: Services, clock: Any) -> None:
    await world(services)
    clock.now = clock.now.replace(year=2027, month=3, day=1)
    report = await services.welfare.report(2027)
    assert figures(report, Period(2027, 1)) == FIRST_QUARTER
    assert figures(report, Period(2027)) == FIRST_QUARTER
    assert figures(report, Period(2027, 2)) == {}
    # The phone calls were logged in 2026: they belong to that year, which had no sessions.
    last_year = await services.welfare.report(2026)
    assert figures(last_year, Period(2026, 4)) == {"Varkaus": {K.OUTSIDE_CONTACTS: 2}}

    table = welfare_table(translator("fi"), report, 5, services.zone, Only(quarter=1))
    cells = {(row[0], row[2]): row[3] for row in table.rows}
    assert cells == PUBLISHED


async def test_sessions_still_to_come_do_not_count(services: Services, clock: Any) -> None:
    await world(services)
    clock.now = clock.now.replace(year=2027, month=1, day=28)  # after three sessions
    report = await services.welfare.report(2027)
    assert figures(report, Period(2027))["Varkaus"] == {
        K.GROUPS_RUN: 1,
        K.SESSIONS_IN_PERSON: 3,
        K.PARTICIPANTS: 6,
    }


async def test_figures_stay_when_personal_rows_expire_and_forgetting_takes_one_out(
    services: Services, clock: Any
) -> None:
    await world(services)
    clock.now = clock.now.replace(year=2027, month=3, day=1)
    assert await services.privacy.forget(3004)  # in Kuopio's second group only
    before = figures(await services.welfare.report(2027), Period(2027, 1))
    assert before["Kuopio"][K.PARTICIPANTS] == 4
    clock.now = clock.now.replace(month=6)  # 90 days after the last session
    expired = await services.privacy.expire()
    assert expired.groups == 3
    left = await services.db.fetch_one(
        "SELECT count(*) FROM contact_events WHERE pseudonym IS NOT NULL"
    )
    assert left is not None and left[0] == 0
    after = await services.welfare.report(2027)
    assert figures(after, Period(2027, 1)) == before == figures(after, Period(2027))


async def test_the_year_read_once_gives_each_period_what_reading_it_alone_gives(
    services: Services, clock: Any
) -> None:
    """The export reads the year's rows once and splits them by period in memory; each
    period must come out as when its own rows are read up to its own end."""
    await world(services)
    async with services.db.transaction() as tx:  # Varkaus's last three sessions in spring
        await tx.execute(
            "UPDATE sessions SET starts_at = datetime(starts_at, '+3 months') WHERE number >= 4"
            " AND group_id = (SELECT id FROM groups WHERE name = 'Varkauden ryhmä')"
        )
    clock.now = clock.now.replace(year=2027, month=5, day=12)  # two of them held
    welfare, zone = services.welfare, services.zone
    report = await welfare.report(2027)
    area_of = await welfare._area_names()
    assert figures(report, Period(2027, 2)) == {
        "Varkaus": {K.SESSIONS_IN_PERSON: 2, K.COMPLETERS: 6}  # their 4th session in Q2
    }
    for period in periods_of_year(2027):
        rows = await welfare._rows(services.db, period)
        sums = await welfare_sql.event_sums(services.db, *period.bounds(zone), list(welfare_kinds))
        alone = await welfare._per_group(
            period, rows, {(period, g, kind): n for (g, kind), n in sums.items()}
        )
        by_area: dict[str, Counter[Indicator]] = {}
        for group_id, values in alone.items():
            by_area.setdefault(area_of[group_id], Counter()).update(values)
        assert figures(report, period) == {a: dict(+v) for a, v in by_area.items() if +v}
