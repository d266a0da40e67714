"""The operator's command line, run as the real program."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from io import BytesIO
from pathlib import Path

import openpyxl

from bot.db.migrate import available
from tests.e2e.conftest import TOKEN, BotProcess, env_for, in_process
from tests.service.world import build_world
from tests.support.fake_telegram import FakeTelegram


async def run(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_without_a_token_one_clear_line_and_a_failure(tmp_path: Path) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    del env["BOT_TOKEN"]
    code, output = await run(env=env, cwd=tmp_path)
    assert code != 0
    assert output.strip() == "ryhmakaveri: BOT_TOKEN is missing: set it in .env (see .env.example)"


async def test_a_mistyped_setting_is_named(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nTIMEZNOE=Europe/Helsinki\n")
    env = env_for("http://127.0.0.1:9", tmp_path)
    del env["BOT_TOKEN"]
    code, output = await run("check", env=env, cwd=tmp_path)
    assert code != 0 and output.strip().startswith("ryhmakaveri: TIMEZNOE is not a known setting")


async def test_help_for_every_subcommand(tmp_path: Path) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    commands = (
        [], ["run"], ["migrate"], ["add-coordinator"], ["coordinators"], ["remove-coordinator"],
        ["check"], ["backup"], ["export"], ["library"],
    )  # fmt: skip
    for command in commands:
        code, output = await run(*command, "--help", env=env, cwd=tmp_path)
        assert code == 0 and output.startswith("usage: scripts/run"), command
    code, output = await run("export", "--help", env=env, cwd=tmp_path)
    assert "in the current folder unless --output" in " ".join(output.split())


async def test_check_migrate_add_coordinator_and_backup(
    server: tuple[FakeTelegram, str], tmp_path: Path
) -> None:
    fake, base = server
    env = env_for(base, tmp_path)
    code, output = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0 and f"schema {available()[-1].version}" in output

    code, output = await run("add-coordinator", "555", "--area", "Kuopio", env=env, cwd=tmp_path)
    assert (code, output.strip()) == (
        2,
        "ryhmakaveri: no municipality called Kuopio (known: none yet): check the spelling,"
        " or add --create-area to create it",
    )
    code, output = await run(
        "add-coordinator", "555", "--area", "Kuopio", "--create-area", env=env, cwd=tmp_path
    )
    assert code == 0 and "Kuopio" in output
    code, output = await run("add-coordinator", "556", "--area", "Kuopoi", env=env, cwd=tmp_path)
    assert code == 2 and "no municipality called Kuopoi (known: Kuopio)" in output
    code, output = await run("add-coordinator", "557", env=env, cwd=tmp_path)
    assert code == 0
    code, output = await run("coordinators", env=env, cwd=tmp_path)
    assert output.splitlines() == [
        "555: Kuopio",
        "557: all areas",
        "1000: all areas (COORDINATOR_IDS)",
    ]
    code, output = await run("remove-coordinator", "557", env=env, cwd=tmp_path)
    assert code == 0 and "no longer a coordinator" in output
    code, output = await run("remove-coordinator", "557", env=env, cwd=tmp_path)
    assert code == 2 and "is not a coordinator" in output
    code, output = await run("remove-coordinator", "1000", env=env, cwd=tmp_path)
    assert code == 2 and "remove them there, in .env" in output

    code, output = await run("check", env=env, cwd=tmp_path)
    assert code == 0, output
    assert "integrity ok" in output and "@ryhmakaveri_test_bot" in output
    assert "set MUNICIPALITY_NAME and PRIVACY_CONTACT" in output
    assert fake.calls_to("getMe")
    named = env | {"MUNICIPALITY_NAME": "Kuopion kaupunki", "PRIVACY_CONTACT": "kirjaamo@kuopio.fi"}
    code, output = await run("check", env=named, cwd=tmp_path)
    assert code == 0 and "privacy notice: Kuopion kaupunki, kirjaamo@kuopio.fi" in output

    target = tmp_path / "backup.db"
    code, output = await run("backup", str(target), env=env, cwd=tmp_path)
    assert code == 0 and "integrity ok" in output
    database = tmp_path / "data" / "bot.db"
    with sqlite3.connect(database) as original, sqlite3.connect(target) as copy:
        assert list(original.iterdump()) == list(copy.iterdump())
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    code, output = await run("backup", str(target), env=env, cwd=tmp_path)
    assert code != 0 and "exists already" in output
    assert TOKEN not in output


async def test_check_reports_a_refused_token(
    tmp_path: Path, server: tuple[FakeTelegram, str]
) -> None:
    _, base = server
    env = env_for(base, tmp_path) | {"BOT_TOKEN": "999:wrong"}
    code, output = await run("check", env=env, cwd=tmp_path)
    assert code != 0 and "token was refused" in output


async def test_export_for_the_welfare_report(bot: BotProcess) -> None:
    services = await in_process(bot)
    world = await build_world(services)  # two groups in Kuopio
    async with services.db.transaction() as tx:  # both held their six sessions in autumn 2025
        await tx.execute(
            "UPDATE sessions SET starts_at = datetime('2025-09-01 15:00', (number * 7) || ' days')"
        )
    await services.db.close()
    env, cwd = bot.env, bot.workdir

    code, output = await run("export", "--year", "2025", env=env, cwd=cwd)
    assert code == 0 and "ryhmakaveri-2025.xlsx written" in output
    book = openpyxl.load_workbook(BytesIO((cwd / "ryhmakaveri-2025.xlsx").read_bytes()))
    assert book.sheetnames == ["Hyvinvointikertomus", "Määritelmät"]
    sheet = book["Hyvinvointikertomus"].iter_rows(min_row=5, values_only=True)
    rows = {(r[0], r[1], r[2]): r[3] for r in sheet}
    assert rows[("Kuopio", "2025-Q3", "Tapaamiset paikan päällä")] == 8  # 8.9.-29.9.
    assert rows[("Kuopio", "2025-Q4", "Tapaamiset paikan päällä")] == ".."  # 4
    assert rows[("Kuopio", "2025-Q1", "Tapaamiset paikan päällä")] == ".."  # 0, or 4 = 12 - 8
    assert rows[("Kuopio", "2025", "Tapaamiset paikan päällä")] == 12
    assert rows[("Kuopio", "2025", "Toimineet ryhmät")] == ".."  # 2: too few to show
    assert rows[("Kuopio", "2025-Q1", "Toimineet ryhmät")] == 0
    assert rows[("Kuopio", "2025-Q4", "Toimineet ryhmät")] == 0  # counted when they first met
    assert len(world.groups) == 2

    code, output = await run("export", "--year", "2025", env=env, cwd=cwd)
    assert code != 0 and "exists already" in output
    code, output = await run(
        "export", "--year", "2025", "--quarter", "3", "--area", "kuopio", "--format", "csv",
        env=env, cwd=cwd,
    )  # fmt: skip
    assert code == 0
    lines = (cwd / "ryhmakaveri-2025-Q3.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "Kunta;Jakso;Mittari;Arvo;Määritelmä" and len(lines) == 1 + 7 + 1
    assert lines[-1].startswith("..;;Piilotettu;;Piilotettu yksityisyyden suojaamiseksi: luku 1–4")
    assert "Kuopio;2025-Q3;Tapaamiset paikan päällä;8;" in lines[2]
    code, output = await run("export", "--year", "2024", "--format", "csv", env=env, cwd=cwd)
    text = (cwd / "ryhmakaveri-2024.csv").read_bytes().decode("utf-8-sig")
    assert code == 0 and "Tältä jaksolta ei ole tietoja." in text
    code, output = await run(
        "export", "--year", "2025", "--area", "Kuopion", "--output", "x.xlsx", env=env, cwd=cwd
    )
    assert code == 2 and "no municipality called Kuopion" in output
    code, output = await run("export", "--year", "1999", env=env, cwd=cwd)
    assert code == 2 and "a year between 2000 and 2100" in output


def older_database(path: Path, version: int) -> None:
    """A database as an earlier version of the bot left it (its first `version` migrations)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        for migration in available()[:version]:
            db.executescript(migration.path.read_text(encoding="utf-8"))
        db.execute(f"PRAGMA user_version = {version}")


def schema_of(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


async def test_only_migrate_changes_the_schema_and_admin_commands_need_no_token(
    tmp_path: Path,
) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    del env["BOT_TOKEN"]
    database = tmp_path / "data" / "bot.db"
    older = available()[-1].version - 1
    older_database(database, older)
    (tmp_path / "backups").mkdir()

    for command in (
        ["backup", "backups/x.db"],
        ["export", "--year", "2026"],
        ["add-coordinator", "555"],
    ):
        code, output = await run(*command, env=env, cwd=tmp_path)
        assert code == 2, command
        assert output.strip() == (
            f"ryhmakaveri: the database is at schema {older} but this code needs"
            f" {older + 1}: stop the bot and run `scripts/run migrate` (or start the bot) first"
        )
        assert schema_of(database) == older
    assert not (tmp_path / "backups" / "x.db").exists()

    code, output = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0 and schema_of(database) == older + 1
    code, output = await run("add-coordinator", "555", env=env, cwd=tmp_path)
    assert code == 0, output
    code, output = await run("backup", "backups/x.db", env=env, cwd=tmp_path)
    assert code == 0 and "integrity ok" in output


async def test_check_reads_and_changes_nothing(
    tmp_path: Path, server: tuple[FakeTelegram, str]
) -> None:
    _, base = server
    env = env_for(base, tmp_path)
    database = tmp_path / "data" / "bot.db"
    code, output = await run("check", env=env, cwd=tmp_path)
    assert code == 0 and "none yet" in output
    assert not database.exists() and not database.parent.exists()

    older_database(database, 3)
    before = database.read_bytes()
    code, output = await run("check", env=env, cwd=tmp_path)
    assert code == 0 and f"schema 3/{available()[-1].version}, integrity ok" in output
    assert database.read_bytes() == before and schema_of(database) == 3


async def test_files_with_personal_data_are_the_owners_only(tmp_path: Path) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    code, _ = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0
    (tmp_path / "out").mkdir()
    code, _ = await run("backup", "out/copy.db", env=env, cwd=tmp_path)
    assert code == 0
    database = tmp_path / "data" / "bot.db"
    assert database.parent.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "out" / "copy.db").stat().st_mode & 0o777 == 0o600

    database.chmod(0o644)  # as an earlier version, or another umask, left it
    code, _ = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0 and database.stat().st_mode & 0o777 == 0o600


async def test_paths_that_cannot_be_used_are_one_line_each(tmp_path: Path) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    code, _ = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0

    code, output = await run("backup", "backups/2026-11-28.db", env=env, cwd=tmp_path)
    assert (code, output.strip()) == (
        2,
        "ryhmakaveri: the folder backups does not exist: create it first",
    )
    code, output = await run(
        "export", "--year", "2026", "--output", "no/x.xlsx", env=env, cwd=tmp_path
    )
    assert (code, output.strip()) == (
        2,
        "ryhmakaveri: the folder no does not exist: create it first",
    )

    (tmp_path / "blocked").write_text("a file where the data folder should be")
    env["DATABASE_PATH"] = str(tmp_path / "blocked" / "data" / "bot.db")
    code, output = await run("migrate", env=env, cwd=tmp_path)
    assert code == 2 and len(output.strip().splitlines()) == 1
    assert output.startswith(
        f"ryhmakaveri: cannot create the data folder {tmp_path / 'blocked' / 'data'}"
    )


async def test_a_refused_token_at_start_is_one_line_without_the_token(
    tmp_path: Path, server: tuple[FakeTelegram, str]
) -> None:
    _, base = server
    wrong = "999:wrong-token-that-must-not-show"
    env = env_for(base, tmp_path) | {"BOT_TOKEN": wrong}
    code, output = await run(env=env, cwd=tmp_path)
    assert code == 2
    assert output.strip().splitlines()[-1] == (
        "ryhmakaveri: Telegram refused BOT_TOKEN: copy the token again from @BotFather"
    )
    assert "wrong-token" not in output
