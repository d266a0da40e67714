"""Nobody left waiting: a contact request no one marks handled is reminded once, then passed
on once to the area's coordinators (the global ones when the area has none); handled in
time, it goes nowhere; the weekly figures count in time, late and passed on."""

from __future__ import annotations

import asyncio

import pytest

from bot.context import Services
from bot.domain.models import Access
from bot.domain.weeks import week_of
from bot.services.errors import NotAllowed
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.test_checkins import CO_LEADER, deliveries, open_checkin
from tests.service.world import LEADER, World, build_world, writer_of
from tests.support.clock import FakeClock

AREA_COORDINATOR = 1500
OTHER_AREA_COORDINATOR = 1600


@pytest.fixture
async def world(services: Services) -> World:
    return await build_world(services)


async def ask(world: World, user_id: int = 3001) -> int:
    checkin = await open_checkin(world)
    asked = await world.services.checkins.answer(user_id, -100, checkin, "contact", "1")
    assert asked.new_contact_request is not None
    return asked.new_contact_request


async def test_one_reminder_then_passed_on_once_to_the_global_coordinators(
    world: World, clock: FakeClock
) -> None:
    escalations = world.services.escalations
    request = await ask(world)
    assert await escalations.take_due_steps() == 0
    clock.advance(hours=11)
    assert await escalations.take_due_steps() == 0
    clock.advance(hours=1)  # half of CONTACT_ESCALATION_HOURS (24)
    assert await escalations.take_due_steps() == 1
    assert await escalations.take_due_steps() == 0  # reminded once
    assert [c for c, *_ in await deliveries(world.services, "contact_reminder:%")] == [LEADER]
    assert await deliveries(world.services, "escalation:%") == []
    clock.advance(hours=12)
    assert await escalations.take_due_steps() == 1
    assert await escalations.take_due_steps() == 0  # passed on once
    assert await escalations.next_due() is None
    # The area (Kuopio) has no coordinator of its own: the global ones get it.
    assert [c for c, *_ in await deliveries(world.services, "escalation:%")] == [GLOBAL_COORDINATOR]
    assert [c for c, *_ in await deliveries(world.services, "passed_on:%")] == [LEADER]
    assert str(request) in str(await world.services.escalations.waiting(request))


async def test_the_areas_own_coordinators_get_it_and_may_mark_it_handled(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    await services.people.add_coordinator(OTHER_AREA_COORDINATOR, ["Iisalmi"], create_areas=True)
    request = await ask(world)
    clock.advance(hours=30)  # the bot was down: passed on without a late reminder
    assert await services.escalations.take_due_steps() == 1
    assert await deliveries(services, "contact_reminder:%") == []
    assert [c for c, *_ in await deliveries(services, "escalation:%")] == [AREA_COORDINATOR]
    with pytest.raises(NotAllowed):
        await services.escalations.handle(
            await services.people.access(OTHER_AREA_COORDINATOR), request
        )
    with pytest.raises(NotAllowed):
        await services.escalations.handle(Access(user_id=3002), request)
    assert await services.escalations.handle(
        await services.people.access(AREA_COORDINATOR), request
    )
    assert await services.escalations.waiting(request) is None


async def test_handled_in_time_goes_nowhere(world: World, clock: FakeClock) -> None:
    services = world.services
    request = await ask(world)
    clock.advance(hours=23)
    assert await services.escalations.handle(await world.leader(), request)
    clock.advance(hours=48)
    assert await services.escalations.take_due_steps() == 0
    assert await deliveries(services, "escalation:%") == []


async def test_two_leaders_at_once_one_wins_and_both_are_told(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    group = world.groups[0]
    _, invite = await services.onboarding.new_leader_invite(
        await services.people.access(GLOBAL_COORDINATOR), group.id
    )
    await services.onboarding.join_as_leader(CO_LEADER, "fi", invite)
    request = await ask(world)
    first, second = await asyncio.gather(
        services.escalations.handle(await world.leader(), request),
        services.escalations.handle(await services.people.access(CO_LEADER), request),
    )
    assert sorted([first, second]) == [False, True]


async def test_a_request_handled_before_its_messages_go_writes_nothing(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    request = await ask(world)
    clock.advance(hours=25)
    await services.escalations.take_due_steps()
    writer = writer_of(services)
    written = {}
    for delivery in await services.outbox.claim(100):
        source = await services.outbox.source(delivery.broadcast_id)
        assert source.content_key is not None
        written[delivery.chat_id] = await writer(source.content_key, delivery)
    coordinator = written[GLOBAL_COORDINATOR]
    assert coordinator is not None and "tg://user?id=3001" in coordinator.text
    assert "koordinaattorille" in str(written[LEADER] and written[LEADER].text)
    await services.escalations.handle(await world.leader(), request)
    for delivery in await services.outbox.claim(100):
        source = await services.outbox.source(delivery.broadcast_id)
        assert source.content_key is not None
        assert await writer(source.content_key, delivery) is None


async def test_weekly_figures_count_in_time_late_and_passed_on(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    leader = await world.leader()
    in_time = await ask(world, 3001)
    late = await ask(world, 3002)
    await ask(world, 3003)  # never handled
    assert await services.escalations.handle(leader, in_time)
    clock.advance(hours=25)
    assert await services.escalations.take_due_steps() == 2
    assert await services.escalations.handle(leader, late)
    report = await services.summaries.week(
        await services.people.access(GLOBAL_COORDINATOR), week_of(clock().date())
    )
    figures = report.total.now
    assert (figures.contact_requests, figures.contacts_handled) == (3, 1)
    assert (figures.contacts_late, figures.contacts_escalated) == (1, 2)
    assert [row.requests_waiting for row in report.groups if row.now.contact_requests] == [True]


async def test_a_leader_removed_meanwhile_gets_no_link_to_the_person(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    await ask(world)
    clock.advance(hours=12)
    assert await services.escalations.take_due_steps() == 1  # the reminder, queued
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    await services.leadership.remove(coordinator, world.groups[0].id, LEADER, confirmed=True)
    writer = writer_of(services)
    (delivery,) = await services.outbox.claim(100)
    source = await services.outbox.source(delivery.broadcast_id)
    assert source.content_key is not None and delivery.chat_id == LEADER
    assert await writer(source.content_key, delivery) is None
