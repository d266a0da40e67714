"""SQL of areas and groups, and the group's Telegram chat."""

from __future__ import annotations

import json
from datetime import date, datetime, time

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import to_db
from bot.domain.models import Area, Group, Role


def _group(row: Row) -> Group:
    return Group(
        id=row["id"],
        area_id=row["area_id"],
        name=row["name"],
        language=row["language"],
        weekday=row["weekday"],
        local_time=time.fromisoformat(row["local_time"]),
        first_date=date.fromisoformat(row["first_date"]),
        session_count=row["session_count"],
        chat_id=row["chat_id"],
    )


def _ids(ids: frozenset[int]) -> str:
    """A set of ids as one JSON parameter, for `IN (SELECT value FROM json_each(?))`."""
    return json.dumps(sorted(ids))


async def areas(db: Reader, area_ids: frozenset[int] | None = None) -> list[Area]:
    if area_ids is None:
        rows = await db.fetch_all("SELECT id, name FROM areas ORDER BY name")
    else:
        rows = await db.fetch_all(
            "SELECT id, name FROM areas WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name",
            (_ids(area_ids),),
        )
    return [Area(r["id"], r["name"]) for r in rows]


async def area_by_name(tx: Transaction, name: str, create: bool) -> Area | None:
    if create:
        await tx.execute("INSERT OR IGNORE INTO areas (name) VALUES (?)", (name,))
    row = await tx.fetch_one("SELECT id, name FROM areas WHERE name = ?", (name,))
    return Area(row["id"], row["name"]) if row else None


async def insert_group(
    tx: Transaction,
    *,
    area_id: int,
    name: str,
    language: str,
    first_date: date,
    local_time: time,
    starts: list[datetime],
    now: datetime,
) -> int:
    group_id = await tx.execute(
        "INSERT INTO groups (area_id, name, language, weekday, local_time, first_date,"
        " session_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            area_id,
            name,
            language,
            first_date.weekday(),
            local_time.strftime("%H:%M"),
            first_date.isoformat(),
            len(starts),
            to_db(now),
        ),
    )
    await tx.execute_many(
        "INSERT INTO sessions (group_id, number, starts_at) VALUES (?, ?, ?)",
        [(group_id, number, to_db(at)) for number, at in enumerate(starts, start=1)],
    )
    return group_id


async def group(db: Reader, group_id: int) -> Group | None:
    row = await db.fetch_one("SELECT * FROM groups WHERE id = ?", (group_id,))
    return _group(row) if row else None


async def group_by_chat(db: Reader, chat_id: int) -> Group | None:
    row = await db.fetch_one("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
    return _group(row) if row else None


async def groups(db: Reader, group_ids: frozenset[int]) -> list[Group]:
    rows = await db.fetch_all(
        "SELECT * FROM groups WHERE id IN (SELECT value FROM json_each(?))"
        " ORDER BY first_date, name",
        (_ids(group_ids),),
    )
    return [_group(r) for r in rows]


async def groups_in_areas(db: Reader, area_ids: frozenset[int] | None) -> list[Group]:
    if area_ids is None:
        rows = await db.fetch_all("SELECT * FROM groups ORDER BY first_date, name")
    else:
        rows = await db.fetch_all(
            "SELECT * FROM groups WHERE area_id IN (SELECT value FROM json_each(?))"
            " ORDER BY first_date, name",
            (_ids(area_ids),),
        )
    return [_group(r) for r in rows]


async def member_counts(db: Reader, group_ids: frozenset[int]) -> dict[int, dict[Role, int]]:
    """Members by role, for many groups in one query (an area may have a thousand)."""
    rows = await db.fetch_all(
        "SELECT group_id, role, count(*) AS n FROM memberships"
        " WHERE group_id IN (SELECT value FROM json_each(?)) GROUP BY group_id, role",
        (_ids(group_ids),),
    )
    counts: dict[int, dict[Role, int]] = {}
    for r in rows:
        counts.setdefault(r["group_id"], {})[Role(r["role"])] = r["n"]
    return counts


async def bind_chat(tx: Transaction, group_id: int, chat_id: int) -> None:
    # A chat serves one group: release it from any other group first.
    await tx.execute("UPDATE groups SET chat_id = NULL WHERE chat_id = ?", (chat_id,))
    await tx.execute("UPDATE groups SET chat_id = ? WHERE id = ?", (chat_id, group_id))


async def unbind_chat(tx: Transaction, chat_id: int) -> int | None:
    row = await tx.fetch_one(
        "UPDATE groups SET chat_id = NULL WHERE chat_id = ? RETURNING id", (chat_id,)
    )
    return row["id"] if row else None


async def move_chat(tx: Transaction, old_chat_id: int, new_chat_id: int) -> None:
    await tx.execute("UPDATE groups SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
