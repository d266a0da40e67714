"""Numbered plain-SQL migrations, each applied in one transaction with its user_version.

A migration that rebuilds tables starts with the line FOREIGN_KEYS_OFF: it then runs with
foreign keys switched off around its transaction and checked before it commits."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.db.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# A migration's first line; for table rebuilds (SQLite's way to add a constraint).
FOREIGN_KEYS_OFF = "-- migrate: foreign-keys-off"


class MigrationError(Exception):
    """The database cannot be brought to this code's schema."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def available(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file name not understood: {path.name}")
        found.append(Migration(int(match.group(1)), path))
    return found


async def current_version(db: Database) -> int:
    row = await db.fetch_one("PRAGMA user_version")
    return int(row[0]) if row else 0


async def migrate(db: Database, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply what is missing; return the versions applied."""
    migrations = available(directory)
    latest = migrations[-1].version if migrations else 0
    version = await current_version(db)
    if version > latest:
        raise MigrationError(
            f"the database is at schema {version} but this code knows only up to {latest}:"
            " run a newer version of the bot"
        )
    applied = []
    for migration in migrations:
        if migration.version <= version:
            continue
        sql = migration.path.read_text(encoding="utf-8")
        keys_off = sql.startswith(FOREIGN_KEYS_OFF)
        try:
            await db.execute_script(
                f"{sql}\nPRAGMA user_version = {migration.version};", foreign_keys_off=keys_off
            )
        except sqlite3.Error as error:
            raise MigrationError(f"{migration.path.name} failed: {error}") from error
        applied.append(migration.version)
    return applied


async def require_current(db: Database, directory: Path = MIGRATIONS_DIR) -> None:
    """Refuse a database whose schema is not this code's (for commands that do not migrate)."""
    migrations = available(directory)
    latest = migrations[-1].version if migrations else 0
    version = await current_version(db)
    if version < latest:
        raise MigrationError(
            f"the database is at schema {version} but this code needs {latest}:"
            " stop the bot and run `scripts/run migrate` (or start the bot) first"
        )
    if version > latest:
        raise MigrationError(
            f"the database is at schema {version} but this code knows only up to {latest}:"
            " run a newer version of the bot"
        )
