"""Webhook mode through the real program: only Telegram, which knows the secret, gets in."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp

from tests.e2e.conftest import COORDINATOR, BotProcess

SECRET = "Wh-secret_" * 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as answer,
    ):
        return answer.status


async def listening(port: int, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return


async def test_forged_updates_are_refused_and_telegrams_are_handled(
    bot: BotProcess, tmp_path: Path
) -> None:
    port = free_port()
    bot.env |= {
        "WEBHOOK_URL": "https://bot.example.fi/telegram/hook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }
    await bot.start()
    registered = await bot.reply(lambda c: c.method == "setWebhook", timeout=60)
    assert registered.params["url"] == "https://bot.example.fi/telegram/hook"
    assert registered.params["secret_token"] == SECRET
    await listening(port)
    hook = f"http://127.0.0.1:{port}/telegram/hook"

    forged = bot.fake.private_message(COORDINATOR, "/groups")
    assert await post(hook, forged, None) == 403
    assert await post(hook, forged, "Wh-secret_" * 3 + "guess-guess") == 403
    assert await post(hook, forged, SECRET[:-1]) == 403
    assert await post(hook, {"update_id": "not an update"}, SECRET) == 400

    real = bot.fake.private_message(COORDINATOR, "/help")
    assert await post(hook, real, SECRET) == 200
    answer = await bot.reply(
        lambda c: c.method == "sendMessage" and c.params.get("chat_id") == COORDINATOR
    )
    assert "/uusiryhma" in answer.params["text"]  # the coordinator's help, not the groups
    assert len(bot.fake.calls_to("sendMessage")) == 1
    assert await bot.stop() == 0
    assert SECRET not in bot.output()
