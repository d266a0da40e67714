"""After the last meeting a leader can write the group's closing message themselves: their
next message, of any kind, is copied to the group chat through the outbox (nothing of it is
stored), once for the group whichever leader is first; the ready text stays one tap away."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.db import people as people_sql
from bot.domain.models import Role
from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.handler.test_checkin_flow import texts_to
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock
from tests.support.fake_telegram import Call

CO_LEADER = 2002
CHAT = -100  # Tiistairyhmä's chat
READY_TEXT = "Yhteiset tapaamisemme ovat nyt takana"


@pytest.fixture
async def world(harness: Harness, clock: FakeClock) -> World:
    built = await build_world(harness.services)
    async with harness.services.db.transaction() as tx:  # a second leader of Tiistairyhmä
        await people_sql.ensure_person(tx, CO_LEADER, "fi")
        await people_sql.add_membership(tx, built.groups[0].id, CO_LEADER, Role.LEADER)
    clock.now = clock.now.replace(year=2027, month=2, day=17, hour=16, minute=0)
    return built


async def questions(h: Harness) -> dict[int, dict[str, Any]]:
    """The question after the last meeting of Tiistairyhmä, as each of its leaders got it."""
    assert await h.services.reminders.ask_about_follow_up() == 2
    h.app.bot_data["sender"].wake()
    for leader in (LEADER, CO_LEADER):
        await h.fake.wait_for(
            lambda c, leader=leader: (
                c.params.get("chat_id") == leader  # type: ignore[misc]
                and "Tiistairyhmä" in str(c.params.get("text"))
            )
        )
    await h.recorded()
    return {
        leader: next(
            m for m in h.fake.sent_messages(leader) if "Tiistairyhmä" in str(m.get("text"))
        )
        for leader in (LEADER, CO_LEADER)
    }


def copies_to(h: Harness, chat_id: int) -> list[Call]:
    return [
        c
        for c in h.fake.calls
        if c.method in ("copyMessage", "copyMessages") and c.params.get("chat_id") == chat_id
    ]


def last_toast(h: Harness) -> str:
    return str(h.fake.calls_to("answerCallbackQuery")[-1].params.get("text"))


async def test_a_leaders_own_closing_message_goes_once_and_the_other_leader_is_told(
    harness: Harness, world: World
) -> None:
    h = harness
    asked = await questions(h)
    assert "✏️ Kirjoitan oman" in str(asked[LEADER]["reply_markup"])
    await press_labelled(h, LEADER, asked[LEADER], "✏️ Kirjoitan oman")
    prompt = h.last(LEADER)
    assert "Kirjoita loppuviesti ryhmälle Tiistairyhmä." in prompt["text"]
    assert "Lähetä sittenkin valmis viesti" in str(prompt["reply_markup"])

    own = h.fake.photo_message(LEADER, caption="Kiitos kaikille!")
    await h.feed(own)
    assert "matkalla ryhmälle" in h.last(LEADER)["text"]
    h.app.bot_data["sender"].wake()
    copy = await h.fake.wait_for(
        lambda c: c.method == "copyMessage" and c.params.get("chat_id") == CHAT
    )
    assert copy.params["from_chat_id"] == LEADER
    assert copy.params["message_id"] == own["message"]["message_id"]
    await h.recorded()
    row = await h.services.db.fetch_one(
        "SELECT content_key FROM broadcasts WHERE source_chat_id = ?", (LEADER,)
    )
    assert row is not None and row[0] is None  # a copy by ids: the caption is not stored

    # The other leader, a moment later: told it went, and nothing more goes.
    await press_labelled(h, CO_LEADER, asked[CO_LEADER], "Lähetä loppuviesti")
    assert last_toast(h) == "Loppuviesti on jo lähetetty."
    await press_labelled(h, CO_LEADER, asked[CO_LEADER], "✏️ Kirjoitan oman")
    assert last_toast(h) == "Loppuviesti on jo lähetetty."
    h.app.bot_data["sender"].wake()
    await h.recorded()
    assert len(copies_to(h, CHAT)) == 1
    assert not any(READY_TEXT in t for t in texts_to(h, CHAT))

    # The leader's next message is an ordinary one again, not a second closing message.
    reply = await h.say(LEADER, "Muistakaa kävellä!")
    assert "Minne lähetän" in reply["text"]
    assert len(copies_to(h, CHAT)) == 1


async def test_a_second_leaders_own_message_after_the_first_is_told_it_went_already(
    harness: Harness, world: World
) -> None:
    h = harness
    asked = await questions(h)
    await press_labelled(h, LEADER, asked[LEADER], "✏️ Kirjoitan oman")
    await press_labelled(h, CO_LEADER, asked[CO_LEADER], "✏️ Kirjoitan oman")
    await h.say(LEADER, "Kiitos, oli ihana ryhmä!")
    told = await h.say(CO_LEADER, "Kiitos kaikille ja hyvää kevättä!")
    assert told["text"] == "Loppuviesti on jo lähetetty."
    again = await h.say(CO_LEADER, "Vielä yksi asia")  # told once: this is an ordinary message
    assert "Milloin lähetän" in again["text"]
    h.app.bot_data["sender"].wake()
    await h.fake.wait_for(lambda c: bool(copies_to(h, CHAT)))
    await h.recorded()
    (copy,) = copies_to(h, CHAT)
    assert copy.params["from_chat_id"] == LEADER


async def test_the_ready_text_stays_one_tap_away(harness: Harness, world: World) -> None:
    h = harness
    asked = await questions(h)
    await press_labelled(h, LEADER, asked[LEADER], "✏️ Kirjoitan oman")
    await press_labelled(h, LEADER, h.last(LEADER), "Lähetä sittenkin valmis viesti")
    assert "matkalla ryhmälle" in last_toast(h)
    h.app.bot_data["sender"].wake()
    await h.fake.wait_for(lambda c: any(READY_TEXT in t for t in texts_to(h, CHAT)))
    # Writing one's own is over: the next message is an ordinary post.
    assert "Minne lähetän" in (await h.say(LEADER, "Kiitos vielä!"))["text"]
    assert not copies_to(h, CHAT)


async def test_an_album_as_the_closing_message_goes_whole(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    asked = await questions(h)
    await press_labelled(h, LEADER, asked[LEADER], "✏️ Kirjoitan oman")
    parts = []
    for _ in range(3):
        update = h.fake.photo_message(LEADER, media_group_id="retki")
        parts.append(update["message"]["message_id"])
        await h.feed(update)
    assert sum("matkalla ryhmälle" in t for t in texts_to(h, LEADER)) == 1  # answered once
    clock.now += timedelta(seconds=30)  # the copy waited for the album's later parts
    h.app.bot_data["sender"].wake()
    copy = await h.fake.wait_for(
        lambda c: c.method == "copyMessages" and c.params.get("chat_id") == CHAT
    )
    assert copy.params["message_ids"] == parts
