"""The rate limiter: slots per message carried, and replies retried after RetryAfter."""

from __future__ import annotations

import asyncio
from itertools import pairwise
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from bot.app import build_application
from bot.config import Settings
from bot.delivery.limits import (
    BULK,
    IN_FLIGHT,
    REPLY_RETRIES,
    SlidingWindow,
    TelegramLimits,
    messages,
)


class Time:
    """A clock that moves only when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_call_takes_a_slot_for_each_message_it_carries() -> None:
    assert messages("copyMessages", {"message_ids": [1, 2, 3]}) == 3
    assert messages("sendMediaGroup", {"media": ("a", "b")}) == 2
    assert messages("copyMessage", {"message_id": 1}) == messages("sendMessage", {}) == 1
    group = SlidingWindow(20, 60)
    for _ in range(4):
        assert group.wait(0.0, 5) == 0
        group.add(0.0, 5)
    assert group.wait(1.0, 1) > 58  # full until the first copies leave the window
    assert SlidingWindow(20, 60).wait(0.0, 207) == 0  # more than the limit: the whole window


async def test_copies_of_an_album_wait_for_room_in_the_overall_window() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)

    async def ok(*_: Any) -> bool:
        return True

    album = {"from_chat_id": 1, "message_ids": list(range(10))}
    for chat in (-1, -2, -3):  # 30 messages
        await limits.process_request(ok, (), {}, "copyMessages", {**album, "chat_id": chat}, BULK)
    assert time.slept == []
    await limits.process_request(ok, (), {}, "copyMessages", {**album, "chat_id": -4}, BULK)
    assert sum(time.slept) >= 1.0


async def test_a_reply_is_sent_again_after_retry_after_and_never_sooner() -> None:
    time, tries = Time(), []
    limits = TelegramLimits(time, time.sleep)

    async def telegram(*_: Any) -> bool:
        tries.append(time.now)
        if len(tries) < 3:
            raise RetryAfter(1)
        return True

    reply = {"chat_id": 5, "text": "next question"}
    assert await limits.process_request(telegram, (), {}, "sendMessage", reply, None)
    assert len(tries) == 3
    assert all(later - sooner >= 1.0 for sooner, later in pairwise(tries))


async def test_bulk_sends_are_left_to_the_outbox_and_replies_give_up_in_the_end() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)
    calls = 0

    async def always_429(*_: Any) -> bool:
        nonlocal calls
        calls += 1
        raise RetryAfter(2)

    with pytest.raises(RetryAfter):
        await limits.process_request(always_429, (), {}, "copyMessage", {"chat_id": 5}, BULK)
    assert calls == 1
    with pytest.raises(RetryAfter):
        await limits.process_request(always_429, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert calls == 1 + 1 + REPLY_RETRIES


async def test_no_more_requests_in_flight_than_the_http_pool_has_connections() -> None:
    """A burst of answers must wait here, in order, not in httpcore's pool, whose CPU per
    request grows with every queued request and every idle connection."""
    limits = TelegramLimits()
    in_flight, most, release = 0, 0, asyncio.Event()

    async def telegram(*_: Any) -> bool:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await release.wait()
        in_flight -= 1
        return True

    burst = [
        asyncio.create_task(
            limits.process_request(telegram, (), {}, "answerCallbackQuery", {}, None)
        )
        for _ in range(IN_FLIGHT * 3)
    ]
    while most < IN_FLIGHT:
        await asyncio.sleep(0)
    for _ in range(10):
        await asyncio.sleep(0)
    assert most == IN_FLIGHT
    release.set()
    assert all(await asyncio.gather(*burst))


def test_the_bot_pools_as_many_connections_as_requests_may_be_in_flight() -> None:
    settings = Settings(_env_file=None, bot_token="1:x", pseudonym_key="b" * 64)  # type: ignore[call-arg]
    request = build_application(settings).bot._request[1]  # PTB: (getUpdates, the rest)
    assert isinstance(request, HTTPXRequest)
    assert request._client_kwargs["limits"].max_connections == IN_FLIGHT
