"""Meetings through the real program (`python -m bot`) and the fake Bot API server: a
reminder the day before with the place and the week's topic, exactly once across a restart;
a moved and a cancelled meeting's reminders; a follow-up meeting added and counted; and a
meeting cancelled as a check-in three taps after /meetings. Times are moved in the database
while the program is stopped, never raced against."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import timedelta

from bot.domain.clock import system_clock, to_db
from bot.domain.dialogs import DialogKind
from tests.e2e.conftest import BotProcess, in_process, settled
from tests.e2e.test_checkin_e2e import kill_and_restart, sent
from tests.service.world import LEADER, build_world

GROUP_CHAT, OTHER_CHAT = -100, -200


def meet_soon(bot: BotProcess, group: int, number: int, ahead: timedelta) -> None:
    """Move a session to `ahead` from now (the program is stopped)."""
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        db.execute(
            "UPDATE sessions SET starts_at = ? WHERE number = ? AND group_id ="
            " (SELECT id FROM groups ORDER BY id LIMIT 1 OFFSET ?)",
            (to_db(system_clock() + ahead), number, group),
        )


def settings(bot: BotProcess, group: int, *, on: int, at: str) -> None:
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        db.execute(
            "UPDATE meeting_settings SET reminders_on = ?, reminder_time = ? WHERE group_id ="
            " (SELECT id FROM groups ORDER BY id LIMIT 1 OFFSET ?)",
            (on, at, group),
        )


async def press_labelled(bot: BotProcess, user_id: int, label: str) -> None:
    """Press a button on the person's last message; wait for the answer in their chat (not
    for any message: reminders to others may be going out meanwhile)."""
    message = bot.fake.sent_messages(user_id)[-1]
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, message, data)
    await bot.reply(
        lambda c: (
            c.method in ("editMessageText", "sendMessage")
            and c.params.get("chat_id") == user_id
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )


async def ask(bot: BotProcess, user_id: int, text: str) -> str:
    seen = len(bot.fake.calls)
    bot.fake.private_message(user_id, text)
    call = await bot.reply(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == user_id
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )
    return str(call.params["text"])


async def test_reminders_moves_cancellations_and_a_follow_up(bot: BotProcess) -> None:
    fake = bot.fake
    services = await in_process(bot)
    world = await build_world(services)
    leader = await services.people.access(LEADER)
    for group in world.groups:  # a settings row for each: the place for the first
        await services.reminders.start_typing(leader, group.id, DialogKind.MEETING_PLACE)
        await services.reminders.typed_place(leader, "Kirjasto, kokoushuone 2")
    await services.db.close()
    # The first meeting is in three hours: its day-before reminder (at 0.00) is late but
    # still worth sending. The other group's reminders are off for now.
    settings(bot, 0, on=1, at="00:00")
    settings(bot, 1, on=0, at="00:00")
    meet_soon(bot, 0, 1, timedelta(hours=3))
    meet_soon(bot, 1, 1, timedelta(hours=5))

    await bot.start()
    await bot.started()
    reminder = "Muistutus: tapaaminen 1"
    await fake.wait_for(lambda c: sent(fake, reminder)[GROUP_CHAT] == 1, timeout=30)
    text = next(str(m["text"]) for m in fake.sent_messages(GROUP_CHAT) if reminder in m["text"])
    assert "Paikka: Kirjasto, kokoushuone 2" in text
    assert "Viikon aihe: Toimintasuunnitelmat" in text
    await fake.wait_for(lambda c: sent(fake, reminder)[3001] == 1)  # a private subscriber
    await settled(bot)

    # A cancelled meeting: three taps after /meetings, then its reminder says what instead.
    await ask(bot, LEADER, "/meetings")
    listing = fake.sent_messages(LEADER)[-1]
    first_of_other = next(
        b["text"]
        for row in listing["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"].startswith("Torstairyhmä")
    )
    taps = 0
    for label in (first_of_other, "Kuulumiskysely tilalle", "Sää tai matkat"):
        await press_labelled(bot, LEADER, label)
        taps += 1
    assert taps == 3
    await fake.wait_for(lambda c: sent(fake, "Emme voi tavata")[OTHER_CHAT] == 1)
    await ask(bot, LEADER, "/meetings")  # the other group's reminders switched on
    listing = fake.sent_messages(LEADER)[-1]
    shows = [
        b["callback_data"]
        for row in listing["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].endswith(":show")
    ]
    seen = len(fake.calls)
    fake.callback_query(LEADER, listing, shows[1])
    await bot.reply(
        lambda c: c.method == "editMessageText" and any(c is x for x in fake.calls[seen:])
    )
    await press_labelled(bot, LEADER, "Muistutukset päälle")
    await fake.wait_for(
        lambda c: any(
            "ei ole tapaamista" in str(m.get("text")) and "kuulumiskysely" in str(m.get("text"))
            for m in fake.sent_messages(OTHER_CHAT)
        )
    )

    # A moved meeting: the group is told, and the reminder follows it to its new time.
    await ask(bot, LEADER, "/meetings")
    await press_labelled(bot, LEADER, "Tiistairyhmä ke 20.1.")
    await press_labelled(bot, LEADER, "Siirrä")
    assert "Kerron siitä ryhmälle" in await ask(bot, LEADER, "huomenna 10")
    await fake.wait_for(lambda c: sent(fake, "Tapaamisella 2 on uusi aika")[GROUP_CHAT] == 1)
    await fake.wait_for(lambda c: sent(fake, "Muistutus: tapaaminen 2")[GROUP_CHAT] == 1)
    moved = next(
        str(m["text"])
        for m in fake.sent_messages(GROUP_CHAT)
        if "Muistutus: tapaaminen 2" in m["text"]
    )
    tomorrow = (system_clock() + timedelta(days=1)).astimezone(services.zone)
    assert f"{tomorrow.day}.{tomorrow.month}. klo 10.00" in moved

    # A follow-up meeting after the last one (not before it), counted like the others.
    await ask(bot, LEADER, "/meetings")
    await press_labelled(bot, LEADER, "Lisää tapaaminen")
    assert "viimeisen" in await ask(bot, LEADER, "10.2.2027 17.30")
    assert "tapaaminen 7" in await ask(bot, LEADER, "17.3.2027 17.30")

    # A restart: nothing is reminded twice. Another meeting made due meanwhile proves that
    # the reminder sweep has run after the start.
    await kill_and_restart(bot)
    assert await bot.stop() == 0
    meet_soon(bot, 0, 4, timedelta(hours=3))
    await bot.start()
    await bot.started()
    await fake.wait_for(lambda c: sent(fake, "Muistutus: tapaaminen 4")[GROUP_CHAT] == 1, 30)
    await settled(bot)
    for words in ("Muistutus: tapaaminen 1", "Muistutus: tapaaminen 2", "ei ole tapaamista"):
        counts = sent(fake, words)
        assert counts and set(counts.values()) == {1}, (words, counts)
    assert sent(fake, "Muistutus: tapaaminen 1") == Counter(
        {GROUP_CHAT: 1, 3001: 1, 3002: 1, 3003: 1}
    )

    figures = await in_process(bot)
    row = await figures.db.fetch_one(
        "SELECT count(*) FROM sessions WHERE group_id = ?", (world.groups[0].id,)
    )
    await figures.db.close()
    assert row is not None and row[0] == 7
