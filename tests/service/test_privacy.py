"""/forget leaves no trace of the person's id or pseudonym in the database file or its WAL."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.context import Services
from bot.db.privacy import REGISTRY, Holds
from bot.domain.checkins import Mode, Reason
from bot.domain.outbox import Sent
from bot.services.privacy import Erasure, Expired, Privacy
from tests.service.world import LEADER, SUBSCRIBERS, World, build_world, new_group, press_all

PERSON = 7_123_456_789  # a realistic Telegram id: stored as a 6-byte integer
# Telegram ids stored by SQLite as 4-, 6- and 8-byte integers.
PEOPLE = (987_654_321, 7_123_456_789, 2**50 + 123_456_789)


def sqlite_bytes(value: int) -> bytes:
    """An integer as SQLite's record format stores it: big-endian in the fewest of 1, 2, 3,
    4, 6 or 8 bytes."""
    for width in (1, 2, 3, 4, 6, 8):
        if -(2 ** (8 * width - 1)) <= value < 2 ** (8 * width - 1):
            return value.to_bytes(width, "big", signed=True)
    raise ValueError(value)


def traces(path: Path, user_id: int, pseudonym: str) -> list[str]:
    found = []
    for file in (path, path.with_name(path.name + "-wal")):
        data = file.read_bytes() if file.exists() else b""
        needles = {
            "pseudonym": pseudonym.encode(),
            "id as text": str(user_id).encode(),
            "id as SQLite stores it": sqlite_bytes(user_id),
        }
        found += [f"{file.name}: {what}" for what, needle in needles.items() if needle in data]
    return found


async def everything_about(services: Services, person: int) -> World:
    """The person is a participant of two groups (answers, a contact request, a plan, private
    deliveries) and the leader of a third (a broadcast of their own, a draft left open)."""
    world = await build_world(services)
    leader = await world.leader()
    for group in world.groups:  # the person follows both groups
        links = await services.onboarding.links(leader, group.id)
        await services.onboarding.consent(person, "fi", links.participant)
    checkin = await services.checkins.send_now(leader, world.groups[0].id)
    for delivery in await services.outbox.claim(100):
        await services.outbox.settle(delivery, Sent((5,)))
    await services.checkins.answer(person, person, checkin, "week", "2")
    await services.checkins.answer(person, person, checkin, "contact", "1")
    await services.action_plans.save(await services.people.access(person), 8)
    await services.checkins.cancel_meeting(
        leader, 1, Mode.REMOTE, Reason.WEATHER
    )  # pending ones too
    own, invite = await new_group(services, "Kolmas ryhmä")
    await services.onboarding.join_as_leader(person, "fi", invite)
    access = await services.people.access(person)
    links = await services.onboarding.links(access, own.id)
    await services.onboarding.bind_chat(person, -300, links.chat)
    started = await services.broadcasts.start(access, chat_id=person, message_id=7)
    assert started is not None  # one group only: straight to "when"
    await press_all(services, access, started, "now")
    view = await services.broadcasts.current(access)
    assert view is not None
    await services.broadcasts.confirm(access, view.revision)
    await services.broadcasts.start(access, chat_id=person, message_id=8)  # left open
    return world


@pytest.mark.parametrize("person", PEOPLE)
async def test_forget_leaves_no_trace_in_the_file_or_the_wal(
    services: Services, person: int
) -> None:
    await everything_about(services, person)
    pseudonym = services.contact_log.pseudonym(person)
    database = services.settings.database_path
    await services.db.checkpoint()
    assert traces(database, person, pseudonym)  # the search does find them before

    results = await asyncio.gather(services.privacy.forget(person), services.privacy.forget(person))
    assert sorted(results) == [Erasure.ERASED, Erasure.NOTHING]  # one erases, one finds nothing
    assert traces(database, person, pseudonym) == []
    assert not await services.privacy.knows(person)

    # The anonymous counts stay: the events are there, without the pseudonym.
    row = await services.db.fetch_one(
        "SELECT count(*) FROM contact_events WHERE kind = 'checkin_answered'"
    )
    assert row is not None and row[0] == 1
    assert (await services.people.access(3001)).participant_of  # others are untouched


async def test_a_busy_log_is_not_called_erased(services: Services, clock: Any) -> None:
    """A reader (as during a backup) holds the log: the person hears it is not finished,
    and it is finished once the reader is gone."""
    person = PEOPLE[1]
    await everything_about(services, person)
    privacy = Privacy(
        services.db, services.contact_log, clock, timedelta(days=90), services.welfare, ()
    )
    database = services.settings.database_path
    reader = sqlite3.connect(database)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM people").fetchone()  # a snapshot from before
        assert await privacy.forget(person) is Erasure.PENDING
        assert not await privacy.finish()
    finally:
        reader.close()
    assert await privacy.finish()
    assert traces(database, person, services.contact_log.pseudonym(person)) == []


async def test_a_delivery_in_flight_during_forget_logs_nothing_under_the_pseudonym(
    services: Services,
) -> None:
    person = PEOPLE[0]
    world = await build_world(services)
    links = await services.onboarding.links(await world.leader(), world.groups[0].id)
    await services.onboarding.consent(person, "fi", links.participant)
    await services.checkins.send_now(await world.leader(), world.groups[0].id)
    in_flight = [d for d in await services.outbox.claim(100) if d.chat_id == person]
    assert await services.privacy.forget(person) is Erasure.ERASED
    await services.outbox.settle(in_flight[0], Sent((9,)))  # the answer comes afterwards
    pseudonym = services.contact_log.pseudonym(person)
    row = await services.db.fetch_one(
        "SELECT count(*) FROM contact_events WHERE pseudonym = ?", (pseudonym,)
    )
    assert row is not None and row[0] == 0
    assert not await services.privacy.knows(person)


async def test_a_handled_contact_request_keeps_no_id(services: Services) -> None:
    world = await build_world(services)
    leader = await world.leader()
    checkin = await services.checkins.send_now(leader, world.groups[0].id)
    for delivery in await services.outbox.claim(100):
        await services.outbox.settle(delivery, Sent((5,)))
    asked = await services.checkins.answer(3001, 3001, checkin, "contact", "1")
    assert asked.new_contact_request is not None
    assert await services.escalations.handle(leader, asked.new_contact_request)
    row = await services.db.fetch_one("SELECT count(*) FROM contact_requests")
    assert row is not None and row[0] == 0


async def test_forget_by_someone_unknown(services: Services) -> None:
    assert not await services.privacy.knows(424242)
    assert await services.privacy.forget(424242) is Erasure.NOTHING


async def test_retention_clears_ended_groups_and_keeps_counts(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    checkin = await services.checkins.send_now(await world.leader(), world.groups[0].id)
    await services.checkins.answer(3001, -100, checkin, "week", "3")
    await services.action_plans.save(await services.people.access(3001), 9)
    leader = await world.leader()  # a post sent and another left half-made
    await services.broadcasts.start(leader, chat_id=LEADER, message_id=7)
    await press_all(
        services,
        leader,
        await services.broadcasts.current(leader),
        "g:" + str(world.groups[0].id),
        "next",
        "now",
    )  # type: ignore[arg-type]
    view = await services.broadcasts.current(leader)
    assert view is not None
    await services.broadcasts.confirm(leader, view.revision)
    await services.broadcasts.start(leader, chat_id=LEADER, message_id=8)

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
    people = {LEADER, *SUBSCRIBERS[0], *SUBSCRIBERS[1]}
    for column in REGISTRY:  # no id or pseudonym of anyone in the ended groups remains
        rows = await services.db.fetch_all(f"SELECT {column.column} FROM {column.table}")
        if column.holds is Holds.PSEUDONYM:
            assert all(r[0] is None for r in rows), column
        elif column.table != "groups":  # the group chats' ids stay with the groups
            assert not people & {r[0] for r in rows}, column
