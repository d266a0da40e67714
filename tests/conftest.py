from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.context import Services
from bot.db.database import Database
from bot.db.migrate import migrate
from tests.support.clock import FakeClock

TOKEN = "123456:TEST-token"
GLOBAL_COORDINATOR = 1000


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_path=tmp_path / "bot.db",
        pseudonym_key="k" * 64,
        coordinator_ids=frozenset({GLOBAL_COORDINATOR}),
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(settings.database_path)
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture
def services(settings: Settings, db: Database, clock: FakeClock) -> Services:
    return build_services(settings, db, clock)
