"""A coordinator removes a group's only leader through the buttons: asked first while the
group runs; afterwards the leader's own commands no longer reach the group, and /groups
flags it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


async def test_removing_the_only_leader_asks_first_and_takes_access_at_once(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    clock.now = datetime(2027, 1, 20, 10, tzinfo=UTC)  # Tiistairyhmä is running
    groups = await h.say(GLOBAL_COORDINATOR, "/groups")
    await press_labelled(h, GLOBAL_COORDINATOR, groups, "Ohjaajat: Tiistairyhmä")
    listing = h.last(GLOBAL_COORDINATOR)
    assert "Ohjaajat, ryhmä Tiistairyhmä:" in listing["text"]
    await press_labelled(h, GLOBAL_COORDINATOR, listing, "Poista ohjaaja 1")
    question = h.last(GLOBAL_COORDINATOR)
    assert "ainoa ohjaaja" in question["text"]
    assert world.groups[0].id in (await world.leader()).leader_of
    await press_labelled(h, GLOBAL_COORDINATOR, question, "Poista silti")
    assert "ei enää ohjaa" in h.last(GLOBAL_COORDINATOR)["text"]

    # The next thing the former leader does no longer reaches that group.
    prompt = await h.say(LEADER, "/checkin")
    assert "Tiistairyhmä" not in str(prompt)
    groups = await h.say(GLOBAL_COORDINATOR, "/groups")
    assert "⚠️ Ei ohjaajaa" in groups["text"]
    # The same press again (a second coordinator's copy of it) changes nothing.
    data = f"ldr:{world.groups[0].id}:{LEADER}:yes"
    await h.press(GLOBAL_COORDINATOR, question, data, forged=True)
    edited = next(
        m
        for m in h.fake.sent_messages(GLOBAL_COORDINATOR)
        if m["message_id"] == question["message_id"]
    )
    assert "ei enää ohjaa sitä ryhmää" in edited["text"]
