import asyncio
import re
import sqlite3
from pathlib import Path

import pytest

from bot.db.database import Database, NestedUse
from bot.db.migrate import MIGRATIONS_DIR, MigrationError, available, current_version, migrate


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in available()]
    assert versions == list(range(1, len(versions) + 1))
    assert all(re.match(r"^\d{4}_[a-z0-9_]+\.sql$", p.name) for p in MIGRATIONS_DIR.iterdir())


async def test_pragmas_for_durability_and_erasure(db: Database) -> None:
    assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA synchronous"))[0] == 2  # type: ignore[index]  # FULL
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA secure_delete"))[0] == 1  # type: ignore[index]


async def test_migrating_twice_changes_nothing(db: Database) -> None:
    assert await migrate(db) == []
    assert await current_version(db) == available()[-1].version


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    db = await Database.open(path)
    with pytest.raises(MigrationError, match="newer version"):
        await migrate(db)
    await db.close()


async def test_a_failing_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    (tmp_path / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (tmp_path / "0002_bad.sql").write_text(
        "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);"
    )
    db = await Database.open(tmp_path / "m.db")
    with pytest.raises(MigrationError, match=r"0002_bad\.sql"):
        await migrate(db, tmp_path)
    assert await current_version(db) == 1
    assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'b'") is None
    await db.close()


async def test_concurrent_transactions_do_not_interleave(db: Database) -> None:
    """Task A rolls back while task B commits: B's row stays, A's is gone."""
    await db.execute_script("CREATE TABLE t (x INTEGER);")

    async def failing() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            await asyncio.sleep(0.01)
            raise RuntimeError("boom")

    async def succeeding() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (2)")

    results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert [r[0] for r in await db.fetch_all("SELECT x FROM t")] == [2]


async def test_contact_events_are_append_only(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO contact_events (occurred_at, kind, pseudonym) VALUES ('x', 'visit', 'p')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE contact_events SET amount = 5")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        async with db.transaction() as tx:
            await tx.execute("DELETE FROM contact_events")
    async with db.transaction() as tx:  # erasure may drop the pseudonym, nothing else
        await tx.execute("UPDATE contact_events SET pseudonym = NULL")


async def test_backup_is_a_consistent_identical_copy(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO areas (name) VALUES ('Kuopio')")
    target = tmp_path / "backup.db"
    await db.backup_to(target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM areas").fetchall() == [("Kuopio",)]
        assert copy.execute("PRAGMA user_version").fetchone()[0] == available()[-1].version


async def test_the_connection_thread_cannot_keep_the_process_alive(db: Database) -> None:
    assert db._connection._thread.daemon
    assert db._reader is not None and db._reader._thread.daemon


async def test_a_read_does_not_wait_behind_an_open_transaction(db: Database) -> None:
    """Reads see the last commit while another task writes; then see its commit at once."""
    await db.execute_script("CREATE TABLE r (x INTEGER);")
    inside, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO r VALUES (1)")
            inside.set()
            await release.wait()

    writing = asyncio.create_task(writer())
    await inside.wait()
    # The timeout turns a regression (the read waiting for the writer) into a failure.
    row = await asyncio.wait_for(db.fetch_one("SELECT count(*) FROM r"), 10)
    assert row is not None and row[0] == 0
    release.set()
    await writing
    assert (await db.fetch_all("SELECT x FROM r"))[0][0] == 1
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.fetch_one("INSERT INTO r VALUES (2) RETURNING x")  # the reader writes nothing


async def test_nested_use_inside_a_transaction_fails_at_once(db: Database) -> None:
    """Reading through `db` inside one's own transaction would wait for itself forever."""
    await db.execute_script("CREATE TABLE n (x INTEGER);")

    async def nested_read() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO n VALUES (1)")
            await db.fetch_one("SELECT count(*) FROM n")

    async def nested_transaction() -> None:
        async with db.transaction(), db.transaction():
            pass

    for nested in (nested_read, nested_transaction):
        # The timeout turns a regression into a failure instead of a hang.
        with pytest.raises(NestedUse, match="would wait for itself"):
            await asyncio.wait_for(nested(), 10)
    assert (await db.fetch_one("SELECT count(*) FROM n"))[0] == 0  # type: ignore[index]
    async with db.transaction() as tx:  # the lock is free again
        await tx.execute("INSERT INTO n VALUES (2)")
