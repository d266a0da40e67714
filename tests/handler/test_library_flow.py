"""The library's bad input through the real handlers: a post that cannot be kept, a
forged or stale offer, a stranger at a coordinator's buttons, the /forget choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.domain.library import Decision
from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.handler.test_onboarding_flow import button
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock
from tests.support.fake_telegram import Call

PARTICIPANT = 3001
POLL = {
    "poll": {
        "id": "p1",
        "question": "Kävelläänkö?",
        "options": [
            {"persistent_id": "a", "text": "Kyllä", "voter_count": 0},
            {"persistent_id": "b", "text": "Ei", "voter_count": 0},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }
}
VIDEO = {
    "video": {
        "file_id": "video-file-x",
        "file_unique_id": "u-x",
        "width": 1,
        "height": 1,
        "duration": 3,
    }
}


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


async def send_to_one_group(h: Harness, content: dict[str, Any]) -> dict[str, Any]:
    """The post to the first group, now; returns its finished report (the offer's button)."""
    await h.feed(h.fake.content_message(LEADER, content))
    # All the leader's groups are chosen already (a first post): unchoose the others.
    others = [d for d in _data(h.last(LEADER)) if d.startswith("bc:") and ":g:" in d]
    for other in others[1:]:
        await h.press(LEADER, h.last(LEADER), other)
    for label in ("Seuraava", "Nyt", "Lähetä"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    report = h.last(LEADER)
    await h.fake.wait_for(
        lambda c: c.method == "editMessageText" and "lbo:" in str(c.params.get("reply_markup"))
    )
    await h.recorded()
    return h.fake.sent[(LEADER, report["message_id"])]


def _data(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def offer(h: Harness, invitation: dict[str, Any], *, asked: bool = True) -> str:
    """Offer, the first topic, with the leader's name; returns what the leader is told.
    `asked`: wait until the outbox has asked the coordinator to decide."""
    await h.press(LEADER, invitation, button(invitation, "lbo:"))
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "lbt:"))
    agree = next(d for d in _data(h.last(LEADER)) if d.startswith("lba:") and d.endswith(":1"))
    await h.press(LEADER, h.last(LEADER), agree)
    told = str(h.last(LEADER)["text"])
    if asked:
        await choices_to(h, GLOBAL_COORDINATOR)
    return told


def is_choices_to(chat_id: int) -> Callable[[Call], bool]:
    return lambda c: (
        c.method == "sendMessage"
        and c.params["chat_id"] == chat_id
        and "lbd:" in str(c.params.get("reply_markup"))
    )


async def choices_to(h: Harness, chat_id: int) -> Call:
    """A coordinator's choices about an offer, once delivered and recorded."""
    call = await h.fake.wait_for(is_choices_to(chat_id))
    await h.recorded()
    return call


async def told_author(h: Harness, text: str) -> None:
    await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params["chat_id"] == LEADER
            and text in str(c.params["text"])
        )
    )
    await h.recorded()


async def test_a_poll_is_refused_kindly_and_nothing_is_offered(
    harness: Harness, world: World
) -> None:
    h = harness
    invitation = await send_to_one_group(h, POLL)
    assert "Tällaista viestiä ei voi viedä kirjastoon" in await offer(h, invitation, asked=False)
    assert await h.services.db.fetch_one("SELECT 1 FROM library_items") is None
    await h.recorded()
    copied_to = {c.params["chat_id"] for c in h.fake.calls if c.method.startswith("copyMessage")}
    assert GLOBAL_COORDINATOR not in copied_to  # no coordinator was asked


async def test_an_offer_twice_or_by_a_stranger_changes_nothing(
    harness: Harness, world: World
) -> None:
    h = harness
    invitation = await send_to_one_group(h, VIDEO)
    assert "Koordinaattori katsoo sen" in await offer(h, invitation)
    assert "Olet jo tarjonnut" in await offer(h, invitation, asked=False)
    offer_data = button(invitation, "lbo:")
    await h.feed(h.fake.private_message(PARTICIPANT, "hei"))
    await h.press(
        PARTICIPANT,
        h.last(PARTICIPANT),
        offer_data.replace("lbo", "lba") + ":sleep_fatigue:1",
        forged=True,
    )
    assert (await h.services.db.fetch_one("SELECT count(*) FROM library_items"))[0] == 1  # type: ignore[index]

    # A participant pressing a coordinator's decision: refused, the offer still waits.
    decision = h.last(GLOBAL_COORDINATOR)
    approve = next(d for d in _data(decision) if d.endswith(":approve"))
    await h.press(PARTICIPANT, h.last(PARTICIPANT), approve, forged=True)
    row = await h.services.db.fetch_one("SELECT state FROM library_items")
    assert row is not None and row[0] == "offered"
    await h.press(GLOBAL_COORDINATOR, decision, approve)
    assert "Hyväksytty" in h.last(GLOBAL_COORDINATOR)["text"]
    await told_author(h, "Hyviä uutisia")
    asked_twice = [c for c in h.fake.calls if is_choices_to(GLOBAL_COORDINATOR)(c)]
    assert len(asked_twice) == 1  # the second offer asked no one


async def test_forget_offers_to_keep_library_posts_without_the_name(
    harness: Harness, world: World
) -> None:
    h = harness
    await offer(h, await send_to_one_group(h, VIDEO))
    plain = await h.say(LEADER, "/forget")  # an offer not yet published: nothing to keep
    assert "kirjastoon tarjoamasi viestit" not in plain["text"]
    item = await h.services.db.fetch_one("SELECT id FROM library_items")
    assert item is not None
    coordinator = await h.services.people.access(GLOBAL_COORDINATOR)
    await h.services.library_items.decide(coordinator, item[0], Decision.APPROVE, None)
    question = await h.say(LEADER, "/forget")
    assert "kirjastoon tarjoamasi viestit" in question["text"]
    await h.press(LEADER, question, "fg:keep")
    row = await h.services.db.fetch_one("SELECT author_id, author_name, state FROM library_items")
    assert row is not None and tuple(row) == (None, None, "approved")


async def test_the_author_may_add_a_title_and_other_text_stays_a_post(
    harness: Harness, world: World
) -> None:
    h = harness
    await offer(h, await send_to_one_group(h, VIDEO))
    thanks = h.last(LEADER)
    assert "Lisää otsikko" in str(thanks["reply_markup"])
    await h.press(LEADER, thanks, button(thanks, "lbn:"))
    assert "enintään 60" in (await h.say(LEADER, "x" * 61))["text"]
    assert "Aamuvenyttely" in (await h.say(LEADER, "  Aamuvenyttely  "))["text"]
    row = await h.services.db.fetch_one("SELECT title FROM library_items")
    assert row is not None and row[0] == "Aamuvenyttely"
    # The title chat has ended: the next text is a post again.
    assert "Minne lähetän" in (await h.say(LEADER, "Hyvää viikonloppua"))["text"]


async def test_a_coordinator_lists_approved_items_with_their_reach_and_retires_one(
    harness: Harness, world: World
) -> None:
    h = harness
    await offer(h, await send_to_one_group(h, VIDEO))
    decision = h.last(GLOBAL_COORDINATOR)
    await h.press(
        GLOBAL_COORDINATOR, decision, next(d for d in _data(decision) if d.endswith(":approve"))
    )
    listing = await h.say(GLOBAL_COORDINATOR, "/library")
    assert "lähetetty 0 ryhmään" in listing["text"]
    await h.press(GLOBAL_COORDINATOR, listing, button(listing, "lbx:"))
    row = await h.services.db.fetch_one("SELECT state FROM library_items")
    assert row is not None and row[0] == "retired"
    assert "ei ole vielä" in (await h.say(GLOBAL_COORDINATOR, "/library"))["text"]


async def test_telegram_failing_at_that_moment_loses_neither_the_offer_nor_the_decision(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    """The copy to a coordinator and the decision to the leader are outbox deliveries: a
    refused request is tried again, and the copy still comes before its buttons."""
    h = harness
    invitation = await send_to_one_group(h, VIDEO)
    # A server error: not retried by the request layer, so only the outbox can retry it.
    for method in ("copyMessage", "copyMessages"):
        h.fake.fail_next(method, 502, "Bad Gateway")
    await offer(h, invitation, asked=False)
    await h.fake.wait_for(lambda c: c.method.startswith("copyMessage") and c.status == 502)
    await h.recorded()
    clock.advance(seconds=5)
    h.app.bot_data["sender"].wake()
    choices = await choices_to(h, GLOBAL_COORDINATOR)
    copies = [
        c
        for c in h.fake.calls
        if c.method.startswith("copyMessage") and c.params["chat_id"] == GLOBAL_COORDINATOR
    ]
    assert [c.status for c in copies] == [502, 200]
    assert h.fake.calls.index(copies[-1]) < h.fake.calls.index(choices)

    h.fake.fail_next("sendMessage", 502, "Bad Gateway")
    decision = h.last(GLOBAL_COORDINATOR)
    approve = next(d for d in _data(decision) if d.endswith(":approve"))
    await h.press(GLOBAL_COORDINATOR, decision, approve)
    await h.fake.wait_for(lambda c: c.method == "sendMessage" and c.status == 502)
    await h.recorded()
    clock.advance(seconds=5)
    h.app.bot_data["sender"].wake()
    await told_author(h, "Hyviä uutisia")
