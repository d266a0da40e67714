"""The rate limiter: slots per message carried, and replies retried after RetryAfter."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.delivery.limits import (
    BULK,
    OVERALL,
    PACED_MARGIN,
    REPLY_RETRIES,
    SERIES,
    SlidingWindow,
    TelegramLimits,
    messages,
)


class Time:
    """A clock that moves only when the limiter sleeps (its timers firing `late`)."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 1000.0
        self.late = late
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds + self.late


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


async def send_all(
    limits: TelegramLimits, time: Time, chats: range, stall_at: int = -1
) -> list[float]:
    """Bulk copies to `chats`, one after another; the times the server was asked. The
    event loop is busy for 0.2 s while sending copy number `stall_at`."""
    sent: list[float] = []

    async def telegram(*_: Any) -> bool:
        sent.append(time.now)
        if len(sent) == stall_at:
            time.now += 0.2
        return True

    for chat in chats:
        await limits.process_request(telegram, (), {}, "copyMessage", {"chat_id": chat}, BULK)
    return sent


async def test_once_the_overall_window_is_full_its_slots_are_released_one_at_a_time() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)
    sent = await send_all(limits, time, range(-1, -121, -1))
    assert sent[:30] == [1000.0] * 30  # a quiet bot sends a burst at once
    gaps = [later - sooner for sooner, later in pairwise(sent[30:])]
    assert min(gaps) == pytest.approx(max(gaps))  # not thirty expiring together
    assert min(gaps) >= 1.0 / 30
    assert all(later - sooner >= 1.0 for sooner, later in zip(sent, sent[30:], strict=False))


async def test_slots_missed_while_the_event_loop_was_busy_are_not_made_up_in_a_burst() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)
    sent = await send_all(limits, time, range(-1, -91, -1), stall_at=50)
    gaps = [later - sooner for sooner, later in pairwise(sent[30:])]
    assert min(gaps) >= 1.0 / 30


async def test_timers_firing_late_do_not_push_the_later_slots_back() -> None:
    time = Time(late=0.001)
    limits = TelegramLimits(time, time.sleep)
    paced = (await send_all(limits, time, range(-1, -331, -1)))[30:]
    limit, period = OVERALL
    on_schedule = (len(paced) - 1) * (period + PACED_MARGIN) / limit
    assert paced[-1] - paced[0] < on_schedule + 0.05  # a millisecond each would be 0.3 s


async def test_pacing_ends_once_no_slot_was_taken_for_a_whole_window() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)
    await send_all(limits, time, range(-1, -61, -1))
    time.now += 1.1
    start = time.now
    assert await send_all(limits, time, range(-61, -91, -1)) == [start] * 30


async def test_a_paced_album_waits_for_as_many_slots_as_it_carries() -> None:
    time = Time()
    limits = TelegramLimits(time, time.sleep)
    sent = await send_all(limits, time, range(-1, -32, -1))  # full, then paced
    album = {"from_chat_id": 1, "message_ids": list(range(10)), "chat_id": -99}

    async def ok(*_: Any) -> bool:
        sent.append(time.now)
        return True

    await limits.process_request(ok, (), {}, "copyMessages", album, BULK)
    assert sent[-1] - sent[-2] >= 10 / 30


async def test_a_reply_of_several_files_keeps_to_the_chats_limit_and_is_retried() -> None:
    time, tries = Time(), []
    limits = TelegramLimits(time, time.sleep)

    async def telegram(*_: Any) -> bool:
        tries.append(time.now)
        if len(tries) == 3:
            raise RetryAfter(1)
        return True

    for _ in range(3):  # a summary's chart and two spreadsheets
        assert await limits.process_request(
            telegram, (), {}, "sendDocument", {"chat_id": 5}, SERIES
        )
    assert len(tries) == 4
    assert all(later - sooner >= 1.0 for sooner, later in pairwise(tries))
