"""SQL of the outbox: broadcasts and their per-chat deliveries."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.outbox import (
    Audience,
    Broadcast,
    BroadcastState,
    ContentKey,
    Delivery,
    Scheduled,
    State,
    Target,
)


def _delivery(row: Row) -> Delivery:
    return Delivery(
        id=row["id"],
        broadcast_id=row["broadcast_id"],
        group_id=row["group_id"],
        chat_id=row["chat_id"],
        private=bool(row["private"]),
        state=State(row["state"]),
        attempts=row["attempts"],
        due_at=from_db(row["due_at"]),
        message_ids=tuple(json.loads(row["message_ids"] or "[]")),
        deadline_at=from_db(row["deadline_at"]) if row["deadline_at"] else None,
    )


def _broadcast(row: Row) -> Broadcast:
    key = row["content_key"]
    return Broadcast(
        id=row["id"],
        leader_id=row["leader_id"],
        source_chat_id=row["source_chat_id"],
        source_message_ids=tuple(json.loads(row["source_message_ids"] or "[]")),
        content_key=ContentKey.parse(key) if key is not None else None,
        state=BroadcastState(row["state"]),
        report_message_id=row["report_message_id"],
        audience=Audience(row["audience"]),
    )


async def insert_broadcast(
    tx: Transaction,
    *,
    leader_id: int,
    source_chat_id: int | None,
    message_ids: tuple[int, ...],
    content_key: ContentKey | None,
    now: datetime,
    audience: Audience = Audience.GROUP,
) -> int:
    return await tx.execute(
        "INSERT INTO broadcasts (leader_id, source_chat_id, source_message_ids, content_key,"
        " created_at, audience) VALUES (?, ?, ?, ?, ?, ?)",
        (
            leader_id,
            source_chat_id,
            json.dumps(message_ids) if message_ids else None,
            str(content_key) if content_key is not None else None,
            to_db(now),
            audience.value,
        ),
    )


async def insert_deliveries(
    tx: Transaction,
    broadcast_id: int,
    targets: list[Target],
    now: datetime,
) -> None:
    """A chat gets one delivery per broadcast."""
    await tx.execute_many(
        "INSERT OR IGNORE INTO deliveries (broadcast_id, group_id, chat_id, private, due_at,"
        " deadline_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                broadcast_id,
                t.group_id,
                t.chat_id,
                int(t.private),
                to_db(t.due),
                to_db(t.deadline) if t.deadline is not None else None,
                to_db(now),
            )
            for t in targets
        ],
    )


async def broadcast(db: Reader, broadcast_id: int) -> Broadcast | None:
    row = await db.fetch_one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    return _broadcast(row) if row else None


async def add_source_message(tx: Transaction, broadcast_id: int, message_id: int) -> bool:
    """A later part of an album joins a copied broadcast whose sending has not begun (ids
    kept increasing, as copyMessages wants them); False once it has."""
    row = await tx.fetch_one(
        "SELECT source_message_ids FROM broadcasts b WHERE id = ? AND NOT EXISTS (SELECT 1"
        " FROM deliveries d WHERE d.broadcast_id = b.id AND (d.state != 'pending'"
        " OR d.attempts > 0))",
        (broadcast_id,),
    )
    if row is None:
        return False
    ids = sorted({*json.loads(row[0] or "[]"), message_id})
    await tx.execute(
        "UPDATE broadcasts SET source_message_ids = ? WHERE id = ?", (json.dumps(ids), broadcast_id)
    )
    return True


async def audience(db: Reader, broadcast_id: int) -> Audience | None:
    row = await db.fetch_one("SELECT audience FROM broadcasts WHERE id = ?", (broadcast_id,))
    return Audience(row[0]) if row else None


async def reset_in_flight(tx: Transaction, now: datetime) -> int:
    return await tx.changes(
        "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'sending'",
        (to_db(now),),
    )


async def claim_due(tx: Transaction, now: datetime, limit: int, lease: datetime) -> list[Delivery]:
    """Due pending deliveries become `sending`; due retractions are leased until `lease`."""
    rows = await tx.fetch_all(
        "UPDATE deliveries SET"
        " state = CASE state WHEN 'pending' THEN 'sending' ELSE state END,"
        " attempts = attempts + 1,"
        " due_at = CASE state WHEN 'retracting' THEN ? ELSE due_at END,"
        " updated_at = ?"
        " WHERE id IN (SELECT id FROM deliveries d WHERE state IN ('pending', 'retracting')"
        "   AND due_at <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e"
        # A chat's messages arrive in the order queued (a check-in before its tip): one
        # waits while an earlier one to the same chat, due no later, is still on its way.
        "     WHERE e.chat_id = d.chat_id AND e.id < d.id AND d.state = 'pending'"
        "     AND (e.state = 'sending' OR (e.state = 'pending' AND e.due_at <= d.due_at)))"
        "   ORDER BY due_at, id LIMIT ?)"
        " RETURNING *",
        (to_db(lease), to_db(now), to_db(now), limit),
    )
    return sorted((_delivery(r) for r in rows), key=lambda d: (d.due_at, d.id))


async def settle(
    tx: Transaction,
    delivery_id: int,
    state: State,
    now: datetime,
    *,
    due: datetime | None = None,
    message_ids: tuple[int, ...] | None = None,
    error: str | None = None,
) -> None:
    await tx.execute(
        "UPDATE deliveries SET state = ?, updated_at = ?, due_at = coalesce(?, due_at),"
        " message_ids = coalesce(?, message_ids), error = ? WHERE id = ?",
        (
            state.value,
            to_db(now),
            to_db(due) if due else None,
            json.dumps(message_ids) if message_ids is not None else None,
            error,
            delivery_id,
        ),
    )


async def save_progress(
    tx: Transaction, delivery_id: int, message_ids: tuple[int, ...], now: datetime
) -> None:
    await tx.execute(
        "UPDATE deliveries SET message_ids = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
        (json.dumps(message_ids), to_db(now), delivery_id),
    )


async def block_chat(tx: Transaction, chat_id: int, now: datetime, reason: str) -> None:
    """No more tries to a chat that blocked or removed the bot, in any broadcast."""
    await tx.execute(
        "UPDATE deliveries SET state = 'blocked', error = ?, updated_at = ?"
        " WHERE chat_id = ? AND state IN ('pending', 'sending')",
        (reason, to_db(now), chat_id),
    )


async def move_chat(tx: Transaction, old: int, new: int, now: datetime) -> None:
    """A group chat became a supergroup: what is still to send goes to the new chat, from
    the start (messages already in the old chat stay there). A broadcast that already has a
    delivery to the new chat (a check-in topped up after the move) keeps that one."""
    await tx.execute(
        "UPDATE deliveries SET state = 'cancelled', updated_at = ?"
        " WHERE chat_id = ? AND state IN ('pending', 'sending')"
        " AND broadcast_id IN (SELECT broadcast_id FROM deliveries WHERE chat_id = ?)",
        (to_db(now), old, new),
    )
    await tx.execute(
        "UPDATE deliveries SET chat_id = ?, state = 'pending', due_at = ?, updated_at = ?,"
        " message_ids = NULL WHERE chat_id = ? AND state IN ('pending', 'sending')",
        (new, to_db(now), to_db(now), old),
    )


async def last_attempt(db: Reader) -> datetime | None:
    row = await db.fetch_one("SELECT max(updated_at) FROM deliveries WHERE attempts > 0")
    return from_db(row[0]) if row and row[0] else None


async def next_due(db: Reader) -> datetime | None:
    row = await db.fetch_one(
        "SELECT min(due_at) FROM deliveries WHERE state IN ('pending', 'retracting')"
    )
    return from_db(row[0]) if row and row[0] else None


async def counts(db: Reader, broadcast_id: int) -> dict[State, int]:
    rows = await db.fetch_all(
        "SELECT state, count(*) FROM deliveries WHERE broadcast_id = ? GROUP BY state",
        (broadcast_id,),
    )
    return {State(r[0]): r[1] for r in rows}


async def set_state(tx: Transaction, broadcast_id: int, state: BroadcastState) -> None:
    await tx.execute("UPDATE broadcasts SET state = ? WHERE id = ?", (state, broadcast_id))


async def finish(tx: Transaction, broadcast_id: int) -> None:
    """Queued → done; a broadcast cancelled or taken back meanwhile stays so."""
    await tx.execute(
        "UPDATE broadcasts SET state = ? WHERE id = ? AND state = ?",
        (BroadcastState.DONE, broadcast_id, BroadcastState.QUEUED),
    )


async def set_report(tx: Transaction, broadcast_id: int, message_id: int) -> None:
    await tx.execute(
        "UPDATE broadcasts SET report_message_id = ? WHERE id = ?", (message_id, broadcast_id)
    )


async def move_open(
    tx: Transaction, broadcast_id: int, from_states: tuple[State, ...], to: State, now: datetime
) -> int:
    marks = ",".join("?" * len(from_states))
    return await tx.changes(
        f"UPDATE deliveries SET state = ?, due_at = ?, updated_at = ?"
        f" WHERE broadcast_id = ? AND state IN ({marks})",
        (to.value, to_db(now), to_db(now), broadcast_id, *(s.value for s in from_states)),
    )


async def overdue_unsent(tx: Transaction, before: datetime) -> list[int]:
    """Broadcasts whose first try is overdue by more than the grace (the bot was down)."""
    rows = await tx.fetch_all(
        "SELECT DISTINCT broadcast_id FROM deliveries"
        " WHERE state = 'pending' AND attempts = 0 AND due_at < ?",
        (to_db(before),),
    )
    return [r[0] for r in rows]


async def scheduled_for(db: Reader, leader_id: int, now: datetime) -> list[Scheduled]:
    rows = await db.fetch_all(
        "SELECT b.id, min(d.due_at) AS due, count(*) AS targets FROM broadcasts b"
        " JOIN deliveries d ON d.broadcast_id = b.id"
        " WHERE b.leader_id = ? AND b.state = 'queued' AND d.state = 'pending'"
        " AND b.audience = 'group'"  # staff mail (a copy to coordinators) is no post to list
        " GROUP BY b.id HAVING min(d.due_at) > ? ORDER BY due",
        (leader_id, to_db(now)),
    )
    return [Scheduled(r["id"], from_db(r["due"]), r["targets"]) for r in rows]


async def mark_missed(tx: Transaction, broadcast_id: int, before: datetime, now: datetime) -> None:
    await tx.execute(
        "UPDATE deliveries SET state = 'missed', updated_at = ?"
        " WHERE broadcast_id = ? AND state = 'pending' AND attempts = 0 AND due_at < ?",
        (to_db(now), broadcast_id, to_db(before)),
    )


async def content_queued(db: Reader, content_key: ContentKey) -> bool:
    row = await db.fetch_one("SELECT 1 FROM broadcasts WHERE content_key = ?", (str(content_key),))
    return row is not None


async def delivery_exists(db: Reader, delivery_id: int) -> bool:
    """False once erasure (/forget) has removed it, perhaps while it was in flight."""
    row = await db.fetch_one("SELECT 1 FROM deliveries WHERE id = ?", (delivery_id,))
    return row is not None


async def cancel_pending_to(
    tx: Transaction, chat_id: int, group_ids: list[int], now: datetime
) -> int:
    """A person who stopped: nothing still queued for their chat from those groups is sent."""
    marks = ", ".join("?" for _ in group_ids)
    return await tx.changes(
        f"UPDATE deliveries SET state = ?, updated_at = ? WHERE chat_id = ? AND private = 1"
        f" AND state = ? AND group_id IN ({marks})",
        (State.CANCELLED, to_db(now), chat_id, State.PENDING, *group_ids),
    )


async def retry_failed(
    tx: Transaction, broadcast_id: int, now: datetime, deadline: datetime
) -> int:
    """Send again what did not arrive: failed deliveries start over, with a new deadline."""
    return await tx.changes(
        "UPDATE deliveries SET state = ?, attempts = 0, error = NULL, due_at = ?,"
        " deadline_at = ?, updated_at = ? WHERE broadcast_id = ? AND state = ?",
        (State.PENDING, to_db(now), to_db(deadline), to_db(now), broadcast_id, State.FAILED),
    )
