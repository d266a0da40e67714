"""Issue 12 through the real program (`python -m bot` against the fake Bot API server):
answering a check-in takes one tap per question, marked on the person's own copy; and a
participant's message reaches the leaders, whose answer comes back."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from tests.e2e.conftest import BotProcess, in_process, settled
from tests.e2e.test_checkin_e2e import move_checkin, press, press_labelled, sent
from tests.service.world import LEADER, build_world


def marked(bot: BotProcess, chat_id: int) -> list[str]:
    message = next(m for m in bot.fake.sent_messages(chat_id) if "Mitä kuuluu" in m["text"])
    rows = message["reply_markup"]["inline_keyboard"]
    return [b["text"] for row in rows for b in row if b["text"].startswith("✅")]


async def test_answering_a_checkin_takes_one_tap_per_question(bot: BotProcess) -> None:
    fake = bot.fake
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()

    seen = len(fake.calls)
    fake.private_message(LEADER, "/checkin")
    await bot.reply(lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:]))
    await press_labelled(bot, LEADER, "Tiistairyhmä")
    await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == 3001
            and "Mitä kuuluu" in str(c.params.get("text"))
        ),
        timeout=30,
    )
    await settled(bot)
    copy = next(m for m in fake.sent_messages(3001) if "Mitä kuuluu" in m["text"])
    assert "vastannut" not in copy["text"]

    taps = 0
    for ending, mark in ((":week:3", "✅ Hyvä"), (":plan:yes", "✅ Kyllä")):
        await press(bot, 3001, copy, ending)
        taps += 1
        await fake.wait_for(
            lambda c, mark=mark: (
                c.method == "editMessageText"
                and c.params.get("chat_id") == 3001
                and mark in str(c.params.get("reply_markup"))
            )
        )
    assert marked(bot, 3001) == ["✅ Hyvä", "✅ Kyllä"]
    await settled(bot)
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        answers = db.execute("SELECT week, plan FROM checkin_answers").fetchall()
    assert answers == [(3, "yes")]
    assert taps == 2  # two questions, one tap each
    print(f"answer a check-in: {taps} taps for 2 questions")
    assert await bot.stop() == 0


async def test_a_participants_message_reaches_the_leader_and_back(bot: BotProcess) -> None:
    fake = bot.fake
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()

    seen = len(fake.calls)
    fake.private_message(3001, "Voiko ensi kerralla tulla myöhässä?", first_name="Aino")
    offer = await bot.reply(
        lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:])
    )
    assert "ohjaajille?" in offer.params["text"]
    await press_labelled(bot, 3001, "Kyllä, lähetä")
    copied = await fake.wait_for(
        lambda c: c.method == "copyMessage" and c.params.get("chat_id") == LEADER
    )
    assert copied.params["from_chat_id"] == 3001
    await fake.wait_for(
        lambda c: c.method == "sendMessage" and "Vastaa" in str(c.params.get("reply_markup"))
    )
    await press_labelled(bot, LEADER, "Vastaa")
    fake.private_message(LEADER, "Totta kai, tervetuloa!", first_name="Ville")
    back = await fake.wait_for(
        lambda c: c.method == "copyMessage" and c.params.get("chat_id") == 3001
    )
    assert back.params["from_chat_id"] == LEADER
    await settled(bot)
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        dump = "\n".join(db.iterdump())
    assert "myöhässä" not in dump and "tervetuloa" not in dump
    assert await bot.stop() == 0


async def test_contact_buttons_in_plain_words_with_an_undo(bot: BotProcess) -> None:
    fake = bot.fake
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()

    seen = len(fake.calls)
    fake.private_message(LEADER, "/contact")
    menu = await bot.reply(
        lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:])
    )
    assert "+1" not in str(menu.params["reply_markup"])  # was "📞 +1 Tiistairyhmä"
    await press_labelled(bot, LEADER, "Tiistairyhmä")
    panel = fake.sent_messages(LEADER)[-1]
    for _ in range(2):  # a double tap
        await press(bot, LEADER, panel, ":phone")
    await fake.wait_for(
        lambda c: c.method == "editMessageText" and "2 puhelua" in str(c.params.get("text"))
    )
    await press_labelled(bot, LEADER, "↩️ Peru puhelu")
    await fake.wait_for(
        lambda c: c.method == "editMessageText" and "1 puhelu," in str(c.params.get("text"))
    )
    await settled(bot)
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        (calls,) = db.execute(
            "SELECT sum(amount) FROM contact_events WHERE kind = 'phone_contact'"
        ).fetchone()
    assert calls == 1
    assert await bot.stop() == 0


async def test_the_checkin_before_its_tip_and_closed_copies_lose_their_buttons(
    bot: BotProcess,
) -> None:
    fake = bot.fake
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()
    seen = len(fake.calls)
    fake.private_message(LEADER, "/meetings")
    await bot.reply(lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:]))
    await press_labelled(bot, LEADER, "Tiistairyhmä ke 13.1.")
    await press_labelled(bot, LEADER, "Kuulumiskysely tilalle")
    await press_labelled(bot, LEADER, "Sää tai matkat")
    await fake.wait_for(lambda c: sent(fake, "Emme voi tavata")[-100] == 1)
    await settled(bot)

    assert await bot.stop() == 0
    move_checkin(bot, opens=timedelta(seconds=-1), closes=timedelta(hours=2))
    await bot.start()
    await bot.started()
    chats = (-100, 3001, 3002, 3003)
    for chat in chats:
        await fake.wait_for(lambda c, chat=chat: sent(fake, "Tee suunnitelmasta pieni")[chat] == 1)
        texts = [
            str(c.params.get("text"))
            for c in fake.calls_to("sendMessage")
            if c.params.get("chat_id") == chat
        ]
        checkin = next(i for i, t in enumerate(texts) if "Mitä kuuluu" in t)
        tip = next(i for i, t in enumerate(texts) if "Tee suunnitelmasta pieni" in t)
        assert checkin < tip, chat

    await settled(bot)
    assert await bot.stop() == 0
    move_checkin(bot, opens=timedelta(hours=-2), closes=timedelta(seconds=-1))
    await bot.start()
    await bot.started()
    for chat in chats:
        await fake.wait_for(
            lambda c, chat=chat: (
                c.method == "editMessageText"
                and c.params.get("chat_id") == chat
                and "päättynyt" in str(c.params.get("text"))
            ),
            timeout=40,
        )
        shown = next(m for m in fake.sent_messages(chat) if "Mitä kuuluu" in m["text"])
        assert "reply_markup" not in shown, chat
    assert await bot.stop() == 0
