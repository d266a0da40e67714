"""At LOG_LEVEL=DEBUG, a whole run (a participant joining, a post, a check-in with a contact
request, an action plan and /forget) leaves a log without anyone's id, name, username or
words, the token or the webhook secret."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import TOKEN, BotProcess, in_process
from tests.e2e.test_checkin_e2e import press
from tests.service.world import CHATS, LEADER, SUBSCRIBERS, build_world

PERSON = 7_654_321_987  # an id of the width real ids have now
NAME, USERNAME = "Ainomaija", "ainomaija_k"
LEADER_NAME = "Ohjaajatar"
SECRET = "Log-secret_" * 4
POST = "Muistakaa-ulkoilla-huomenna"
PLAN_WORDS = ("kävellä-rantaan", "puoli-tuntia", "aamupalan-jälkeen", "kolmesti-viikossa")


async def said(bot: BotProcess, user: int, text: str, **who: Any) -> dict[str, Any]:
    seen = len(bot.fake.calls)
    bot.fake.private_message(user, text, **who)
    await bot.reply(
        lambda c: (
            c.method in ("sendMessage", "editMessageText")
            and c.params.get("chat_id") == user
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )
    return bot.fake.sent_messages(user)[-1]


async def edited(bot: BotProcess, user: int, message: dict[str, Any], data: str) -> dict[str, Any]:
    """Press a button and wait for the message it changes (or the next one)."""
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user, message, data)
    await bot.reply(
        lambda c: (
            c.method in ("editMessageText", "sendMessage")
            and c.params.get("chat_id") == user
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )
    return bot.fake.sent_messages(user)[-1]


def buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def test_a_debug_log_names_no_one_and_holds_no_words(bot: BotProcess) -> None:
    bot.env["WEBHOOK_SECRET"] = SECRET  # set but unused (polling): it must not leak either
    fake = bot.fake
    services = await in_process(bot)
    world = await build_world(services)
    links = await services.onboarding.links(await world.leader(), world.groups[0].id)
    await services.db.close()
    await bot.start()
    await bot.started()
    me = {"first_name": NAME, "username": USERNAME}

    # The person joins through the participant link.
    notice = await said(bot, PERSON, f"/start {links.participant.payload}", **me)
    await press(bot, PERSON, notice, next(d for d in buttons(notice) if d.startswith("cs:")))

    # The leader posts to the group, now (both are chosen already: the other is unchosen).
    prompt = await said(bot, LEADER, POST, first_name=LEADER_NAME)
    for ending in (f":g:{world.groups[1].id}", ":next", ":now", None):
        data = next(d for d in buttons(prompt) if d.startswith("bcok:") or d.endswith(str(ending)))
        prompt = await edited(bot, LEADER, prompt, data)
    await fake.wait_for(lambda c: c.method == "copyMessage" and c.params["chat_id"] == PERSON)

    # A check-in, answered privately with a contact request.
    which = await said(bot, LEADER, "/checkin", first_name=LEADER_NAME)
    await press(bot, LEADER, which, f"ck:{world.groups[0].id}")
    await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == PERSON
            and "Mitä kuuluu" in str(c.params.get("text"))
        )
    )
    message = next(m for m in fake.sent_messages(PERSON) if "Mitä kuuluu" in str(m.get("text")))
    await press(bot, PERSON, message, next(d for d in buttons(message) if d.endswith(":contact:1")))
    await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == LEADER
            and "toivoo" in str(c.params.get("text"))
        )
    )

    # An action plan, then /forget.
    await said(bot, PERSON, "/plan", **me)
    for words in PLAN_WORDS:
        await said(bot, PERSON, words, **me)
    await said(bot, PERSON, "9", **me)
    await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == PERSON
            and "Onnea" in str(c.params.get("text"))
        )
    )
    confirm = await said(bot, PERSON, "/forget", **me)
    await press(bot, PERSON, confirm, next(d for d in buttons(confirm) if d.endswith("yes")))
    await fake.wait_for(
        lambda c: (
            c.method == "editMessageText"
            and c.params.get("chat_id") == PERSON
            and "Poistin" in str(c.params.get("text"))
        )
    )
    assert await bot.stop() == 0

    log = bot.output()
    assert bot.env["LOG_LEVEL"] == "DEBUG"  # the most talkative level
    secrets = [TOKEN, TOKEN.split(":")[1], SECRET, links.participant.payload]
    words = [NAME, USERNAME, LEADER_NAME, POST, *PLAN_WORDS]
    for found in [*secrets, *words]:
        assert found not in log, found
    for user_id in (PERSON, LEADER, *SUBSCRIBERS[0], *SUBSCRIBERS[1], *CHATS):
        assert not re.search(rf"(?<!\d){user_id}(?!\d)", log), user_id
