"""SQL of phone buddies: who volunteered, who is paired with whom, when to ask."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.buddies import Pair, Volunteer
from bot.domain.clock import from_db, to_db


async def volunteers_of(db: Reader, user_id: int) -> list[Volunteer]:
    rows = await db.fetch_all(
        "SELECT group_id, user_id, pair_id FROM buddies WHERE user_id = ?", (user_id,)
    )
    return [Volunteer(r[0], r[1], r[2]) for r in rows]


async def volunteer(db: Reader, group_id: int, user_id: int) -> Volunteer | None:
    row = await db.fetch_one(
        "SELECT group_id, user_id, pair_id FROM buddies WHERE group_id = ? AND user_id = ?",
        (group_id, user_id),
    )
    return Volunteer(row[0], row[1], row[2]) if row else None


async def add_volunteer(tx: Transaction, group_id: int, user_id: int) -> bool:
    changed = await tx.changes(
        "INSERT INTO buddies (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (group_id, user_id),
    )
    return changed > 0


async def remove_volunteer(tx: Transaction, group_id: int, user_id: int) -> None:
    await tx.execute("DELETE FROM buddies WHERE group_id = ? AND user_id = ?", (group_id, user_id))


async def waiting(db: Reader, group_id: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT user_id FROM buddies WHERE group_id = ? AND pair_id IS NULL ORDER BY user_id",
        (group_id,),
    )
    return [r[0] for r in rows]


async def create_pair(
    tx: Transaction, group_id: int, members: tuple[int, ...], asks_at: datetime
) -> int:
    # A random id: the order pairs were made in says nothing (and it names no one).
    pair_id = secrets.randbelow(2**53) + 1
    await tx.execute(
        "INSERT INTO buddy_pairs (id, group_id, asks_at) VALUES (?, ?, ?)",
        (pair_id, group_id, to_db(asks_at)),
    )
    await join_pair(tx, pair_id, group_id, members)
    return pair_id


async def join_pair(tx: Transaction, pair_id: int, group_id: int, members: tuple[int, ...]) -> None:
    await tx.execute(
        "UPDATE buddies SET pair_id = ? WHERE group_id = ?"
        " AND user_id IN (SELECT value FROM json_each(?))",
        (pair_id, group_id, json.dumps(members)),
    )


async def delete_pair(tx: Transaction, pair_id: int) -> None:
    """The members stay volunteers, waiting (pair_id is set to NULL by the foreign key)."""
    await tx.execute("UPDATE buddies SET pair_id = NULL WHERE pair_id = ?", (pair_id,))
    await tx.execute("DELETE FROM buddy_pairs WHERE id = ?", (pair_id,))


_PAIR = (
    "SELECT p.id, p.group_id, p.asked_at, json_group_array(b.user_id) AS members"
    " FROM buddy_pairs p JOIN buddies b ON b.pair_id = p.id"
)


def _pair(row: Row) -> Pair:
    asked = row["asked_at"]
    return Pair(
        id=row["id"],
        group_id=row["group_id"],
        members=tuple(sorted(json.loads(row["members"]))),
        asked_at=from_db(asked) if asked else None,
    )


async def pair(db: Reader, pair_id: int) -> Pair | None:
    row = await db.fetch_one(f"{_PAIR} WHERE p.id = ? GROUP BY p.id", (pair_id,))
    return _pair(row) if row else None


async def pairs_of_group(db: Reader, group_id: int) -> list[Pair]:
    rows = await db.fetch_all(
        f"{_PAIR} WHERE p.group_id = ? GROUP BY p.id ORDER BY min(b.user_id)", (group_id,)
    )
    return [_pair(r) for r in rows]


async def due_pairs(db: Reader, now: datetime) -> list[Pair]:
    rows = await db.fetch_all(f"{_PAIR} WHERE p.asks_at <= ? GROUP BY p.id", (to_db(now),))
    return [_pair(r) for r in rows]


async def mark_asked(
    tx: Transaction, pair_id: int, asked_at: datetime, next_at: datetime, now: datetime
) -> bool:
    """Claim a due question (once, even if two sweeps meet); False if already claimed."""
    changed = await tx.changes(
        "UPDATE buddy_pairs SET asked_at = ?, asks_at = ? WHERE id = ? AND asks_at <= ?",
        (to_db(asked_at), to_db(next_at), pair_id, to_db(now)),
    )
    return changed > 0


async def delete_empty_pairs(tx: Transaction) -> None:
    """Pairs whose members went with their group's retention."""
    await tx.execute(
        "DELETE FROM buddy_pairs WHERE NOT EXISTS"
        " (SELECT 1 FROM buddies b WHERE b.pair_id = buddy_pairs.id)"
    )


async def unreachable(db: Reader, group_id: int, user_ids: tuple[int, ...]) -> list[int]:
    """Members the bot can no longer write to (they blocked it: private messages off)."""
    rows = await db.fetch_all(
        "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT user_id FROM memberships"
        " WHERE group_id = ? AND private_messages = 1) ORDER BY value",
        (json.dumps(user_ids), group_id),
    )
    return [r[0] for r in rows]


async def add_call(tx: Transaction, call_key: str) -> bool:
    """A pair's call of a week, by its keyed hash; False if it was counted already."""
    changed = await tx.changes(
        "INSERT INTO buddy_calls (call_key) VALUES (?) ON CONFLICT DO NOTHING", (call_key,)
    )
    return changed > 0


async def drop_call(tx: Transaction, call_key: str) -> None:
    """A past week's key is not needed any more (a new question, or the pair ended)."""
    await tx.execute("DELETE FROM buddy_calls WHERE call_key = ?", (call_key,))


async def next_question(db: Reader) -> datetime | None:
    row = await db.fetch_one(
        "SELECT min(asks_at) FROM buddy_pairs p"
        " WHERE EXISTS (SELECT 1 FROM buddies b WHERE b.pair_id = p.id)"
    )
    return from_db(row[0]) if row and row[0] else None


async def mark_nudged(tx: Transaction, group_id: int, user_id: int, today: date) -> bool:
    """One "please write to me" a day; False if one went today already."""
    changed = await tx.changes(
        "UPDATE buddies SET nudged_on = ? WHERE group_id = ? AND user_id = ?"
        " AND nudged_on IS NOT ?",
        (today.isoformat(), group_id, user_id, today.isoformat()),
    )
    return changed > 0
