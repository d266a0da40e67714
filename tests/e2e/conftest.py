"""End-to-end: the real program (`python -m bot`) against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.app import build_services, open_database
from bot.config import Settings
from bot.context import Services
from bot.domain.clock import system_clock
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call, FakeTelegram

TOKEN = "123456:E2E-secret-token-value"
ROOT = Path(__file__).resolve().parents[2]
COORDINATOR = 1000


@dataclass
class BotProcess:
    fake: FakeTelegram
    env: dict[str, str]
    workdir: Path
    log: Path
    process: asyncio.subprocess.Process | None = None
    runs: list[Path] = field(default_factory=list)

    async def start(self, *args: str) -> None:
        self.log = self.workdir / f"bot-{len(self.runs)}.log"
        self.runs.append(self.log)
        with self.log.open("wb") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                *args,
                cwd=self.workdir,
                env=self.env,
                stdout=output,
                stderr=output,
                stdin=asyncio.subprocess.DEVNULL,
            )

    async def started(self, timeout: float = 30) -> None:
        """Wait until the bot is polling for updates, that is, fully started."""
        await self.fake.wait_for_poll(self.fake.polls_begun, timeout)

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        self.fake.release_pollers()
        return code

    async def reply(self, predicate: Callable[[Call], bool], timeout: float = 15) -> Call:
        return await self.fake.wait_for(predicate, timeout=timeout)

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.runs)


def env_for(base_url: str, workdir: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return keep | {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(workdir / "data" / "bot.db"),
        "PSEUDONYM_KEY_FILE": str(workdir / "keys" / "pseudonym.key"),
        "COORDINATOR_IDS": str(COORDINATOR),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "DEBUG",  # the most talkative level: the token must not leak even here
    }


@pytest.fixture
async def api() -> AsyncIterator[tuple[FakeTelegram, FakeBotApiServer, str]]:
    """The fake Bot API: its model, its HTTP server (for faults) and its base URL."""
    fake = FakeTelegram(token=TOKEN)
    http = FakeBotApiServer(fake)
    base = await http.start()
    yield fake, http, base
    await http.stop()
    assert fake.violations == [], "every call must conform to the Bot API method list"


@pytest.fixture
def server(api: tuple[FakeTelegram, FakeBotApiServer, str]) -> tuple[FakeTelegram, str]:
    fake, _, base = api
    return fake, base


@pytest.fixture
async def bot(server: tuple[FakeTelegram, str], tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The program, not yet started; tests may change `bot.env` before they start it."""
    fake, base = server
    process = BotProcess(fake, env_for(base, tmp_path), tmp_path, tmp_path / "bot.log")
    yield process
    if process.process and process.process.returncode is None:
        process.process.kill()
        await process.process.wait()
    assert TOKEN not in process.output(), "the token must never appear in a log line"
    assert TOKEN.split(":")[1] not in process.output()


async def settled(bot: BotProcess, *, in_flight_allowed: bool = False, timeout: float = 60) -> None:
    """Wait until nothing due is left to send (and, unless allowed, nothing is in flight),
    read from the program's database: an event to wait for, not a guess at a duration."""
    busy = "state = 'pending' AND due_at <= datetime('now')"
    if not in_flight_allowed:
        busy += " OR state = 'sending'"
    async with asyncio.timeout(timeout):
        while True:
            with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
                if not db.execute(f"SELECT count(*) FROM deliveries WHERE {busy}").fetchone()[0]:
                    return
            await asyncio.sleep(0.05)


def settings_for(bot: BotProcess) -> Settings:
    env = {
        key.lower(): value
        for key, value in bot.env.items()
        if key.isupper() and key not in ("PATH", "HOME", "LANG", "PYTHONPATH", "LOG_LEVEL")
    }
    return Settings(_env_file=None, **env)  # type: ignore[call-arg, arg-type]


async def in_process(bot: BotProcess) -> Services:
    """The program's own services on its database, while the program is stopped."""
    settings = settings_for(bot)
    db = await open_database(settings)
    return build_services(settings, db, system_clock)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything here runs the real program: `-m "not e2e"` is the fast loop."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
