"""SQL of the append-only contact event log."""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.db.database import Transaction
from bot.domain.clock import to_db
from bot.domain.events import EventKind


async def insert_event(
    tx: Transaction,
    *,
    kind: EventKind,
    now: datetime,
    area_id: int | None,
    group_id: int | None,
    pseudonym: str | None,
    amount: int = 1,
) -> None:
    # A random id: the rows' order says nothing about the order things happened in.
    await tx.execute(
        "INSERT INTO contact_events (id, occurred_at, area_id, group_id, kind, pseudonym, amount)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (_random_id(), to_db(now), area_id, group_id, kind, pseudonym, amount),
    )


def _random_id() -> int:
    return secrets.randbelow(2**62) + 1
