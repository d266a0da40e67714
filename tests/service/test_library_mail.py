"""The library's staff mail goes through the outbox: the copy of an offered post and its
choices to each coordinator, and the decision to the author, are queued in the transaction
that records the offer or the decision, so a failed request or a restart loses neither."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.context import Services
from bot.domain.library import Decision, ItemState, RejectReason
from bot.domain.outbox import Audience, ContentKey, Delivery, State
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.test_library_items import AREA_COORDINATOR, offered
from tests.service.world import LEADER, World, build_world, writer_of

STAFF = sorted([GLOBAL_COORDINATOR, AREA_COORDINATOR])


@pytest.fixture
async def world(services: Services) -> World:
    world = await build_world(services)
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    return world


async def staff_mail(services: Services) -> list[tuple[int, int, str | None, str, int | None]]:
    """Every staff delivery: its id, chat, content key, audience and source chat."""
    rows = await services.db.fetch_all(
        "SELECT d.id, d.chat_id, b.content_key, b.audience, b.source_chat_id FROM deliveries d"
        " JOIN broadcasts b ON b.id = d.broadcast_id WHERE b.audience = 'staff' ORDER BY d.id"
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def to(chat_id: int) -> Delivery:
    return Delivery(1, 1, None, chat_id, True, State.SENDING, 0, datetime.now(UTC), ())


async def test_an_offer_queues_the_copy_before_its_choices_for_each_coordinator(
    world: World,
) -> None:
    item_id = await offered(world)
    mail = await staff_mail(world.services)
    for coordinator in STAFF:
        theirs = [m for m in mail if m[1] == coordinator]
        # The leader's own message first (copied from their chat), then the buttons.
        assert [(m[2], m[4]) for m in theirs] == [
            (None, LEADER),
            (str(ContentKey.library_offer(item_id)), None),
        ]
        assert theirs[0][0] < theirs[1][0]  # the order queued is the order sent
    assert {m[3] for m in mail} == {Audience.STAFF.value}


async def test_the_choices_are_written_at_send_time_in_the_readers_language(
    world: World,
) -> None:
    services = world.services
    item_id = await offered(world)
    assert await services.people.choose_language(AREA_COORDINATOR, "sv")
    writer = writer_of(services)
    note = await writer(ContentKey.library_offer(item_id), to(AREA_COORDINATOR))
    assert note is not None and note.markup is not None
    data = [b.callback_data for row in note.markup.inline_keyboard for b in row]
    assert f"lbd:{item_id}:approve" in data
    assert f"lbd:{item_id}:everywhere" not in data  # an area's coordinator: their area only
    global_note = await writer(ContentKey.library_offer(item_id), to(GLOBAL_COORDINATOR))
    assert global_note is not None and global_note.markup is not None
    assert len(global_note.markup.inline_keyboard) == len(note.markup.inline_keyboard) + 1
    assert "erbjuder" in note.text  # Swedish, as the coordinator chose


async def test_the_winning_decision_is_queued_for_the_author_once(world: World) -> None:
    services = world.services
    item_id = await offered(world)
    items, people = services.library_items, services.people
    await items.decide(
        await people.access(AREA_COORDINATOR), item_id, Decision.REJECT, RejectReason.SIMILAR
    )
    late = await items.decide(
        await people.access(GLOBAL_COORDINATOR), item_id, Decision.APPROVE, None
    )
    assert not late.won
    told = [m for m in await staff_mail(services) if m[1] == LEADER]
    assert [m[2] for m in told] == [str(ContentKey.library_decision(item_id))]
    note = await writer_of(services)(ContentKey.library_decision(item_id), to(LEADER))
    assert note is not None and "hyvin samanlaista" in note.text


async def test_a_withdrawn_or_retired_item_writes_no_decision(world: World) -> None:
    services = world.services
    item_id = await offered(world)
    coordinator = await services.people.access(AREA_COORDINATOR)
    await services.library_items.decide(coordinator, item_id, Decision.APPROVE, None)
    await services.library_items.retire(coordinator, item_id)
    item = await services.library_items.item(item_id)
    assert item is not None and item.state is ItemState.RETIRED
    writer = writer_of(services)
    assert await writer(ContentKey.library_decision(item_id), to(LEADER)) is None
    assert await writer(ContentKey.library_decision(item_id + 99), to(LEADER)) is None
    assert await writer(ContentKey.library_offer(item_id + 99), to(AREA_COORDINATOR)) is None
