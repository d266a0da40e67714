"""One SQLite file through one aiosqlite connection, with serialised transactions.

Handlers and jobs run concurrently on the same connection, and SQLite has no
per-task isolation on one connection: one task's ROLLBACK would discard another
task's writes. So every write goes through `transaction()`, which holds an
asyncio lock around BEGIN IMMEDIATE … COMMIT.

The lock is not re-entrant: a task that holds it and asks for it again (`db.fetch_one`
inside its own `transaction()`) would wait for itself and freeze the bot. So that use
raises at once instead (`NestedUse`); inside a transaction, use its `tx`.

Reads outside a transaction (`fetch_one`, `fetch_all`) go through a second, query-only
connection and never wait behind a write: with WAL, a reader sees the last commit while
the writer works. Updates are handled concurrently, so most handlers' reads would
otherwise queue behind every other person's transaction.

Each statement is one trip to the connection's thread (aiosqlite runs SQLite there): a
trip costs the event loop more CPU than an indexed lookup itself. So a read fetches its
rows in the same trip (`execute_fetchall`; `fetch_one` is for statements of a row or a
few), and a write leaves its finished cursor to be collected rather than closing it in
another trip (a finished statement is already reset; nothing is left to release).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

Row = sqlite3.Row
Params = tuple[Any, ...] | dict[str, Any]

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # A broadcast the leader was told is queued must survive a power cut.
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    # Erased rows must not linger in free pages of the file.
    "PRAGMA secure_delete=ON",
)


def _owner_only(path: Path) -> None:
    """The database and its WAL/SHM hold personal data: readable by the owner only, also
    when an earlier version or another umask created them."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


class NestedUse(RuntimeError):
    """The database was used through `db` inside the same task's open transaction."""


NESTED = "nested database use inside a transaction would wait for itself; use its tx"


# The same settings (so a PRAGMA read through `db` tells the truth), and no writing.
READER_PRAGMAS = (*PRAGMAS, "PRAGMA query_only=ON")


async def _connect(path: Path, pragmas: Iterable[str]) -> aiosqlite.Connection:
    connection = aiosqlite.connect(path, isolation_level=None)
    # Its worker thread as a daemon: if a shutdown is cut short (a signal during
    # start-up), the process still exits instead of waiting on the thread forever.
    # Commits are on disk (synchronous=FULL), so this is no worse than a crash.
    # (aiosqlite has no option for it; tests/service/test_database.py checks it.)
    connection._thread.daemon = True
    await connection
    connection.row_factory = sqlite3.Row
    for pragma in pragmas:
        await connection.execute(pragma)
    return connection


class Database:
    def __init__(
        self, connection: aiosqlite.Connection, reader: aiosqlite.Connection | None = None
    ) -> None:
        self._connection = connection
        self._reader = reader  # None: reads take the writer's lock (an in-memory database)
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None  # the task inside a transaction

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        """The lock, refused at once to the task that already holds it (it would wait for
        itself). Other tasks wait their turn as before."""
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            raise NestedUse(NESTED)
        async with self._lock:
            self._holder = task
            try:
                yield
            finally:
                self._holder = None

    @classmethod
    async def open(cls, path: Path) -> Database:
        if str(path) != ":memory:":
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _owner_only(path)
        connection = await _connect(path, PRAGMAS)
        if str(path) == ":memory:":
            return cls(connection)
        try:
            reader = await _connect(path, READER_PRAGMAS)
        except BaseException:
            await connection.close()
            raise
        return cls(connection, reader)

    async def close(self) -> None:
        async with self._locked():
            if self._reader is not None:
                await self._reader.close()
            await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._locked():
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
                yield Transaction(self._connection)
            except BaseException:
                # Also when cancelled during BEGIN: the connection's thread still runs it,
                # and runs this ROLLBACK after it. Shielded, so a second cancel cannot skip it.
                with contextlib.suppress(sqlite3.OperationalError):
                    await asyncio.shield(self._connection.execute("ROLLBACK"))
                raise
            await self._connection.execute("COMMIT")

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._reading() as reader:
            return _first(await reader.execute_fetchall(sql, params))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._reading() as reader:
            return list(await reader.execute_fetchall(sql, params))

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The read connection, without waiting for the writer. Refused inside the task's own
        transaction all the same: it would not see that transaction's own changes."""
        if self._reader is None:
            async with self._locked():
                yield self._connection
            return
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            raise NestedUse(NESTED)
        yield self._reader

    async def execute_script(self, script: str, *, foreign_keys_off: bool = False) -> None:
        """Run a multi-statement script in one transaction; all of it or nothing.

        (executescript() would COMMIT a pending transaction before running anything,
        so the script carries its own BEGIN and a failure is rolled back here.)

        `foreign_keys_off` is for table rebuilds: dropping a table that others refer to
        would cascade. The pragma cannot change inside a transaction, so it is switched
        around it, and the keys are checked before COMMIT instead.
        """
        async with self._locked():
            if foreign_keys_off:
                await self._connection.execute("PRAGMA foreign_keys=OFF")
            try:
                await self._connection.executescript(f"BEGIN IMMEDIATE;\n{script}")
                if foreign_keys_off:
                    await self._check_foreign_keys()
                await self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    await self._connection.execute("ROLLBACK")
                raise
            finally:
                if foreign_keys_off:
                    await self._connection.execute("PRAGMA foreign_keys=ON")

    async def _check_foreign_keys(self) -> None:
        async with self._connection.execute("PRAGMA foreign_key_check") as cursor:
            broken = await cursor.fetchall()
        if broken:
            found = ", ".join(
                f"{table} row {rowid} → {parent}" for table, rowid, parent, _ in broken
            )
            raise sqlite3.IntegrityError(f"foreign keys broken: {found}")

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so that what was deleted
        (and zeroed in the file by secure_delete) is not left in the log either.

        False when it could not finish: a reader (a backup, an export) still needs the log.
        It does not wait for the reader here (holding the lock); the caller retries."""
        async with self._locked():
            await self._connection.execute("PRAGMA busy_timeout=0")
            try:
                async with self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                    row = await cursor.fetchone()
            finally:
                await self._connection.execute("PRAGMA busy_timeout=5000")
        return row is not None and row[0] == 0

    async def backup_to(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup API (never a file copy)."""
        async with self._locked():
            destination = await aiosqlite.connect(target)
            try:
                await self._connection.backup(destination)
            finally:
                await destination.close()


class Transaction:
    """The statements of one serialised transaction."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; return the last row id (for inserts). For statements without
        rows: one that returns rows (RETURNING) goes through `fetch_one`/`fetch_all`."""
        cursor = await self._connection.execute(sql, params)
        return cursor.lastrowid or 0

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        await self._connection.executemany(sql, rows)

    async def changes(self, sql: str, params: Params = ()) -> int:
        """Run a statement without rows; return how many rows it changed."""
        cursor = await self._connection.execute(sql, params)
        return cursor.rowcount

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return _first(await self._connection.execute_fetchall(sql, params))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._connection.execute_fetchall(sql, params))


def _first(rows: Iterable[Row]) -> Row | None:
    return next(iter(rows), None)


Reader = Database | Transaction
"""Where a repository function that only reads can run: on its own or inside a transaction."""
