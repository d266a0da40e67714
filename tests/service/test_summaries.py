"""Weekly figures from a fixture with known events, checked cell by cell."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.context import Services
from bot.domain.checkins import Mode, Reason
from bot.domain.events import EventKind
from bot.domain.models import Access
from bot.domain.outbox import Sent
from bot.domain.weeks import Week
from bot.services.errors import NotAllowed
from bot.services.summaries import Figures
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.test_broadcasts import queue
from tests.service.world import build_world, posted


async def test_a_week_cell_by_cell_with_the_week_before(services: Services, clock: Any) -> None:
    world = await build_world(services)  # 2026-W48 (Saturday 28.11.): joins and chat bindings
    g1, g2 = world.groups
    leader = await world.leader()
    clock.advance(days=3)  # Tuesday 1.12., week 2026-W49
    await queue(world, f"g:{g1.id}", "next", "now")  # g1: chat + 3 subscribers
    for delivery in await services.outbox.claim(10):
        await services.outbox.settle(delivery, Sent((1,)))
    checkin = await services.checkins.send_now(leader, g1.id)
    await posted(services, checkin, -100)
    await services.checkins.answer(3001, -100, checkin, "week", "3")
    await services.checkins.answer(3002, -100, checkin, "plan", "yes")
    asked = await services.checkins.answer(3003, -100, checkin, "contact", "1")
    assert asked.new_contact_request is not None
    await services.escalations.handle(leader, asked.new_contact_request)
    await services.outside_contacts.log(leader, g2.id, EventKind.PHONE_CONTACT)
    await services.outside_contacts.log(leader, g2.id, EventKind.VISIT)

    report = await services.summaries.week(
        await services.people.access(GLOBAL_COORDINATOR), Week(2026, 49)
    )
    first = next(r for r in report.groups if r.group and r.group.id == g1.id)
    assert first.now == Figures(
        posts=1,
        deliveries=4,
        checkins=1,
        asked=3,
        answers=2,
        reached=3,
        contact_requests=1,
        contacts_handled=1,
    )
    assert first.now.answer_rate == pytest.approx(2 / 3)
    assert first.before.reached == 3  # three people joined in week 48 (leaders do not count)
    assert first.before.answer_rate is None  # no one was asked
    second = next(r for r in report.groups if r.group and r.group.id == g2.id)
    assert second.now == Figures(outside_contacts=2)
    assert report.total.now.outside_contacts == 2 and report.total.now.deliveries == 4
    assert report.total.before.reached == 4  # 3003 joined both groups: counted once in total
    assert [str(week) for week, _ in report.trend] == [f"2026-W{n}" for n in range(42, 50)]
    assert report.trend[-1][1][g1.id] == first.now.reached
    assert report.trend[-2][1][None] == report.total.before.reached == 4


async def test_sessions_count_by_the_week_they_fall_in(services: Services, clock: Any) -> None:
    world = await build_world(services)
    leader = await world.leader()
    await services.checkins.cancel_meeting(leader, 1, Mode.REMOTE, Reason.WEATHER)  # 13.1.2027
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    clock.now = clock.now.replace(year=2027, month=1, day=20)
    report = await services.summaries.week(coordinator, Week(2027, 2))
    assert (report.total.now.in_person, report.total.now.remote) == (1, 1)  # 2 groups, one remote


async def test_area_coordinators_see_their_areas_only_and_others_nothing(
    services: Services,
) -> None:
    await build_world(services)  # both groups in Kuopio
    await services.people.add_coordinator(5001, ["Varkaus"], create_areas=True)
    report = await services.summaries.week(await services.people.access(5001), Week(2026, 48))
    assert report.groups == [] and report.total.now == Figures()
    with pytest.raises(NotAllowed):
        await services.summaries.week(Access(user_id=3001), Week(2026, 48))


async def test_monday_figures_are_queued_once_and_a_missed_monday_later(
    services: Services, clock: Any
) -> None:
    await build_world(services)
    await services.people.add_coordinator(5001, ["Kuopio"])
    summaries = services.summaries
    clock.now = datetime(2026, 11, 30, 5, 59, tzinfo=UTC)  # Monday 7.59 in Helsinki
    assert not await summaries.queue_weekly()
    clock.now = datetime(2026, 12, 2, 12, tzinfo=UTC)  # the bot was down on Monday: Wednesday
    assert await summaries.queue_weekly()
    assert not await summaries.queue_weekly()  # once
    rows = await services.db.fetch_all(
        "SELECT d.chat_id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        " WHERE b.content_key = 'weekly:2026-W48' ORDER BY d.chat_id"
    )
    assert [r[0] for r in rows] == [GLOBAL_COORDINATOR, 5001]


async def test_a_check_in_called_off_is_not_counted_and_answers_count_in_its_week(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    leader = await world.leader()
    await services.checkins.cancel_meeting(leader, 1, Mode.REMOTE, Reason.WEATHER)  # 13.1.2027
    assert await services.checkins.undo(leader, 1) is None  # the meeting is on after all
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    clock.now = datetime(2027, 1, 17, 20, tzinfo=UTC)  # Sunday evening of 2027-W02
    checkin = await services.checkins.send_now(leader, world.groups[0].id)
    await posted(services, checkin, -100)
    clock.advance(days=1)  # answered on Monday, in the next week
    await services.checkins.answer(3001, -100, checkin, "week", "2")
    sunday = (await services.summaries.week(coordinator, Week(2027, 2))).total.now
    assert (sunday.checkins, sunday.asked, sunday.answers) == (1, 3, 1)
    monday = (await services.summaries.week(coordinator, Week(2027, 3))).total.now
    assert (monday.checkins, monday.answers) == (0, 0)
