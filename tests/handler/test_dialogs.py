"""Guided chats through the registry: one open at a time, never replaced without asking,
ended by /cancel, and a plan whose words a restart lost starts again kindly."""

from __future__ import annotations

import pytest

from tests.handler.conftest import Harness
from tests.service.world import LEADER, World, build_world


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


async def open_dialog(h: Harness) -> str | None:
    row = await h.services.db.fetch_one("SELECT kind FROM dialogs WHERE user_id = ?", (LEADER,))
    return row["kind"] if row else None


def buttons(message: dict[str, object]) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])  # type: ignore[union-attr]
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def test_a_post_in_the_middle_of_a_plan_asks_before_dropping_it(
    harness: Harness, world: World
) -> None:
    h = harness
    await h.say(LEADER, "/plan")
    await h.say(LEADER, "kävellä")
    await h.feed(h.fake.photo_message(LEADER, caption="Kuva retkeltä"))
    question = h.last(LEADER)
    assert "Sinulla on vielä kesken: toimintasuunnitelma" in question["text"]
    assert [label for label, _ in buttons(question)] == ["Keskeytä se"]
    assert await open_dialog(h) == "plan"

    # Nothing was lost: the plan goes on where it was.
    assert "Milloin" in (await h.say(LEADER, "puoli tuntia"))["text"]

    await h.press(LEADER, question, buttons(question)[0][1])
    assert "keskeytin sen" in h.fake.calls_to("editMessageText")[-1].params["text"]
    assert await open_dialog(h) is None
    await h.feed(h.fake.photo_message(LEADER, caption="Kuva retkeltä"))
    assert "Tiistairyhmä" in str(buttons(h.last(LEADER)))  # now it is a post to send
    assert await open_dialog(h) == "broadcast"


async def test_a_new_group_is_not_replaced_by_a_plan(harness: Harness, world: World) -> None:
    h = harness
    await h.services.people.add_coordinator(LEADER, ["Kuopio"])
    await h.say(LEADER, "/newgroup")
    assert await open_dialog(h) == "new_group"
    assert "uuden ryhmän luominen" in (await h.say(LEADER, "/plan"))["text"]
    assert await open_dialog(h) == "new_group"


async def test_cancel_ends_the_plan_and_its_words(harness: Harness, world: World) -> None:
    h = harness
    await h.say(LEADER, "/plan")
    await h.say(LEADER, "kävellä")
    assert "keskeytin" in (await h.say(LEADER, "/cancel"))["text"].lower()
    assert await open_dialog(h) is None
    assert "plan" not in h.app.user_data[LEADER]
    await h.say(LEADER, "Hyvää viikonloppua!")
    assert await open_dialog(h) == "broadcast"  # text is a post again, not a plan answer


async def test_a_plan_whose_words_a_restart_lost_starts_again(
    harness: Harness, world: World
) -> None:
    h = harness
    await h.say(LEADER, "/plan")
    await h.say(LEADER, "kävellä")
    h.app._user_data[LEADER].clear()  # what a restart does to the words in memory
    await h.say(LEADER, "puoli tuntia")
    sent = [m["text"] for m in h.fake.sent_messages(LEADER)[-2:]]
    assert "aiemmat vastauksesi katosivat" in sent[0]
    assert "Mitä" in sent[1]
    assert await open_dialog(h) == "plan"
