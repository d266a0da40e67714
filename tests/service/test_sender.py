"""The sender drains the outbox into real Bot API calls (on the fake request layer)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from telegram.error import TimedOut
from telegram.ext import ExtBot

from bot.db import library as library_sql
from bot.db.library import NewItem
from bot.delivery.limits import TelegramLimits
from bot.delivery.sender import Sender
from bot.domain.clock import to_db
from bot.domain.library import ItemState, Part, PartKind
from bot.domain.outbox import Delivery, State
from tests.conftest import TOKEN
from tests.service.test_broadcasts import queue
from tests.service.world import LEADER, World, build_world, press_all, writer_of
from tests.support.clock import FakeClock
from tests.support.fake_request import FakeRequest
from tests.support.fake_telegram import FakeTelegram


class Drained:
    def __init__(self) -> None:
        self.settled: list[tuple[Delivery, State]] = []
        self.event = asyncio.Event()
        self.expected = 0
        self.changed = asyncio.Event()  # set on every settled delivery

    async def __call__(self, delivery: Delivery, state: State) -> None:
        self.settled.append((delivery, state))
        self.changed.set()
        if len([s for _, s in self.settled if s is not State.PENDING]) >= self.expected:
            self.event.set()

    async def until(self, count: int) -> None:
        """Until `count` deliveries have been settled (any outcome)."""
        while len(self.settled) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 20)


@pytest.fixture
async def bot() -> AsyncIterator[tuple[ExtBot[Any], FakeTelegram]]:
    fake = FakeTelegram(token=TOKEN)
    extbot: ExtBot[Any] = ExtBot(TOKEN, request=FakeRequest(fake), rate_limiter=TelegramLimits())
    async with extbot:
        yield extbot, fake
    assert fake.violations == []


def sender_for(services: Any, bot: ExtBot[Any], drained: Drained) -> Sender:
    writer = writer_of(services)
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


async def test_a_library_album_goes_again_as_one_album_by_file_ids(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    bold = ({"type": "bold", "offset": 0, "length": 3},)
    photos = [fake.photo_message(LEADER, media_group_id="a2")["message"] for _ in range(2)]
    parts = [Part(PartKind.PHOTO, m["photo"][-1]["file_id"], "") for m in photos]
    parts[0] = Part(PartKind.PHOTO, parts[0].file_id, "Retki <3 & kävely", bold)
    async with services.db.transaction() as tx:
        item_id = await library_sql.insert_item(
            tx,
            NewItem(
                None,
                None,
                None,
                "physical_activity",
                "fi",
                None,
                parts,
                None,
                (),
                ItemState.APPROVED,
            ),
            services.clock(),
        )
    broadcasts, access = services.broadcasts, await world.leader()
    view = await broadcasts.start(access, item_id=item_id)
    assert view is not None
    view = await press_all(
        services, access, view, f"g:{world.groups[0].id}", "next", "private", "now"
    )
    await broadcasts.confirm(access, view.revision)
    await drain(world, extbot, 1)
    (call,) = fake.calls_to("sendMediaGroup")
    assert call.params["chat_id"] == -100
    assert [m["media"] for m in call.params["media"]] == [p.file_id for p in parts]
    first = call.params["media"][0]
    assert first["caption"] == "Retki <3 & kävely" and first["caption_entities"] == list(bold)
    assert "parse_mode" not in first and fake.uploaded_bytes == 0
    assert not fake.calls_to("copyMessages") and not fake.calls_to("sendPhoto")


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
    # A copy's "blocked by the user" may be the leader's (the source) as well: it fails
    # but unsubscribes no one; what the bot writes itself (a check-in, a tip) does.
    assert result[-100] == "blocked" and result[3001] == "failed"
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
    await drained.until(1)  # the 429
    assert [s for _, s in drained.settled] == [State.PENDING]
    assert [c.status for c in fake.calls_to("copyMessage")] == [429]
    due = await services.outbox.next_due()
    assert due is not None and 3 <= (due - clock.now).total_seconds() <= 4  # not sooner
    clock.advance(seconds=4)
    sender.wake()
    await asyncio.wait_for(drained.event.wait(), 10)
    await sender.stop()
    assert [c.status for c in fake.calls_to("copyMessage")] == [429, 200]
    assert (await services.outbox.progress(queued.broadcast_id)).sent == 1


async def test_a_result_that_could_not_be_written_is_written_again(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed write must not leave the delivery `sending` until a restart (which would
    send it twice): the sender writes the outcome again."""
    extbot, fake = bot
    world = await build_world(services)
    source = fake.private_message(LEADER, "Tervehdys")["message"]
    await queue(
        world, f"g:{world.groups[0].id}", "next", "private", "now", message_id=source["message_id"]
    )
    outbox, write = services.outbox, services.outbox.settle
    failures = [sqlite3.OperationalError("disk I/O error")] * 2

    async def flaky_settle(delivery: Delivery, outcome: Any) -> State:
        if failures:
            raise failures.pop()
        state: State = await write(delivery, outcome)
        return state

    monkeypatch.setattr(outbox, "settle", flaky_settle)
    await drain(world, extbot, 1)
    row = await services.db.fetch_one("SELECT state, message_ids FROM deliveries")
    assert row is not None and row[0] == "sent" and row[1]
    assert len(fake.calls_to("copyMessage")) == 1  # recorded, so not sent again


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
        "Yhteydenpitoluvut, viikko 48/2026" in call.params["text"]
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
    await drained.until(1)  # the text and the chart are out, the spreadsheet got a 429
    assert [s for _, s in drained.settled] == [State.PENDING]
    clock.advance(seconds=3)  # retry_after 2 and up to a second of jitter
    sender.wake()
    await asyncio.wait_for(drained.event.wait(), 20)
    await sender.stop()
    assert len(fake.calls_to("sendMessage")) == len(fake.calls_to("sendPhoto")) == 1
    assert [c.status for c in fake.calls_to("sendDocument")] == [429, 200, 200]
    row = await services.db.fetch_one("SELECT message_ids FROM deliveries WHERE chat_id = 1000")
    assert row is not None and len(json.loads(row[0])) == 4


class Outage(FakeRequest):
    """Telegram unreachable until `until` on the fake clock: timeouts, 502s from a proxy
    and 429s in turn. None of them reaches the fake Telegram, so nothing arrives."""

    def __init__(self, fake: FakeTelegram, clock: FakeClock, until: datetime) -> None:
        super().__init__(fake)
        self.clock, self.until, self.refused = clock, until, 0

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        if self.clock() >= self.until or url.endswith("/getMe"):
            return await super().do_request(url, method, *args, **kwargs)
        self.refused += 1
        if self.refused % 3 == 0:
            raise TimedOut("the request timed out")
        if self.refused % 3 == 1:
            return 502, b"<html><body>502 Bad Gateway</body></html>"
        body = {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 20",
            "parameters": {"retry_after": 20},
        }
        return 429, json.dumps(body).encode()


async def test_a_half_hour_outage_loses_nothing_and_repeats_nothing(
    services: Any, clock: FakeClock
) -> None:
    """A broadcast, a check-in and the Monday summary are queued; every request fails for
    30 minutes; then every message arrives exactly once and nothing is marked failed."""
    fake = FakeTelegram(token=TOKEN)
    clock.now = clock.now.replace(day=30, hour=7)  # Monday 30.11., after 8.00 in Helsinki
    world = await build_world(services)
    source = fake.private_message(LEADER, "Hei kaikki!")["message"]
    await queue(world, f"g:{world.groups[0].id}", "next", "now", message_id=source["message_id"])
    await services.checkins.send_now(await world.leader(), world.groups[1].id)
    assert await services.summaries.queue_weekly()
    request = Outage(fake, clock, until=clock.now + timedelta(minutes=30))
    # Telegram's windows on the fake clock, so the test does not wait them out for real.
    limits = TelegramLimits(clock=lambda: clock.now.timestamp() + time.monotonic())
    extbot: ExtBot[Any] = ExtBot(TOKEN, request=request, rate_limiter=limits)
    drained = Drained()
    drained.expected = 10**9  # never: the test waits for each round instead
    async with extbot:
        sender = sender_for(services, extbot, drained)
        sender.start()
        while (due := await services.outbox.next_due()) is not None:
            clock.now = max(clock.now, due)
            settled = len(drained.settled)
            sender.wake()
            await drained.until(settled + 1)  # what fell due has been tried
            while await services.db.fetch_one(
                "SELECT 1 FROM deliveries WHERE state = 'sending'"
                " OR (state = 'pending' AND due_at <= ?)",
                (to_db(clock.now),),
            ):
                await drained.until(len(drained.settled) + 1)
        await sender.stop()
    assert request.refused > 8 * 8  # more than the old give-up count, for each delivery
    rows = await services.db.fetch_all("SELECT state, message_ids FROM deliveries")
    assert {r[0] for r in rows} == {"sent"} and len(rows) == 8  # 4 + 3 chats, 1 coordinator
    sent = [c for c in fake.calls if c.method != "getMe"]
    assert all(c.status == 200 for c in sent)
    assert len(sent) == sum(len(json.loads(r[1])) for r in rows)  # each message once
    once = {(c.method, c.params["chat_id"], str(c.params.get("text"))[:40]) for c in sent}
    assert len(once) == len(sent) - 1  # the summary's two spreadsheets share a key
    assert fake.violations == []


async def test_a_source_that_blocked_the_bot_deactivates_no_target(
    services: Any, bot: tuple[ExtBot[Any], FakeTelegram]
) -> None:
    extbot, fake = bot
    world = await build_world(services)
    source = fake.private_message(LEADER, "Tervehdys")["message"]
    fake.block(LEADER)  # the leader blocked the bot after posting
    await queue(world, f"g:{world.groups[0].id}", "next", "now", message_id=source["message_id"])
    await drain(world, extbot, 4)
    rows = await services.db.fetch_all("SELECT DISTINCT state FROM deliveries")
    assert [r[0] for r in rows] == ["failed"]
    assert (await services.onboarding.group_of_chat(-100)) is not None  # still bound
    assert (await services.people.access(3001)).participant_of  # still subscribed
    row = await services.db.fetch_one(
        "SELECT count(*) FROM memberships WHERE private_messages = 1 AND role = 'participant'"
    )
    assert row is not None and row[0] == 5
