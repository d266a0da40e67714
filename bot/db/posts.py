"""SQL of what a leader's post chose and lacked: the groups of each post, and the groups
whose chat removed the bot. No message content: ids and a reason only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Reader, Transaction
from bot.domain.clock import to_db
from bot.domain.posts import Missing


@dataclass(frozen=True)
class ChosenGroup:
    group_id: int
    name: str
    missing: Missing | None


@dataclass(frozen=True)
class Undelivered:
    """A delivery of a post that did not arrive."""

    group_id: int | None
    name: str | None
    private: bool
    blocked: bool  # the bot was removed from the chat, or the person stopped it


async def mark_removed(tx: Transaction, group_id: int, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO removed_chats (group_id, removed_at) VALUES (?, ?)"
        " ON CONFLICT (group_id) DO NOTHING",
        (group_id, to_db(now)),
    )


async def clear_removed(tx: Transaction, group_id: int) -> None:
    await tx.execute("DELETE FROM removed_chats WHERE group_id = ?", (group_id,))


async def removed(db: Reader, group_ids: frozenset[int]) -> frozenset[int]:
    """Which of these groups had their chat remove the bot (and have no chat since)."""
    rows = await db.fetch_all(
        "SELECT group_id FROM removed_chats WHERE group_id IN (SELECT value FROM json_each(?))",
        (_ids(group_ids),),
    )
    return frozenset(r[0] for r in rows)


async def insert_chosen(
    tx: Transaction, broadcast_id: int, chosen: list[tuple[int, Missing | None]]
) -> None:
    await tx.execute_many(
        "INSERT OR IGNORE INTO broadcast_groups (broadcast_id, group_id, missing) VALUES (?, ?, ?)",
        [(broadcast_id, g, m.value if m else None) for g, m in chosen],
    )


async def chosen(db: Reader, broadcast_id: int) -> list[ChosenGroup]:
    rows = await db.fetch_all(
        "SELECT b.group_id, g.name, b.missing FROM broadcast_groups b"
        " JOIN groups g ON g.id = b.group_id WHERE b.broadcast_id = ? ORDER BY g.name",
        (broadcast_id,),
    )
    return [ChosenGroup(r[0], r[1], Missing(r[2]) if r[2] else None) for r in rows]


async def undelivered(db: Reader, broadcast_id: int) -> list[Undelivered]:
    rows = await db.fetch_all(
        "SELECT d.group_id, g.name, d.private, d.state FROM deliveries d"
        " LEFT JOIN groups g ON g.id = d.group_id WHERE d.broadcast_id = ?"
        " AND d.state IN ('blocked', 'failed', 'missed') ORDER BY g.name, d.id",
        (broadcast_id,),
    )
    return [Undelivered(r[0], r[1], bool(r[2]), r[3] == "blocked") for r in rows]


async def recent_choices(db: Reader, leader_id: int, limit: int) -> list[frozenset[int]]:
    """The groups of a leader's latest posts, newest first."""
    rows = await db.fetch_all(
        "SELECT b.id, json_group_array(c.group_id) FROM broadcasts b"
        " JOIN broadcast_groups c ON c.broadcast_id = b.id"
        " WHERE b.leader_id = ? GROUP BY b.id ORDER BY b.id DESC LIMIT ?",
        (leader_id, limit),
    )
    return [frozenset(json.loads(r[1])) for r in rows]


def _ids(ids: frozenset[int]) -> str:
    return json.dumps(sorted(ids))
