"""Retry timing: capped, jittered backoff; Telegram's retry_after obeyed; deadlines end it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.clock import from_db, to_db, whole_second_up
from bot.domain.outbox import (
    BACKOFF_CAP,
    Delivery,
    RetryAfter,
    State,
    Transient,
    backoff,
    next_try,
)

NOW = datetime(2026, 11, 28, 10, tzinfo=UTC)


def delivery(attempts: int, deadline: datetime | None) -> Delivery:
    return Delivery(1, 1, None, -100, False, State.SENDING, attempts, NOW, (), deadline)


def test_backoff_doubles_up_to_the_cap_and_jitter_spreads_its_upper_half() -> None:
    assert backoff(1, 1.0) == timedelta(seconds=2)
    assert backoff(3, 0.0) == timedelta(seconds=4)  # half of 8
    assert [backoff(n, 1.0) for n in (9, 50, 10_000)] == [BACKOFF_CAP] * 3
    assert backoff(10_000, 0.0) == BACKOFF_CAP / 2
    assert backoff(6, 0.25) != backoff(6, 0.75)


def test_retry_after_is_never_sooner_than_telegram_said() -> None:
    for jitter in (0.0, 0.5, 1.0):
        due = next_try(NOW, delivery(3, None), RetryAfter(7), jitter)
        assert due is not None and timedelta(seconds=7) <= due - NOW <= timedelta(seconds=8)


def test_a_stored_retry_time_is_never_sooner_than_telegram_said() -> None:
    """The database keeps whole seconds: a due time is rounded up to them, never down."""
    got_429 = NOW + timedelta(seconds=0.54)
    for seconds in (1, 1.5, 3):
        due = next_try(got_429, delivery(1, None), RetryAfter(seconds), 0.0)
        assert due is not None
        assert from_db(to_db(due)) - got_429 >= timedelta(seconds=seconds)
    assert whole_second_up(NOW) == NOW


def test_no_count_of_attempts_ends_it_only_the_deadline_does() -> None:
    assert next_try(NOW, delivery(1000, None), Transient("timed out"), 1.0) == NOW + BACKOFF_CAP
    later = NOW + timedelta(minutes=3)
    assert next_try(NOW, delivery(1, later), Transient("502"), 1.0) == NOW + timedelta(seconds=2)
    assert next_try(NOW, delivery(9, later), Transient("502"), 1.0) is None
    assert next_try(NOW, delivery(1, later), RetryAfter(180), 0.0) is None
