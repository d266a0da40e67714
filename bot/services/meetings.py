"""Each group's session plan as leaders see it (PRODUCT.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.db import repo
from bot.db.database import Database
from bot.domain.calendar import holiday
from bot.domain.clock import Clock
from bot.domain.models import Access, Group, Session


@dataclass(frozen=True)
class Meeting:
    session: Session
    holiday: str | None  # the public holiday it falls on, named in the reader's language


@dataclass(frozen=True)
class Plan:
    group: Group
    upcoming: list[Meeting]


class Meetings:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone

    async def upcoming(self, access: Access, language: str) -> list[Plan]:
        """The sessions still ahead in the groups this person leads."""
        now = self._clock()
        plans = []
        for group in await repo.groups(self._db, access.leader_of):
            ahead = [s for s in await repo.sessions(self._db, group.id) if s.starts_at > now]
            meetings = [
                Meeting(s, holiday(s.starts_at.astimezone(self._zone).date(), language))
                for s in ahead
            ]
            plans.append(Plan(group, meetings))
        return plans
