"""Issue 12, item 11: /contact in plain words, with the week's totals and an undo."""

from __future__ import annotations

from typing import Any

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def data(message: dict[str, Any], label: str) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


def toast(h: Harness) -> str:
    return str(h.fake.calls_to("answerCallbackQuery")[-1].params.get("text"))


async def logged(h: Harness, kind: str) -> int:
    row = await h.services.db.fetch_one(
        "SELECT coalesce(sum(amount), 0) FROM contact_events WHERE kind = ?", (kind,)
    )
    assert row is not None
    return int(row[0])


async def test_plain_buttons_the_weeks_total_and_an_undo_for_a_double_tap(
    harness: Harness, world: World
) -> None:
    h = harness
    menu = await h.say(LEADER, "/contact")
    # Issue 12: the buttons read "📞 +1 Tiistairyhmä kevät". A leader of two groups now
    # picks the group by its name, then gets plain words.
    assert not [label for label in labels(menu) if "+1" in label]
    assert labels(menu) == ["Tiistairyhmä", "Torstairyhmä"]
    await press_labelled(h, LEADER, menu, "Tiistairyhmä")
    panel = h.last(LEADER)
    assert labels(panel) == ["📞 Soitin", "🏠 Kävin"]
    assert "Tällä viikolla: 0 puhelua, 0 käyntiä" in panel["text"]

    # A double tap: two calls counted, and the undo takes one back.
    await h.press(LEADER, panel, data(panel, "📞 Soitin"))
    assert toast(h) == "Puhelu tallessa. Kiitos!"
    await h.press(LEADER, panel, data(panel, "📞 Soitin"))
    panel = h.last(LEADER)
    assert "Tällä viikolla: 2 puhelua, 0 käyntiä" in panel["text"]
    assert labels(panel) == ["📞 Soitin", "🏠 Kävin", "↩️ Peru puhelu"]
    undo = data(panel, "↩️ Peru puhelu")
    await h.press(LEADER, panel, undo)
    assert toast(h) == "Peruttu."
    panel = h.last(LEADER)
    assert "Tällä viikolla: 1 puhelu, 0 käyntiä" in panel["text"]
    assert "↩️ Peru puhelu" not in labels(panel)
    assert await logged(h, "phone_contact") == 1

    # A double tap on the undo takes back only one.
    await h.press(LEADER, panel, undo, forged=True)
    assert toast(h) == "Ei ole mitään peruttavaa."
    assert await logged(h, "phone_contact") == 1

    await h.press(LEADER, panel, data(panel, "🏠 Kävin"))
    assert "Tällä viikolla: 1 puhelu, 1 käynti" in h.last(LEADER)["text"]


async def test_an_undo_from_an_earlier_day_changes_nothing(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    await press_labelled(h, LEADER, await h.say(LEADER, "/contact"), "Torstairyhmä")
    panel = h.last(LEADER)
    await h.press(LEADER, panel, data(panel, "🏠 Kävin"))
    undo = data(h.last(LEADER), "↩️ Peru käynti")
    clock.advance(days=1)
    await h.press(LEADER, panel, undo, forged=True)
    assert toast(h) == "Ei ole mitään peruttavaa." and await logged(h, "visit") == 1


async def test_others_cannot_log_or_undo(harness: Harness, world: World) -> None:
    h = harness
    group = world.groups[0].id
    await h.press(LEADER, await h.say(LEADER, "/contact"), f"lc:{group}:phone", forged=True)
    assert await logged(h, "phone_contact") == 1
    anyone = await h.say(3001, "/contact")
    for forged in (f"lc:{group}:phone", f"lu:{group}:phone:20270101:1", f"lg:{group}"):
        await h.press(3001, anyone, forged, forged=True)
    assert await logged(h, "phone_contact") == 1


async def test_in_swedish(harness: Harness, world: World) -> None:
    h = harness
    await h.services.people.choose_language(LEADER, "sv")
    await press_labelled(h, LEADER, await h.say(LEADER, "/contact"), "Tiistairyhmä")
    panel = h.last(LEADER)
    assert labels(panel) == ["📞 Jag ringde", "🏠 Jag besökte"]
    await h.press(LEADER, panel, data(panel, "🏠 Jag besökte"))
    assert "Den här veckan: 0 samtal, 1 besök" in h.last(LEADER)["text"]
    assert labels(h.last(LEADER))[-1] == "↩️ Ångra besöket"


async def test_a_leader_of_one_group_gets_the_buttons_at_once(
    harness: Harness, world: World
) -> None:
    h = harness
    async with h.services.db.transaction() as tx:
        await tx.execute(
            "DELETE FROM memberships WHERE user_id = ? AND group_id = ?",
            (LEADER, world.groups[1].id),
        )
    panel = await h.say(LEADER, "/contact")
    assert panel["text"].startswith("Tiistairyhmä")
    assert labels(panel) == ["📞 Soitin", "🏠 Kävin"]
