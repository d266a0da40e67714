"""Nobody left waiting, through the real program: two people ask to be contacted, a leader
handles one in time; once CONTACT_ESCALATION_HOURS have passed (the requests' times are moved
back while the bot is stopped, never raced) only the other one reaches the area's
coordinator, with a link to the person, the leader is told it was passed on, and a restart
sends nothing twice."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from tests.e2e.conftest import COORDINATOR, BotProcess, in_process, settled
from tests.e2e.test_checkin_e2e import kill_and_restart, press, sent
from tests.service.world import LEADER, build_world
from tests.support.fake_telegram import Call

AREA_COORDINATOR = 1500
WAITING = "Yhteydenottopyyntö odottaa"
PASSED_ON = "välitin sen koordinaattorille"


def calls_to(bot: BotProcess, chat_id: int) -> list[Call]:
    return [
        c
        for c in bot.fake.calls_to("sendMessage")
        if c.status == 200 and c.params.get("chat_id") == chat_id
    ]


async def ask(bot: BotProcess, user_id: int, name: str, checkin: dict[str, Any]) -> None:
    """'Please contact me', pressed by someone whose first name the leaders' message shows."""
    rows = checkin["reply_markup"]["inline_keyboard"]
    data = next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].endswith(":contact:1")
    )
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, checkin, data, first_name=name)
    await bot.reply(
        lambda c: c.method == "answerCallbackQuery" and any(c is x for x in bot.fake.calls[seen:])
    )


def messages_to(bot: BotProcess, chat_id: int, words: str) -> list[dict[str, Any]]:
    return [m for m in bot.fake.sent_messages(chat_id) if words in str(m.get("text"))]


async def test_an_unhandled_request_reaches_the_coordinator_once_a_handled_one_never(
    bot: BotProcess,
) -> None:
    fake = bot.fake
    bot.env["CONTACT_ESCALATION_HOURS"] = "1.5"
    services = await in_process(bot)
    world = await build_world(services)
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    await services.checkins.send_now(await world.leader(), world.groups[0].id)
    await services.db.close()

    await bot.start()
    await bot.started()
    await fake.wait_for(lambda c: sent(fake, "Mitä kuuluu")[-100] == 1)
    checkin = next(m for m in fake.sent_messages(-100) if "Mitä kuuluu" in str(m.get("text")))
    await ask(bot, 3001, "Aino", checkin)
    await ask(bot, 3002, "Bertta", checkin)
    for name in ("Aino", "Bertta"):
        await fake.wait_for(lambda c, n=name: len(messages_to(bot, LEADER, f"{n} ryhmästä")) == 1)
    handled_in_time = messages_to(bot, LEADER, "Aino ryhmästä")[0]
    await press(bot, LEADER, handled_in_time, "")  # its one button: mark as handled
    assert fake.calls_to("answerCallbackQuery")[-1].params["text"] == "Merkitty hoidetuksi. Kiitos!"

    # The escalation time passes while the bot is down.
    await settled(bot)
    assert await bot.stop() == 0
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        db.execute("UPDATE contact_requests SET created_at = datetime(created_at, '-2 hours')")
    await bot.start()
    await bot.started()
    await fake.wait_for(lambda c: len(messages_to(bot, AREA_COORDINATOR, WAITING)) == 1, timeout=40)
    await fake.wait_for(lambda c: len(messages_to(bot, LEADER, PASSED_ON)) == 1)
    escalation = messages_to(bot, AREA_COORDINATOR, WAITING)[0]
    assert "Tiistairyhmä" in escalation["text"]
    assert [
        c.params["text"].count("tg://user?id=3002") for c in calls_to(bot, AREA_COORDINATOR)
    ] == [1]

    await kill_and_restart(bot)  # exactly once across a restart
    await settled(bot)
    texts = Counter(
        (chat, words)
        for chat in (AREA_COORDINATOR, COORDINATOR, LEADER)
        for words in (WAITING, PASSED_ON, "Muistutus")
        for _ in messages_to(bot, chat, words)
    )
    assert texts == Counter({(AREA_COORDINATOR, WAITING): 1, (LEADER, PASSED_ON): 1})
    assert not any("id=3001" in c.params["text"] for c in calls_to(bot, AREA_COORDINATOR))

    # The coordinator handles it; the leader's button then says it already was.
    await press(bot, AREA_COORDINATOR, escalation, "")
    assert fake.calls_to("answerCallbackQuery")[-1].params["text"] == "Merkitty hoidetuksi. Kiitos!"
    passed_on = messages_to(bot, LEADER, PASSED_ON)[0]
    await press(bot, LEADER, passed_on, "")
    assert (
        fake.calls_to("answerCallbackQuery")[-1].params["text"] == "Se oli jo merkitty hoidetuksi."
    )
    assert await bot.stop() == 0


async def test_while_running_the_leaders_are_reminded_once_then_it_is_passed_on(
    bot: BotProcess,
) -> None:
    """A fractional setting (36 seconds; the reminder at 18, so a busy machine's late timer
    still finds the reminder due before the escalation): the timers armed when the request
    came fire on their own. Each step is an event waited for with a generous timeout."""
    fake = bot.fake
    bot.env["CONTACT_ESCALATION_HOURS"] = "0.01"
    services = await in_process(bot)
    world = await build_world(services)
    await services.checkins.send_now(await world.leader(), world.groups[0].id)
    await services.db.close()

    await bot.start()
    await bot.started()
    await fake.wait_for(lambda c: sent(fake, "Mitä kuuluu")[-100] == 1)
    checkin = next(m for m in fake.sent_messages(-100) if "Mitä kuuluu" in str(m.get("text")))
    await ask(bot, 3001, "Aino", checkin)
    await fake.wait_for(lambda c: len(messages_to(bot, LEADER, "Muistutus")) == 1, timeout=90)
    # The area has no coordinator of its own: the global one (COORDINATOR_IDS) gets it.
    await fake.wait_for(lambda c: len(messages_to(bot, COORDINATOR, WAITING)) == 1, timeout=90)
    await fake.wait_for(lambda c: len(messages_to(bot, LEADER, PASSED_ON)) == 1)
    await settled(bot)
    escalations = [
        c for c in calls_to(bot, COORDINATOR) if "Yhteydenottopyyntö" in c.params["text"]
    ]
    assert [c.params["text"].count("tg://user?id=3001") for c in escalations] == [1]
    assert len(messages_to(bot, LEADER, "Muistutus")) == 1
    assert await bot.stop() == 0
