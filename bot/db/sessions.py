"""SQL of a group's sessions (meetings): their times and whether they are held in person."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.checkins import Reason
from bot.domain.clock import from_db, to_db
from bot.domain.models import Session, SessionState


def session_from_row(row: Row) -> Session:
    return Session(
        id=row["id"],
        group_id=row["group_id"],
        number=row["number"],
        starts_at=from_db(row["starts_at"]),
        state=SessionState(row["state"]),
        reason=Reason(row["reason"]) if row["reason"] else None,
    )


async def sessions(db: Reader, group_id: int) -> list[Session]:
    rows = await db.fetch_all(
        "SELECT * FROM sessions WHERE group_id = ? ORDER BY number", (group_id,)
    )
    return [session_from_row(r) for r in rows]


async def sessions_ahead(db: Reader, group_ids: frozenset[int], after: datetime) -> list[Session]:
    """The sessions after a moment in many groups, in one query."""
    rows = await db.fetch_all(
        "SELECT * FROM sessions WHERE group_id IN (SELECT value FROM json_each(?))"
        " AND starts_at > ? ORDER BY group_id, number",
        (json.dumps(sorted(group_ids)), to_db(after)),
    )
    return [session_from_row(r) for r in rows]


async def session(db: Reader, session_id: int) -> Session | None:
    row = await db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
    return session_from_row(row) if row else None


async def next_session(db: Reader, group_id: int, after: datetime) -> datetime | None:
    row = await db.fetch_one(
        "SELECT min(starts_at) FROM sessions WHERE group_id = ? AND starts_at > ? AND state = ?",
        (group_id, to_db(after), SessionState.PLANNED),
    )
    return from_db(row[0]) if row and row[0] else None


async def set_session_state(
    tx: Transaction,
    session_id: int,
    expected: SessionState,
    state: SessionState,
    reason: Reason | None,
) -> bool:
    """Move a session from one state to another; False if someone else moved it first."""
    changed = await tx.changes(
        "UPDATE sessions SET state = ?, reason = ? WHERE id = ? AND state = ?",
        (state, reason, session_id, expected),
    )
    return changed == 1


async def move_session(tx: Transaction, session_id: int, starts: datetime) -> bool:
    changed = await tx.changes(
        "UPDATE sessions SET starts_at = ? WHERE id = ? AND state = ?",
        (to_db(starts), session_id, SessionState.PLANNED),
    )
    return changed == 1
