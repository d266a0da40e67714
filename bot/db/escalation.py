"""SQL of contact requests waiting to be handled, and of whom they are passed on to."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.escalation import Step, Waiting

_COLUMNS = "id, group_id, user_id, created_at, reminded_at, escalated_at"


def _waiting(row: Row) -> Waiting:
    return Waiting(
        row["id"],
        row["group_id"],
        row["user_id"],
        from_db(row["created_at"]),
        row["reminded_at"] is not None,
        row["escalated_at"] is not None,
    )


async def not_passed_on(db: Reader) -> list[Waiting]:
    """Every request still waiting that has not gone to the coordinators."""
    rows = await db.fetch_all(
        f"SELECT {_COLUMNS} FROM contact_requests WHERE escalated_at IS NULL ORDER BY id"
    )
    return [_waiting(r) for r in rows]


async def request(db: Reader, request_id: int) -> Waiting | None:
    row = await db.fetch_one(f"SELECT {_COLUMNS} FROM contact_requests WHERE id = ?", (request_id,))
    return _waiting(row) if row else None


async def claim(tx: Transaction, request_id: int, step: Step, now: datetime) -> bool:
    """Take a step once: False if it was taken already (or the request is gone)."""
    column = "reminded_at" if step is Step.REMIND else "escalated_at"
    changed = await tx.changes(
        f"UPDATE contact_requests SET {column} = ? WHERE id = ? AND {column} IS NULL",
        (to_db(now), request_id),
    )
    return changed == 1


async def area_coordinators(db: Reader, area_id: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT user_id FROM coordinator_areas WHERE area_id = ? ORDER BY user_id", (area_id,)
    )
    return [r["user_id"] for r in rows]


async def global_coordinators(db: Reader) -> list[int]:
    """Coordinators of every area named in the database (COORDINATOR_IDS come from settings)."""
    rows = await db.fetch_all("SELECT user_id FROM coordinators WHERE all_areas = 1")
    return [r["user_id"] for r in rows]
