"""The daily counts of contacts (`contact_days`, kept by triggers) give the welfare figures
the same sums as the events themselves, at the edges of a period in local time too."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

from bot.context import Services
from bot.db import welfare as sql
from bot.db.events import insert_event
from bot.domain.events import EventKind
from bot.domain.periods import periods_of_year
from tests.service.world import build_world

KINDS = [EventKind.DELIVERY_SENT, EventKind.PHONE_CONTACT, EventKind.VISIT]
BACKFILL = (Path(__file__).parents[2] / "migrations" / "0020_contact_days.sql").read_text()


async def by_part_from_events(services: Services, cuts: list) -> dict[tuple[int, int, str], int]:
    sums = {}
    for part, (start, end) in enumerate(pairwise(cuts)):
        for (group_id, kind), amount in (
            await sql.event_sums(services.db, start, end, KINDS)
        ).items():
            sums[part, group_id, kind] = amount
    return sums


async def test_daily_counts_sum_as_the_events_do(services: Services) -> None:
    world = await build_world(services)
    first, second = (group.id for group in world.groups)
    quarters = periods_of_year(2026)[1:]
    cuts = [q.bounds(services.zone)[0] for q in quarters] + [quarters[-1].bounds(services.zone)[1]]
    moments = [cut + timedelta(seconds=s) for cut in cuts for s in (-3601, -1, 0, 1, 3600, 7300)]
    rng = random.Random(13)
    moments += [cuts[0] + timedelta(seconds=rng.randrange(366 * 86400)) for _ in range(300)]
    async with services.db.transaction() as tx:
        for moment in moments:
            await insert_event(
                tx,
                kind=rng.choice([*KINDS, EventKind.CHECKIN_ANSWERED]),
                now=moment,
                area_id=None,
                group_id=rng.choice([first, second, None]),
                pseudonym=None,
                amount=rng.choice([1, 2]),
            )
    expected = await by_part_from_events(services, cuts)
    assert await sql.contact_sums_by_part(services.db, cuts, KINDS) == expected
    async with services.db.transaction() as tx:  # as a deleted group's events are kept
        await tx.execute(
            "UPDATE contact_events SET group_id = NULL WHERE group_id = ? AND pseudonym IS NULL",
            (first,),
        )
    before, expected = expected, await by_part_from_events(services, cuts)
    assert expected != before
    assert await sql.contact_sums_by_part(services.db, cuts, KINDS) == expected
    backfill = next(s for s in BACKFILL.split(";") if "FROM contact_events" in s)
    async with services.db.transaction() as tx:  # the migration counts the events before it
        await tx.execute("DELETE FROM contact_days")
        await tx.execute(backfill)
    assert await sql.contact_sums_by_part(services.db, cuts, KINDS) == expected


async def test_a_contact_taken_back_is_counted_off(services: Services) -> None:
    """A leader's undo deletes a phone call's event: the daily count follows (review)."""
    world = await build_world(services)
    group = world.groups[0].id
    quarters = periods_of_year(2026)[1:]
    cuts = [q.bounds(services.zone)[0] for q in quarters] + [quarters[-1].bounds(services.zone)[1]]
    moment = cuts[1] + timedelta(days=3)
    async with services.db.transaction() as tx:
        for _ in range(2):
            await insert_event(
                tx, kind=EventKind.PHONE_CONTACT, now=moment, area_id=None, group_id=group,
                pseudonym=None, amount=1,
            )  # fmt: skip
    async with services.db.transaction() as tx:
        await tx.execute(
            "DELETE FROM contact_events WHERE rowid ="
            " (SELECT rowid FROM contact_events WHERE kind = 'phone_contact' LIMIT 1)"
        )
    expected = await by_part_from_events(services, cuts)
    assert expected == {(1, group, EventKind.PHONE_CONTACT): 1}
    assert await sql.contact_sums_by_part(services.db, cuts, KINDS) == expected
