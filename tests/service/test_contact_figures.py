"""Only what reaches participants and group chats is a contact: a fixture with leaders'
summaries, coordinators' Monday figures and notices, counted by hand, and the weekly
figures and the welfare export agreeing with that count."""

from __future__ import annotations

from typing import Any

from bot.context import Services
from bot.documents.welfare import Only, welfare_table
from bot.domain.checkins import Mode, Reason
from bot.domain.periods import Period
from bot.domain.weeks import Week
from bot.i18n import translator
from bot.services.summaries import Figures
from bot.services.welfare import Indicator
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.world import build_world, deliver_all


async def session_id(services: Services, group_id: int, number: int) -> int:
    row = await services.db.fetch_one(
        "SELECT id FROM sessions WHERE group_id = ? AND number = ?", (group_id, number)
    )
    assert row is not None
    return int(row[0])


async def test_figures_count_contacts_with_the_group_only(services: Services, clock: Any) -> None:
    world = await build_world(services)  # g1: chat + 3001-3003; g2: chat + 3003, 3004
    g1, g2 = world.groups
    leader = await world.leader()
    clock.advance(days=3)  # Tuesday 1.12., week 2026-W49
    for group in (g1, g2):  # notices to the chats and the subscribers
        meeting = await session_id(services, group.id, 1)
        cancelled = await services.checkins.cancel_meeting(
            leader, meeting, Mode.CANCELLED, Reason.OTHER
        )
        assert cancelled is None
    checkin = await services.checkins.send_now(leader, g1.id)
    await deliver_all(services)
    await services.checkins.answer(3001, -100, checkin, "week", "3")
    clock.advance(hours=49)  # the window closes: the leader's summary
    assert await services.checkins.close_due() == [checkin]
    assert await services.summaries.queue_weekly()  # the coordinators' figures of W48
    await deliver_all(services)
    staff = await services.db.fetch_one(
        "SELECT count(*) FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        " WHERE d.state = 'sent' AND (b.content_key LIKE 'summary:%'"
        " OR b.content_key LIKE 'weekly:%')"
    )
    assert staff is not None and staff[0] == 2  # both were sent, and are not contacts

    # By hand: g1 notice 4 + check-in 4 = 8 messages, to 3001-3003; g2 notice 3, to 3003, 3004.
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    report = await services.summaries.week(coordinator, Week(2026, 49))
    by_group = {r.group.id: r.now for r in report.groups if r.group}
    assert by_group[g1.id] == Figures(deliveries=8, checkins=1, asked=3, answers=1, reached=3)
    assert by_group[g2.id] == Figures(deliveries=3, reached=2)
    assert (report.total.now.deliveries, report.total.now.reached) == (11, 4)

    clock.now = clock.now.replace(year=2027, month=1, day=2)
    export = await services.welfare.report(2026)
    assert export.figures["Kuopio", Period(2026, 4)][Indicator.MESSAGES] == 11
    table = welfare_table(translator("fi"), export, 5, services.zone, Only(quarter=4))
    cells = {(row[0], row[2]): row[3] for row in table.rows}
    assert cells["Kuopio", "Yhteydet: perille menneet viestit"] == 11
