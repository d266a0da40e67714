"""SQL of the append-only contact event log."""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.db.database import Reader, Transaction
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


async def unnamed_total(
    db: Reader, group_id: int, kind: EventKind, start: datetime, end: datetime
) -> int:
    """How many events of a kind that name no one a group has in a period."""
    row = await db.fetch_one(
        "SELECT coalesce(sum(amount), 0) FROM contact_events WHERE group_id = ? AND kind = ?"
        " AND pseudonym IS NULL AND occurred_at >= ? AND occurred_at < ?",
        (group_id, kind, to_db(start), to_db(end)),
    )
    return int(row[0]) if row else 0


async def delete_one_unnamed(
    tx: Transaction, group_id: int, kind: EventKind, occurred_at: datetime
) -> bool:
    """Remove one of a day's identical events that name no one (an undo); False if none."""
    changed = await tx.changes(
        "DELETE FROM contact_events WHERE id = (SELECT id FROM contact_events"
        " WHERE group_id = ? AND kind = ? AND pseudonym IS NULL AND occurred_at = ? LIMIT 1)",
        (group_id, kind, to_db(occurred_at)),
    )
    return changed == 1
