"""Issue 12: a leader's post is never lost or misread. Each problem the issue reports is
replayed through the real handlers and the real outbox sender, in Finnish and Swedish where
the words matter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import chats_copied_to, labels, press_labelled
from tests.handler.test_onboarding_flow import button, link
from tests.service.world import LEADER, World, build_world, new_group

SOLO = 2002  # a leader of one group: their post goes straight to "when"
SOLO_CHAT = -300


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


async def solo_leader(h: Harness, language: str) -> None:
    """A leader of one group with a bound chat, who speaks `language`."""
    onboarding = h.services.onboarding
    group, invite = await new_group(h.services, "Maanantairyhmä")
    await onboarding.join_as_leader(SOLO, language, invite)
    links = await onboarding.links(await h.services.people.access(SOLO), group.id)
    await onboarding.bind_chat(SOLO, SOLO_CHAT, links.chat)


def copies_of(h: Harness, method: str, chat_id: int) -> list[Any]:
    return [
        c.params.get("message_ids") or [c.params["message_id"]]
        for c in h.fake.calls_to(method)
        if c.status == 200 and c.params["chat_id"] == chat_id
    ]


async def finished_report(h: Harness, needle: str) -> str:
    call = await h.fake.wait_for(
        lambda c: c.method == "editMessageText" and needle in str(c.params.get("text"))
    )
    return str(call.params["text"])


# --- 1. a message sent while a post waits -------------------------------------------------------

WORDS = {
    "fi": {
        "question": "Kuuluuko tämä samaan viestiin?",
        "not_a_time": "En ymmärtänyt aikaa",
        "add": "Lisää se samaan viestiin",
        "added": "Lisätty. Viestissä on nyt 2 osaa.",
        "now": "Nyt",
        "send": "Lähetä",
    },
    "sv": {
        "question": "Hör det här meddelandet till det?",
        "not_a_time": "Jag förstod inte tiden",
        "add": "Lägg till det i inlägget",
        "added": "Tillagt. Inlägget har nu 2 meddelanden.",
        "now": "Nu",
        "send": "Skicka",
    },
}


@pytest.mark.parametrize("language", ["fi", "sv"])
async def test_a_photo_then_a_text_is_asked_about_and_both_are_sent(
    harness: Harness, language: str
) -> None:
    """Issue 12: 'A photo, then a text ("Tässä kuva viime kerran retkeltä…"): the text is
    parsed as a time, "En ymmärtänyt aikaa…", and never sent.'"""
    h, words = harness, WORDS[language]
    await solo_leader(h, language)
    photo = await_photo = h.fake.photo_message(SOLO, language_code=language)
    await h.feed(await_photo)
    when = h.last(SOLO)
    assert words["now"] in labels(when)  # one group: straight to "when"

    text = h.fake.private_message(SOLO, "Tässä kuva viime kerran retkeltä…", language_code=language)
    await h.feed(text)
    question = h.last(SOLO)
    assert words["not_a_time"] in question["text"]  # if it was a time, that is said too
    assert words["question"] in question["text"]
    await press_labelled(h, SOLO, question, words["add"])
    assert words["added"] in h.last(SOLO)["text"]
    await press_labelled(h, SOLO, h.last(SOLO), words["now"])
    await press_labelled(h, SOLO, h.last(SOLO), words["send"])

    ids = [photo["message"]["message_id"], text["message"]["message_id"]]
    await h.fake.wait_for(lambda c: copies_of(h, "copyMessages", SOLO_CHAT) == [ids])
    assert not copies_of(h, "copyMessage", SOLO_CHAT)


async def test_two_photos_in_a_row_lose_neither(harness: Harness, world: World) -> None:
    """Issue 12: 'Two photos in a row: the second silently replaces the first, and the
    first's buttons then say "this button no longer works".'"""
    h = harness
    first = h.fake.photo_message(LEADER)
    await h.feed(first)
    first_prompt = h.last(LEADER)
    second = h.fake.photo_message(LEADER)
    await h.feed(second)
    question = h.last(LEADER)
    assert "Kuuluuko tämä samaan viestiin?" in question["text"]
    assert labels(question) == {"Lisää se samaan viestiin", "Tee siitä uusi viesti"}

    # The first post's buttons still work: it goes out as it was.
    await press_labelled(h, LEADER, first_prompt, "Seuraava")
    assert "ei enää toimi" not in str(h.fake.calls_to("answerCallbackQuery")[-1].params)
    await press_labelled(h, LEADER, live(h, first_prompt), "Nyt")
    await press_labelled(h, LEADER, live(h, first_prompt), "Lähetä")
    # The second photo is not dropped: it is the next post, asked as a reply to it.
    rest = h.last(LEADER)
    assert "Lähetit myös tämän viestin" in rest["text"] and "Minne lähetän" in rest["text"]
    reply_to = h.fake.calls_to("sendMessage")[-1].params["reply_parameters"]
    assert reply_to["message_id"] == second["message"]["message_id"]
    await press_labelled(h, LEADER, rest, "Seuraava")
    await press_labelled(h, LEADER, h.last(LEADER), "Nyt")
    await press_labelled(h, LEADER, h.last(LEADER), "Lähetä")

    def sources() -> list[int]:
        return sorted({c.params["message_id"] for c in h.fake.calls_to("copyMessage")})

    ids = sorted(m["message"]["message_id"] for m in (first, second))
    await h.fake.wait_for(lambda c: sources() == ids and len(h.fake.calls_to("copyMessage")) == 12)


async def test_a_second_photo_can_be_a_new_post_instead(harness: Harness, world: World) -> None:
    h = harness
    await h.feed(h.fake.photo_message(LEADER))
    second = h.fake.photo_message(LEADER)
    await h.feed(second)
    await press_labelled(h, LEADER, h.last(LEADER), "Tee siitä uusi viesti")
    assert "Minne lähetän" in h.last(LEADER)["text"]
    for label in ("Seuraava", "Nyt", "Lähetä"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    await h.fake.wait_for(lambda c: len(chats_copied_to(h)) == 6)
    assert {c.params["message_id"] for c in h.fake.calls_to("copyMessage")} == {
        second["message"]["message_id"]
    }


async def test_cancelling_the_post_keeps_what_was_sent_meanwhile(
    harness: Harness, world: World
) -> None:
    h = harness
    first_prompt = await h.say(LEADER, "Ensimmäinen")
    photo = h.fake.photo_message(LEADER)
    await h.feed(photo)
    await h.press(LEADER, first_prompt, button(first_prompt, "bcx:"))
    assert live(h, first_prompt)["text"] == "Peruttu. Viestiä ei lähetetä."
    rest = h.fake.calls_to("sendMessage")[-1].params
    assert "Lähetit myös tämän viestin" in rest["text"]
    assert rest["reply_parameters"]["message_id"] == photo["message"]["message_id"]


async def test_a_message_while_a_library_tip_waits(harness: Harness, world: World) -> None:
    h = harness
    topics = await h.say(LEADER, "/tips")
    await h.press(LEADER, topics, "tp:physical_activity")
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "tv:"))
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "ts:"))
    text = h.fake.private_message(LEADER, "Oma kuulumiseni tälle viikolle")
    await h.feed(text)
    question = h.last(LEADER)
    assert "Sinulla on vinkki odottamassa" in question["text"]
    assert labels(question) == {"Tee siitä uusi viesti"}  # a tip takes no more messages
    await press_labelled(h, LEADER, question, "Tee siitä uusi viesti")
    for label in ("Seuraava", "Nyt", "Lähetä"):
        await press_labelled(h, LEADER, live(h, question), label)
    await h.fake.wait_for(lambda c: len(chats_copied_to(h)) == 6)
    sources = {
        (c.params["from_chat_id"], c.params["message_id"]) for c in h.fake.calls_to("copyMessage")
    }
    assert sources == {(LEADER, text["message"]["message_id"])}


async def test_an_album_sent_while_a_post_waits_is_asked_about_once(
    harness: Harness, world: World
) -> None:
    h = harness
    await h.say(LEADER, "Kuvia retkeltä:")
    parts = [h.fake.photo_message(LEADER, media_group_id="retki") for _ in range(3)]
    for part in parts:
        await h.feed(part)
    view = await h.services.broadcasts.current(await world.leader())
    assert view is not None
    assert view.draft.waiting == tuple(p["message"]["message_id"] for p in parts)


# --- 3. all my groups, in three taps ----------------------------------------------------------


async def test_a_photo_to_all_of_a_two_group_leaders_groups_now_takes_three_taps(
    harness: Harness, world: World
) -> None:
    """Issue 12: 'a leader of two groups needs five taps for "photo to all my groups now"'."""
    h = harness
    await h.feed(h.fake.photo_message(LEADER))
    taps = 0
    while "Lähetän" not in h.last(LEADER)["text"]:
        prompt = h.last(LEADER)
        label = next(x for x in ("Lähetä", "Nyt", "Seuraava") if x in labels(prompt))
        await press_labelled(h, LEADER, prompt, label)
        taps += 1
        assert taps <= 3, h.last(LEADER)["text"]
    assert taps == 3
    assert "Lähetän 6 keskusteluun" in h.last(LEADER)["text"]
    await h.fake.wait_for(lambda c: chats_copied_to(h) == [-200, -100, 3001, 3002, 3003, 3004])


async def test_the_usual_choice_is_preselected(harness: Harness, world: World) -> None:
    """A leader who posts to one of their groups each time finds that one chosen."""
    h = harness
    for text in ("Tiistain vinkki", "Tiistain toinen vinkki"):
        prompt = await h.say(LEADER, text)
        if "✅ Torstairyhmä" in labels(prompt):
            await press_labelled(h, LEADER, prompt, "Torstairyhmä")
        for label in ("Seuraava", "Nyt", "Lähetä"):
            await press_labelled(h, LEADER, h.last(LEADER), label)
    prompt = await h.say(LEADER, "Kolmas")
    assert {"✅ Tiistairyhmä", "▫️ Torstairyhmä", "▫️ Kaikki ryhmäni"} <= labels(prompt)


# --- 4. the bot removed from a group's chat -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "told", "warned"),
    [
        (
            "fi",
            "Ryhmä Torstairyhmä: minut poistettiin ryhmän Telegram-keskustelusta.",
            "⚠️ Torstairyhmä: en ole enää ryhmän keskustelussa.",
        ),
        (
            "sv",
            "Jag togs bort från Telegram-chatten för Torstairyhmä.",
            "⚠️ Torstairyhmä: jag är inte längre med i gruppens chatt.",
        ),
    ],
)
async def test_a_removed_bot_is_told_at_once_warned_before_sending_and_named_after(
    harness: Harness, world: World, language: str, told: str, warned: str
) -> None:
    """Issue 12: 'The bot removed from a group chat is not told to the leaders, and a
    broadcast to that group then reports "done: 3 delivered" as if all went well.'"""
    h = harness
    await h.services.people.choose_language(LEADER, language)
    await h.feed(h.fake.my_chat_member(-200, LEADER, "member", "kicked"))
    notice = h.last(LEADER)
    assert told in notice["text"]
    payload = link(notice["text"], "startgroup")  # the existing bind link, fresh
    assert payload in notice["reply_markup"]["inline_keyboard"][0][0]["url"]

    prompt = await h.say(LEADER, "Muistakaa kävellä!", language_code=language)
    for label in {"fi": ("Seuraava", "Nyt"), "sv": ("Nästa", "Nu")}[language]:
        await press_labelled(
            h, LEADER, prompt if label in labels(prompt) else h.last(LEADER), label
        )
    confirm = h.last(LEADER)
    assert warned in confirm["text"]  # before the last step, not after
    assert any(d.startswith("ln:") for d in button_data(confirm))
    await h.press(LEADER, confirm, button(confirm, "bcok:"))

    needle = {"fi": "Lähetetty", "sv": "Skickat"}[language]
    report = await finished_report(h, needle)
    assert warned.removeprefix("⚠️ ") in report  # named, not "done: 4 delivered"
    assert -200 not in chats_copied_to(h)

    # The link adds the bot again: the chat is bound, and the next post reaches it.
    await h.feed(h.fake.my_chat_member(-200, LEADER, "left", "member"))
    await h.feed(h.fake.group_message(-200, LEADER, f"/start@ryhmakaveri_test_bot {payload}"))
    group = await h.services.onboarding.group_of_chat(-200)
    assert group is not None and group.name == "Torstairyhmä"
    view = await h.services.broadcasts.start(
        await world.leader(), chat_id=LEADER, message_id=h.last(LEADER)["message_id"]
    )
    assert view is not None and view.removed == frozenset()


async def test_a_removal_found_while_sending_is_named_in_the_report(
    harness: Harness, world: World
) -> None:
    h = harness
    h.fake.kick(-100)  # no update came: Telegram answers 403 to the copy
    await h.say(LEADER, "Hyvää viikonloppua!")
    for label in ("Seuraava", "Nyt", "Lähetä"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    report = await finished_report(h, "Lähetetty")
    assert report == (
        "Lähetetty 5 keskusteluun.\n\nEi mennyt perille:\n"
        "• Tiistairyhmä: en ole enää ryhmän keskustelussa. Lisää minut takaisin alla olevalla"
        " napilla."
    )
    # And the next post warns before it is sent.
    await h.say(LEADER, "Toinen viesti")
    for label in ("Seuraava", "Nyt"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    assert "⚠️ Tiistairyhmä: en ole enää ryhmän keskustelussa." in h.last(LEADER)["text"]


async def test_a_group_without_a_chat_is_warned_about_before_sending(
    harness: Harness,
) -> None:
    h = harness
    await build_world(h.services, chats=(-100, None))
    await h.say(LEADER, "Tervetuloa!")
    for label in ("Seuraava", "Nyt"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    assert (
        "⚠️ Torstairyhmä: ryhmällä ei ole vielä keskustelua, jossa olen mukana."
        in h.last(LEADER)["text"]
    )


# --- 5. taking a post back, and /scheduled ------------------------------------------------------


async def test_taking_back_asks_first_and_no_keeps_it(harness: Harness, world: World) -> None:
    """Issue 12: 'Taking a post back deletes it from every chat at once without a question'."""
    h = harness
    await h.say(LEADER, "Tärkeä tiedote")
    for label in ("Seuraava", "Nyt", "Lähetä"):
        await press_labelled(h, LEADER, h.last(LEADER), label)
    await finished_report(h, "Lähetetty 6 keskusteluun.")
    report = h.last(LEADER)
    await press_labelled(h, LEADER, report, "Poista viesti")
    question = h.last(LEADER)
    assert "Poistetaanko viesti 6 keskustelusta?" in question["text"]
    await press_labelled(h, LEADER, question, "Ei, pidä ennallaan")
    assert h.last(LEADER)["text"] == "Hyvä, viesti jää keskusteluihin."
    await h.recorded()
    assert not h.fake.calls_to("deleteMessages") and not h.fake.calls_to("deleteMessage")


@pytest.mark.parametrize(
    ("language", "show", "scheduled"),
    [
        ("fi", "Näytä", "Tämä viesti lähtee su 29.11. klo 9.30, 3 keskusteluun."),
        ("sv", "Visa", "Det här meddelandet skickas sön 29.11. kl. 9.30, till 3 chattar."),
    ],
)
async def test_scheduled_shows_the_original_as_a_reply(
    harness: Harness, world: World, language: str, show: str, scheduled: str
) -> None:
    """Issue 12: '/scheduled shows ... not only "2.12.2026 9.30: 4 chats"'."""
    h = harness
    await h.services.people.choose_language(LEADER, language)
    original = h.fake.private_message(LEADER, "Huomisen kävelyretki", language_code=language)
    await h.feed(original)
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "bc:") and g1(h))
    await h.press(LEADER, h.last(LEADER), next_button(h))
    await h.say(LEADER, "29.11. 9.30", language_code=language)
    await h.press(LEADER, h.last(LEADER), button(h.last(LEADER), "bcok:"))
    listing = await h.say(LEADER, "/scheduled", language_code=language)
    await press_labelled(h, LEADER, listing, show)
    shown = h.fake.calls_to("sendMessage")[-1].params
    assert shown["reply_parameters"]["message_id"] == original["message"]["message_id"]
    assert shown["text"] == scheduled
    assert button(h.last(LEADER), "bcc:")  # and it can be cancelled from there


def live(h: Harness, message: dict[str, Any]) -> dict[str, Any]:
    """A message as it is now (edited since it was sent)."""
    current: dict[str, Any] = h.fake.sent[(message["chat"]["id"], message["message_id"])]
    return current


def button_data(message: dict[str, Any]) -> list[str]:
    rows = message["reply_markup"]["inline_keyboard"]
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def g1(h: Harness) -> str:
    """Tiistairyhmä unchosen: the post goes to Torstairyhmä only (3 chats)."""
    return next(d for d in button_data(h.last(LEADER)) if d.endswith(":g:1"))


def next_button(h: Harness) -> str:
    return next(d for d in button_data(h.last(LEADER)) if d.endswith(":next"))
