"""The value objects the services hand around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from bot.domain.checkins import Reason


class Role(StrEnum):
    LEADER = "leader"
    PARTICIPANT = "participant"


@dataclass(frozen=True)
class Area:
    id: int
    name: str


@dataclass(frozen=True)
class Group:
    id: int
    area_id: int
    name: str
    language: str
    weekday: int
    local_time: time
    first_date: date
    session_count: int
    chat_id: int | None


class SessionState(StrEnum):
    PLANNED = "planned"  # held in person once it has started
    REMOTE = "remote"  # not in person: a check-in at its time instead
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Session:
    id: int
    group_id: int
    number: int
    starts_at: datetime
    state: SessionState
    reason: Reason | None = None  # why it is not held in person


@dataclass(frozen=True)
class Access:
    """What one person may do: checked on every command and every button press."""

    user_id: int
    all_areas: bool = False
    coordinator_areas: frozenset[int] = frozenset()
    leader_of: frozenset[int] = frozenset()
    participant_of: frozenset[int] = frozenset()

    @property
    def is_coordinator(self) -> bool:
        return self.all_areas or bool(self.coordinator_areas)

    @property
    def is_leader(self) -> bool:
        return bool(self.leader_of)

    def coordinates(self, area_id: int) -> bool:
        return self.all_areas or area_id in self.coordinator_areas

    def leads(self, group_id: int) -> bool:
        return group_id in self.leader_of

    @property
    def role_name(self) -> str:
        """The widest role, for help texts and command menus."""
        if self.is_coordinator:
            return "coordinator"
        if self.is_leader:
            return "leader"
        if self.participant_of:
            return "participant"
        return "guest"
