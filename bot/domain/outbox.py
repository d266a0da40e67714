"""The outbox's rules: delivery states, what an attempt can come to, and retry timing.

A delivery is written (pending) before any API call, claimed (sending) just before
its call, and settled by the outcome. A crash between claim and settle leaves it
`sending`; on start-up those go back to pending, so only they may be repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MAX_ATTEMPTS = 8


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    MISSED = "missed"
    RETRACTING = "retracting"  # a sent one being taken back
    RETRACTED = "retracted"


OPEN = (State.PENDING, State.SENDING, State.RETRACTING)


@dataclass(frozen=True)
class Delivery:
    id: int
    broadcast_id: int
    group_id: int | None
    chat_id: int
    private: bool
    state: State
    attempts: int
    due_at: datetime
    message_ids: tuple[int, ...]


# What one attempt came to. The delivery layer maps Telegram's errors to these.
@dataclass(frozen=True)
class Sent:
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class RetryAfter:
    seconds: float  # Telegram said when


@dataclass(frozen=True)
class Transient:
    reason: str  # timeout or network: may have arrived; retried with backoff


@dataclass(frozen=True)
class Blocked:
    reason: str  # the person blocked the bot or it was removed from the chat


@dataclass(frozen=True)
class Migrated:
    new_chat_id: int


@dataclass(frozen=True)
class Failed:
    reason: str  # Telegram refused this one; retrying would not help


Outcome = Sent | RetryAfter | Transient | Blocked | Migrated | Failed


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … seconds, at most five minutes."""
    return timedelta(seconds=min(2**attempts, 300))


def retry_at(now: datetime, attempts: int, outcome: RetryAfter | Transient) -> datetime:
    if isinstance(outcome, RetryAfter):
        return now + timedelta(seconds=outcome.seconds)
    return now + backoff(attempts)


@dataclass(frozen=True)
class Progress:
    """A broadcast's deliveries by state, for the leader's report."""

    total: int
    sent: int
    blocked: int
    failed: int
    open: int
    retracted: int

    @property
    def finished(self) -> bool:
        return self.open == 0

    @classmethod
    def from_counts(cls, counts: dict[State, int]) -> Progress:
        return cls(
            total=sum(counts.values()),
            sent=counts.get(State.SENT, 0),
            blocked=counts.get(State.BLOCKED, 0),
            failed=counts.get(State.FAILED, 0) + counts.get(State.MISSED, 0),
            open=sum(counts.get(s, 0) for s in OPEN),
            retracted=counts.get(State.RETRACTED, 0),
        )
