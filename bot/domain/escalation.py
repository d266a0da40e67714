"""Nobody left waiting: when a contact request that no one has marked handled is due for the
leaders' reminder, and when it goes on to the coordinators (README: Contact requests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Step(StrEnum):
    REMIND = "remind"  # the group's leaders, once, half-way
    ESCALATE = "escalate"  # the area's coordinators (or the global ones), once


@dataclass(frozen=True)
class Waiting:
    """A contact request no one has marked handled yet."""

    id: int
    group_id: int
    user_id: int
    created_at: datetime
    reminded: bool
    escalated: bool


@dataclass(frozen=True)
class Timing:
    """How long a request may wait before it is passed on (CONTACT_ESCALATION_HOURS)."""

    wait: timedelta

    def escalation_at(self, created_at: datetime) -> datetime:
        return created_at + self.wait

    def reminder_at(self, created_at: datetime) -> datetime:
        return created_at + self.wait / 2

    def late(self, created_at: datetime, now: datetime) -> bool:
        """Handled after it was due to be passed on (whether or not the bot had done so)."""
        return now >= self.escalation_at(created_at)

    def next_step(self, request: Waiting) -> tuple[Step, datetime] | None:
        """What is still to do for a request, and when; None once it has been passed on."""
        if request.escalated:
            return None
        if request.reminded:
            return Step.ESCALATE, self.escalation_at(request.created_at)
        return Step.REMIND, self.reminder_at(request.created_at)

    def due(self, request: Waiting, now: datetime) -> Step | None:
        """The step to take now. Past the escalation time it is passed on without a reminder
        (a bot that was down does not send a reminder that is already too late)."""
        if request.escalated:
            return None
        if now >= self.escalation_at(request.created_at):
            return Step.ESCALATE
        if not request.reminded and now >= self.reminder_at(request.created_at):
            return Step.REMIND
        return None
