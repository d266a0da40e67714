"""Commands in the reader's language, the per-language menus, and /summary's weeks."""

from __future__ import annotations

import json
from typing import Any

from tests.handler.conftest import Harness
from tests.handler.test_onboarding_flow import (
    CHAT,
    COORDINATOR,
    LEADER,
    STRANGER,
    become_leader,
    button,
    callback_data,
    create_group,
    link,
)


def menu(
    h: Harness, scope: str, language: str | None = None, chat_id: int | None = None
) -> list[str]:
    """The command names of the last setMyCommands call for that scope and language."""
    calls = [
        c
        for c in h.fake.calls_to("setMyCommands")
        if c.params["scope"]["type"] == scope
        and c.params.get("language_code") == language
        and c.params["scope"].get("chat_id") == chat_id
    ]
    assert calls, (scope, language, chat_id)
    return [command["command"] for command in calls[-1].params["commands"]]


async def test_menus_are_set_per_language_with_the_readers_names(harness: Harness) -> None:
    h = harness
    assert menu(h, "default", "fi") == [
        "suunnitelma",
        "kaveri",
        "lopeta",
        "unohda",
        "ohje",
        "tietosuoja",
        "kieli",
    ]
    assert menu(h, "default", "sv") == [
        "plan",
        "kompis",
        "sluta",
        "glom",
        "hjalp",
        "dataskydd",
        "sprak",
    ]
    assert menu(h, "default", "en") == [
        "plan",
        "buddy",
        "stop",
        "forget",
        "help",
        "privacy",
        "language",
    ]
    assert menu(h, "default") == menu(h, "default", "fi")  # DEFAULT_LANGUAGE for the rest
    assert menu(h, "all_group_chats", "fi") == ["ohje", "tietosuoja"]
    assert menu(h, "all_group_chats", "sv") == ["hjalp", "dataskydd"]
    assert menu(h, "all_group_chats", "en") == ["help", "privacy"]
    await become_leader(h)
    leader = menu(h, "chat", chat_id=LEADER)  # a person's own menu is in their language
    assert leader[:4] == ["vinkit", "ajastetut", "tapaamiset", "kuulumiset"]


def keyboard_call(h: Harness, message: dict[str, Any]) -> dict[str, Any]:
    """The reply keyboard sent with a message (Telegram echoes only inline ones back)."""
    [call] = [
        c
        for c in h.fake.calls_to("sendMessage")
        if c.params["chat_id"] == message["chat"]["id"] and c.params["text"] == message["text"]
    ][-1:]
    markup = call.params.get("reply_markup")
    return markup if isinstance(markup, dict) else json.loads(markup or "{}")


def keyboard(h: Harness, message: dict[str, Any]) -> list[str]:
    rows = keyboard_call(h, message).get("keyboard", [])
    return [key if isinstance(key, str) else key["text"] for row in rows for key in row]


async def test_a_new_leader_is_told_what_to_do_and_gets_a_keyboard(harness: Harness) -> None:
    h = harness
    payload = await create_group(h)
    await h.say(LEADER, f"/start {payload}")
    how_to, welcome = h.fake.sent_messages(LEADER)[-2:]
    assert "Tervetuloa" in welcome["text"] and button(welcome, "ln:")
    for command in ("/vinkit", "/tapaamiset", "/kuulumiset", "/kirjaa", "/ohje"):
        assert command in how_to["text"]
    assert "Lähetä minulle viesti, kuva tai video" in how_to["text"]
    keys = ["💡 Vinkit", "📅 Tapaamiset", "💬 Kuulumiset", "🕒 Ajastetut"]
    assert keyboard(h, how_to) == keys
    assert keyboard_call(h, how_to)["is_persistent"] is True
    assert keyboard(h, await h.say(LEADER, "/ohje")) == keys  # /help brings it back
    assert keyboard(h, await h.say(LEADER, "/start")) == keys
    assert keyboard(h, await h.say(STRANGER, "/start")) == []  # only leaders have it


async def test_the_keyboard_runs_the_same_handlers_in_every_language(harness: Harness) -> None:
    h = harness
    await become_leader(h)
    for label in ("💡 Vinkit", "💡 Tips"):
        assert "Valitse aihe" in (await h.say(LEADER, label))["text"]
    for label in ("📅 Tapaamiset", "📅 Träffar", "📅 Meetings"):
        reply = await h.say(LEADER, label)
        assert "Tiistairyhmä" in reply["text"] and button(reply, "mp:"), label
    for label in ("🕒 Ajastetut", "🕒 Schemalagda", "🕒 Scheduled"):
        assert "ei ole ajastettuja" in (await h.say(LEADER, label))["text"]
    for label in ("💬 Kuulumiset", "💬 Avstämning", "💬 Check-in"):
        assert "Kuulumiskysely on matkalla" in (await h.say(LEADER, label))["text"]
    # A label is never taken as a post, and means nothing to someone who leads no group.
    assert await h.services.db.fetch_one("SELECT 1 FROM dialogs") is None
    assert "ei ole käytössäsi" in (await h.say(STRANGER, "💡 Vinkit"))["text"]


async def test_finnish_swedish_and_english_names_run_the_same_command(harness: Harness) -> None:
    h = harness
    await become_leader(h)
    for command in ("/vinkit", "/tips"):
        assert "Valitse aihe" in (await h.say(LEADER, command))["text"]
    for command in ("/tapaamiset", "/traffar", "/moten", "/meetings"):
        reply = await h.say(LEADER, command)
        assert "Tiistairyhmä" in reply["text"] and button(reply, "mp:"), command
    for command in ("/ajastetut", "/schemalagda", "/scheduled"):
        assert "ei ole ajastettuja" in (await h.say(LEADER, command))["text"]
    for command in ("/ohje", "/hjalp", "/help"):
        assert "/vinkit" in (await h.say(LEADER, command))["text"]
    # A Swede's own words, answered in Swedish.
    for command in ("/hjalp", "/ohje", "/help"):
        text = (await h.say(STRANGER, command, language_code="sv"))["text"]
        assert "/dataskydd" in text and "/sprak" in text
    assert "Sorry" in (await h.say(STRANGER, "/vinkkit", language_code="en"))["text"]


async def test_privacy_in_a_group_chat_by_its_finnish_name(harness: Harness) -> None:
    h = harness
    links = await become_leader(h)
    await h.feed(h.fake.my_chat_member(CHAT, LEADER, "left", "member"))
    await h.feed(h.fake.group_message(CHAT, LEADER, f"/start {link(links['text'], 'startgroup')}"))
    await h.feed(h.fake.group_message(CHAT, LEADER, "/tietosuoja@ryhmakaveri_test_bot"))
    notice = h.last(CHAT)["text"]
    assert "Näin käsittelen tietojasi" in notice and "MUNICIPALITY_NAME" in notice
    await h.feed(h.fake.group_message(CHAT, LEADER, "/ohje"))
    assert "Olen tämän Arkeen Voimaa -ryhmän apulainen" in h.last(CHAT)["text"]


def heading(message: dict[str, Any]) -> str:
    return str(message.get("text", "")).split("\n")[0]


async def figures_for(h: Harness, command: str, expected: str, **kwargs: Any) -> dict[str, Any]:
    """The reply with the expected heading. Last week's Monday figures (week 47) reach the
    coordinator from the outbox meanwhile, so the reply is looked for, not taken as the last."""
    seen = {m["message_id"] for m in h.fake.sent_messages(COORDINATOR)}
    await h.say(COORDINATOR, command, **kwargs)
    new = [
        m for m in h.fake.sent_messages(COORDINATOR) if m["message_id"] not in seen and "text" in m
    ]
    found = [m for m in new if heading(m) == expected]
    assert len(found) == 1, [heading(m) for m in new]
    return found[0]


async def test_summary_weeks_as_people_write_them(harness: Harness) -> None:
    h = harness  # the clock: Saturday 28.11.2026, ISO week 48
    await create_group(h)
    fi = "Yhteydenpitoluvut, viikko {}"
    await figures_for(h, "/summary", fi.format("48/2026"))
    await figures_for(h, "/summary 48", fi.format("48/2026"))
    await figures_for(h, "/yhteenveto 46", fi.format("46/2026"))
    figures = await figures_for(h, "/summary viikko 45/2026", fi.format("45/2026"))
    await figures_for(h, "/summary vko 44", fi.format("44/2026"))
    await figures_for(h, "/summary 2026-W43", fi.format("43/2026"))
    await figures_for(h, "/summary 49", fi.format("49/2025"))  # week 49 of 2026 is still to come
    # Telegram's language for the global coordinator, whom the database does not know.
    await figures_for(
        h, "/sammanfattning vecka 42/2026", "Kontaktsiffror, vecka 42/2026", language_code="sv"
    )
    await h.say(COORDINATOR, "/summary viikko 49/2026")
    assert any("ei ole vielä alkanut" in t for t in h.fake.sent_texts(COORDINATOR)[-2:])
    # The figures' lines say what they count.
    text = figures["text"]
    assert "Ohjaajien viestit: 0" in text
    assert "Perille menneet viestit (ohjaajien viestit, ilmoitukset, kuulumiskyselyt): 0" in text
    assert "Kirjatut puhelut ja käynnit: 0" in text


async def test_the_previous_week_button(harness: Harness) -> None:
    h = harness
    await create_group(h)
    figures = await figures_for(h, "/summary viikko 1/2026", "Yhteydenpitoluvut, viikko 1/2026")
    assert callback_data(figures) == ["sumw:2025:52"]
    assert figures["reply_markup"]["inline_keyboard"][0][0]["text"] == "‹ Viikko 52/2025"
    seen = {m["message_id"] for m in h.fake.sent_messages(COORDINATOR)}
    await h.press(COORDINATOR, figures, "sumw:2025:52")
    [before] = [
        m
        for m in h.fake.sent_messages(COORDINATOR)
        if m["message_id"] not in seen and heading(m) == "Yhteydenpitoluvut, viikko 52/2025"
    ]
    assert callback_data(before) == ["sumw:2025:51"]
    # A forged week, or someone who is not a coordinator: told the button no longer works.
    answered = len(h.fake.calls_to("answerCallbackQuery"))
    await h.feed(h.fake.callback_query(COORDINATOR, before, "sumw:2026:60", forged=True))
    await h.feed(h.fake.callback_query(STRANGER, before, "sumw:2025:51", forged=True))
    assert not any("viikko 51/2025" in t for t in h.fake.sent_texts(COORDINATOR))
    assert h.fake.sent_messages(STRANGER) == []
    answers = h.fake.calls_to("answerCallbackQuery")[answered:]
    assert len(answers) == 2 and all("ei enää toimi" in str(c.params["text"]) for c in answers)
