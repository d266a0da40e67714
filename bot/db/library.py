"""SQL of the co-created library's items."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.library import Item, ItemState, Part, parts_from_json, parts_to_json

# Groups an item reached: its sent deliveries to group chats (no person is named).
_REACHED = (
    "(SELECT count(DISTINCT d.group_id) FROM deliveries d JOIN broadcasts b"
    " ON b.id = d.broadcast_id WHERE b.content_key = 'library:' || i.id"
    " AND d.state = 'sent' AND d.private = 0)"
)
_COLUMNS = (
    "i.id, i.area_id, i.author_id, i.author_name, i.topic, i.language, i.title, i.parts,"
    " i.source_chat_id, i.source_message_ids, i.state, i.reason, i.created_at, i.sent_count,"
    f" {_REACHED}"
)


@dataclass(frozen=True)
class NewItem:
    area_id: int | None
    author_id: int | None
    author_name: str | None
    topic: str
    language: str
    title: str | None
    parts: Sequence[Part]
    source_chat_id: int | None
    source_message_ids: Sequence[int]
    state: ItemState


def _item(row: Row) -> Item:
    return Item(
        id=row[0],
        area_id=row[1],
        author_id=row[2],
        author_name=row[3],
        topic=row[4],
        language=row[5],
        title=row[6],
        parts=parts_from_json(row[7]),
        source_chat_id=row[8],
        source_message_ids=tuple(json.loads(row[9])),
        state=ItemState(row[10]),
        reason=row[11],
        created_at=from_db(row[12]),
        sent_count=row[13],
        groups_reached=row[14],
    )


async def insert_item(tx: Transaction, new: NewItem, now: datetime) -> int:
    return await tx.execute(
        "INSERT INTO library_items (area_id, author_id, author_name, topic, language, title,"
        " parts, source_chat_id, source_message_ids, state, created_at, decided_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.area_id,
            new.author_id,
            new.author_name,
            new.topic,
            new.language,
            new.title,
            parts_to_json(new.parts),
            new.source_chat_id,
            json.dumps(list(new.source_message_ids)),
            new.state.value,
            to_db(now),
            None if new.state is ItemState.OFFERED else to_db(now),
        ),
    )


async def item(db: Reader, item_id: int) -> Item | None:
    row = await db.fetch_one(f"SELECT {_COLUMNS} FROM library_items i WHERE i.id = ?", (item_id,))
    return _item(row) if row else None


async def decide(
    tx: Transaction,
    item_id: int,
    from_states: Iterable[ItemState],
    to: ItemState,
    reason: str | None,
    now: datetime,
) -> bool:
    """Move an item on, only from one of `from_states`: of two decisions at once, one wins."""
    states = [s.value for s in from_states]
    marks = ", ".join("?" * len(states))
    return (
        await tx.changes(
            "UPDATE library_items SET state = ?, reason = ?, decided_at = ?"
            f" WHERE id = ? AND state IN ({marks})",
            (to.value, reason, to_db(now), item_id, *states),
        )
        > 0
    )


async def approved(
    db: Reader, areas: Iterable[int], language: str, topic: str | None = None
) -> list[Item]:
    """Approved items in these areas (and those for every area), newest and most used first."""
    area_ids = sorted(set(areas))
    marks = ", ".join("?" * len(area_ids)) or "NULL"
    topic_clause = "AND i.topic = ?" if topic is not None else ""
    rows = await db.fetch_all(
        f"SELECT {_COLUMNS} FROM library_items i WHERE i.state = 'approved'"
        f" AND i.language = ? AND (i.area_id IS NULL OR i.area_id IN ({marks})) {topic_clause}"
        " ORDER BY i.decided_at DESC, i.sent_count DESC, i.id DESC",
        (language, *area_ids, *([topic] if topic is not None else [])),
    )
    return [_item(r) for r in rows]


async def all_approved(db: Reader) -> list[Item]:
    rows = await db.fetch_all(
        f"SELECT {_COLUMNS} FROM library_items i WHERE i.state = 'approved' ORDER BY i.id"
    )
    return [_item(r) for r in rows]


async def count_sent(tx: Transaction, item_id: int) -> None:
    await tx.execute(
        "UPDATE library_items SET sent_count = sent_count + 1 WHERE id = ?", (item_id,)
    )


async def coordinators_of(db: Reader, area_id: int | None) -> list[int]:
    """Who coordinates the area (everyone who coordinates anything, for every area)."""
    rows = await db.fetch_all(
        "SELECT user_id FROM coordinators WHERE all_areas = 1 OR ? IS NULL OR user_id IN"
        " (SELECT user_id FROM coordinator_areas WHERE area_id = ?) ORDER BY user_id",
        (area_id, area_id),
    )
    return [r[0] for r in rows]


async def offered_from(tx: Transaction, chat_id: int, message_ids: Sequence[int]) -> bool:
    """Whether these messages were offered already."""
    row = await tx.fetch_one(
        "SELECT 1 FROM library_items WHERE source_chat_id = ? AND source_message_ids = ?",
        (chat_id, json.dumps(list(message_ids))),
    )
    return row is not None


async def authored(db: Reader, user_id: int) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM library_items WHERE author_id = ? AND state = 'approved'",
        (user_id,),
    )
    return row is not None


async def set_title(tx: Transaction, item_id: int, author_id: int, title: str) -> None:
    """Only the author's own item, and only while it is in the library or on its way."""
    await tx.execute(
        "UPDATE library_items SET title = ? WHERE id = ? AND author_id = ?"
        " AND state IN ('offered', 'approved')",
        (title, item_id, author_id),
    )


async def for_every_area(tx: Transaction, item_id: int) -> None:
    """Offered items only: the decision that follows in the same transaction may lose."""
    await tx.execute(
        "UPDATE library_items SET area_id = NULL WHERE id = ? AND state = 'offered'", (item_id,)
    )
