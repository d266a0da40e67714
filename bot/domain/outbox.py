"""The outbox's rules: delivery states, what an attempt can come to, and retry timing.

A delivery is written (pending) before any API call, claimed (sending) just before
its call, and settled by the outcome. A crash between claim and settle leaves it
`sending`; on start-up those go back to pending, so only they may be repeated.

Transient trouble (timeouts, 5xx, 429) never loses a message: it is retried with a
capped, jittered backoff until the delivery's own deadline (a check-in until it closes,
a notice until the meeting, a leader's broadcast until a deadline they can see, a
summary until it arrives). Only a permanent answer from Telegram ends one early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.clock import whole_second_up

BACKOFF_CAP = timedelta(minutes=5)
RETRY_AFTER_SPREAD = 1.0  # seconds of jitter after Telegram's own retry_after
EXPIRED = "not delivered before its deadline"


class BroadcastState(StrEnum):
    QUEUED = "queued"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"
    TAKEN_BACK = "taken_back"


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


class Audience(StrEnum):
    """What a broadcast is for, decided when it is queued: only a contact with the group
    (its chat, a participant's private chat) is logged as a delivery and counted."""

    GROUP = "group"
    STAFF = "staff"  # leaders' summaries, coordinators' figures: not contacts


class ContentKind(StrEnum):
    """What the bot writes itself, and what the key's id names."""

    TIP = "tip"  # a library tip's id, 'fi/2-physical_activity-1'
    NOTICE = "notice"  # a session id: the meeting is not held in person, or is on again
    CHECKIN = "checkin"  # a check-in id
    SUMMARY = "summary"  # a check-in id: its answers for the leaders
    WEEKLY = "weekly"  # an ISO week, '2026-W48': the coordinators' figures
    BUDDY_HELLO = "buddyhello"  # a buddy pair's id: the introduction
    BUDDY_ASK = "buddyask"  # a buddy pair's id: "did you talk this week?"
    BUDDY_NUDGE = "buddynudge"  # a buddy pair's id: "please write to me"
    BUDDY_LEFT = "buddyleft"  # a group id: your buddy left; a new one?
    BUDDY_WAITING = "buddywait"  # a group id: to leaders, someone waits alone for a buddy
    REMINDER = "reminder"  # a session id: the meeting is coming (or what happens instead)
    MOVED = "moved"  # a session id: the meeting has a new time
    FOLLOW_UP = "follow_up"  # a group id: its leaders asked whether to plan a follow-up
    CLOSING = "closing"  # a group id: a kind closing message to the group
    CONTACT_REMINDER = "contact_reminder"  # a contact request's id: still waiting (leaders)
    ESCALATION = "escalation"  # a contact request's id: passed on (its coordinators)
    PASSED_ON = "passed_on"  # a contact request's id: the leaders told it was passed on
    TO_LEADERS = "to_leaders"  # a coordinator's broadcast id: who sent it, and 'Answer'
    LIBRARY = "library"  # a library item's id: sent again by Telegram file id
    LIBRARY_RETIRED = "library_retired"  # a library item's id: coordinators told it was retired
    LIBRARY_OFFER = "library_offer"  # a library item's id: under its copy, a coordinator decides
    LIBRARY_DECISION = "library_decision"  # a library item's id: its author told the decision


_KINDS = frozenset(kind.value for kind in ContentKind)
_NUMBERED = frozenset(
    {
        ContentKind.NOTICE,
        ContentKind.CHECKIN,
        ContentKind.SUMMARY,
        ContentKind.BUDDY_HELLO,
        ContentKind.BUDDY_ASK,
        ContentKind.BUDDY_NUDGE,
        ContentKind.BUDDY_LEFT,
        ContentKind.BUDDY_WAITING,
        ContentKind.REMINDER,
        ContentKind.MOVED,
        ContentKind.FOLLOW_UP,
        ContentKind.CLOSING,
        ContentKind.CONTACT_REMINDER,
        ContentKind.ESCALATION,
        ContentKind.PASSED_ON,
        ContentKind.TO_LEADERS,
        ContentKind.LIBRARY,
        ContentKind.LIBRARY_RETIRED,
        ContentKind.LIBRARY_OFFER,
        ContentKind.LIBRARY_DECISION,
    }
)


class ContentKeyError(ValueError):
    """A stored content key this code does not understand."""


@dataclass(frozen=True)
class ContentKey:
    """Names a message the bot writes itself; stored as '<kind>:<id>'."""

    kind: ContentKind
    id: str

    def __post_init__(self) -> None:
        if not self.id or (self.kind in _NUMBERED and not self.id.isdigit()):
            raise ContentKeyError(f"a {self.kind} content key needs a valid id, not {self.id!r}")

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> ContentKey:
        kind, separator, subject = text.partition(":")
        if not separator or kind not in _KINDS:
            raise ContentKeyError(f"content key not understood: {text!r}")
        return cls(ContentKind(kind), subject)

    @property
    def number(self) -> int:
        """The id of a notice, check-in, summary, library or other numbered key."""
        if self.kind not in _NUMBERED:
            raise ContentKeyError(f"a {self.kind} content key has no number")
        return int(self.id)

    @classmethod
    def tip(cls, tip_id: str) -> ContentKey:
        return cls(ContentKind.TIP, tip_id)

    @classmethod
    def notice(cls, session_id: int) -> ContentKey:
        return cls(ContentKind.NOTICE, str(session_id))

    @classmethod
    def checkin(cls, checkin_id: int) -> ContentKey:
        return cls(ContentKind.CHECKIN, str(checkin_id))

    @classmethod
    def summary(cls, checkin_id: int) -> ContentKey:
        return cls(ContentKind.SUMMARY, str(checkin_id))

    @classmethod
    def weekly(cls, week: str) -> ContentKey:
        return cls(ContentKind.WEEKLY, week)

    @classmethod
    def numbered(cls, kind: ContentKind, subject_id: int) -> ContentKey:
        """A key naming its subject by id: a session, a group, a pair, a request, …"""
        return cls(kind, str(subject_id))

    @classmethod
    def to_leaders(cls, broadcast_id: int) -> ContentKey:
        return cls(ContentKind.TO_LEADERS, str(broadcast_id))

    @classmethod
    def library(cls, item_id: int) -> ContentKey:
        return cls(ContentKind.LIBRARY, str(item_id))

    @classmethod
    def library_retired(cls, item_id: int) -> ContentKey:
        return cls(ContentKind.LIBRARY_RETIRED, str(item_id))

    @classmethod
    def library_offer(cls, item_id: int) -> ContentKey:
        return cls(ContentKind.LIBRARY_OFFER, str(item_id))

    @classmethod
    def library_decision(cls, item_id: int) -> ContentKey:
        return cls(ContentKind.LIBRARY_DECISION, str(item_id))


@dataclass(frozen=True)
class Target:
    """One chat a broadcast goes to, and when."""

    group_id: int | None
    chat_id: int
    private: bool
    due: datetime
    deadline: datetime | None = None  # transient trouble is retried until then; None: always


@dataclass(frozen=True)
class Broadcast:
    """What a broadcast sends: messages copied from a leader's chat, or a message the bot
    writes itself (its content key)."""

    id: int
    leader_id: int
    source_chat_id: int | None
    source_message_ids: tuple[int, ...]
    content_key: ContentKey | None
    state: BroadcastState
    report_message_id: int | None
    audience: Audience = Audience.GROUP


@dataclass(frozen=True)
class Scheduled:
    """A leader's broadcast still waiting for its time."""

    broadcast_id: int
    due: datetime
    targets: int


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
    deadline_at: datetime | None = None


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


def backoff(attempts: int, jitter: float) -> timedelta:
    """2, 4, 8 … seconds, at most BACKOFF_CAP, spread over the upper half by `jitter` (0..1)
    so that chats that failed together do not all come back at the same moment."""
    ceiling = min(2.0 ** min(attempts, 16), BACKOFF_CAP.total_seconds())
    return timedelta(seconds=ceiling * (1 + jitter) / 2)


def retry_at(
    now: datetime, attempts: int, outcome: RetryAfter | Transient, jitter: float
) -> datetime:
    if isinstance(outcome, RetryAfter):  # Telegram said when: not sooner, a little later
        due = now + timedelta(seconds=outcome.seconds + jitter * RETRY_AFTER_SPREAD)
    else:
        due = now + backoff(attempts, jitter)
    return whole_second_up(due)


def next_try(
    now: datetime, delivery: Delivery, outcome: RetryAfter | Transient, jitter: float
) -> datetime | None:
    """When to try again after transient trouble; None when that would be past the
    delivery's deadline (it has expired)."""
    due = retry_at(now, delivery.attempts, outcome, jitter)
    if delivery.deadline_at is not None and due >= delivery.deadline_at:
        return None
    return due


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
