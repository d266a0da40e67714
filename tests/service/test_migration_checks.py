"""0007 rebuilds tables to add CHECK constraints: rows survive, bad states are refused,
and a rebuild that fails leaves the database as it was."""

import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.dialogs import DialogKind
from bot.db.migrate import MIGRATIONS_DIR, MigrationError, current_version, migrate
from bot.domain.checkins import Reason
from bot.domain.events import EventKind
from bot.domain.models import SessionState
from bot.domain.outbox import State

NOW = "2026-11-28 10:00:00"
TABLES = ("sessions", "deliveries", "dialogs", "contact_events")


@pytest.fixture
def before_0007(tmp_path: Path) -> Path:
    directory = tmp_path / "migrations"
    directory.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[1-6]_*.sql")):
        shutil.copy(path, directory)
    return directory


@pytest.fixture
async def at_0006(tmp_path: Path, before_0007: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "old.db")
    await migrate(db, before_0007)
    assert await current_version(db) == 6
    yield db
    await db.close()


async def fill(db: Database, session_state: str = "remote") -> None:
    script = f"""
        INSERT INTO areas (id, name) VALUES (1, 'Kuopio');
        INSERT INTO groups (id, area_id, name, language, weekday, local_time, first_date,
            session_count, chat_id, created_at)
            VALUES (1, 1, 'Tuesday walkers', 'fi', 1, '10:00', '2026-11-03', 2, -100, '{NOW}');
        INSERT INTO sessions (id, group_id, number, starts_at, state, reason)
            VALUES (1, 1, 1, '{NOW}', '{session_state}', 'ill'),
                   (2, 1, 2, '2026-12-05 10:00:00', 'planned', NULL);
        INSERT INTO broadcasts (id, leader_id, content_key, state, created_at)
            VALUES (1, 7, 'notice:1', 'done', '{NOW}');
        INSERT INTO checkins (id, group_id, session_id, broadcast_id, opens_at, closes_at, asked)
            VALUES (1, 1, 1, 1, '{NOW}', '2026-11-30 10:00:00', 3);
        INSERT INTO deliveries (id, broadcast_id, group_id, chat_id, private, state, attempts,
            due_at, message_ids, updated_at)
            VALUES (1, 1, 1, -100, 0, 'sent', 1, '{NOW}', '[5]', '{NOW}'),
                   (2, 1, 1, 42, 1, 'retracting', 2, '{NOW}', '[6]', '{NOW}');
        INSERT INTO dialogs (user_id, kind, revision, state, updated_at)
            VALUES (7, 'move_session', 1, '2', '{NOW}');
        INSERT INTO contact_events (id, occurred_at, area_id, group_id, kind, pseudonym, amount)
            VALUES (1, '{NOW}', 1, 1, 'session_remote', NULL, 1),
                   (2, '{NOW}', 1, 1, 'checkin_answered', 'p1', 1);
    """
    await db.execute_script(script)


async def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(r) for r in await db.fetch_all(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in (*TABLES, "checkins", "broadcasts", "groups")
    }


async def schema(db: Database) -> list[tuple[object, ...]]:
    rows = await db.fetch_all("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    return [tuple(r) for r in rows]


async def test_rows_indexes_and_triggers_survive_the_rebuild(
    at_0006: Database, before_0007: Path
) -> None:
    db = at_0006
    await fill(db)
    before = await dump(db)
    indexes = {r[1] for r in await schema(db) if r[0] in ("index", "trigger")}
    shutil.copy(next(MIGRATIONS_DIR.glob("0007_*.sql")), before_0007)
    assert await migrate(db, before_0007) == [7]
    assert await dump(db) == before
    assert {r[1] for r in await schema(db) if r[0] in ("index", "trigger")} == indexes
    assert await db.fetch_all("PRAGMA foreign_key_check") == []
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute_script("UPDATE contact_events SET kind = 'visit' WHERE id = 1;")
    # Other tables' references reach the rebuilt tables.
    await db.execute_script("DELETE FROM sessions WHERE id = 1;")
    assert (await db.fetch_one("SELECT session_id FROM checkins"))[0] is None  # type: ignore[index]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE sessions SET state = 'postponed'",
        "UPDATE sessions SET reason = 'rain'",
        "UPDATE deliveries SET state = 'lost'",
        "UPDATE dialogs SET kind = 'quiz'",
        "INSERT INTO contact_events (occurred_at, kind) VALUES ('2026-11-28 10:00:00', 'hug')",
    ],
)
async def test_states_nothing_reads_are_refused(at_0006: Database, statement: str) -> None:
    await fill(at_0006)
    await migrate(at_0006)
    with pytest.raises(sqlite3.IntegrityError, match=r"CHECK|FOREIGN KEY"):
        await at_0006.execute_script(f"{statement};")


async def test_a_failing_rebuild_leaves_the_database_at_0006(at_0006: Database) -> None:
    db = at_0006
    await fill(db, session_state="postponed")  # written before there was a CHECK
    before, tables = await dump(db), await schema(db)
    with pytest.raises(MigrationError, match=r"0007_.*CHECK"):
        await migrate(db)
    assert await current_version(db) == 6
    assert await dump(db) == before
    assert await schema(db) == tables
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_broken_foreign_keys_stop_the_rebuild(tmp_path: Path, before_0007: Path) -> None:
    path = tmp_path / "dangling.db"
    db = await Database.open(path)
    await migrate(db, before_0007)
    await fill(db)
    await db.close()
    with sqlite3.connect(path) as raw:  # foreign keys are off by default on a bare connection
        raw.execute("UPDATE deliveries SET broadcast_id = 99 WHERE id = 2")
    db = await Database.open(path)
    with pytest.raises(MigrationError, match="foreign keys broken: deliveries row 2"):
        await migrate(db)
    assert await current_version(db) == 6
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    await db.close()


async def test_every_state_the_code_writes_is_allowed(db: Database) -> None:
    """The CHECK lists and the enums name the same values."""
    await fill(db)
    updates = [
        *(f"UPDATE sessions SET state = '{s}'" for s in SessionState),
        *(f"UPDATE sessions SET reason = '{r}'" for r in Reason),
        *(f"UPDATE deliveries SET state = '{s}'" for s in State),
        *(f"UPDATE dialogs SET kind = '{k}'" for k in DialogKind),
        *(
            f"INSERT INTO contact_events (occurred_at, kind) VALUES ('{NOW}', '{k}')"
            for k in EventKind
        ),
    ]
    await db.execute_script(";\n".join(updates) + ";")


async def test_the_event_kinds_table_names_exactly_the_kinds_in_the_code(db: Database) -> None:
    """A new EventKind needs its row in event_kinds, added by its feature's migration."""
    rows = await db.fetch_all("SELECT kind FROM event_kinds")
    assert {r[0] for r in rows} == {k.value for k in EventKind}


async def test_the_dialog_kinds_table_names_exactly_the_kinds_in_the_code(db: Database) -> None:
    """A new DialogKind needs its row in dialog_kinds, added by its feature's migration."""
    rows = await db.fetch_all("SELECT kind FROM dialog_kinds")
    assert {r[0] for r in rows} == {k.value for k in DialogKind}
