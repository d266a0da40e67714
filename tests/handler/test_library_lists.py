"""The library's lists outgrow one message as any list does: 120 approved items, each one on
some page of a coordinator's /library and of a topic in /tips, within Telegram's limits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.db import library as library_sql
from bot.domain.library import ItemState, Part, PartKind
from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.service.world import LEADER, World, build_world
from tests.support.tg_objects import MAX_BUTTONS, MAX_TEXT, utf16_len

ITEMS = 120
TOPIC = "physical_activity"


@pytest.fixture
async def world(harness: Harness) -> World:
    world = await build_world(harness.services)
    async with harness.services.db.transaction() as tx:
        for n in range(ITEMS):
            new = library_sql.NewItem(
                area_id=None,
                author_id=None,
                author_name=None,
                topic=TOPIC,
                language="fi",
                title=f"Kävelyvinkki {n:03d} – portaat & puisto",
                parts=(Part(PartKind.PHOTO, f"photo-{n}", ""),),
                source_chat_id=None,
                source_message_ids=(),
                state=ItemState.APPROVED,
            )
            await library_sql.insert_item(tx, new, harness.services.clock())
    return world


def data(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def every_page(h: Harness, user: int, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Press 'next' from the first page until the last; each page as shown."""
    message, pages = first, [dict(first)]
    while nexts := [
        d for d in data(message) if d.startswith("pg:") and d.split(":")[2] == str(len(pages))
    ]:
        await h.press(user, message, nexts[0])
        message = h.last(user)
        pages.append(dict(message))
    for page in pages:
        assert utf16_len(str(page["text"])) <= MAX_TEXT
        assert len(data(page)) <= MAX_BUTTONS
    return pages


async def test_a_coordinator_reaches_every_approved_item(harness: Harness, world: World) -> None:
    h = harness
    pages = await every_page(h, GLOBAL_COORDINATOR, await h.say(GLOBAL_COORDINATOR, "/library"))
    assert len(pages) > 1
    retire = {d for page in pages for d in data(page) if d.startswith("lbx:")}
    assert len(retire) == ITEMS
    text = "\n".join(str(page["text"]) for page in pages)
    assert all(f"Kävelyvinkki {n:03d}" in text for n in range(ITEMS))


async def test_a_leader_reaches_every_item_of_a_topic(harness: Harness, world: World) -> None:
    h = harness
    topics = await h.say(LEADER, "/tips")
    await h.press(LEADER, topics, f"tp:{TOPIC}")
    pages = await every_page(h, LEADER, h.last(LEADER))
    assert len(pages) > 1
    assert f"pg:tips:1:{TOPIC}" in data(pages[0])  # the topic rides on the page button
    shown = {d for page in pages for d in data(page) if d.startswith("lbv:")}
    assert len(shown) == ITEMS


async def test_a_forged_page_button_changes_nothing(harness: Harness, world: World) -> None:
    h = harness
    listing = await h.say(GLOBAL_COORDINATOR, "/library")
    before = len(h.fake.sent_messages(GLOBAL_COORDINATOR))
    for forged in ("pg:library:1:x", "pg:tips:1", "pg:tips:99:" + TOPIC):
        await h.press(GLOBAL_COORDINATOR, listing, forged, forged=True)
    assert len(h.fake.sent_messages(GLOBAL_COORDINATOR)) == before
    assert h.last(GLOBAL_COORDINATOR)["text"] == listing["text"]
