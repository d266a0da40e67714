"""SQL of meetings not held in person, check-ins, answers and contact requests."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import to_db


async def set_session_state(
    tx: Transaction, session_id: int, expected: str, state: str, reason: str | None
) -> bool:
    """Move a session from one state to another; False if someone else moved it first."""
    changed = await tx.changes(
        "UPDATE sessions SET state = ?, reason = ? WHERE id = ? AND state = ?",
        (state, reason, session_id, expected),
    )
    return changed == 1


async def move_session(tx: Transaction, session_id: int, starts: datetime) -> bool:
    changed = await tx.changes(
        "UPDATE sessions SET starts_at = ? WHERE id = ? AND state = 'planned'",
        (to_db(starts), session_id),
    )
    return changed == 1


async def session(db: Reader, session_id: int) -> Row | None:
    return await db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))


async def insert_checkin(
    tx: Transaction,
    group_id: int,
    session_id: int | None,
    opens: datetime,
    closes: datetime,
    asked: int,
) -> int:
    return await tx.execute(
        "INSERT INTO checkins (group_id, session_id, opens_at, closes_at, asked)"
        " VALUES (?, ?, ?, ?, ?)",
        (group_id, session_id, to_db(opens), to_db(closes), asked),
    )


async def set_checkin_broadcasts(
    tx: Transaction, checkin_id: int, broadcast_id: int, tip_broadcast_id: int | None
) -> None:
    await tx.execute(
        "UPDATE checkins SET broadcast_id = ?, tip_broadcast_id = ? WHERE id = ?",
        (broadcast_id, tip_broadcast_id, checkin_id),
    )


async def delivered_to(db: Reader, broadcast_id: int, chat_id: int) -> Row | None:
    return await db.fetch_one(
        "SELECT private, message_ids FROM deliveries WHERE broadcast_id = ? AND chat_id = ?",
        (broadcast_id, chat_id),
    )


async def checkin(db: Reader, checkin_id: int) -> Row | None:
    return await db.fetch_one("SELECT * FROM checkins WHERE id = ?", (checkin_id,))


async def checkin_of_session(db: Reader, session_id: int) -> Row | None:
    return await db.fetch_one(
        "SELECT * FROM checkins WHERE session_id = ? AND state = 'scheduled'", (session_id,)
    )


async def cancel_checkin(tx: Transaction, checkin_id: int) -> None:
    await tx.execute("UPDATE checkins SET state = 'cancelled' WHERE id = ?", (checkin_id,))


async def due_to_close(tx: Transaction, now: datetime) -> list[Row]:
    return await tx.fetch_all(
        "UPDATE checkins SET state = 'closed', asked = (SELECT count(*) FROM memberships m"
        "  WHERE m.group_id = checkins.group_id AND m.role = 'participant')"
        " WHERE state = 'scheduled' AND closes_at <= ? RETURNING *",
        (to_db(now),),
    )


async def open_checkins(db: Reader) -> list[Row]:
    return await db.fetch_all("SELECT * FROM checkins WHERE state = 'scheduled'")


async def has_answered_in_group(db: Reader, group_id: int, pseudonym: str) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM checkin_answers a JOIN checkins c ON c.id = a.checkin_id"
        " WHERE c.group_id = ? AND a.pseudonym = ? LIMIT 1",
        (group_id, pseudonym),
    )
    return row is not None


async def save_answer(
    tx: Transaction, checkin_id: int, pseudonym: str, column: str, value: object, now: datetime
) -> bool:
    """Store one answer (a new row or a changed one); True if it is the person's first."""
    assert column in ("week", "plan"), column
    existed = await tx.fetch_one(
        "SELECT 1 FROM checkin_answers WHERE checkin_id = ? AND pseudonym = ?",
        (checkin_id, pseudonym),
    )
    await tx.execute(
        f"INSERT INTO checkin_answers (checkin_id, pseudonym, {column}, answered_at)"
        f" VALUES (?, ?, ?, ?) ON CONFLICT (checkin_id, pseudonym)"
        f" DO UPDATE SET {column} = excluded.{column}, answered_at = excluded.answered_at",
        (checkin_id, pseudonym, value, to_db(now)),
    )
    return existed is None


async def answers(db: Reader, checkin_id: int) -> list[Row]:
    return await db.fetch_all(
        "SELECT week, plan FROM checkin_answers WHERE checkin_id = ?", (checkin_id,)
    )


async def insert_contact_request(
    tx: Transaction, checkin_id: int, group_id: int, user_id: int, now: datetime
) -> int | None:
    """The new request's id; None if this person already asked in this check-in."""
    row = await tx.fetch_one(
        "INSERT INTO contact_requests (checkin_id, group_id, user_id, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (checkin_id, user_id) DO NOTHING RETURNING id",
        (checkin_id, group_id, user_id, to_db(now)),
    )
    return row["id"] if row else None


async def open_contact_requests(db: Reader, group_id: int) -> list[Row]:
    return await db.fetch_all(
        "SELECT id, user_id FROM contact_requests WHERE group_id = ? AND handled_at IS NULL"
        " ORDER BY id",
        (group_id,),
    )


async def contact_request(db: Reader, request_id: int) -> Row | None:
    return await db.fetch_one("SELECT * FROM contact_requests WHERE id = ?", (request_id,))


async def mark_handled(tx: Transaction, request_id: int, now: datetime) -> bool:
    changed = await tx.changes(
        "UPDATE contact_requests SET handled_at = ? WHERE id = ? AND handled_at IS NULL",
        (to_db(now), request_id),
    )
    return changed == 1


async def save_plan(
    tx: Transaction, pseudonym: str, week: str, confidence: int, now: datetime
) -> None:
    """This week's plan; a new one the same week replaces it."""
    await tx.execute(
        "INSERT INTO action_plans (pseudonym, week, confidence, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (pseudonym, week) DO UPDATE SET confidence = excluded.confidence,"
        " followed = NULL, created_at = excluded.created_at",
        (pseudonym, week, confidence, to_db(now)),
    )


async def open_plan(db: Reader, pseudonym: str, since_week: str) -> Row | None:
    """The person's newest plan from `since_week` on that has not been followed up."""
    return await db.fetch_one(
        "SELECT week, confidence FROM action_plans WHERE pseudonym = ? AND week >= ?"
        " AND followed IS NULL ORDER BY week DESC LIMIT 1",
        (pseudonym, since_week),
    )


async def follow_up_plan(tx: Transaction, pseudonym: str, week: str, followed: str) -> None:
    await tx.execute(
        "UPDATE action_plans SET followed = ? WHERE pseudonym = ? AND week = ?",
        (followed, pseudonym, week),
    )
