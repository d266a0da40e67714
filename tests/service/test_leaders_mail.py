"""Coordinators' messages to leaders: who may send, to whom, and who may answer."""

from __future__ import annotations

import pytest

from bot.context import Services
from bot.domain.parsing import Invalid, Problem
from bot.services.errors import Busy, NotAllowed, Stale
from bot.services.leaders_mail import Answer
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.world import LEADER, World, build_world, new_group

AREA_COORDINATOR = 1500
OTHER_LEADER = 2100


@pytest.fixture
async def world(services: Services) -> World:
    world = await build_world(services)
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    _, invite = await new_group(services, "Iisalmen ryhmä", area="Iisalmi")
    await services.onboarding.join_as_leader(OTHER_LEADER, "fi", invite)
    return world


async def test_only_coordinators_send_and_only_to_their_areas_leaders(world: World) -> None:
    services = world.services
    mail = services.leaders_mail
    with pytest.raises(NotAllowed):
        await mail.begin(await world.leader())
    coordinator = await services.people.access(AREA_COORDINATOR)
    await mail.begin(coordinator)
    view = await mail.received(coordinator, AREA_COORDINATOR, 7, None)
    assert view is not None
    assert [g.name for g in view.groups] == ["Tiistairyhmä", "Torstairyhmä"]
    assert await mail.send(coordinator, view.revision) == Invalid(Problem.EMPTY)
    chosen = await mail.press(coordinator, view.revision, world.groups[0].id)
    assert not isinstance(chosen, Invalid)
    with pytest.raises(Stale):  # an old keyboard
        await mail.press(coordinator, view.revision, world.groups[1].id)
    other = await services.db.fetch_one("SELECT id FROM groups WHERE name = 'Iisalmen ryhmä'")
    assert other is not None
    assert isinstance(await mail.press(coordinator, chosen.revision, other[0]), Invalid)
    assert await mail.send(coordinator, chosen.revision) == 1
    with pytest.raises(Stale):  # pressed twice
        await mail.send(coordinator, chosen.revision)
    rows = await services.db.fetch_all(
        "SELECT b.audience, d.chat_id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
    )
    assert {(r[0], r[1]) for r in rows} >= {("staff", LEADER)}
    assert OTHER_LEADER not in {r[1] for r in rows}


async def test_only_a_leader_it_was_sent_to_may_answer(world: World) -> None:
    services = world.services
    mail = services.leaders_mail
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    await mail.begin(coordinator)
    view = await mail.received(coordinator, GLOBAL_COORDINATOR, 7, None)
    assert view is not None
    chosen = await mail.press(coordinator, view.revision, world.groups[0].id)
    assert not isinstance(chosen, Invalid)
    await mail.send(coordinator, chosen.revision)
    row = await services.db.fetch_one(
        "SELECT id FROM broadcasts WHERE source_chat_id = ?", (GLOBAL_COORDINATOR,)
    )
    assert row is not None
    copied = int(row[0])
    with pytest.raises(NotAllowed):  # a forged button of someone it did not reach
        await mail.begin_answer(await services.people.access(OTHER_LEADER), copied)
    with pytest.raises(NotAllowed):  # not a coordinator's message
        await mail.begin_answer(await world.leader(), copied + 1000)
    leader = await world.leader()
    await mail.begin_answer(leader, copied)
    with pytest.raises(Busy):  # another guided chat is open
        await services.broadcasts.start(leader, chat_id=LEADER, message_id=9)
    assert await mail.take_answer(leader, None) == Answer(GLOBAL_COORDINATOR, first=True)
    assert await mail.take_answer(leader, None) is None  # one answer per tap

    # An album answers part by part; the message after it is no answer.
    await mail.begin_answer(leader, copied)
    assert await mail.take_answer(leader, "album-1") == Answer(GLOBAL_COORDINATOR, first=True)
    assert await mail.take_answer(leader, "album-1") == Answer(GLOBAL_COORDINATOR, first=False)
    assert await mail.take_answer(leader, "album-1") == Answer(GLOBAL_COORDINATOR, first=False)
    assert await mail.take_answer(leader, None) is None
    assert await services.dialogs.current(LEADER) is None
