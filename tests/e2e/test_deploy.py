"""What an operator installs from deploy/: the systemd units and the backup rotation."""

from __future__ import annotations

import asyncio
import configparser
import os
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT, env_for
from tests.e2e.test_cli import run

DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_the_service_runs_the_bot_confined_to_its_data() -> None:
    service = unit("ryhmakaveri.service")["Service"]
    assert service["ExecStart"] == "/opt/ryhmakaveri/.venv/bin/python -m bot run"
    assert service["WorkingDirectory"] == "/opt/ryhmakaveri"
    assert service["User"] == "ryhmakaveri" and service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM" and service["ProtectSystem"] == "strict"
    assert "/opt/ryhmakaveri/data" in service["ReadWritePaths"].split()
    assert service["UMask"] == "0077" and service["NoNewPrivileges"] == "yes"


def test_the_backup_timer_runs_the_rotation_script() -> None:
    service = unit("ryhmakaveri-backup.service")["Service"]
    assert service["ExecStart"].startswith("/opt/ryhmakaveri/deploy/backup-rotate ")
    assert unit("ryhmakaveri-backup.timer")["Install"]["WantedBy"] == "timers.target"
    assert os.access(DEPLOY / "backup-rotate", os.X_OK)


async def test_backup_rotation_keeps_the_newest(tmp_path: Path) -> None:
    env = env_for("http://127.0.0.1:9", tmp_path)
    del env["BOT_TOKEN"]  # a backup does not talk to Telegram
    code, _ = await run("migrate", env=env, cwd=tmp_path)
    assert code == 0
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in ("01", "02", "03"):
        (backups / f"ryhmakaveri-2026-11-{day}T031500.db").write_text("an older backup")
    (backups / "notes.txt").write_text("not a backup: never removed")

    process = await asyncio.create_subprocess_exec(
        DEPLOY / "backup-rotate",
        str(backups),
        cwd=tmp_path,
        env=env | {"KEEP": "2", "BOT_PYTHON": sys.executable},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()
    names = sorted(p.name for p in backups.iterdir())
    assert names[0] == "notes.txt" and names[1] == "ryhmakaveri-2026-11-03T031500.db"
    assert len(names) == 3 and names[2].startswith("ryhmakaveri-20")
    assert (backups / names[2]).stat().st_mode & 0o777 == 0o600
