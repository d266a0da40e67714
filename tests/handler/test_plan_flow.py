"""/plan through the real handlers: the words stay in the chat, the database gets a number."""

from __future__ import annotations

import pytest

from tests.handler.conftest import Harness
from tests.service.world import World, build_world
from tests.support.clock import FakeClock

PARTICIPANT = 3001


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


async def test_a_plan_with_low_confidence_is_made_smaller_then_pinned(
    harness: Harness, world: World
) -> None:
    h = harness
    assert "Mitä" in (await h.say(PARTICIPANT, "/plan"))["text"]
    await h.say(PARTICIPANT, "kävellä")
    await h.say(PARTICIPANT, "30 minuuttia")
    await h.say(PARTICIPANT, "aamulla")
    question = await h.say(PARTICIPANT, "joka päivä")
    assert "Kuinka varma" in question["text"]
    assert "Valitse numero 0–10" in (await h.say(PARTICIPANT, "11"))["text"]
    assert "Valitse numero 0–10" in (await h.say(PARTICIPANT, "seitsemän"))["text"]
    await h.press(PARTICIPANT, h.last(PARTICIPANT), "pl:4")
    assert "pienentää" in h.last(PARTICIPANT)["text"]
    await h.press(PARTICIPANT, h.last(PARTICIPANT), "pl:smaller")
    await h.say(PARTICIPANT, "10 minuuttia")
    await h.say(PARTICIPANT, "aamulla")
    await h.say(PARTICIPANT, "kolmesti")
    await h.press(PARTICIPANT, h.last(PARTICIPANT), "pl:8")
    card = next(
        m
        for m in h.fake.sent_messages(PARTICIPANT)
        if "Toimintasuunnitelmani" in str(m.get("text"))
    )
    assert "10 minuuttia" in card["text"] and "8/10" in card["text"]
    assert h.fake.calls_to("pinChatMessage")[-1].params["message_id"] == card["message_id"]

    rows = await h.services.db.fetch_all("SELECT * FROM action_plans")
    assert [(r["confidence"], r["followed"]) for r in rows] == [(8, None)]
    dump = "\n".join(str(tuple(r)) for r in await h.services.db.fetch_all("SELECT * FROM dialogs"))
    assert "kävellä" not in dump and "minuuttia" not in dump  # the words were never stored


async def test_the_next_private_checkin_asks_how_the_plan_went(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    await h.say(PARTICIPANT, "/plan")
    for answer in ("kävellä", "10 minuuttia", "aamulla", "kolmesti", "9"):
        await h.say(PARTICIPANT, answer)
    leader = await world.leader()
    await h.services.checkins.send_now(leader, world.groups[0].id)
    h.app.bot_data["sender"].wake()
    call = await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == PARTICIPANT
            and "Mitä kuuluu" in str(c.params.get("text"))
        )
    )
    assert "Teit toimintasuunnitelman (kuinka varma: 9/10)" in call.params["text"]
    await h.recorded()
    message = next(
        m for m in h.fake.sent_messages(PARTICIPANT) if "Mitä kuuluu" in str(m.get("text"))
    )
    data = next(
        b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].endswith(":plan:partly")
    )
    await h.press(PARTICIPANT, message, data)
    rows = await h.services.db.fetch_all("SELECT followed FROM action_plans")
    assert [r[0] for r in rows] == ["partly"]


async def test_strangers_and_cancel(harness: Harness, world: World) -> None:
    h = harness
    assert "ryhmäläisille" in (await h.say(9999, "/plan"))["text"]
    await h.say(PARTICIPANT, "/plan")
    assert "keskeytin" in (await h.say(PARTICIPANT, "/cancel"))["text"]
    await h.press(PARTICIPANT, h.last(PARTICIPANT), "pl:8", forged=True)
    assert await h.services.db.fetch_one("SELECT 1 FROM action_plans") is None


async def test_every_plan_question_has_a_way_out(harness: Harness, world: World) -> None:
    """Issue 12 item 6: /plan had no way out but typing /cancel."""
    h = harness
    first = await h.say(PARTICIPANT, "/plan")
    await h.say(PARTICIPANT, "kävellä")
    await h.say(PARTICIPANT, "30 minuuttia")
    await h.say(PARTICIPANT, "aamulla")
    confidence = await h.say(PARTICIPANT, "joka päivä")
    for question in (first, confidence):
        labels = [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row]
        assert "Lopeta" in labels
    stop = next(
        b["callback_data"]
        for row in confidence["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Lopeta"
    )
    await h.press(PARTICIPANT, confidence, stop)
    assert await h.services.dialogs.current(PARTICIPANT) is None
    assert await h.services.db.fetch_one("SELECT 1 FROM action_plans") is None
