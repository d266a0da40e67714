"""Phone buddies through the handlers: /buddy and its buttons, leaving with a confirmation,
a leader's /buddies, and bad input (strangers, participants in leaders' commands, forged or
stale buttons) answered kindly with nothing changed."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from tests.handler.conftest import Harness, running
from tests.handler.test_onboarding_flow import button
from tests.handler.test_timers import timer
from tests.service.world import LEADER, build_world
from tests.support.clock import FakeClock
from tests.support.fake_telegram import FakeTelegram

STRANGER = 9999


def toast(h: Harness) -> str:
    return str(h.fake.calls_to("answerCallbackQuery")[-1].params.get("text"))


def now_(h: Harness, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it is now, after edits (the sender may have sent others since)."""
    return h.fake.sent[(message["chat"]["id"], message["message_id"])]


async def opt_in(h: Harness, user_id: int) -> dict[str, Any]:
    offer = await h.say(user_id, "/buddy")
    assert "Haluaisitko puhelinkaverin" in offer["text"]
    await h.press(user_id, offer, button(offer, "bj:"))
    return now_(h, offer)


async def test_two_opt_in_and_one_leaves_after_a_confirmation(harness: Harness) -> None:
    h = harness
    await build_world(h.services)
    assert "Etsin sinulle kaverin" in (await opt_in(h, 3001))["text"]
    assert "Sinulla on nyt kaveri" in (await opt_in(h, 3002))["text"]
    status = await h.say(3001, "/buddy")
    assert "Kaverisi" in status["text"]
    await h.press(3001, status, button(status, "bl:"))
    confirm = now_(h, status)
    assert "Haluatko lopettaa" in confirm["text"]
    await h.press(3001, confirm, button(confirm, "bl:").replace(":yes", ":no"))
    assert (await h.services.buddies.status(await h.services.people.access(3001)))[0].pair_id
    status = await h.say(3001, "/buddy")
    await h.press(3001, status, button(status, "bl:"))
    confirm = now_(h, status)
    await h.press(3001, confirm, button(confirm, "bl:"))
    assert "Olet lopettanut puhelinkaverit" in now_(h, status)["text"]
    left = await h.services.db.fetch_all(
        "SELECT d.chat_id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        " WHERE b.content_key LIKE 'buddyleft:%'"
    )
    assert [r[0] for r in left] == [3002]


async def test_bad_input_changes_nothing(harness: Harness) -> None:
    h = harness
    world = await build_world(h.services)
    assert "ryhmän jäsenille" in (await h.say(STRANGER, "/buddy"))["text"]
    refused = (await h.say(3001, "/buddies"))["text"]
    assert "tämä ei ole käytössäsi" in refused
    await opt_in(h, 3001)
    await opt_in(h, 3002)
    (status,) = await h.services.buddies.status(await h.services.people.access(3001))
    theirs = await h.say(3003, "/buddy")  # not in the pair
    await h.press(3003, theirs, f"ba:{status.pair_id}:yes", forged=True)
    assert "ei enää toimi" in toast(h)
    await h.press(3003, theirs, f"bn:{status.pair_id}", forged=True)
    assert "ei enää toimi" in toast(h)
    await h.press(3003, theirs, "ba:12x:yes", forged=True)  # malformed
    assert "ei enää toimi" in toast(h)
    other = await h.say(3004, "/buddy")  # a participant of the other group only
    for data in (f"bj:{world.groups[0].id}", f"bs:{status.pair_id}", f"b3:{world.groups[0].id}"):
        await h.press(3004, other, data, forged=True)  # not theirs; not a leader
        assert "tämä ei ole käytössäsi" in toast(h), data
    events = await h.services.db.fetch_all("SELECT 1 FROM contact_events WHERE kind = 'buddy_call'")
    assert events == []
    pairs = await h.services.buddies.group_overview(await world.leader(), world.groups[0].id)
    assert [p.members for p in pairs.pairs] == [(3001, 3002)] and not pairs.waiting


async def test_a_leader_sees_the_pairs_and_splits_one(harness: Harness) -> None:
    h = harness
    world = await build_world(h.services)
    await opt_in(h, 3001)
    await opt_in(h, 3002)
    await h.say(LEADER, "/buddies")
    overview = next(
        m
        for m in h.fake.sent_messages(LEADER)
        if world.groups[0].name in str(m.get("text")) and "pareja 1" in str(m.get("text"))
    )
    await h.press(LEADER, overview, button(overview, "bs:"))
    assert "Pari on purettu" in toast(h)
    pairs = await h.services.buddies.group_overview(await world.leader(), world.groups[0].id)
    assert pairs.pairs == [] and pairs.waiting == [3001, 3002]


async def test_the_weekly_question_is_a_timer_armed_again_at_start_up(
    settings: Settings, clock: FakeClock
) -> None:
    fake = FakeTelegram()
    async with running(settings, clock, fake) as h:
        world = await build_world(h.services)
        for user in (3001, 3002):
            await h.services.buddies.join(await h.services.people.access(user), world.groups[0].id)
    async with running(settings, clock, fake) as h:  # a restart
        asking = timer(h, "ask-buddies:2026-12-05")  # a week later, at midday in Helsinki
        clock.advance(days=7, hours=1)
        await asking.run(h.app)
        sweep = timer(h, "ask-buddies:sweep")
        await sweep.run(h.app)  # a sweep after it asks nothing twice
        rows = await h.services.db.fetch_all(
            "SELECT d.chat_id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " WHERE b.content_key LIKE 'buddyask:%' ORDER BY d.chat_id"
        )
        assert [r[0] for r in rows] == [3001, 3002]
        assert timer(h, "ask-buddies:2026-12-12")  # and the next week's is armed
