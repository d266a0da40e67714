from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.context import RyhmaApp, Services
from tests.support.clock import FakeClock
from tests.support.fake_request import FakeRequest
from tests.support.fake_telegram import FakeTelegram


class Harness:
    """The real Application on a fake request layer; updates go through process_update."""

    def __init__(self, app: RyhmaApp, fake: FakeTelegram) -> None:
        self.app = app
        self.fake = fake
        self._settled = asyncio.Event()
        sender = app.bot_data["sender"]
        on_settled = sender._on_settled

        async def settled(*args: Any) -> None:
            await on_settled(*args)
            self._settled.set()

        sender._on_settled = settled

    async def recorded(self) -> None:
        """Until no delivery is being sent: what the fake has seen is then in the database
        (a button on a message counts only once its delivery is recorded)."""
        while True:
            self._settled.clear()  # before looking, so a settle from now on is not missed
            sql = "SELECT 1 FROM deliveries WHERE state = 'sending' LIMIT 1"
            if await self.services.db.fetch_one(sql) is None:
                return
            await self._settled.wait()

    @property
    def services(self) -> Services:
        services = self.app.bot_data["services"]
        assert isinstance(services, Services)
        return services

    async def feed(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def arrive(self, *updates: dict[str, Any]) -> None:
        """Updates arriving together, handled as the running bot handles them: each in its
        own task, in arrival order, through the application's update processor."""
        processor = self.app.update_processor
        tasks = []
        for data in updates:
            update = Update.de_json(data, self.app.bot)
            coroutine = self.app.process_update(update)
            tasks.append(asyncio.create_task(processor.process_update(update, coroutine)))
        await asyncio.gather(*tasks)

    async def say(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """A private message; returns the bot's last message to that person."""
        await self.feed(self.fake.private_message(user_id, text, **kwargs))
        return self.last(user_id)

    async def press(self, user_id: int, message: dict[str, Any], data: str, **kw: Any) -> None:
        await self.feed(self.fake.callback_query(user_id, message, data, **kw))

    def last(self, chat_id: int) -> dict[str, Any]:
        return self.fake.sent_messages(chat_id)[-1]


@pytest.fixture
async def harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with running(settings, clock, FakeTelegram()) as started:
        yield started


@asynccontextmanager
async def running(
    settings: Settings, clock: FakeClock, fake: FakeTelegram
) -> AsyncIterator[Harness]:
    """The bot started on the settings' database and stopped again: twice is a restart."""
    app = build_application(settings, request=FakeRequest(fake), clock=clock)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.job_queue is not None
    await app.job_queue.start()
    yield Harness(app, fake)
    await app.job_queue.stop()
    assert app.post_stop is not None and app.post_shutdown is not None
    await app.post_stop(app)
    await app.post_shutdown(app)
    await app.shutdown()
    assert fake.violations == [], "every call must conform to the Bot API method list"
