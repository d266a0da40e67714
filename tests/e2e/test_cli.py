"""The operator's command line, run as the real program."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from bot.db.migrate import available
from tests.e2e.conftest import TOKEN, env_for
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
    for command in ([], ["run"], ["migrate"], ["add-coordinator"], ["check"], ["backup"]):
        code, output = await run(*command, "--help", env=env, cwd=tmp_path)
        assert code == 0 and "usage:" in output, command


async def test_check_migrate_add_coordinator_and_backup(
    server: tuple[FakeTelegram, str], tmp_path: Path
) -> None:
    fake, base = server
    env = env_for(base, tmp_path)
    code, output = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0 and f"schema {available()[-1].version}" in output

    code, output = await run("add-coordinator", "555", "--area", "Kuopio", env=env, cwd=tmp_path)
    assert code == 0 and "Kuopio" in output

    code, output = await run("check", env=env, cwd=tmp_path)
    assert code == 0, output
    assert "integrity ok" in output and "@ryhmakaveri_test_bot" in output
    assert fake.calls_to("getMe")

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
