"""Issue 12, item 8: a participant who writes to the bot reaches their leaders, and a leader
can answer through the bot. Nothing of the messages is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.service.world import LEADER, World, build_world

WORDS = "Hei, en pääse ensi viikolla, selkä on kipeä"


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def copies_to(h: Harness, chat_id: int) -> list[dict[str, Any]]:
    return [
        dict(c.params) for c in h.fake.calls_to("copyMessage") if c.params["chat_id"] == chat_id
    ]


async def stored_anywhere(h: Harness, needle: str) -> bool:
    tables = await h.services.db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables:
        for row in await h.services.db.fetch_all(f'SELECT * FROM "{table}"'):
            if any(needle in str(value) for value in tuple(row)):
                return True
    return False


async def test_a_participants_message_reaches_the_leaders_and_the_answer_comes_back(
    harness: Harness, world: World
) -> None:
    h = harness
    offer = await h.say(3001, WORDS, first_name="Aino")
    # Issue 12: the participant got "Anteeksi, en ymmärtänyt" and the message reached no one.
    assert "en ymmärtänyt" not in offer["text"]
    assert "Lähetänkö viestin ohjaajille? Ryhmä: Tiistairyhmä" in offer["text"]
    assert labels(offer) == ["✉️ Kyllä, lähetä", "Ei kiitos"]
    assert not copies_to(h, LEADER)  # nothing goes before the person says yes

    await press_labelled(h, 3001, offer, "✉️ Kyllä, lähetä")  # one tap
    (copy,) = copies_to(h, LEADER)
    assert copy["from_chat_id"] == 3001
    header = h.last(LEADER)
    assert 'href="tg://user?id=3001"' in str(
        next(c.params for c in h.fake.calls_to("sendMessage") if c.params["chat_id"] == LEADER)[
            "text"
        ]
    )
    assert "ryhmästä Tiistairyhmä lähetti sinulle tämän kauttani" in header["text"]
    assert labels(header) == ["↩️ Vastaa"]
    assert "Lähetetty ryhmän Tiistairyhmä ohjaajille" in h.last(3001)["text"]

    # The leader answers, with a photo: it goes back to Aino, not out as a post.
    await press_labelled(h, LEADER, header, "↩️ Vastaa")
    assert "Kirjoita nyt vastauksesi" in h.last(LEADER)["text"]
    await h.feed(h.fake.photo_message(LEADER, caption="Parane pian!", first_name="Ville"))
    (back,) = copies_to(h, 3001)
    assert back["from_chat_id"] == LEADER
    texts = [m.get("text", "") for m in h.fake.sent_messages(3001)]
    assert any("Ville vastaa sinulle" in t and "Tiistairyhmä" in t for t in texts)
    assert "Vastauksesi on matkalla." in h.last(LEADER)["text"]
    assert not [m for m in h.fake.sent_messages(LEADER) if "Minne lähetän" in m.get("text", "")]
    assert await h.services.dialogs.current(LEADER) is None

    # The leader's next message is a post again.
    assert "Minne lähetän" in (await h.say(LEADER, "Muistakaa kävellä!"))["text"]
    assert not await stored_anywhere(h, "selkä on kipeä")


async def test_a_photo_is_offered_too_and_no_means_no(harness: Harness, world: World) -> None:
    h = harness
    await h.feed(h.fake.photo_message(3002))
    offer = h.last(3002)
    # Issue 12: a photo got "only leaders can send".
    assert "ohjaajille?" in offer["text"]
    await press_labelled(h, 3002, offer, "Ei kiitos")
    assert h.last(3002)["text"] == "Selvä, en lähettänyt sitä."
    assert not h.fake.calls_to("copyMessage")


async def test_a_participant_of_two_groups_picks_the_group(harness: Harness, world: World) -> None:
    h = harness
    offer = await h.say(3003, WORDS)
    assert "Valitse ryhmä" in offer["text"]
    assert labels(offer) == [
        "✉️ Ryhmän Tiistairyhmä ohjaajille",
        "✉️ Ryhmän Torstairyhmä ohjaajille",
        "Ei kiitos",
    ]
    await press_labelled(h, 3003, offer, "Torstairyhmä")
    assert len(copies_to(h, LEADER)) == 1
    assert "ryhmästä <b>Torstairyhmä</b>" in str(
        [c.params["text"] for c in h.fake.calls_to("sendMessage") if c.params["chat_id"] == LEADER]
    )


async def test_someone_without_a_group_gets_a_kind_explanation(
    harness: Harness, world: World
) -> None:
    h = harness
    reply = await h.say(4242, WORDS)
    assert "en ymmärtänyt" not in reply["text"]
    assert "et ole vielä liittynyt ryhmään" in reply["text"]
    assert "reply_markup" not in reply


async def test_forged_presses_pass_nothing_on(harness: Harness, world: World) -> None:
    h = harness
    offer = await h.say(3001, WORDS)
    other_group = world.groups[1].id  # 3001 is not in it
    await h.press(3001, offer, f"tl:{offer['message_id'] - 1}:{other_group}", forged=True)
    await h.press(3001, offer, f"ap:3002:{world.groups[0].id}", forged=True)  # not a leader
    await h.press(LEADER, offer, f"ap:3004:{world.groups[0].id}", forged=True)  # not in it
    assert not h.fake.calls_to("copyMessage")
    assert await h.services.dialogs.current(LEADER) is None


async def test_a_group_without_leaders_is_said_so(harness: Harness, world: World) -> None:
    h = harness
    async with h.services.db.transaction() as tx:
        await tx.execute("DELETE FROM memberships WHERE user_id = ?", (LEADER,))
    offer = await h.say(3001, WORDS)
    await press_labelled(h, 3001, offer, "✉️ Kyllä, lähetä")
    assert "en voinut lähettää viestiä" in h.last(3001)["text"]
    assert not h.fake.calls_to("copyMessage")


async def test_in_swedish(harness: Harness, world: World) -> None:
    h = harness
    await h.services.people.choose_language(3002, "sv")
    await h.services.people.choose_language(LEADER, "sv")
    offer = await h.say(3002, WORDS, language_code="sv", first_name="Elsa")
    assert "Ska jag skicka det till ledarna för din grupp Tiistairyhmä?" in offer["text"]
    await press_labelled(h, 3002, offer, "✉️ Ja, skicka")
    assert "från gruppen Tiistairyhmä skickade det här till dig via mig" in h.last(LEADER)["text"]
    assert labels(h.last(LEADER)) == ["↩️ Svara"]
    assert "Skickat till ledarna för Tiistairyhmä" in h.last(3002)["text"]


async def test_an_album_is_offered_once_and_goes_as_one(harness: Harness, world: World) -> None:
    h = harness
    for _ in range(3):
        await h.feed(h.fake.photo_message(3001, media_group_id="kuvat"))
    await h.fake.wait_for(
        lambda c: c.method == "sendMessage" and "ohjaajille?" in str(c.params.get("text"))
    )
    offers = [m for m in h.fake.sent_messages(3001) if "ohjaajille?" in m.get("text", "")]
    assert len(offers) == 1
    await press_labelled(h, 3001, offers[0], "✉️ Kyllä, lähetä")
    (call,) = h.fake.calls_to("copyMessages")
    assert call.params["chat_id"] == LEADER and len(call.params["message_ids"]) == 3


async def test_a_double_tap_on_yes_sends_it_once(harness: Harness, world: World) -> None:
    h = harness
    offer = await h.say(3001, WORDS)
    yes = next(
        b["callback_data"]
        for row in offer["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "✉️ Kyllä, lähetä"
    )
    await h.arrive(h.fake.callback_query(3001, offer, yes), h.fake.callback_query(3001, offer, yes))
    assert len(copies_to(h, LEADER)) == 1
    assert "Se on jo lähetetty." in [
        c.params.get("text") for c in h.fake.calls_to("answerCallbackQuery")
    ]


async def test_a_coordinator_without_groups_is_not_offered_anything(
    harness: Harness, world: World
) -> None:
    from tests.conftest import GLOBAL_COORDINATOR

    reply = await harness.say(GLOBAL_COORDINATOR, "hei")
    assert "en ymmärtänyt" in reply["text"] and "reply_markup" not in reply


async def test_after_a_restart_the_leader_is_asked_to_press_answer_again(
    harness: Harness, world: World
) -> None:
    h = harness
    offer = await h.say(3001, WORDS)
    await press_labelled(h, 3001, offer, "✉️ Kyllä, lähetä")
    await press_labelled(h, LEADER, h.last(LEADER), "↩️ Vastaa")
    h.app.user_data[LEADER].clear()  # whom to answer lives in memory only
    reply = await h.say(LEADER, "Kiitos viestistä!")
    assert "Paina Vastaa-nappia uudelleen" in reply["text"]
    assert not copies_to(h, 3001)
    assert await h.services.dialogs.current(LEADER) is None


async def test_a_leaders_album_answer_goes_back_whole(harness: Harness, world: World) -> None:
    h = harness
    offer = await h.say(3001, WORDS, first_name="Aino")
    await press_labelled(h, 3001, offer, "✉️ Kyllä, lähetä")
    await press_labelled(h, LEADER, h.last(LEADER), "↩️ Vastaa")
    parts = []
    for _ in range(3):
        update = h.fake.photo_message(LEADER, media_group_id="vastaus", first_name="Ville")
        parts.append(update["message"]["message_id"])
        await h.feed(update)
    call = await h.fake.wait_for(
        lambda c: c.method == "copyMessages" and c.params.get("chat_id") == 3001, timeout=30
    )
    assert call.params["from_chat_id"] == LEADER and call.params["message_ids"] == parts
    await h.fake.wait_for(
        lambda c: (
            c.params.get("chat_id") == LEADER and c.params.get("text") == "Vastauksesi on matkalla."
        )
    )
    assert not copies_to(h, 3001)  # no part went on its own
    texts = [m.get("text", "") for m in h.fake.sent_messages(LEADER)]
    assert sum("Vastauksesi on matkalla." in t for t in texts) == 1
    assert not any("Minne lähetän" in t or "Milloin lähetän" in t for t in texts)
    assert not any("en enää muista" in t for t in texts)  # no "lost" for each later part
    assert await h.services.dialogs.current(LEADER) is None
