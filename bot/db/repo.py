"""Small repository functions: SQL in, frozen dataclasses out."""

from __future__ import annotations

import json
from datetime import date, datetime, time

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.models import Area, Group, Role, Session


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


# --- people and roles ---------------------------------------------------------------


async def person_language(db: Reader, user_id: int) -> tuple[str, bool] | None:
    row = await db.fetch_one(
        "SELECT language, language_chosen FROM people WHERE user_id = ?", (user_id,)
    )
    return (row["language"], bool(row["language_chosen"])) if row else None


async def ensure_person(tx: Transaction, user_id: int, language: str, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO people (user_id, language, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO NOTHING",
        (user_id, language, to_db(now)),
    )


async def set_language(tx: Transaction, user_id: int, language: str) -> bool:
    changed = await tx.changes(
        "UPDATE people SET language = ?, language_chosen = 1 WHERE user_id = ?",
        (language, user_id),
    )
    return changed > 0


async def coordinator_scope(db: Reader, user_id: int) -> tuple[bool, frozenset[int]]:
    row = await db.fetch_one("SELECT all_areas FROM coordinators WHERE user_id = ?", (user_id,))
    if row is None:
        return False, frozenset()
    areas = await db.fetch_all(
        "SELECT area_id FROM coordinator_areas WHERE user_id = ?", (user_id,)
    )
    return bool(row["all_areas"]), frozenset(r["area_id"] for r in areas)


async def memberships(db: Reader, user_id: int) -> list[tuple[int, Role]]:
    rows = await db.fetch_all(
        "SELECT group_id, role FROM memberships WHERE user_id = ?", (user_id,)
    )
    return [(r["group_id"], Role(r["role"])) for r in rows]


async def add_coordinator(
    tx: Transaction, user_id: int, area_ids: list[int], language: str, now: datetime
) -> None:
    await ensure_person(tx, user_id, language, now)
    await tx.execute(
        "INSERT INTO coordinators (user_id, all_areas) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET all_areas = max(all_areas, excluded.all_areas)",
        (user_id, int(not area_ids)),
    )
    await tx.execute_many(
        "INSERT OR IGNORE INTO coordinator_areas (user_id, area_id) VALUES (?, ?)",
        [(user_id, area_id) for area_id in area_ids],
    )


async def add_membership(
    tx: Transaction, group_id: int, user_id: int, role: Role, now: datetime
) -> bool:
    """Add a member; a leader is never demoted to participant. True if anything changed."""
    changed = await tx.changes(
        "INSERT INTO memberships (group_id, user_id, role, private_messages, joined_at)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role"
        " WHERE memberships.role = 'participant' AND excluded.role = 'leader'",
        (group_id, user_id, role.value, int(role is Role.PARTICIPANT), to_db(now)),
    )
    return changed > 0


async def remove_participations(tx: Transaction, user_id: int) -> list[int]:
    rows = await tx.fetch_all(
        "DELETE FROM memberships WHERE user_id = ? AND role = 'participant' RETURNING group_id",
        (user_id,),
    )
    return [r["group_id"] for r in rows]


async def stop_private_messages(tx: Transaction, user_id: int) -> None:
    """The person blocked the bot: their private chat gets nothing more."""
    await tx.execute(
        "UPDATE memberships SET private_messages = 0 WHERE user_id = ? AND role = 'participant'",
        (user_id,),
    )


async def private_subscribers(db: Reader, group_id: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT user_id FROM memberships WHERE group_id = ? AND private_messages = 1",
        (group_id,),
    )
    return [r["user_id"] for r in rows]


async def participant_count(db: Reader, group_id: int) -> int:
    row = await db.fetch_one(
        "SELECT count(*) FROM memberships WHERE group_id = ? AND role = 'participant'",
        (group_id,),
    )
    return row[0] if row else 0


async def next_session(db: Reader, group_id: int, after: datetime) -> datetime | None:
    row = await db.fetch_one(
        "SELECT min(starts_at) FROM sessions WHERE group_id = ? AND starts_at > ?"
        " AND state = 'planned'",
        (group_id, to_db(after)),
    )
    return from_db(row[0]) if row and row[0] else None


async def forget_person_if_unused(tx: Transaction, user_id: int) -> None:
    await tx.execute(
        "DELETE FROM people WHERE user_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = ?)"
        " AND NOT EXISTS (SELECT 1 FROM coordinators WHERE user_id = ?)",
        (user_id, user_id, user_id),
    )


async def leaders(db: Reader, group_id: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT user_id FROM memberships WHERE group_id = ? AND role = 'leader'", (group_id,)
    )
    return [r["user_id"] for r in rows]


async def coordinator_ids(db: Reader) -> list[int]:
    rows = await db.fetch_all("SELECT user_id FROM coordinators")
    return [r["user_id"] for r in rows]


async def staff_ids(db: Reader) -> list[int]:
    """Everyone whose command menu differs from a participant's."""
    rows = await db.fetch_all(
        "SELECT user_id FROM coordinators"
        " UNION SELECT user_id FROM memberships WHERE role = 'leader'"
    )
    return [r["user_id"] for r in rows]


# --- areas and groups -----------------------------------------------------------------


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


async def member_counts(db: Reader, group_id: int) -> dict[Role, int]:
    rows = await db.fetch_all(
        "SELECT role, count(*) AS n FROM memberships WHERE group_id = ? GROUP BY role",
        (group_id,),
    )
    return {Role(r["role"]): r["n"] for r in rows}


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


async def sessions(db: Reader, group_id: int) -> list[Session]:
    rows = await db.fetch_all(
        "SELECT * FROM sessions WHERE group_id = ? ORDER BY number", (group_id,)
    )
    return [session_from_row(r) for r in rows]


def session_from_row(row: Row) -> Session:
    return Session(
        row["id"], row["group_id"], row["number"], from_db(row["starts_at"]), row["state"]
    )


# --- invites ----------------------------------------------------------------------------


async def insert_invite(
    tx: Transaction, group_id: int, kind: str, digest: bytes, now: datetime, expires: datetime
) -> None:
    await tx.execute(
        "INSERT INTO invites (group_id, kind, token_hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (group_id, kind, digest, to_db(now), to_db(expires)),
    )


async def invite_by_digest(db: Reader, digest: bytes) -> Row | None:
    return await db.fetch_one("SELECT * FROM invites WHERE token_hash = ?", (digest,))


async def use_invite(tx: Transaction, invite_id: int, now: datetime) -> bool:
    """Mark a single-use invite used; False if someone else got there first."""
    changed = await tx.changes(
        "UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
        (to_db(now), invite_id),
    )
    return changed == 1


async def revoke_invites(tx: Transaction, group_id: int, kind: str, now: datetime) -> int:
    return await tx.changes(
        "UPDATE invites SET revoked_at = ? WHERE group_id = ? AND kind = ?"
        " AND used_at IS NULL AND revoked_at IS NULL",
        (to_db(now), group_id, kind),
    )


# --- guided chats -------------------------------------------------------------------------


async def dialog(db: Reader, user_id: int) -> Row | None:
    return await db.fetch_one("SELECT * FROM dialogs WHERE user_id = ?", (user_id,))


async def save_dialog(
    tx: Transaction, user_id: int, kind: str, revision: int, state: str, now: datetime
) -> None:
    await tx.execute(
        "INSERT INTO dialogs (user_id, kind, revision, state, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind,"
        " revision = excluded.revision, state = excluded.state, updated_at = excluded.updated_at",
        (user_id, kind, revision, state, to_db(now)),
    )


async def take_dialog(tx: Transaction, user_id: int, kind: str, revision: int) -> bool:
    """End a guided chat at this revision; False if it already moved on or ended."""
    changed = await tx.changes(
        "DELETE FROM dialogs WHERE user_id = ? AND kind = ? AND revision = ?",
        (user_id, kind, revision),
    )
    return changed == 1


# --- contact events ---------------------------------------------------------------------


async def insert_event(
    tx: Transaction,
    *,
    kind: str,
    now: datetime,
    area_id: int | None,
    group_id: int | None,
    pseudonym: str | None,
    amount: int = 1,
) -> None:
    await tx.execute(
        "INSERT INTO contact_events (occurred_at, area_id, group_id, kind, pseudonym, amount)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (to_db(now), area_id, group_id, kind, pseudonym, amount),
    )
