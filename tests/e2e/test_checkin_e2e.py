"""The whole story through the real program: a leader cancels next week's meeting, the notice
arrives, at the meeting time the check-in and the tip arrive, three people answer (one asks
to be contacted), the window closes and the leaders get the summary. The bot is killed and
restarted before the meeting time and after it, and every message arrives exactly once."""

from __future__ import annotations

import signal
import sqlite3
from collections import Counter
from datetime import timedelta
from typing import Any

from bot.domain.clock import system_clock, to_db
from tests.e2e.conftest import BotProcess, in_process, settled
from tests.service.world import LEADER, build_world
from tests.support.fake_telegram import FakeTelegram


def sent(fake: FakeTelegram, words: str) -> Counter[int]:
    return Counter(
        c.params["chat_id"]
        for c in fake.calls_to("sendMessage")
        if c.status == 200 and words in str(c.params.get("text"))
    )


async def press(bot: BotProcess, user_id: int, message: dict[str, Any], ending: str) -> None:
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].endswith(ending)
    )
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, message, data)
    await bot.reply(
        lambda c: c.method == "answerCallbackQuery" and any(c is x for x in bot.fake.calls[seen:])
    )


async def press_labelled(bot: BotProcess, user_id: int, label: str) -> None:
    message = bot.fake.sent_messages(user_id)[-1]
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, message, data)
    await bot.reply(
        lambda c: (
            c.method in ("editMessageText", "sendMessage")
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )


async def kill_and_restart(bot: BotProcess) -> None:
    """SIGKILL while idle: what is due later is in the database, so nothing is lost or
    repeated (a kill in the middle of a send is tested in test_broadcast_e2e.py)."""
    await settled(bot)
    assert bot.process is not None
    bot.process.send_signal(signal.SIGKILL)
    await bot.process.wait()
    bot.fake.release_pollers()
    await bot.start()
    await bot.started()


def move_checkin(bot: BotProcess, *, opens: timedelta, closes: timedelta) -> None:
    """While the bot is stopped, make the meeting (and its check-in) begin `opens` from now
    and the check-in close `closes` from now: time is moved, never raced against."""
    now = system_clock()
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        (checkin_id, session_id, broadcasts) = db.execute(
            "SELECT id, session_id, json_array(broadcast_id, tip_broadcast_id) FROM checkins"
        ).fetchone()
        db.execute(
            "UPDATE sessions SET starts_at = ? WHERE id = ?", (to_db(now + opens), session_id)
        )
        db.execute(
            "UPDATE checkins SET opens_at = ?, closes_at = ? WHERE id = ?",
            (to_db(now + opens), to_db(now + closes), checkin_id),
        )
        db.execute(
            "UPDATE deliveries SET due_at = ?, deadline_at = ? WHERE state = 'pending'"
            " AND broadcast_id IN (SELECT value FROM json_each(?))",
            (to_db(now + opens), to_db(now + closes), broadcasts),
        )


async def test_cancel_checkin_answers_and_summary_across_restarts(bot: BotProcess) -> None:
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
    await press_labelled(bot, LEADER, "Ohjaaja on sairaana")
    await fake.wait_for(lambda c: sent(fake, "Emme voi tavata")[-100] == 1)

    await kill_and_restart(bot)  # before the meeting time: the check-in waits for it
    await settled(bot)
    assert sent(fake, "Mitä kuuluu") == Counter()

    # The meeting time comes while the bot is down: the check-in goes out at the start.
    assert await bot.stop() == 0
    move_checkin(bot, opens=timedelta(seconds=-1), closes=timedelta(hours=2))
    await bot.start()
    await bot.started()
    await fake.wait_for(lambda c: sent(fake, "Mitä kuuluu")[-100] == 1, timeout=30)
    await fake.wait_for(lambda c: sent(fake, "Tee suunnitelmasta pieni")[-100] == 1)
    checkin = next(m for m in fake.sent_messages(-100) if "Mitä kuuluu" in str(m.get("text")))

    await kill_and_restart(bot)  # after it, while the check-in is open
    await press(bot, 3001, checkin, ":week:3")
    await press(bot, 3002, checkin, ":plan:partly")
    await press(bot, 3003, checkin, ":contact:1")
    alert = await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == LEADER
            and "toivoo" in str(c.params.get("text"))
        )
    )
    assert "tg://user?id=3003" in alert.params["text"]

    # The window closes while the bot is down: it is closed, and summed up, at the start.
    await settled(bot)
    assert await bot.stop() == 0
    move_checkin(bot, opens=timedelta(hours=-2), closes=timedelta(seconds=-1))
    await bot.start()
    await bot.started()
    summary = await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == LEADER
            and "on päättynyt" in str(c.params.get("text"))
        ),
        timeout=40,
    )
    assert (
        "2 vastasi" in summary.params["text"]
        and "1 henkilö odottaa yhteydenottoa" in summary.params["text"]
    )
    await settled(bot)  # anything sent twice would have gone out by now
    group_chat_and_private = [-100, 3001, 3002, 3003]
    for words in ("Emme voi tavata", "Mitä kuuluu", "Tee suunnitelmasta pieni"):
        counts = sent(fake, words)
        assert [counts[chat] for chat in group_chat_and_private] == [1, 1, 1, 1], words
    assert sent(fake, "on päättynyt")[LEADER] == 1
    assert await bot.stop() == 0
