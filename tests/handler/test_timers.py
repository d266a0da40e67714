"""Timers that matter are rows the start-up arms again: a chat the bot was added to
without a binding is still left after a restart, a chat left early gets nothing when its
timer fires, and a planned check-in opens for whoever joined in between."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram.ext import Job

from bot.config import Settings
from bot.domain.checkins import Mode, Reason
from tests.handler.conftest import Harness, running
from tests.service.world import build_world
from tests.support.clock import FakeClock
from tests.support.fake_telegram import FakeTelegram

CHAT, STRANGER = -500, 4001


def timer(h: Harness, prefix: str) -> Job[object]:
    assert h.app.job_queue is not None
    (found,) = [j for j in h.app.job_queue.jobs() if j.name and j.name.startswith(prefix)]
    return found


def left(fake: FakeTelegram, chat_id: int) -> int:
    return sum(1 for c in fake.calls_to("leaveChat") if c.params["chat_id"] == chat_id)


def posts(fake: FakeTelegram, chat_id: int) -> int:
    return sum(1 for c in fake.calls_to("sendMessage") if c.params["chat_id"] == chat_id)


async def test_an_unbound_chat_is_left_after_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    fake = FakeTelegram()
    async with running(settings, clock, fake) as h:
        await h.feed(fake.my_chat_member(CHAT, STRANGER, "left", "member"))
    clock.advance(seconds=30)  # restarted within the time to bind the chat
    async with running(settings, clock, fake) as h:
        leave = timer(h, f"unbound:{CHAT}")
        await leave.run(h.app)  # too early: the chat may still be bound
        assert left(fake, CHAT) == 0
        clock.advance(seconds=30)
        await leave.run(h.app)
        assert left(fake, CHAT) == 1 and posts(fake, CHAT) == 1
        await leave.run(h.app)  # done once
        assert left(fake, CHAT) == 1 and posts(fake, CHAT) == 1


async def test_a_chat_bound_in_time_is_not_left(settings: Settings, clock: FakeClock) -> None:
    fake = FakeTelegram()
    async with running(settings, clock, fake) as h:
        world = await build_world(h.services, chats=(None, None))
        await h.feed(fake.my_chat_member(CHAT, STRANGER, "left", "member"))
        leader = await world.leader()
        links = await h.services.onboarding.links(leader, world.groups[0].id)
        await h.services.onboarding.bind_chat(leader.user_id, CHAT, links.chat)
    clock.advance(seconds=61)
    async with running(settings, clock, fake) as h:
        assert h.app.job_queue is not None
        assert not h.app.job_queue.get_jobs_by_name(f"unbound:{CHAT}")
        assert left(fake, CHAT) == 0


async def test_a_chat_left_early_gets_nothing_when_its_timer_fires(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    await h.feed(h.fake.my_chat_member(CHAT, STRANGER, "left", "member"))
    await h.feed(h.fake.group_message(CHAT, STRANGER, "/start@ryhmakaveri_test_bot"))  # forged
    assert left(h.fake, CHAT) == 1 and posts(h.fake, CHAT) == 1
    clock.advance(seconds=61)
    await timer(h, f"unbound:{CHAT}").run(h.app)
    assert left(h.fake, CHAT) == 1 and posts(h.fake, CHAT) == 1


async def test_a_planned_check_in_opens_after_a_restart_for_who_joined(
    settings: Settings, clock: FakeClock
) -> None:
    fake = FakeTelegram()
    async with running(settings, clock, fake) as h:
        world = await build_world(h.services)
        leader = await world.leader()
        meeting = await h.services.db.fetch_one(
            "SELECT id FROM sessions WHERE group_id = ? AND number = 1", (world.groups[0].id,)
        )
        assert meeting is not None
        await h.services.checkins.cancel_meeting(leader, meeting[0], Mode.REMOTE, Reason.OTHER)
        links = await h.services.onboarding.links(leader, world.groups[0].id)
        await h.services.onboarding.consent(3005, "fi", links.participant)
    clock.now = datetime(2027, 1, 13, 15, 29, tzinfo=UTC)  # restarted a minute before
    async with running(settings, clock, fake) as h:
        opening = timer(h, "open-checkins:2027")
        clock.advance(minutes=1)
        await opening.run(h.app)
        rows = await h.services.db.fetch_all(
            "SELECT d.chat_id FROM deliveries d JOIN checkins c ON c.broadcast_id = d.broadcast_id"
            " ORDER BY d.chat_id"
        )
        assert [r[0] for r in rows] == [-100, 3001, 3002, 3003, 3005]
