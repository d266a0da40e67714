"""`python -m bot` runs the bot; subcommands do the operator's admin tasks.

Every failure an operator can meet (a setting, a path, the network, the schema) ends in one
line that says what to do, never a traceback. Only `run` and `migrate` change the schema,
and only under the single-instance lock; the other commands need the schema as it is.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot import logs, webhook
from bot.app import build_application, open_database
from bot.config import UNSET_CONTACT, UNSET_MUNICIPALITY, Settings, SettingsError, load_settings
from bot.db.database import Database
from bot.db.migrate import MigrationError, available
from bot.delivery import library_files
from bot.documents.welfare import Only, export_bytes
from bot.domain.clock import system_clock
from bot.domain.languages import LANGUAGES
from bot.i18n import translator
from bot.services import library_folders
from bot.services.library import TOPICS
from bot.services.library_items import Imported, LibraryTransfer, UnknownArea
from bot.services.people import People, UnknownAreas
from bot.services.welfare import Welfare

logger = logging.getLogger("bot")


class AlreadyRunning(Exception):
    pass


class OperatorError(Exception):
    """Something the operator can put right; the message says what, in one line."""


RETRY_FIRST, RETRY_MOST = 2.0, 60.0  # seconds between attempts to reach Telegram


def new_file(path: Path) -> Path:
    """A file the command will create: its folder must exist and it must not."""
    if path.exists():
        raise OperatorError(f"{path} exists already: choose a new file name")
    if not path.parent.is_dir():
        raise OperatorError(f"the folder {path.parent} does not exist: create it first")
    if not os.access(path.parent, os.W_OK):
        raise OperatorError(f"this user cannot write in {path.parent}: choose another folder")
    return path


def data_folder(settings: Settings) -> None:
    """The data folder exists, is the owner's only (0700 when created) and is writable."""
    folder = settings.database_path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise OperatorError(
            f"cannot create the data folder {folder} ({error.strerror}):"
            " create it and let the bot's user write in it"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OperatorError(
            f"the bot's user cannot write in the data folder {folder}: fix its owner"
        )


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


async def reach_telegram(settings: Settings) -> bool:
    """Wait until Telegram answers: the server may start before its network does.

    One log line per attempt, with growing pauses. False if told to stop while waiting;
    a refused token is an OperatorError (without the token: PTB's message contains it).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pause = RETRY_FIRST
    while not stop.is_set():
        try:
            async with Bot(settings.token, base_url=f"{settings.api_base}/bot"):
                return True
        except InvalidToken:
            raise OperatorError(
                "Telegram refused BOT_TOKEN: copy the token again from @BotFather"
            ) from None
        except (NetworkError, TelegramError) as error:
            logger.warning(
                "Telegram cannot be reached (%s); trying again in %.0f s",
                type(error).__name__,
                pause,
            )
        try:
            await asyncio.wait_for(stop.wait(), pause)
        except TimeoutError:
            pause = min(pause * 2, RETRY_MOST)
    return False


def run(settings: Settings) -> None:
    settings.token  # noqa: B018  (a missing token is reported before anything starts)
    data_folder(settings)
    with single_instance(settings.database_path):
        if not asyncio.run(reach_telegram(settings)):
            return
        app = build_application(settings)
        if settings.webhook_url is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            asyncio.run(webhook.serve(app, settings))


async def migrate_command(settings: Settings) -> None:
    data_folder(settings)
    with single_instance(settings.database_path):
        db = await open_database(settings)
        await db.close()
    print(f"database {settings.database_path} is at schema {available()[-1].version}")


async def people_of(settings: Settings) -> tuple[People, Database]:
    db = await open_database(settings, migrate=False)
    return People(db, system_clock, settings.coordinator_ids, settings.default_language), db


async def add_coordinator(settings: Settings, args: argparse.Namespace) -> None:
    people, db = await people_of(settings)
    try:
        await people.add_coordinator(args.user_id, args.area, create_areas=args.create_area)
    except UnknownAreas as error:
        known = ", ".join(error.known) or "none yet"
        raise OperatorError(
            f"no municipality called {', '.join(error.unknown)} (known: {known}):"
            " check the spelling, or add --create-area to create it"
        ) from None
    finally:
        await db.close()
    scope = ", ".join(args.area) if args.area else "all areas"
    print(f"user {args.user_id} is now a coordinator of {scope}")


async def list_coordinators(settings: Settings) -> None:
    people, db = await people_of(settings)
    try:
        found = await people.coordinators()
    finally:
        await db.close()
    for coordinator in found:
        scope = ", ".join(coordinator.area_names) or "all areas"
        where = " (COORDINATOR_IDS)" if coordinator.from_settings else ""
        print(f"{coordinator.user_id}: {scope}{where}")
    if not found:
        print("no coordinators: add one with `scripts/run add-coordinator USER_ID`")


async def remove_coordinator(settings: Settings, user_id: int) -> None:
    if user_id in settings.coordinator_ids:
        raise OperatorError(f"{user_id} is in COORDINATOR_IDS: remove them there, in .env")
    people, db = await people_of(settings)
    try:
        removed = await people.remove_coordinator(user_id)
    finally:
        await db.close()
    if not removed:
        raise OperatorError(
            f"{user_id} is not a coordinator: `scripts/run coordinators` lists them"
        )
    print(f"user {user_id} is no longer a coordinator")


def database_report(path: Path) -> str:
    """The database's schema and integrity, read without changing anything."""
    if not path.exists():
        return f"database: none yet at {path} (the bot creates it on its first start)"
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise OperatorError(f"cannot read the database {path}: {error}") from None
    return f"database: {path}, schema {version}/{available()[-1].version}, integrity {integrity}"


async def check(settings: Settings) -> int:
    """Read-only: settings, database, token."""
    print(f"settings: ok (time zone {settings.timezone}, language {settings.default_language})")
    if (
        settings.municipality_name == UNSET_MUNICIPALITY
        or settings.privacy_contact == UNSET_CONTACT
    ):
        print("privacy notice: set MUNICIPALITY_NAME and PRIVACY_CONTACT; it shows placeholders")
    else:
        print(f"privacy notice: {settings.municipality_name}, {settings.privacy_contact}")
    print(database_report(settings.database_path))
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
    new_file(target)
    db = await open_database(settings, migrate=False)
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
    target = new_file(args.output or Path(f"ryhmakaveri-{name}.{args.format}"))
    db = await open_database(settings, migrate=False)
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


async def library_command(settings: Settings, args: argparse.Namespace) -> int:
    """Export approved library items with their media, or import them (uploading the media
    to a coordinator's private chat so that Telegram issues this bot's file ids)."""
    db = await open_database(settings, migrate=False)
    transfer = LibraryTransfer(db, system_clock)
    bot: ExtBot[None] = ExtBot(
        settings.token,
        base_url=f"{settings.api_base}/bot",
        base_file_url=f"{settings.api_base}/file/bot",
    )
    try:
        async with bot:
            if args.action == "export":
                items = await transfer.approved(args.area)
                await library_files.export_items(bot, items, args.folder)
                print(f"{len(items)} library items written to {args.folder}")
                return 0
            if args.chat is None:
                raise OperatorError(
                    "import needs --chat USER_ID: a coordinator who has started the bot;"
                    " the media are sent there once"
                )
            area_id = await transfer.area_id(args.area)
            loaded = library_folders.read_items(args.folder, frozenset(TOPICS), LANGUAGES)
            imported = []
            for item in loaded:
                meta = item.metadata
                parts = await library_files.upload(bot, args.chat, item)
                imported.append(
                    Imported(meta.topic, meta.language, meta.title, meta.attribution, parts)
                )
            count = await transfer.store(imported, area_id)
            print(f"{count} library items imported from {args.folder}")
            return 0
    except library_folders.TransferProblem as error:
        raise OperatorError(str(error)) from None
    except UnknownArea as error:
        raise OperatorError(f"no municipality called {error}") from None
    except InvalidToken:
        raise OperatorError("Telegram refused BOT_TOKEN: check it") from None
    except TelegramError as error:
        raise OperatorError(f"Telegram: {error.message}; nothing was imported") from None
    finally:
        await db.close()


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="scripts/run",
        description="Ryhmäkaveri: runs the bot (no subcommand) or an admin task."
        " Settings come from .env (see .env.example).",
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run", help="run the bot (the default)", description="Run the bot until SIGTERM."
    )
    commands.add_parser(
        "migrate",
        help="bring the database to this version's schema",
        description="Bring the database to this version's schema (stop the bot first;"
        " starting the bot does it too).",
    )
    coordinator = commands.add_parser(
        "add-coordinator",
        help="make a Telegram user a coordinator",
        description="Make a Telegram user a coordinator of some municipalities, or of all.",
    )
    coordinator.add_argument("user_id", type=int, metavar="USER_ID", help="numeric Telegram id")
    coordinator.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="NAME",
        help="a municipality they coordinate (repeatable); without it, all areas",
    )
    coordinator.add_argument(
        "--create-area",
        action="store_true",
        help="create a municipality given with --area that does not exist yet",
    )
    commands.add_parser(
        "coordinators",
        help="list the coordinators and their municipalities",
        description="List the coordinators (Telegram ids) and the municipalities they see.",
    )
    removal = commands.add_parser(
        "remove-coordinator",
        help="take a coordinator's rights away",
        description="Take a coordinator's rights away (a coordinator in COORDINATOR_IDS is"
        " removed from .env instead).",
    )
    removal.add_argument("user_id", type=int, metavar="USER_ID", help="numeric Telegram id")
    commands.add_parser(
        "check",
        help="check the settings, the database and the token",
        description="Check the settings, the database (read-only) and the token.",
    )
    copy = commands.add_parser(
        "backup",
        help="write a consistent copy of the running database",
        description="Write a consistent copy of the database, also while the bot runs."
        " The pseudonym key is not in it: keep that separately.",
    )
    copy.add_argument("path", type=Path, metavar="PATH", help="the new backup file")
    figures = commands.add_parser(
        "export",
        help="write the figures for the welfare report",
        description="Write municipality x period x indicator for the welfare report, to"
        " ryhmakaveri-YEAR[-QN].xlsx (or .csv) in the current folder unless --output is given.",
    )
    figures.add_argument("--year", type=int, required=True, help="e.g. 2026")
    figures.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="only this quarter")
    figures.add_argument(
        "--area", action="append", metavar="NAME", help="only this municipality (repeatable)"
    )
    figures.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="default: xlsx")
    figures.add_argument("--output", type=Path, metavar="PATH", help="the new file to write")
    figures.add_argument("--language", choices=LANGUAGES, help="default: DEFAULT_LANGUAGE")
    library = commands.add_parser(
        "library",
        help="export or import approved library items with their media",
        description="export DIR: write the approved library items (a folder each: the media"
        " and item.json). import DIR: read such folders, send the media once to --chat (a"
        " coordinator's private chat) and add the items, approved. Needs BOT_TOKEN.",
    )
    library.add_argument("action", choices=("export", "import"))
    library.add_argument("folder", type=Path, metavar="DIR")
    library.add_argument(
        "--area", metavar="NAME", help="export: only this municipality's; import: for it only"
    )
    library.add_argument("--chat", type=int, metavar="USER_ID", help="import: where to upload")
    return main


def main(argv: list[str] | None = None) -> int:
    # The database, its log, backups and exports hold personal data: owner only, whatever
    # umask the service was started with.
    os.umask(0o077)
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        logs.configure(settings.log_level, settings.secrets())
        return dispatch(settings, args)
    except (SettingsError, MigrationError, AlreadyRunning, OperatorError) as error:
        print(f"ryhmakaveri: {error}", file=sys.stderr)
        return 2


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    match args.command:
        case None | "run":
            run(settings)
        case "migrate":
            asyncio.run(migrate_command(settings))
        case "add-coordinator":
            asyncio.run(add_coordinator(settings, args))
        case "coordinators":
            asyncio.run(list_coordinators(settings))
        case "remove-coordinator":
            asyncio.run(remove_coordinator(settings, args.user_id))
        case "check":
            return asyncio.run(check(settings))
        case "backup":
            return asyncio.run(backup(settings, args.path))
        case "export":
            return asyncio.run(export(settings, args))
        case "library":
            return asyncio.run(library_command(settings, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
