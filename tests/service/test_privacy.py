"""/forget leaves no trace of the person's id or pseudonym in the database file or its WAL."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.context import Services
from bot.domain.checkins import Mode, Reason
from bot.domain.outbox import Sent
from bot.services.privacy import Expired
from tests.service.world import build_world

PERSON = 7_123_456_789  # a realistic Telegram id: stored as a 6-byte integer


def traces(path: Path, user_id: int, pseudonym: str) -> list[str]:
    found = []
    for file in (path, path.with_name(path.name + "-wal")):
        data = file.read_bytes() if file.exists() else b""
        needles = {
            "pseudonym": pseudonym.encode(),
            "id as text": str(user_id).encode(),
            "id as SQLite stores it": struct.pack(">q", user_id)[2:],  # 6-byte big-endian
        }
        found += [f"{file.name}: {what}" for what, needle in needles.items() if needle in data]
    return found


async def test_forget_leaves_no_trace_in_the_file_or_the_wal(services: Services) -> None:
    world = await build_world(services)
    leader = await world.leader()
    for group in world.groups:  # the person follows both groups
        links = await services.onboarding.links(leader, group.id)
        await services.onboarding.consent(PERSON, "fi", links.participant)
    checkin = await services.checkins.send_now(leader, world.groups[0].id)
    await services.checkins.answer(PERSON, PERSON, checkin, "week", "2")
    await services.checkins.answer(PERSON, PERSON, checkin, "contact", "1")
    await services.action_plans.save(await services.people.access(PERSON), 8)
    for delivery in await services.outbox.claim(100):
        await services.outbox.settle(delivery, Sent((5,)))
    await services.checkins.cancel_meeting(
        leader, 1, Mode.REMOTE, Reason.WEATHER
    )  # pending ones too
    pseudonym = services.contact_log.pseudonym(PERSON)
    database = services.settings.database_path
    await services.db.checkpoint()
    assert traces(database, PERSON, pseudonym)  # the search does find them before

    results = await asyncio.gather(services.privacy.forget(PERSON), services.privacy.forget(PERSON))
    assert sorted(results) == [False, True]  # two at once: one erases, one finds nothing
    assert traces(database, PERSON, pseudonym) == []
    assert not await services.privacy.knows(PERSON)

    # The anonymous counts stay: the events are there, without the pseudonym.
    row = await services.db.fetch_one(
        "SELECT count(*) FROM contact_events WHERE kind = 'checkin_answered'"
    )
    assert row is not None and row[0] == 1
    assert (await services.people.access(3001)).participant_of  # others are untouched


async def test_forget_by_someone_unknown(services: Services) -> None:
    assert not await services.privacy.knows(424242)
    assert not await services.privacy.forget(424242)


async def test_retention_clears_ended_groups_and_keeps_counts(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    checkin = await services.checkins.send_now(await world.leader(), world.groups[0].id)
    await services.checkins.answer(3001, -100, checkin, "week", "3")
    await services.action_plans.save(await services.people.access(3001), 9)

    # The groups' last sessions are on 17.2.2027; 90 days after is 18.5.2027.
    clock.now = datetime(2027, 5, 17, 12, tzinfo=UTC)
    assert await services.privacy.expire() == Expired(0, 0, 1)  # the plan is from 2026-W48
    clock.now = datetime(2027, 5, 19, 12, tzinfo=UTC)
    # the leader in both groups, three subscribers in one and two in the other
    assert await services.privacy.expire() == Expired(2, 7, 0)
    for table in ("memberships", "checkin_answers", "action_plans"):
        row = await services.db.fetch_one(f"SELECT count(*) FROM {table}")
        assert row is not None and row[0] == 0, table
    row = await services.db.fetch_one("SELECT count(*), count(pseudonym) FROM contact_events")
    assert row is not None and row[0] > 0 and row[1] == 0  # counts stay, names go
    assert await services.privacy.expire() == Expired(0, 0, 0)  # once is enough
