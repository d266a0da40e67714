"""Issue 12, item 10: "The check-in comes before the week's tip, not after." A chat's
deliveries go in the order they were queued: the sender does not take a later one while an
earlier one to the same chat is still due or on its way."""

from __future__ import annotations

import pytest

from bot.context import Services
from bot.domain.checkins import Mode, Reason
from bot.domain.outbox import RetryAfter, Sent
from tests.service.test_checkins import first_session
from tests.service.world import World, build_world
from tests.support.clock import FakeClock


@pytest.fixture
async def world(services: Services) -> World:
    return await build_world(services)


async def kinds_claimed(services: Services) -> list[tuple[int, str]]:
    claimed = await services.outbox.claim(1000)
    keys = {}
    for delivery in claimed:
        row = await services.db.fetch_one(
            "SELECT content_key FROM broadcasts WHERE id = ?", (delivery.broadcast_id,)
        )
        assert row is not None
        keys[delivery.id] = (delivery.chat_id, str(row[0]).split(":")[0])
    for delivery in claimed:
        await services.outbox.settle(delivery, Sent((7,)))
    return sorted(keys.values())


async def test_the_checkin_goes_before_its_tip_in_every_chat(
    services: Services, world: World, clock: FakeClock
) -> None:
    leader = await world.leader()
    await services.checkins.cancel_meeting(
        leader, await first_session(world), Mode.REMOTE, Reason.WEATHER
    )
    await kinds_claimed(services)  # the notice
    clock.now = clock.now.replace(year=2027, month=1, day=13, hour=15, minute=31)
    await services.checkins.open_due()
    first = await kinds_claimed(services)
    assert first == [(-100, "checkin"), (3001, "checkin"), (3002, "checkin"), (3003, "checkin")]
    second = await kinds_claimed(services)
    assert second == [(-100, "tip"), (3001, "tip"), (3002, "tip"), (3003, "tip")]


async def test_an_earlier_one_waiting_for_a_retry_does_not_hold_the_chat_up(
    services: Services, world: World, clock: FakeClock
) -> None:
    leader = await world.leader()
    group = world.groups[0].id
    await services.checkins.send_now(leader, group)
    claimed = await services.outbox.claim(1000)
    for delivery in claimed:  # every copy has to wait a minute (Telegram's flood limit)
        await services.outbox.settle(delivery, RetryAfter(60.0))
    await services.checkins.send_now(leader, group)
    assert {d.chat_id for d in await services.outbox.claim(1000)} == {-100, 3001, 3002, 3003}
