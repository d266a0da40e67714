"""SQL of people, coordinators and memberships (who may do what in which group)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.database import Reader, Transaction
from bot.domain.models import Role


async def person_language(db: Reader, user_id: int) -> tuple[str, bool] | None:
    row = await db.fetch_one(
        "SELECT language, language_chosen FROM people WHERE user_id = ?", (user_id,)
    )
    return (row["language"], bool(row["language_chosen"])) if row else None


@dataclass(frozen=True)
class PersonRow:
    """Everything the bot checks about a person on every update, read at once."""

    user_id: int
    language: tuple[str, bool] | None  # (language, chosen); None: not known to the bot
    coordinator: tuple[bool, frozenset[int]]  # (all areas, the areas); (False, {}) if none
    memberships: tuple[tuple[int, Role], ...]


async def person(db: Reader, user_id: int) -> PersonRow:
    """`person_language`, `coordinator_scope` and `memberships` in one statement: each
    statement is a trip to the database's thread, and this runs for every update."""
    rows = await db.fetch_all(
        "SELECT 'language' AS kind, language AS text, language_chosen AS number"
        " FROM people WHERE user_id = :u"
        " UNION ALL SELECT 'coordinator', NULL, all_areas FROM coordinators WHERE user_id = :u"
        " UNION ALL SELECT 'area', NULL, area_id FROM coordinator_areas WHERE user_id = :u"
        " UNION ALL SELECT 'member', role, group_id FROM memberships WHERE user_id = :u",
        {"u": user_id},
    )
    language, coordinator, all_areas = None, False, False
    areas, memberships = set(), []
    for row in rows:
        match row["kind"]:
            case "language":
                language = (row["text"], bool(row["number"]))
            case "coordinator":
                coordinator, all_areas = True, bool(row["number"])
            case "area":
                areas.add(row["number"])
            case _:
                memberships.append((row["number"], Role(row["text"])))
    scope = (all_areas, frozenset(areas)) if coordinator else (False, frozenset[int]())
    return PersonRow(user_id, language, scope, tuple(memberships))


async def ensure_person(tx: Transaction, user_id: int, language: str) -> None:
    # No time: when a person arrived would match their pseudonym's join event.
    await tx.execute(
        "INSERT INTO people (user_id, language) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
        (user_id, language),
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
    tx: Transaction, user_id: int, area_ids: list[int], language: str
) -> None:
    await ensure_person(tx, user_id, language)
    await tx.execute(
        "INSERT INTO coordinators (user_id, all_areas) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET all_areas = max(all_areas, excluded.all_areas)",
        (user_id, int(not area_ids)),
    )
    await tx.execute_many(
        "INSERT OR IGNORE INTO coordinator_areas (user_id, area_id) VALUES (?, ?)",
        [(user_id, area_id) for area_id in area_ids],
    )


async def add_membership(tx: Transaction, group_id: int, user_id: int, role: Role) -> bool:
    """Add a member; a leader is never demoted to participant. True if anything changed.
    No join time, and no row order (the table has none): either would match the
    pseudonym's join event."""
    changed = await tx.changes(
        "INSERT INTO memberships (group_id, user_id, role, private_messages)"
        " VALUES (?, ?, ?, ?)"
        " ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role"
        " WHERE memberships.role = 'participant' AND excluded.role = 'leader'",
        (group_id, user_id, role.value, int(role is Role.PARTICIPANT)),
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


@dataclass(frozen=True)
class CoordinatorRow:
    user_id: int
    all_areas: bool
    area_names: tuple[str, ...]


async def coordinators(db: Reader) -> list[CoordinatorRow]:
    rows = await db.fetch_all(
        "SELECT c.user_id, c.all_areas, group_concat(a.name, char(31)) AS names"
        " FROM coordinators c LEFT JOIN coordinator_areas ca ON ca.user_id = c.user_id"
        " LEFT JOIN areas a ON a.id = ca.area_id GROUP BY c.user_id ORDER BY c.user_id"
    )
    return [
        CoordinatorRow(
            r["user_id"],
            bool(r["all_areas"]),
            tuple(sorted(r["names"].split(chr(31)))) if r["names"] else (),
        )
        for r in rows
    ]


async def remove_coordinator(tx: Transaction, user_id: int) -> bool:
    await tx.execute("DELETE FROM coordinator_areas WHERE user_id = ?", (user_id,))
    removed = await tx.changes("DELETE FROM coordinators WHERE user_id = ?", (user_id,)) > 0
    await forget_person_if_unused(tx, user_id)
    return removed
