"""Check-ins: the questions, their answers, and what leaders see (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Reason(StrEnum):
    """Why a meeting is not held in person (quick choices)."""

    LEADER_ILL = "ill"
    WEATHER = "weather"
    EXCEPTIONAL = "exceptional"  # a pandemic, a power cut, …
    OTHER = "other"


class Mode(StrEnum):
    REMOTE = "remote"  # the group keeps in touch here instead: a check-in at the meeting time
    CANCELLED = "cancelled"


class CheckinState(StrEnum):
    SCHEDULED = "scheduled"  # open for answers from opens_at until closes_at
    CANCELLED = "cancelled"  # the meeting was on after all
    CLOSED = "closed"


@dataclass(frozen=True)
class Checkin:
    id: int
    group_id: int
    session_id: int | None  # the meeting it stands in for, if any
    broadcast_id: int | None
    tip_broadcast_id: int | None
    opens_at: datetime
    closes_at: datetime
    state: CheckinState
    asked: int


@dataclass(frozen=True)
class ContactRequest:
    id: int
    checkin_id: int
    group_id: int
    user_id: int


WEEK_SCALE = (1, 2, 3)  # 1 hard, 2 so-so, 3 good


class PlanAnswer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NONE = "none"  # I had no plan


@dataclass(frozen=True)
class Tally:
    """A check-in's answers as leaders see them: counts, never who answered what."""

    answered: int
    week: dict[int, int]
    plan: dict[PlanAnswer, int]
    contact_requests: list[tuple[int, int]]  # (request id, Telegram user id), not yet handled


@dataclass(frozen=True)
class Mine:
    """One person's own answers to a check-in: marked on their private copy only."""

    week: int | None = None
    plan: PlanAnswer | None = None
    contact: bool = False
