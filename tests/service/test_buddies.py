"""Phone buddies: opting in, pairing (a group of three when odd), the introduction, the weekly
question and its answers counted once a pair a week, leaving (a button, /stop, /forget) with
the other told, and leaders adjusting pairs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.context import Services
from bot.db import people as people_sql
from bot.delivery.content import Writer
from bot.domain.buddies import Answer, Standing
from bot.domain.outbox import ContentKey, ContentKind, Delivery, State
from bot.domain.weeks import week_of
from bot.services.errors import NotAllowed, Stale
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.world import LEADER, World, build_world, writer_of


async def queued(services: Services, kind: str) -> list[tuple[str, int]]:
    """(content key, chat) of the pending deliveries of a kind of buddy message."""
    rows = await services.db.fetch_all(
        "SELECT b.content_key, d.chat_id FROM deliveries d JOIN broadcasts b"
        " ON b.id = d.broadcast_id WHERE b.content_key LIKE ? AND d.state = 'pending'"
        " ORDER BY d.chat_id",
        (f"{kind}:%",),
    )
    return [(r[0], r[1]) for r in rows]


async def sent_all(services: Services) -> None:
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE deliveries SET state = 'sent' WHERE state = 'pending'")


async def paired(world: World, *people: int) -> int:
    services, group = world.services, world.groups[0]
    for person in people:
        await services.buddies.join(await services.people.access(person), group.id)
    status = await services.buddies.status(await services.people.access(people[0]))
    assert status[0].standing is Standing.PAIRED and status[0].pair_id is not None
    return status[0].pair_id


async def test_two_who_opt_in_are_paired_and_introduced_with_a_chat_link(
    services: Services,
) -> None:
    world = await build_world(services)
    group = world.groups[0]
    first = await services.people.access(3001)
    assert await services.buddies.join(first, group.id) is Standing.WAITING
    assert await queued(services, "buddywait") == [(f"buddywait:{group.id}", LEADER)]
    assert await services.buddies.join(await services.people.access(3002), group.id) is (
        Standing.PAIRED
    )
    (status,) = await services.buddies.status(first)
    assert status.others == (3002,)
    hello = f"buddyhello:{status.pair_id}"
    assert await queued(services, "buddyhello") == [(hello, 3001), (hello, 3002)]


async def test_an_odd_number_makes_a_group_of_three_when_a_leader_says_so(
    services: Services,
) -> None:
    world = await build_world(services)
    group = world.groups[0]
    pair_id = await paired(world, 3001, 3002)
    third = await services.people.access(3003)
    assert await services.buddies.join(third, group.id) is Standing.WAITING
    (view,) = [g for g in await services.buddies.overview(await world.leader()) if g.waiting]
    assert view.can_make_three
    with pytest.raises(NotAllowed):  # a participant cannot
        await services.buddies.make_three(third, group.id)
    await services.buddies.make_three(await world.leader(), group.id)
    status = next(s for s in await services.buddies.status(third) if s.group.id == group.id)
    assert status.pair_id == pair_id and set(status.others) == {3001, 3002}
    with pytest.raises(Stale):  # nobody waits alone any more
        await services.buddies.make_three(await world.leader(), group.id)


async def test_the_weekly_question_goes_once_and_a_yes_counts_the_pair_once(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    pair_id = await paired(world, 3001, 3002)
    await sent_all(services)
    assert await services.buddies.ask_due() == 0  # not before its week is up
    clock.advance(days=7, hours=3)
    assert await services.buddies.ask_due() == 1
    assert await services.buddies.ask_due() == 0  # asked once
    ask = f"buddyask:{pair_id}"
    assert await queued(services, "buddyask") == [(ask, 3001), (ask, 3002)]
    one, other = [await services.people.access(u) for u in (3001, 3002)]
    await services.buddies.answer(one, pair_id, Answer.YES)
    await services.buddies.answer(other, pair_id, Answer.YES)  # the same call
    await services.buddies.answer(one, pair_id, Answer.YES)  # a double press
    events = await services.db.fetch_all(
        "SELECT pseudonym, occurred_at FROM contact_events WHERE kind = 'buddy_call'"
    )
    assert [e[0] for e in events] == [services.contact_log.pseudonym(3001)]
    # Dated by the week's Monday (not the pair's own question day), and no identified row
    # says which pair talked: only a keyed hash does.
    assert events[0][1] == "2026-11-29 22:00:00"  # Monday 30.11. 00:00 in Helsinki
    (key,) = await services.db.fetch_all("SELECT call_key FROM buddy_calls")
    assert str(pair_id) not in key[0] and len(key[0]) == 32
    report = await services.summaries.week(
        await services.people.access(GLOBAL_COORDINATOR), week_of(clock().date())
    )
    row = next(r for r in report.groups if r.group and r.group.id == world.groups[0].id)
    assert row.now.buddy_calls == 1 and report.total.now.buddy_calls == 1
    clock.advance(days=7)  # next week, counted again
    await services.buddies.ask_due()
    await services.buddies.answer(other, pair_id, Answer.NOT_THIS_WEEK)
    await services.buddies.answer(other, pair_id, Answer.YES)
    events = await services.db.fetch_all("SELECT 1 FROM contact_events WHERE kind = 'buddy_call'")
    assert len(events) == 2


async def test_someone_outside_the_pair_or_group_is_refused(services: Services) -> None:
    world = await build_world(services)
    pair_id = await paired(world, 3001, 3002)
    stranger = await services.people.access(3004)  # in the other group only
    with pytest.raises(NotAllowed):
        await services.buddies.join(stranger, world.groups[0].id)
    with pytest.raises(Stale):
        await services.buddies.answer(stranger, pair_id, Answer.YES)
    with pytest.raises(Stale):
        await services.buddies.nudge(stranger, pair_id)
    with pytest.raises(NotAllowed):
        await services.buddies.split(stranger, pair_id)


async def test_a_nudge_goes_to_the_buddy_once_a_day(services: Services, clock: Any) -> None:
    world = await build_world(services)
    pair_id = await paired(world, 3001, 3002)
    asker = await services.people.access(3001)
    assert await services.buddies.nudge(asker, pair_id)
    assert not await services.buddies.nudge(asker, pair_id)
    assert await queued(services, "buddynudge") == [(f"buddynudge:{pair_id}", 3002)]
    clock.advance(days=1)
    assert await services.buddies.nudge(asker, pair_id)


@pytest.mark.parametrize("how", ["button", "stop answer", "stop", "forget"])
async def test_whoever_leaves_ends_the_pair_and_the_other_is_offered_a_new_buddy(
    services: Services, how: str
) -> None:
    world = await build_world(services)
    group = world.groups[0]
    pair_id = await paired(world, 3001, 3002)
    await sent_all(services)
    leaver = await services.people.access(3001)
    match how:
        case "button":
            assert await services.buddies.leave(leaver, group.id)
        case "stop answer":
            await services.buddies.answer(leaver, pair_id, Answer.STOP)
        case "stop":
            await services.onboarding.stop_private_messages(3001)
        case "forget":
            await services.privacy.forget(3001)
    assert await queued(services, "buddyleft") == [(f"buddyleft:{group.id}", 3002)]
    other = await services.people.access(3002)
    assert [s.standing for s in await services.buddies.status(other)] == [Standing.OUT]
    with pytest.raises(Stale):
        await services.buddies.answer(other, pair_id, Answer.YES)
    rows = await services.db.fetch_all("SELECT user_id FROM buddies")
    assert rows == []
    assert await services.db.fetch_all("SELECT id FROM buddy_pairs") == []
    # The other says yes to a new buddy and waits; a newcomer pairs with them.
    assert await services.buddies.join(other, group.id) is Standing.WAITING
    newcomer = await services.people.access(3003)
    assert await services.buddies.join(newcomer, group.id) is Standing.PAIRED


async def test_forget_leaves_no_buddy_row_naming_the_person(services: Services) -> None:
    world = await build_world(services)
    await paired(world, 3001, 3002)
    await services.privacy.forget(3001)
    assert not await services.privacy.knows(3001)


async def test_a_leader_splits_a_pair_and_its_members_get_others(services: Services) -> None:
    world = await build_world(services)
    group = world.groups[0]
    pair_id = await paired(world, 3001, 3002)
    await services.buddies.split(await world.leader(), pair_id)
    statuses = [
        (await services.buddies.status(await services.people.access(u)))[0].standing
        for u in (3001, 3002)
    ]
    assert statuses == [Standing.WAITING, Standing.WAITING]  # not paired again together
    await services.buddies.join(await services.people.access(3003), group.id)
    view = await services.buddies.group_overview(await world.leader(), group.id)
    assert not view.waiting
    (pair,) = view.pairs  # the newcomer between the two: a group of three
    assert set(pair.members) == {3001, 3002, 3003} and pair.id != pair_id


def writer_for(services: Services) -> Writer:
    return writer_of(services)


def delivery_to(chat_id: int, group_id: int) -> Delivery:
    return Delivery(1, 1, group_id, chat_id, True, State.SENDING, 0, datetime.now(UTC), ())


async def test_messages_are_written_in_each_readers_language_with_chat_links(
    services: Services,
) -> None:
    world = await build_world(services)
    group = world.groups[0]
    pair_id = await paired(world, 3001, 3002)
    await services.people.choose_language(3002, "sv")
    write = writer_for(services)
    hello = ContentKey.numbered(ContentKind.BUDDY_HELLO, pair_id)
    finnish = await write(hello, delivery_to(3001, group.id))
    swedish = await write(hello, delivery_to(3002, group.id))
    assert finnish and "Sinulla on nyt puhelinkaveri" in finnish.text
    assert 'href="tg://user?id=3002"' in finnish.text
    assert swedish and "Du har en telefonkompis" in swedish.text
    assert 'href="tg://user?id=3001"' in swedish.text
    ask = await write(
        ContentKey.numbered(ContentKind.BUDDY_ASK, pair_id), delivery_to(3002, group.id)
    )
    assert ask and ask.markup and "Pratade du" in ask.text
    assert await write(hello, delivery_to(3003, group.id)) is None  # not in the pair
    await services.buddies.leave(await services.people.access(3001), group.id)
    assert await write(hello, delivery_to(3002, group.id)) is None  # the pair has ended
    left = await write(
        ContentKey.numbered(ContentKind.BUDDY_LEFT, group.id), delivery_to(3002, group.id)
    )
    assert left and "Vill du ha en ny kompis" in left.text
    await services.buddies.join(await services.people.access(3002), group.id)
    # Asked again meanwhile: the offer of a new buddy is not sent any more.
    assert (
        await write(
            ContentKey.numbered(ContentKind.BUDDY_LEFT, group.id), delivery_to(3002, group.id)
        )
        is None
    )


async def test_retention_removes_the_pairs_of_an_ended_group(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    await paired(world, 3001, 3002)
    clock.advance(days=365)  # long after the last session and the retention time
    expired = await services.privacy.expire()
    assert expired.groups >= 1
    assert await services.db.fetch_all("SELECT 1 FROM buddies") == []
    assert await services.buddies.ask_due() == 0  # nothing to ask, the empty pair goes
    assert await services.db.fetch_all("SELECT 1 FROM buddy_pairs") == []
    assert await services.buddies.next_question() is None


async def test_a_buddy_who_blocked_the_bot_ends_the_pair_at_the_next_question(
    services: Services, clock: Any
) -> None:
    world = await build_world(services)
    await paired(world, 3001, 3002)
    await sent_all(services)
    async with services.db.transaction() as tx:  # as the outbox does on 'bot was blocked'
        await people_sql.stop_private_messages(tx, 3001)
    clock.advance(days=7, hours=3)
    assert await services.buddies.ask_due() == 0
    assert await queued(services, "buddyask") == []
    assert await queued(services, "buddyleft") == [(f"buddyleft:{world.groups[0].id}", 3002)]
