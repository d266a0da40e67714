"""A coordinator removes a leader (asked first when it is the only leader of a running
group), and sees running groups without a leader or with leaders quiet for two weeks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.context import Services
from bot.domain.weeks import week_of
from bot.i18n import translator
from bot.render.summaries import weekly_summary
from bot.services.errors import NotAllowed
from bot.services.leadership import Removal
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.test_broadcasts import queue, states
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock

OTHER_AREA_COORDINATOR = 1600


@pytest.fixture
async def world(services: Services) -> World:
    return await build_world(services)


async def test_removing_the_only_leader_of_a_running_group_is_asked_first(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    leadership = services.leadership
    group = world.groups[0]
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    await services.people.add_coordinator(OTHER_AREA_COORDINATOR, ["Iisalmi"], create_areas=True)
    with pytest.raises(NotAllowed):
        await leadership.remove(
            await services.people.access(OTHER_AREA_COORDINATOR), group.id, LEADER, confirmed=True
        )
    with pytest.raises(NotAllowed):
        await leadership.remove(await world.leader(), group.id, LEADER, confirmed=True)
    clock.now = datetime(2027, 1, 20, 10, tzinfo=UTC)  # the group is running
    assert (await leadership.leaders(coordinator, group.id)).running
    assert (
        await leadership.remove(coordinator, group.id, LEADER, confirmed=False) is Removal.CONFIRM
    )
    assert group.id in (await world.leader()).leader_of  # nothing changed yet
    assert await leadership.remove(coordinator, group.id, LEADER, confirmed=True) is Removal.REMOVED
    assert group.id not in (await world.leader()).leader_of  # access gone at once
    assert (await world.leader()).leader_of == {world.groups[1].id}
    assert (
        await leadership.remove(coordinator, group.id, LEADER, confirmed=True) is Removal.NOT_LEADER
    )


async def test_a_removed_leaders_posts_to_the_group_that_have_not_gone_stay_unsent(
    world: World,
) -> None:
    """Review: 'a removed leader loses access at once', yet their evening post still went."""
    services, group = world.services, world.groups[0]
    queued = await queue(world, f"g:{group.id}", "next", "evening")
    assert not queued.immediate
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    await services.leadership.remove(coordinator, group.id, LEADER, confirmed=True)
    assert set((await states(services)).values()) == {"cancelled"}


async def test_a_group_not_running_loses_its_leader_without_a_question(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    group = world.groups[1]  # its meetings begin in January
    result = await services.leadership.remove(coordinator, group.id, LEADER, confirmed=False)
    assert result is Removal.REMOVED


async def test_quiet_and_leaderless_groups_reach_the_monday_summary(
    world: World, clock: FakeClock
) -> None:
    services = world.services
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    first, second = world.groups
    clock.now = datetime(2027, 1, 25, 10, tzinfo=UTC)
    await queue(world, f"g:{first.id}", "next", "now")  # the first group's leader posts
    clock.now = datetime(2027, 2, 1, 10, tzinfo=UTC)
    attention = await services.leadership.need_attention(coordinator, clock())
    assert ([g.name for g in attention.quiet], attention.leaderless) == (["Torstairyhmä"], [])
    await services.leadership.remove(coordinator, second.id, LEADER, confirmed=True)
    report = await services.summaries.week(coordinator, week_of(clock().date()))
    assert (report.leaderless, report.quiet_leaders) == (("Torstairyhmä",), ())
    text = weekly_summary(translator("fi"), report)
    assert "Käynnissä olevat ryhmät ilman ohjaajaa: Torstairyhmä" in text
    clock.now = datetime(2027, 2, 12, 10, tzinfo=UTC)  # two weeks on, the first is quiet too
    report = await services.summaries.week(coordinator, week_of(clock().date()))
    assert report.quiet_leaders == ("Tiistairyhmä",)
    with pytest.raises(NotAllowed):
        await services.leadership.need_attention(await world.leader(), clock())
