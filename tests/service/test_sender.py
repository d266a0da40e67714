"""The sender drains the outbox into real Bot API calls (on the fake request layer)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.ext import ExtBot

from bot.delivery.content import Writer
from bot.delivery.limits import TelegramLimits
from bot.delivery.sender import Sender
from bot.domain.outbox import Delivery, State
from tests.conftest import TOKEN
from tests.service.test_broadcasts import queue
from tests.service.world import LEADER, World, build_world, press_all
from tests.support.fake_request import FakeRequest
from tests.support.fake_telegram import FakeTelegram


class Drained:
    def __init__(self) -> None:
        self.settled: list[tuple[Delivery, State]] = []
        self.event = asyncio.Event()
        self.expected = 0

    async def __call__(self, delivery: Delivery, state: State) -> None:
        self.settled.append((delivery, state))
        if len([s for _, s in self.settled if s is not State.PENDING]) >= self.expected:
            self.event.set()


@pytest.fixture
async def bot() -> AsyncIterator[tuple[ExtBot[Any], FakeTelegram]]:
    fake = FakeTelegram(token=TOKEN)
    extbot: ExtBot[Any] = ExtBot(TOKEN, request=FakeRequest(fake), rate_limiter=TelegramLimits())
    async with extbot:
        yield extbot, fake
    assert fake.violations == []


def sender_for(services: Any, bot: ExtBot[Any], drained: Drained) -> Sender:
    writer = Writer(
        services.library,
        services.checkins,
        services.action_plans,
        services.people,
        services.summaries,
        services.zone,
    )
    return Sender(bot, services.outbox, services.clock, writer, drained)


async def drain(world: World, bot: ExtBot[Any], expected: int) -> Drained:
    drained = Drained()
    drained.expected = expected
    services = world.services
    sender = sender_for(services, bot, drained)
    sender.start()
    await asyncio.wait_for(drained.event.wait(), 20)
    await sender.stop()
    return drained


async def test_copies_to_every_chat_and_records_message_ids(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    source = fake.private_message(LEADER, "Hei kaikki, muistakaa kävellä!")["message"]
    await queue(
        world,
        f"g:{world.groups[0].id}",
        f"g:{world.groups[1].id}",
        "next",
        "now",
        message_id=source["message_id"],
    )
    await drain(world, extbot, 6)
    copies = fake.calls_to("copyMessage")
    assert sorted(c.params["chat_id"] for c in copies) == [-200, -100, 3001, 3002, 3003, 3004]
    assert all(c.params["from_chat_id"] == LEADER for c in copies)
    assert not fake.calls_to("sendMessage") and not fake.calls_to(
        "sendPhoto"
    )  # nothing re-uploaded
    rows = await services.db.fetch_all("SELECT state, message_ids FROM deliveries")
    assert {r[0] for r in rows} == {"sent"} and all(r[1] for r in rows)
    assert (await services.db.fetch_one("SELECT state FROM broadcasts"))[0] == "done"


async def test_albums_go_in_one_copy_messages_call(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    parts = [
        fake.photo_message(LEADER, media_group_id="a1")["message"]["message_id"] for _ in range(3)
    ]
    broadcasts, access = services.broadcasts, await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=parts[0], media_group_id="a1")
    for part in reversed(parts[1:]):  # parts may arrive out of order
        assert (
            await broadcasts.start(access, chat_id=LEADER, message_id=part, media_group_id="a1")
            is None
        )
    assert view is not None
    current = await broadcasts.current(access)
    assert current is not None and current.draft.message_ids == tuple(parts)
    current = await press_all(
        services, access, current, f"g:{world.groups[0].id}", "next", "private", "now"
    )
    assert current is not None
    await broadcasts.confirm(access, current.revision)
    await drain(world, extbot, 1)
    (call,) = fake.calls_to("copyMessages")
    assert call.params["message_ids"] == parts and call.params["chat_id"] == -100


async def test_errors_are_mapped_in_one_place(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    source = fake.private_message(LEADER, "Tervehdys")["message"]
    fake.kick(-100)  # removed from the first group's chat
    fake.block(3001)  # a participant blocked the bot
    fake.migrate(-200, -1002000000001)  # the second group became a supergroup
    await queue(
        world,
        f"g:{world.groups[0].id}",
        f"g:{world.groups[1].id}",
        "next",
        "now",
        message_id=source["message_id"],
    )
    await drain(world, extbot, 6)
    rows = await services.db.fetch_all("SELECT chat_id, state FROM deliveries ORDER BY chat_id")
    result = {r[0]: r[1] for r in rows}
    assert result[-1002000000001] == "sent" and -200 not in result
    assert result[-100] == "blocked" and result[3001] == "blocked"
    assert [state for chat, state in result.items() if chat > 3001] == ["sent"] * 3
    assert (await services.onboarding.group_of_chat(-100)) is None  # the removed chat is unbound
    assert (await services.onboarding.group_of_chat(-1002000000001)) is not None


async def test_retry_after_is_obeyed(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram], clock: Any
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    source = fake.private_message(LEADER, "Tervehdys")["message"]
    fake.fail_next(
        "copyMessage", 429, "Too Many Requests: retry after 3", parameters={"retry_after": 3}
    )
    queued = await queue(
        world, f"g:{world.groups[0].id}", "next", "private", "now", message_id=source["message_id"]
    )
    drained = Drained()
    drained.expected = 1
    sender = sender_for(services, extbot, drained)
    sender.start()
    await asyncio.sleep(0.3)
    assert (await services.outbox.progress(queued.broadcast_id)).open == 1  # waiting its turn
    clock.advance(seconds=3)
    sender.wake()
    await asyncio.wait_for(drained.event.wait(), 10)
    await sender.stop()
    assert len(fake.calls_to("copyMessage")) == 2
    assert (await services.outbox.progress(queued.broadcast_id)).sent == 1


async def test_tips_are_posted_as_text(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    broadcasts, access = services.broadcasts, await world.leader()
    view = await broadcasts.start(access, tip_id="fi/2-physical_activity-1")
    assert view is not None
    view = await press_all(
        services, access, view, f"g:{world.groups[0].id}", "next", "private", "now"
    )
    assert view is not None
    await broadcasts.confirm(access, view.revision)
    await drain(world, extbot, 1)
    (call,) = fake.calls_to("sendMessage")
    assert call.params["chat_id"] == -100 and "Pieni kävely riittää" in call.params["text"]


async def test_a_bad_request_fails_that_delivery_only(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    fake.fail_next("copyMessage", 400, "Bad Request: message to copy not found")
    await queue(world, f"g:{world.groups[0].id}", "next", "private", "now", message_id=999)
    await drain(world, extbot, 1)
    row = await services.db.fetch_one("SELECT state, error FROM deliveries")
    assert row is not None and tuple(row) == ("failed", "Message to copy not found")
    assert len(fake.calls_to("copyMessage")) == 1  # not retried


async def test_weekly_figures_are_written_for_each_coordinator(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram], clock: Any
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    clock.now = clock.now.replace(day=30, hour=7)  # Monday 30.11., after 8.00 in Helsinki
    assert await services.summaries.queue_weekly()
    await drain(world, extbot, 1)
    (call,) = fake.calls_to("sendMessage")
    assert call.params["chat_id"] == 1000
    assert (
        "Yhteydenpitoluvut, viikko 2026-W48" in call.params["text"]
        and "Kaikkien ryhmien luvut ovat liitteinä." in call.params["text"]
    )


async def test_a_text_with_files_goes_on_where_it_stopped(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram], clock: Any
) -> None:
    extbot, fake = bot
    await build_world(services)
    clock.now = clock.now.replace(day=30, hour=7)
    assert await services.summaries.queue_weekly()
    fake.fail_next(  # the first spreadsheet, when the text and the chart are out
        "sendDocument", 429, "Too Many Requests: retry after 2", parameters={"retry_after": 2}
    )
    drained = Drained()
    drained.expected = 1
    sender = sender_for(services, extbot, drained)
    sender.start()
    await asyncio.sleep(3)  # drawing the chart takes a moment
    assert [s for _, s in drained.settled] == [State.PENDING]
    clock.advance(seconds=2)
    sender.wake()
    await asyncio.wait_for(drained.event.wait(), 20)
    await sender.stop()
    assert len(fake.calls_to("sendMessage")) == len(fake.calls_to("sendPhoto")) == 1
    assert [c.status for c in fake.calls_to("sendDocument")] == [429, 200, 200]
    row = await services.db.fetch_one("SELECT message_ids FROM deliveries WHERE chat_id = 1000")
    assert row is not None and len(json.loads(row[0])) == 4
