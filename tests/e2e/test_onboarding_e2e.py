"""The whole onboarding through the real program and the fake Bot API server."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sqlite3
import sys
from pathlib import Path
from typing import Any

from tests.e2e.conftest import COORDINATOR, BotProcess
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call

LEADER, PARTICIPANT, STRANGER = 2001, 3001, 4001
CHAT = -5151
ANSWERS = ("sendMessage", "editMessageText")


async def answer_to(bot: BotProcess, update: dict[str, Any], chat_id: int) -> Call:
    """Queue an update and wait for the bot's next message (or edit) in that chat."""
    seen = len(bot.fake.calls)
    _ = update
    return await bot.reply(
        lambda c: (
            c.method in ANSWERS
            and c.params.get("chat_id") == chat_id
            and any(c is later for later in bot.fake.calls[seen:])
        )
    )


async def say(bot: BotProcess, user_id: int, text: str, **kw: Any) -> str:
    seen = len(bot.fake.calls)
    bot.fake.private_message(user_id, text, **kw)
    call = await bot.reply(
        lambda c: (
            c.method in ANSWERS
            and c.params.get("chat_id") == user_id
            and any(c is later for later in bot.fake.calls[seen:])
        )
    )
    return str(call.params["text"])


async def press(bot: BotProcess, user_id: int, prefix: str) -> str:
    message = bot.fake.sent_messages(user_id)[-1]
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)
    )
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, message, data)
    await bot.reply(
        lambda c: c.method == "answerCallbackQuery" and any(c is x for x in bot.fake.calls[seen:])
    )
    await bot.reply(
        lambda c: (
            c.method in ANSWERS  # in this person's chat: others' updates are handled meanwhile
            and c.params.get("chat_id") == user_id
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )
    return bot.fake.sent_texts(user_id)[-1]


def link(text: str, kind: str) -> str:
    match = re.search(rf"\?{kind}=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


async def test_onboarding_end_to_end_with_a_restart(bot: BotProcess) -> None:
    await bot.start()
    await bot.started()

    assert "Tehdään uusi ryhmä" in await say(bot, COORDINATOR, "/newgroup")
    await say(bot, COORDINATOR, "Tiistairyhmä")

    # A restart in the middle of the guided chat loses nothing.
    assert await bot.stop() == 0
    await bot.start()
    await bot.started()

    assert "päivämäärä" in await say(bot, COORDINATOR, "Kuopio")
    assert "Sitä päivää ei ole" in await say(bot, COORDINATOR, "31.2.2027")
    await say(bot, COORDINATOR, "13.1.2027")
    assert "Sellaista kellonaikaa ei ole" in await say(bot, COORDINATOR, "25:00")
    await say(bot, COORDINATOR, "17.30")
    await say(bot, COORDINATOR, "6")
    assert "Onko tämä oikein" in await press(bot, COORDINATOR, "ng:")
    created = await press(bot, COORDINATOR, "ngok:")
    leader_payload = link(created, "start")

    # The leader joins; a stranger cannot reuse the single-use link.
    # First what a leader can do (with their keyboard), then the welcome with its button.
    seen = len(bot.fake.calls)
    assert "/vinkit" in await say(bot, LEADER, f"/start {leader_payload}")
    await bot.reply(
        lambda c: (
            c.method == "sendMessage"
            and "Tervetuloa" in str(c.params.get("text"))
            and any(c is later for later in bot.fake.calls[seen:])
        )
    )
    assert "on jo käytetty" in await say(bot, STRANGER, f"/start {leader_payload}")
    links = await press(bot, LEADER, "ln:")

    # The bot is added to the group's chat through the startgroup link.
    bot.fake.my_chat_member(CHAT, LEADER, "left", "member")
    greeting = await answer_to(
        bot,
        bot.fake.group_message(
            CHAT, LEADER, f"/start@ryhmakaveri_test_bot {link(links, 'startgroup')}"
        ),
        CHAT,
    )
    assert "Hei kaikki" in greeting.params["text"]

    # A participant sees the privacy notice, and is stored only after consenting.
    notice = await say(bot, PARTICIPANT, f"/start {link(links, 'start')}", language_code="en")
    assert "How I handle your information" in notice
    assert "Thank you!" in await press(bot, PARTICIPANT, "cs:")

    # Added to a random group, the bot explains and leaves.
    await answer_to(bot, bot.fake.group_message(-777, STRANGER, "/help@ryhmakaveri_test_bot"), -777)
    await bot.reply(lambda c: c.method == "leaveChat" and c.params["chat_id"] == -777)

    assert await bot.stop() == 0
    database = bot.workdir / "data" / "bot.db"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT chat_id FROM groups").fetchall() == [(CHAT,)]
        roles = db.execute("SELECT user_id, role FROM memberships ORDER BY user_id").fetchall()
        assert roles == [(LEADER, "leader"), (PARTICIPANT, "participant")]
        kinds = [r[0] for r in db.execute("SELECT kind FROM contact_events ORDER BY kind")]
        assert kinds == ["chat_bound", "group_created", "leader_joined", "participant_joined"]
    assert "created a new pseudonym key" in bot.output()


async def test_sigterm_stops_within_seconds_and_a_second_copy_refuses(bot: BotProcess) -> None:
    await bot.start()
    await bot.started()
    second = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=bot.workdir,
        env=bot.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(second.communicate(), 20)
    assert second.returncode != 0
    assert b"already running" in output
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert await bot.stop(signal.SIGTERM) == 0
    assert loop.time() - began < 10


async def test_an_edited_old_message_runs_no_command(bot: BotProcess) -> None:
    await bot.start()
    await bot.started()
    first = bot.fake.private_message(COORDINATOR, "hei")
    await bot.reply(lambda c: c.method == "sendMessage" and c.params["chat_id"] == COORDINATOR)
    bot.fake.edited_message(first["message"], "/newgroup")
    marker = await say(bot, COORDINATOR, "/help")  # processed after the edit
    assert "/uusiryhma" in marker
    assert not any("Tehdään uusi ryhmä" in t for t in bot.fake.sent_texts(COORDINATOR))
    assert await bot.stop() == 0


async def test_the_bot_waits_for_telegram_when_started_before_the_network(
    bot: BotProcess, tmp_path: Path
) -> None:
    """A server may start the bot before its network (or Telegram) is up: it keeps trying,
    one line per attempt, and works once Telegram answers."""
    with socket.socket() as probe:  # a free port, on which nothing listens yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    late = FakeBotApiServer(bot.fake)
    bot.env["TELEGRAM_API_URL"] = f"http://127.0.0.1:{port}"
    await bot.start()
    async with asyncio.timeout(60):
        while "trying again" not in bot.output():
            await asyncio.sleep(0.1)
    assert bot.process is not None and bot.process.returncode is None
    await late.start(port)
    try:
        await bot.started(timeout=60)
        bot.fake.private_message(COORDINATOR, "/help")
        await bot.reply(lambda c: c.method == "sendMessage" and c.params["chat_id"] == COORDINATOR)
        assert await bot.stop() == 0
    finally:
        await late.stop()
    attempts = [line for line in bot.output().splitlines() if "cannot be reached" in line]
    assert attempts and all("Telegram cannot be reached (NetworkError)" in a for a in attempts)
