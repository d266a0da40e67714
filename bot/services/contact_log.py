"""Records contact events, with participants only under a keyed pseudonym."""

from __future__ import annotations

from datetime import datetime

from bot.db import events
from bot.db.database import Transaction
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Group
from bot.domain.pseudonyms import pseudonym


class ContactLog:
    def __init__(self, key: bytes, clock: Clock) -> None:
        self._key = key
        self._clock = clock

    def pseudonym(self, user_id: int) -> str:
        return pseudonym(self._key, user_id)

    async def record(
        self,
        tx: Transaction,
        kind: EventKind,
        group: Group,
        user_id: int | None = None,
        *,
        at: datetime | None = None,
    ) -> None:
        """Append an event inside the caller's transaction, so it commits with the change.
        `at` dates it by what it belongs to (an answer by its check-in's opening)."""
        await events.insert_event(
            tx,
            kind=kind,
            now=at or self._clock(),
            area_id=group.area_id,
            group_id=group.id,
            pseudonym=self.pseudonym(user_id) if user_id is not None else None,
        )
