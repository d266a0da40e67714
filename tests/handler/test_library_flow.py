"""The library's bad input through the real handlers: a post that cannot be kept, a
forged or stale offer, a stranger at a coordinator's buttons, the /forget choice."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.handler.test_onboarding_flow import button
from tests.service.world import LEADER, World, build_world

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


async def offer(h: Harness, invitation: dict[str, Any]) -> str:
    """Offer, the first topic, with the leader's name; returns what the leader is told."""
    await h.press(LEADER, invitation, button(invitation, "lbo:"))
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "lbt:"))
    agree = next(d for d in _data(h.last(LEADER)) if d.startswith("lba:") and d.endswith(":1"))
    await h.press(LEADER, h.last(LEADER), agree)
    return str(h.last(LEADER)["text"])


async def test_a_poll_is_refused_kindly_and_nothing_is_offered(
    harness: Harness, world: World
) -> None:
    h = harness
    invitation = await send_to_one_group(h, POLL)
    assert "Tällaista viestiä ei voi viedä kirjastoon" in await offer(h, invitation)
    assert await h.services.db.fetch_one("SELECT 1 FROM library_items") is None
    assert not h.fake.calls_to("copyMessages")  # no coordinator was asked


async def test_an_offer_twice_or_by_a_stranger_changes_nothing(
    harness: Harness, world: World
) -> None:
    h = harness
    invitation = await send_to_one_group(h, VIDEO)
    assert "Koordinaattori katsoo sen" in await offer(h, invitation)
    assert "Olet jo tarjonnut" in await offer(h, invitation)
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
    assert "Hyviä uutisia" in h.last(LEADER)["text"]


async def test_forget_offers_to_keep_library_posts_without_the_name(
    harness: Harness, world: World
) -> None:
    h = harness
    await offer(h, await send_to_one_group(h, VIDEO))
    question = await h.say(LEADER, "/forget")
    assert "kirjastoon tarjoamasi viestit" in question["text"]
    await h.press(LEADER, question, "fg:keep")
    row = await h.services.db.fetch_one("SELECT author_id, author_name, state FROM library_items")
    assert row is not None and tuple(row) == (None, None, "offered")


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
