import asyncio
from datetime import timedelta

import pytest

from bot.context import Services
from bot.domain.broadcast_draft import Step
from bot.domain.clock import from_db
from bot.domain.models import Access
from bot.domain.outbox import (
    BACKOFF_CAP,
    EXPIRED,
    Blocked,
    Failed,
    Migrated,
    RetryAfter,
    Sent,
    State,
    Transient,
)
from bot.domain.parsing import Invalid, Problem
from bot.services.broadcasts import Queued
from bot.services.errors import NotAllowed, Stale
from tests.service.world import LEADER, World, build_world, new_group, press_all
from tests.support.clock import FakeClock


async def queue(world: World, *presses: str, message_id: int = 7) -> Queued:
    broadcasts = world.services.broadcasts
    access = await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=message_id)
    assert view is not None
    view = await press_all(world.services, access, view, *presses)
    queued = await broadcasts.confirm(access, view.revision)
    assert queued is not None
    return queued


async def states(services: Services) -> dict[int, str]:
    rows = await services.db.fetch_all("SELECT chat_id, state FROM deliveries")
    return {r[0]: r[1] for r in rows}


@pytest.fixture
async def world(services: Services) -> World:
    return await build_world(services)


async def test_a_broadcast_is_one_delivery_per_chat_before_anything_is_sent(world: World) -> None:
    groups = [str(g.id) for g in world.groups]
    queued = await queue(world, f"g:{groups[0]}", f"g:{groups[1]}", "next", "now")
    # two group chats and four people (3003 follows both groups but gets it once)
    assert queued.targets == 6 and queued.immediate
    assert await states(world.services) == {
        -100: "pending",
        -200: "pending",
        3001: "pending",
        3002: "pending",
        3003: "pending",
        3004: "pending",
    }
    kinds = await world.services.db.fetch_all(
        "SELECT kind FROM contact_events WHERE kind = 'broadcast_queued'"
    )
    assert len(kinds) == 2


async def test_without_private_chats_only_the_group_chats(world: World) -> None:
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "private", "now")
    assert queued.targets == 1


async def test_choosing_no_group_or_a_group_one_does_not_lead(world: World) -> None:
    broadcasts = world.services.broadcasts
    access = await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=1)
    assert view is not None and view.draft.step is Step.TARGETS
    view = await broadcasts.press(access, view.revision, "all")  # all were chosen: now none
    assert not isinstance(view, Invalid) and view.draft.groups == ()
    assert await broadcasts.press(access, view.revision, "next") == Invalid(Problem.EMPTY)
    assert await broadcasts.press(access, view.revision, "g", "999") == Invalid(
        Problem.NOT_UNDERSTOOD
    )
    with pytest.raises(Stale):  # an old message's button
        await broadcasts.press(access, view.revision - 1, "next")


async def test_a_draft_confirmed_twice_is_one_broadcast(world: World) -> None:
    broadcasts = world.services.broadcasts
    access = await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=1)
    assert view is not None
    view = await press_all(world.services, access, view, f"g:{world.groups[0].id}", "next", "now")
    results = await asyncio.gather(
        broadcasts.confirm(access, view.revision),
        broadcasts.confirm(access, view.revision),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Queued) for r in results) == 1
    assert sum(isinstance(r, Stale) for r in results) == 1
    assert (await world.services.db.fetch_one("SELECT count(*) FROM broadcasts"))[0] == 1  # type: ignore[index]


async def test_only_leaders_compose(services: Services) -> None:
    with pytest.raises(NotAllowed):
        await services.broadcasts.start(Access(user_id=5), chat_id=5, message_id=1)


async def test_typed_times_and_the_past(world: World, clock: FakeClock) -> None:
    broadcasts = world.services.broadcasts
    access = await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=1)
    assert view is not None
    await broadcasts.press(access, view.revision, "g", str(world.groups[0].id))
    await broadcasts.press(access, view.revision + 1, "next")
    assert await broadcasts.typed_time(access, "eilen 9") == Invalid(Problem.NOT_UNDERSTOOD)
    assert await broadcasts.typed_time(access, "28.11.2026 9") == Invalid(Problem.IN_THE_PAST)
    moved = await broadcasts.typed_time(access, "huomenna 9.30")
    assert not isinstance(moved, Invalid) and moved.draft.at is not None
    queued = await broadcasts.confirm(access, moved.revision)
    assert queued is not None and not queued.immediate
    assert queued.first_due == moved.draft.at


async def test_the_next_meeting_is_each_groups_own(world: World) -> None:
    groups = [str(g.id) for g in world.groups]
    await queue(world, f"g:{groups[0]}", f"g:{groups[1]}", "next", "private", "meeting")
    rows = await world.services.db.fetch_all("SELECT DISTINCT due_at FROM deliveries")
    assert [r[0] for r in rows] == ["2027-01-13 15:30:00"]  # both groups meet then (17.30 local)


async def test_settling_each_outcome(world: World, clock: FakeClock) -> None:
    await queue(world, f"g:{world.groups[0].id}", f"g:{world.groups[1].id}", "next", "now")
    outbox = world.services.outbox
    claimed = {d.chat_id: d for d in await outbox.claim(10)}
    assert len(claimed) == 6 and await states(world.services) == dict.fromkeys(claimed, "sending")

    assert await outbox.settle(claimed[-100], Sent((11,))) is State.SENT
    assert await outbox.settle(claimed[3001], RetryAfter(5)) is State.PENDING
    assert await outbox.settle(claimed[3002], Transient("timed out")) is State.PENDING
    assert (
        await outbox.settle(claimed[3003], Blocked("Forbidden: bot was blocked by the user"))
        is State.BLOCKED
    )
    assert (
        await outbox.settle(claimed[3004], Failed("Bad Request: message to copy not found"))
        is State.FAILED
    )
    assert await outbox.settle(claimed[-200], Migrated(-1002000000000)) is State.PENDING

    now = await states(world.services)
    assert now == {
        -100: "sent",
        3001: "pending",
        3002: "pending",
        3003: "blocked",
        3004: "failed",
        -1002000000000: "pending",
    }
    # the migrated group keeps its new chat, and the blocked person gets nothing more
    assert (await world.services.onboarding.group_of_chat(-1002000000000)) is not None
    assert (
        await world.services.db.fetch_one(
            "SELECT sum(private_messages) FROM memberships WHERE user_id = 3003"
        )
    )[0] == 0  # type: ignore[index]

    due = {d.chat_id for d in await outbox.claim(10)}
    assert due == {-1002000000000}  # retried at once; the others wait for their time
    clock.advance(seconds=5)
    assert {d.chat_id for d in await outbox.claim(10)} == {3002}
    clock.advance(seconds=1)  # Telegram's 5 s, up to 1 s of spread, rounded up to the second
    assert {d.chat_id for d in await outbox.claim(10)} == {3001}


async def test_transient_trouble_is_retried_until_the_broadcasts_deadline(
    world: World, clock: FakeClock
) -> None:
    """Not given up after a count of tries: retried at most BACKOFF_CAP apart for the
    24 hours a leader's broadcast is worth sending, then reported as failed."""
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "private", "now")
    outbox = world.services.outbox
    deadline = clock.now + timedelta(hours=24)
    tries, state = 0, State.PENDING
    while state is State.PENDING:
        due = await outbox.next_due()
        assert due is not None and due - clock.now <= BACKOFF_CAP
        clock.now = max(clock.now, due)
        (delivery,) = await outbox.claim(10)
        assert delivery.deadline_at == deadline
        outcome = RetryAfter(30) if tries % 3 else Transient("timed out")
        state = await outbox.settle(delivery, outcome)
        tries += 1
    assert state is State.FAILED and tries > 100  # the old code gave up after 8
    assert deadline - clock.now <= BACKOFF_CAP  # tried until shortly before the deadline
    row = await world.services.db.fetch_one("SELECT error FROM deliveries")
    assert row is not None and row[0] == EXPIRED
    progress = await outbox.progress(queued.broadcast_id)
    assert progress.finished and progress.failed == 1  # what the leader's report shows


async def test_what_did_not_arrive_by_its_deadline_can_be_sent_again(
    world: World, clock: FakeClock
) -> None:
    """The leader sees until when it is tried, and can send again what did not arrive."""
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "now")
    assert queued.tried_until == clock.now + timedelta(hours=24)
    outbox, broadcasts = world.services.outbox, world.services.broadcasts
    for delivery in await outbox.claim(10):  # the chat gets it; the private copies expire
        done = Sent((1,)) if delivery.chat_id == -100 else Transient("timed out")
        if delivery.chat_id != -100:
            clock.now = delivery.deadline_at  # type: ignore[assignment]
        await outbox.settle(delivery, done)
    assert (await outbox.progress(queued.broadcast_id)).failed == 3
    stranger = Access(user_id=9)
    with pytest.raises(NotAllowed):
        await broadcasts.send_again(stranger, queued.broadcast_id)

    assert await broadcasts.send_again(await world.leader(), queued.broadcast_id) == 3
    again = await outbox.claim(10)
    assert sorted(d.chat_id for d in again) == [3001, 3002, 3003]
    assert [d.deadline_at for d in again] == [clock.now + timedelta(hours=24)] * 3
    assert [d.attempts for d in again] == [1, 1, 1]  # started over (a claim is a try)
    assert await broadcasts.send_again(await world.leader(), queued.broadcast_id) == 0


async def test_a_scheduled_broadcast_gets_its_whole_deadline_from_its_own_time(
    world: World, clock: FakeClock
) -> None:
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "private", "morning")
    row = await world.services.db.fetch_one("SELECT due_at, deadline_at FROM deliveries")
    assert row is not None and queued.first_due > clock.now
    assert from_db(row[1]) - from_db(row[0]) == timedelta(hours=24)


async def test_a_crash_repeats_only_what_was_in_flight(world: World) -> None:
    await queue(world, f"g:{world.groups[0].id}", f"g:{world.groups[1].id}", "next", "now")
    outbox = world.services.outbox
    first = await outbox.claim(2)
    for delivery in first[:1]:
        await outbox.settle(delivery, Sent((1,)))
    assert await outbox.recover() == 1  # the one claimed but not settled
    again = await outbox.claim(10)
    assert first[0].id not in {d.id for d in again} and len(again) == 5


async def test_scheduled_sends_late_within_grace_else_missed(
    world: World, clock: FakeClock
) -> None:
    first = await queue(world, f"g:{world.groups[0].id}", "next", "private", "morning")
    second = await queue(world, f"g:{world.groups[1].id}", "next", "private", "evening")
    outbox = world.services.outbox
    clock.now = first.first_due + timedelta(minutes=30)  # evening long missed, morning just now
    missed = await outbox.mark_missed(timedelta(minutes=60))
    assert missed == [second.broadcast_id]
    assert [d.broadcast_id for d in await outbox.claim(10)] == [first.broadcast_id]


async def test_cancel_and_take_back_belong_to_the_leader(world: World) -> None:
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "morning")
    broadcasts, stranger = world.services.broadcasts, Access(user_id=9)
    with pytest.raises(NotAllowed):
        await broadcasts.cancel(stranger, queued.broadcast_id)
    assert [s.broadcast_id for s in await broadcasts.scheduled(await world.leader())] == [
        queued.broadcast_id
    ]
    assert await broadcasts.cancel(await world.leader(), queued.broadcast_id) == 4
    assert set((await states(world.services)).values()) == {"cancelled"}
    assert await broadcasts.scheduled(await world.leader()) == []


async def test_take_back_deletes_through_the_outbox(world: World) -> None:
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "private", "now")
    outbox, broadcasts = world.services.outbox, world.services.broadcasts
    (delivery,) = await outbox.claim(10)
    await outbox.settle(delivery, Sent((41,)))
    with pytest.raises(NotAllowed):
        await broadcasts.take_back(Access(user_id=9), queued.broadcast_id)
    assert await broadcasts.take_back(await world.leader(), queued.broadcast_id) == 1
    (retraction,) = await outbox.claim(10)
    assert retraction.state is State.RETRACTING and retraction.message_ids == (41,)
    assert await outbox.claim(10) == []  # leased while its delete is in flight
    assert await outbox.settle(retraction, Sent((41,))) is State.RETRACTED
    assert (await outbox.progress(queued.broadcast_id)).retracted == 1


async def test_a_delete_telegram_refuses_leaves_it_sent(world: World) -> None:
    queued = await queue(world, f"g:{world.groups[0].id}", "next", "private", "now")
    outbox = world.services.outbox
    (delivery,) = await outbox.claim(10)
    await outbox.settle(delivery, Sent((41,)))
    await world.services.broadcasts.take_back(await world.leader(), queued.broadcast_id)
    (retraction,) = await outbox.claim(10)
    assert (
        await outbox.settle(retraction, Failed("Bad Request: message can't be deleted"))
        is State.SENT
    )
    progress = await outbox.progress(queued.broadcast_id)
    assert (progress.sent, progress.retracted, progress.finished) == (1, 0, True)


async def test_a_group_without_chat_or_subscribers_has_nowhere_to_send(services: Services) -> None:
    world = await build_world(services, chats=(None, None))
    broadcasts = services.broadcasts
    access = await world.leader()
    view = await broadcasts.start(access, chat_id=LEADER, message_id=1)
    assert view is not None
    view = await press_all(
        services, access, view, f"g:{world.groups[0].id}", "next", "private", "now"
    )
    assert await broadcasts.confirm(access, view.revision) is None


async def test_a_leader_of_one_group_goes_straight_to_when(services: Services) -> None:
    group, invite = await new_group(services, "Ainoa ryhmä")
    await services.onboarding.join_as_leader(4242, "fi", invite)
    access = await services.people.access(4242)
    view = await services.broadcasts.start(access, chat_id=4242, message_id=1)
    assert view is not None and view.draft.step is Step.WHEN and view.draft.groups == (group.id,)


async def test_cancelled_or_taken_back_while_in_flight_stays_so(world: World) -> None:
    """A delivery in flight when the leader cancels is not retried later; one that arrives
    after a take-back is deleted too; the broadcast stays cancelled or taken back."""
    broadcasts, outbox = world.services.broadcasts, world.services.outbox
    leader = await world.leader()
    cancelled = await queue(world, f"g:{world.groups[0].id}", "next", "private", "now")
    (in_flight,) = await outbox.claim(10)
    await broadcasts.cancel(leader, cancelled.broadcast_id)
    assert await outbox.settle(in_flight, Transient("timed out")) is State.CANCELLED
    assert await outbox.next_due() is None  # nothing left to try later

    taken = await queue(world, f"g:{world.groups[1].id}", "next", "private", "now")
    (in_flight,) = await outbox.claim(10)
    await broadcasts.take_back(leader, taken.broadcast_id)
    assert await outbox.settle(in_flight, Sent((77,))) is State.RETRACTING
    rows = await world.services.db.fetch_all("SELECT id, state FROM broadcasts ORDER BY id")
    assert [r[1] for r in rows] == ["cancelled", "taken_back"]


async def test_a_migrated_chat_that_already_has_the_message_queued_gets_it_once(
    world: World,
) -> None:
    """A check-in topped up for the new supergroup while the old chat's copy was queued:
    the old one is dropped instead of colliding with it."""
    services = world.services
    await services.checkins.send_now(await world.leader(), world.groups[0].id)
    new_chat = -1002000000000
    async with services.db.transaction() as tx:  # the top-up's delivery to the new chat
        await tx.execute(
            "INSERT INTO deliveries (broadcast_id, group_id, chat_id, private, state, due_at,"
            " updated_at) SELECT broadcast_id, group_id, ?, 0, 'pending', due_at, updated_at"
            " FROM deliveries WHERE chat_id = -100",
            (new_chat,),
        )
    old = [d for d in await services.outbox.claim(100) if d.chat_id == -100]
    assert old
    for delivery in old:
        assert await services.outbox.settle(delivery, Migrated(new_chat)) is State.PENDING
    rows = await services.db.fetch_all(
        "SELECT chat_id, state FROM deliveries WHERE chat_id IN (-100, ?)", (new_chat,)
    )
    assert len([r for r in rows if r[0] == new_chat]) == len(old)  # one each, still to send
    assert {r[1] for r in rows if r[0] == -100} <= {"cancelled"}
