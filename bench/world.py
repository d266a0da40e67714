"""A large world for the benchmarks: one leader, many groups with chats, many subscribers,
and one broadcast to all of them, queued through the program's own services."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.app import build_services, open_database
from bot.config import Settings
from bot.context import Services
from bot.domain.clock import system_clock
from bot.domain.parsing import Invalid

TOKEN = "123456:BENCH-token"
LEADER = 2001
COORDINATOR = 1000


def env_for(base_url: str, workdir: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return keep | {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(workdir / "bench.db"),
        "PSEUDONYM_KEY": "b" * 64,
        "COORDINATOR_IDS": str(COORDINATOR),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "LOG_LEVEL": "WARNING",
    }


async def start_program(workdir: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """The real program, as an operator runs it (`python -m bot`), quietly."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def open_services(workdir: Path) -> Services:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_path=workdir / "bench.db",
        pseudonym_key="b" * 64,
        coordinator_ids=frozenset({COORDINATOR}),
    )
    db = await open_database(settings)
    return build_services(settings, db, system_clock)


async def build(workdir: Path, groups: int, subscribers_per_group: int) -> list[int]:
    """Create the world and queue one broadcast to every chat; return the target chat ids."""
    services = await open_services(workdir)
    targets = await populate(services, groups, subscribers_per_group)
    await broadcast_to_all(services, len(targets))
    await services.db.close()
    return targets


async def populate(services: Services, groups: int, subscribers_per_group: int) -> list[int]:
    """Groups with a bound chat and subscribers who take private messages; returns the chats
    (each group's chat, then its subscribers)."""
    onboarding, targets = services.onboarding, []
    coordinator = await services.people.access(COORDINATOR)
    for index in range(groups):
        await onboarding.start_draft(coordinator)
        for answer in (f"Ryhmä {index}", "Kuopio", "13.1.2027", "17.30", "6", "fi"):
            assert not isinstance(await onboarding.answer_draft(coordinator, answer), Invalid)
        view = await onboarding.current_draft(coordinator)
        assert view is not None
        created = await onboarding.confirm_draft(coordinator, view.revision)
        await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
        links = await onboarding.links(await services.people.access(LEADER), created.group.id)
        chat = -(10**6 + index)
        await onboarding.bind_chat(LEADER, chat, links.chat)
        targets.append(chat)
        for person in range(subscribers_per_group):
            user = 10_000 + index * subscribers_per_group + person
            await onboarding.consent(user, "fi", links.participant)
            targets.append(user)
    return targets


async def broadcast_to_all(services: Services, targets: int) -> None:
    leader = await services.people.access(LEADER)
    broadcasts = services.broadcasts
    compose = await broadcasts.start(leader, chat_id=LEADER, message_id=1)
    assert compose is not None
    revision = compose.revision
    for group in compose.groups:  # the usual choice is chosen already: choose the rest
        if group.id in compose.draft.groups:
            continue
        moved = await broadcasts.press(leader, revision, "g", str(group.id))
        assert not isinstance(moved, Invalid)
        revision = moved.revision
    for action in ("next", "now"):
        moved = await broadcasts.press(leader, revision, action)
        assert not isinstance(moved, Invalid)
        revision = moved.revision
    queued = await broadcasts.confirm(leader, revision)
    assert queued is not None and queued.targets == targets
