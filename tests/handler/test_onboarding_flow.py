"""Onboarding through the real handlers, on a fake request layer."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness

COORDINATOR, LEADER, PARTICIPANT, STRANGER = GLOBAL_COORDINATOR, 2001, 3001, 4001
CHAT = -4242


def callback_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def button(message: dict[str, Any], prefix: str) -> str:
    return next(d for d in callback_data(message) if d.startswith(prefix))


def link(text: str, kind: str) -> str:
    match = re.search(rf"\?{kind}=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


async def create_group(h: Harness) -> str:
    """Walk the coordinator's guided chat; return the leader invite payload."""
    await h.say(COORDINATOR, "/newgroup")
    await h.say(COORDINATOR, "Tiistairyhmä")
    prompt = await h.say(COORDINATOR, "Kuopio")
    assert "13.1.2027" in prompt["text"]
    await h.say(COORDINATOR, "13.1.2027")
    prompt = await h.say(COORDINATOR, "17.30")
    await h.press(COORDINATOR, prompt, button(prompt, "ng:"))  # 4 sessions: the first button
    prompt = h.last(COORDINATOR)
    await h.press(COORDINATOR, prompt, next(d for d in callback_data(prompt) if d.endswith(":fi")))
    summary = h.last(COORDINATOR)
    assert "Keskiviikkoisin klo 17.30" in summary["text"]
    await h.press(COORDINATOR, summary, button(summary, "ngok:"))
    created = h.last(COORDINATOR)["text"]
    assert "Tiistairyhmä" in created and "17.2.2027" not in created and "3.2.2027" in created
    return link(created, "start")


async def become_leader(h: Harness) -> dict[str, Any]:
    payload = await create_group(h)
    welcome = await h.say(LEADER, f"/start {payload}")
    assert "Tervetuloa" in welcome["text"]
    await h.press(LEADER, welcome, button(welcome, "ln:"))
    return h.last(LEADER)


async def test_the_whole_onboarding(harness: Harness) -> None:
    h = harness
    links = await become_leader(h)
    chat_payload = link(links["text"], "startgroup")
    participant_payload = link(links["text"], "start")

    await h.feed(h.fake.my_chat_member(CHAT, LEADER, "left", "member"))
    await h.feed(h.fake.group_message(CHAT, LEADER, f"/start@ryhmakaveri_test_bot {chat_payload}"))
    assert "Hei kaikki" in h.last(CHAT)["text"]

    consent = await h.say(PARTICIPANT, f"/start {participant_payload}", language_code="sv")
    assert "Tiistairyhmä" in consent["text"] and "Så här hanterar jag" in consent["text"]
    people = "SELECT count(*) FROM people WHERE user_id = ?"
    assert (await h.services.db.fetch_one(people, (PARTICIPANT,)))[0] == 0  # type: ignore[index]
    await h.press(PARTICIPANT, consent, button(consent, "cs:"))
    assert "Tack!" in h.last(PARTICIPANT)["text"]
    assert (await h.services.db.fetch_one(people, (PARTICIPANT,)))[0] == 1  # type: ignore[index]

    scopes = {
        (c.params["scope"]["type"], c.params["scope"].get("chat_id"))
        for c in h.fake.calls_to("setMyCommands")
    }
    assert ("chat", LEADER) in scopes and ("default", None) in scopes


async def test_strangers_cannot_use_coordinator_or_leader_commands(harness: Harness) -> None:
    h = harness
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "/newgroup"))["text"]
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "/links"))["text"]
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "/groups"))["text"]
    assert "en ymmärtänyt" in (await h.say(STRANGER, "/foo"))["text"]  # not silence
    assert await h.services.db.fetch_one("SELECT 1 FROM dialogs") is None


async def test_a_button_pressed_by_someone_else_or_forged_changes_nothing(harness: Harness) -> None:
    h = harness
    await create_group(h)
    groups = await h.say(COORDINATOR, "/groups")
    await h.press(STRANGER, groups, button(groups, "gl:"))
    assert h.fake.calls_to("answerCallbackQuery")[-1].params["text"].startswith("Anteeksi")
    for forged in ("gl:abc", "gl:999", "ng:1:x", "ngok:zz", "cs:Lnot-a-token", "lang:de", "x" * 60):
        await h.press(COORDINATOR, groups, forged, forged=True)
    assert (await h.services.db.fetch_one("SELECT count(*) FROM invites"))[0] == 1  # type: ignore[index]
    assert (await h.services.db.fetch_one("SELECT count(*) FROM groups"))[0] == 1  # type: ignore[index]


async def test_an_edited_message_does_not_run_a_command(harness: Harness) -> None:
    h = harness
    old = h.fake.private_message(COORDINATOR, "hei")
    await h.feed(old)
    before = len(h.fake.calls)
    await h.feed(h.fake.edited_message(old["message"], "/newgroup"))
    assert len(h.fake.calls) == before
    assert await h.services.db.fetch_one("SELECT 1 FROM dialogs") is None


async def test_malformed_answers_get_a_kind_reply_and_the_question_again(harness: Harness) -> None:
    h = harness
    await h.say(COORDINATOR, "/newgroup")
    await h.say(COORDINATOR, "   ")
    assert "Nimi ei voi olla tyhjä" in h.fake.sent_texts(COORDINATOR)[-1]
    await h.say(COORDINATOR, "Ryhmä")
    await h.say(COORDINATOR, "Kuopio")
    await h.say(COORDINATOR, "31.2.")
    assert "Sitä päivää ei ole" in h.fake.sent_texts(COORDINATOR)[-1]
    await h.say(COORDINATOR, "13.1.")
    await h.say(COORDINATOR, "25:00")
    assert "Sellaista kellonaikaa ei ole" in h.fake.sent_texts(COORDINATOR)[-1]


async def test_the_bot_leaves_a_chat_bound_to_no_group(harness: Harness) -> None:
    h = harness
    await h.feed(h.fake.group_message(-999, STRANGER, "/start@ryhmakaveri_test_bot"))
    assert "Lähden nyt pois" in h.fake.calls_to("sendMessage")[-1].params["text"]
    assert h.fake.calls_to("leaveChat")[-1].params["chat_id"] == -999


async def test_used_and_made_up_invites(harness: Harness) -> None:
    h = harness
    payload = await create_group(h)
    await h.say(LEADER, f"/start {payload}")
    assert "on jo käytetty" in (await h.say(STRANGER, f"/start {payload}"))["text"]
    assert "En tunnista" in (await h.say(STRANGER, "/start Lxxxxxxxxxxxxxxxxxxxxxx"))["text"]
    assert "En tunnista" in (await h.say(STRANGER, "/start hello"))["text"]
    assert (await h.services.people.access(STRANGER)).leader_of == frozenset()


async def test_a_participant_link_opened_by_its_leader_or_twice(harness: Harness) -> None:
    h = harness
    links = await become_leader(h)
    payload = link(links["text"], "start")
    assert "Ohjaat tätä ryhmää" in (await h.say(LEADER, f"/start {payload}"))["text"]
    consent = await h.say(PARTICIPANT, f"/start {payload}")
    await h.press(PARTICIPANT, consent, button(consent, "cs:"))
    assert "Saat jo" in (await h.say(PARTICIPANT, f"/start {payload}"))["text"]


async def test_language_can_be_changed(harness: Harness) -> None:
    h = harness
    menu = await h.say(STRANGER, "/language")
    await h.press(STRANGER, menu, "lang:en")
    assert "English" in h.last(STRANGER)["text"]
    assert "I am a bot" in (await h.say(STRANGER, "blah"))["text"]


async def test_meetings_show_the_plan_with_holidays(harness: Harness) -> None:
    h = harness
    await h.say(COORDINATOR, "/newgroup")
    for answer in ("Ryhmä", "Kuopio", "30.12.2026", "18", "6"):
        await h.say(COORDINATOR, answer)
    prompt = h.last(COORDINATOR)
    await h.press(COORDINATOR, prompt, next(d for d in callback_data(prompt) if d.endswith(":fi")))
    summary = h.last(COORDINATOR)
    await h.press(COORDINATOR, summary, button(summary, "ngok:"))
    await h.say(LEADER, f"/start {link(h.last(COORDINATOR)['text'], 'start')}")
    text = (await h.say(LEADER, "/meetings"))["text"]
    assert "2. ke 6.1. klo 18.00 ⚠️ pyhäpäivä: Loppiainen" in text
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "/meetings"))["text"]


async def test_summary_for_coordinators_only_and_bad_weeks(harness: Harness) -> None:
    h = harness
    await create_group(h)
    await h.say(COORDINATOR, "/summary")
    text, chart, book, table = h.fake.sent_messages(COORDINATOR)[-4:]
    assert (
        "Yhteydenpitoluvut, viikko 48/2026" in text["text"]
        and "1 ryhmä." in text["text"]
        and "Yhteensä" in text["text"]
    )
    assert "photo" in chart
    names = [m["document"]["file_name"] for m in (book, table)]
    assert names == ["yhteydenpitoluvut-2026-W48.xlsx", "yhteydenpitoluvut-2026-W48.csv"]
    assert "ei ole vielä alkanut" in (await h.say(COORDINATOR, "/summary 2026-W49"))["text"]
    assert "Sellaista viikkoa ei ole" in (await h.say(COORDINATOR, "/summary 2026-W60"))["text"]
    assert "Kirjoita viikko näin" in (await h.say(COORDINATOR, "/summary viime viikko"))["text"]
    assert "Niin kaukaa" in (await h.say(COORDINATOR, "/summary 0001-W01"))["text"]
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "/summary"))["text"]
