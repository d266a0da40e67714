"""Records contact events, with participants only under a keyed pseudonym.

An event keeps only its local day and gets a random row id: neither its time nor its place
in the table can join it to an identified row (a membership, a contact request)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, tzinfo

from bot.db import events
from bot.db.database import Transaction
from bot.domain.clock import Clock, day_start
from bot.domain.events import EventKind
from bot.domain.models import Group
from bot.domain.pseudonyms import pseudonym


class ContactLog:
    def __init__(self, key: bytes, clock: Clock, zone: tzinfo) -> None:
        self._key = key
        self._clock = clock
        self._zone = zone

    def pseudonym(self, user_id: int) -> str:
        return pseudonym(self._key, user_id)

    def keyed(self, label: str) -> str:
        """A keyed hash of anything else that must not be readable without the key."""
        return hmac.new(self._key, label.encode(), hashlib.sha256).hexdigest()[:32]

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
            now=day_start(at or self._clock(), self._zone),
            area_id=group.area_id,
            group_id=group.id,
            pseudonym=self.pseudonym(user_id) if user_id is not None else None,
        )
