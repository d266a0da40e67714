"""Phone buddies (kaveripuhelu): the pairing rule and the weekly question's time. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.domain.models import Group

QUESTION_TIME = time(12)  # local: midday suits most, and is never at night
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Volunteer:
    group_id: int
    user_id: int
    pair_id: int | None  # None: waiting for a buddy


@dataclass(frozen=True)
class Pair:
    id: int
    group_id: int
    members: tuple[int, ...]
    asked_at: datetime | None  # the last weekly question

    def others(self, user_id: int) -> tuple[int, ...]:
        return tuple(m for m in self.members if m != user_id)


class Answer(StrEnum):
    """What a buddy answers to "did you talk this week?"."""

    YES = "yes"
    NOT_THIS_WEEK = "no"
    STOP = "stop"


class Standing(StrEnum):
    """Where a participant is with buddies in one group."""

    OUT = "out"
    WAITING = "waiting"
    PAIRED = "paired"


@dataclass(frozen=True)
class BuddyStatus:
    """One group's buddy standing for a participant; `others` are their buddies' ids."""

    group: Group
    standing: Standing
    pair_id: int | None = None
    others: tuple[int, ...] = ()


@dataclass(frozen=True)
class GroupBuddies:
    """A leader's view of one group: its pairs and who waits (ids, shown as links)."""

    group: Group
    pairs: list[Pair]
    waiting: list[int]

    @property
    def can_make_three(self) -> bool:
        return len(self.waiting) == 1 and any(len(p.members) == 2 for p in self.pairs)


def pair_up(waiting: Sequence[int]) -> tuple[list[tuple[int, ...]], int | None]:
    """Two by two, in the given order; an odd number of three or more makes one group of
    three, so nobody is left out. A single person is left over (returned) to wait."""
    if len(waiting) < 2:
        return [], (waiting[0] if waiting else None)
    pairs = [tuple(waiting[i : i + 2]) for i in range(0, len(waiting) - 1, 2)]
    if len(waiting) % 2:
        pairs[-1] = (*pairs[-1], waiting[-1])
    return pairs, None


def call_label(pair_id: int, asked_at: datetime) -> str:
    """What the key of a pair's call of one week is made from (keyed before it is stored)."""
    return f"buddy-call:{pair_id}:{asked_at.isoformat()}"


def week_start(moment: datetime, zone: tzinfo) -> datetime:
    """Monday of the moment's local week, midday, in UTC: a call's event carries only its
    week, so its day cannot be matched to the pair's own question day."""
    local = moment.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, QUESTION_TIME, tzinfo=zone).astimezone(UTC)


def next_question(now: datetime, zone: tzinfo) -> datetime:
    """A week from now, at midday local time (UTC): the next "did you talk?"."""
    day = (now.astimezone(zone) + WEEK).date()
    return datetime.combine(day, QUESTION_TIME, tzinfo=zone).astimezone(UTC)
