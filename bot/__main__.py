"""`python -m bot` runs the bot; subcommands do the operator's admin tasks."""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import logs
from bot.app import build_application, open_database
from bot.config import Settings, SettingsError, load_settings
from bot.db.migrate import MigrationError, available, current_version
from bot.documents.welfare import Only, export_bytes
from bot.domain.clock import system_clock
from bot.domain.languages import LANGUAGES
from bot.i18n import translator
from bot.services.people import People
from bot.services.welfare import Welfare

logger = logging.getLogger("bot")


class AlreadyRunning(Exception):
    pass


@contextmanager
def single_instance(database: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database: two pollers on one token both
    fetch updates, so a second copy must not start."""
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.with_name(database.name + ".lock")
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(
                f"another copy of the bot is already running on {database}"
            ) from None
        yield


def run(settings: Settings) -> None:
    with single_instance(settings.database_path):
        app = build_application(settings)
        if settings.webhook_url is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            url = str(settings.webhook_url)
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(url).path.lstrip("/"),
                webhook_url=url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )


async def migrate_command(settings: Settings) -> None:
    with single_instance(settings.database_path):
        db = await open_database(settings)
        print(f"database {settings.database_path} is at schema {await current_version(db)}")
        await db.close()


async def add_coordinator(settings: Settings, user_id: int, areas: list[str]) -> None:
    db = await open_database(settings)
    people = People(db, system_clock, settings.coordinator_ids, settings.default_language)
    await people.add_coordinator(user_id, areas)
    await db.close()
    scope = ", ".join(areas) if areas else "all areas"
    print(f"user {user_id} is now a coordinator of {scope}")


async def check(settings: Settings) -> int:
    print(f"settings: ok (time zone {settings.timezone}, language {settings.default_language})")
    db = await open_database(settings)
    version = await current_version(db)
    integrity = await db.integrity()
    await db.close()
    print(
        f"database: {settings.database_path}, schema {version}/{available()[-1].version}, "
        f"integrity {integrity}"
    )
    try:
        async with Bot(settings.token, base_url=f"{settings.api_base}/bot") as bot:
            me = await bot.get_me()
    except InvalidToken:
        print("telegram: the token was refused: check BOT_TOKEN")
        return 1
    except (NetworkError, TelegramError) as error:
        print(f"telegram: could not reach {settings.api_base}: {type(error).__name__}")
        return 1
    print(f"telegram: ok, the bot is @{me.username}")
    return 0


async def backup(settings: Settings, target: Path) -> int:
    if target.exists():
        print(f"{target} exists already: choose a new file name")
        return 1
    db = await open_database(settings)
    await db.backup_to(target)
    await db.close()
    with sqlite3.connect(target) as copy:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    print(
        f"backup written to {target} (integrity {verdict})."
        " The pseudonym key is not in it: back that up separately."
    )
    return 0 if verdict == "ok" else 1


async def export(settings: Settings, args: argparse.Namespace) -> int:
    if not 2000 <= args.year <= 2100:
        print("export: a year between 2000 and 2100, please")
        return 2
    only = Only(args.quarter, frozenset(a.casefold() for a in args.area) if args.area else None)
    name = f"{args.year}" if args.quarter is None else f"{args.year}-Q{args.quarter}"
    target: Path = args.output or Path(f"ryhmakaveri-{name}.{args.format}")
    if target.exists():
        print(f"{target} exists already: choose a new file name with --output")
        return 1
    db = await open_database(settings)
    welfare = Welfare(db, settings.zone, system_clock)
    try:
        known = {area.casefold() for area in await welfare.areas()}
        unknown = sorted(a for a in args.area or [] if a.casefold() not in known)
        if unknown:
            print(f"export: no municipality called {', '.join(unknown)}")
            return 2
        report = await welfare.report(args.year)
    finally:
        await db.close()
    tr = translator(args.language or settings.default_language)
    threshold = settings.suppression_threshold
    target.write_bytes(export_bytes(tr, report, threshold, settings.zone, args.format, only))
    print(f"{target} written: {name}; counts below {threshold} hidden")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m bot",
        description="Ryhmäkaveri: runs the bot (no subcommand) or an admin task.",
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (the default)")
    commands.add_parser("migrate", help="bring the database to this version's schema")
    coordinator = commands.add_parser("add-coordinator", help="make a Telegram user a coordinator")
    coordinator.add_argument("user_id", type=int, metavar="USER_ID", help="numeric Telegram id")
    coordinator.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="NAME",
        help="a municipality they coordinate (repeatable); without it, all areas",
    )
    commands.add_parser("check", help="check the settings, the database and the token")
    copy = commands.add_parser("backup", help="write a consistent copy of the running database")
    copy.add_argument("path", type=Path, metavar="PATH", help="the new backup file")
    figures = commands.add_parser("export", help="write the figures for the welfare report")
    figures.add_argument("--year", type=int, required=True, help="e.g. 2026")
    figures.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="only this quarter")
    figures.add_argument(
        "--area", action="append", metavar="NAME", help="only this municipality (repeatable)"
    )
    figures.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    figures.add_argument("--output", type=Path, metavar="PATH", help="the new file")
    figures.add_argument("--language", choices=LANGUAGES, help="default: DEFAULT_LANGUAGE")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        logs.configure(settings.log_level, settings.token)
        match args.command:
            case None | "run":
                run(settings)
                return 0
            case "migrate":
                asyncio.run(migrate_command(settings))
                return 0
            case "add-coordinator":
                asyncio.run(add_coordinator(settings, args.user_id, args.area))
                return 0
            case "check":
                return asyncio.run(check(settings))
            case "backup":
                return asyncio.run(backup(settings, args.path))
            case "export":
                return asyncio.run(export(settings, args))
    except (SettingsError, MigrationError, AlreadyRunning) as error:
        print(f"ryhmakaveri: {error}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
