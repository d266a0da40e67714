"""The co-created library through the real program: a leader's short video is offered,
approved by the area's coordinator, found in /tips by another leader of the area and sent
to their group by file id (nothing uploaded), still after the original is deleted; a leader
of another area never sees it; a file id Telegram stops accepting retires the item."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.e2e.conftest import BotProcess, in_process, settled
from tests.e2e.test_broadcast_e2e import compose
from tests.service.world import LEADER, build_world, new_group
from tests.support import tg_objects as tg
from tests.support.fake_telegram import Call, FakeTelegram

AREA_COORDINATOR = 1100
NEIGHBOUR, NEIGHBOUR_CHAT = 2002, -300  # leads a group in the same area
FAR, FAR_CHAT = 2003, -400  # leads a group in another area
CAPTION = "Aamuvenyttely: viisi minuuttia joka aamu"
ENTITIES = [{"type": "bold", "offset": 0, "length": 13}]


def buttons(message: dict[str, Any]) -> list[str]:
    return sorted(tg.callback_data_of(message.get("reply_markup")))


def later_than(fake: FakeTelegram, mark: int, call: Call) -> bool:
    return any(call is later for later in fake.calls[mark:])


def with_button(fake: FakeTelegram, chat: int, prefix: str) -> tuple[dict[str, Any], str]:
    """The newest live message in the chat with a button whose data starts so."""
    for message in reversed(fake.sent_messages(chat)):
        found = [d for d in buttons(message) if d.startswith(prefix)]
        if found:
            return message, found[0]
    raise AssertionError(f"no button {prefix!r} in chat {chat}")


async def button_shown(bot: BotProcess, chat: int, prefix: str, after: int = 0) -> str:
    """Wait until a message in the chat (sent or edited after call `after`) has the button."""

    def shown(call: Call) -> bool:
        if call.params.get("chat_id") != chat or not later_than(bot.fake, after, call):
            return False
        return any(
            d.startswith(prefix) for d in tg.callback_data_of(call.params.get("reply_markup"))
        )

    await bot.reply(shown, timeout=20)
    return with_button(bot.fake, chat, prefix)[1]


async def press(bot: BotProcess, user: int, chat: int, data: str) -> int:
    """Press a button; return the call count before, to wait for what follows."""
    fake = bot.fake
    message = next(m for m in reversed(fake.sent_messages(chat)) if data in buttons(m))
    mark = len(fake.calls)
    update = fake.callback_query(user, message, data)
    query_id = update["callback_query"]["id"]
    await bot.reply(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id
    )
    return mark


async def setup(bot: BotProcess) -> None:
    services = await in_process(bot)
    await build_world(services)
    onboarding = services.onboarding
    for leader, chat, area in ((NEIGHBOUR, NEIGHBOUR_CHAT, "Kuopio"), (FAR, FAR_CHAT, "Varkaus")):
        group, invite = await new_group(services, f"Ryhmä {leader}", area=area)
        await onboarding.join_as_leader(leader, "fi", invite)
        links = await onboarding.links(await services.people.access(leader), group.id)
        await onboarding.bind_chat(leader, chat, links.chat)
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    await services.db.close()


async def send_from_tips(bot: BotProcess, leader: int, item_id: int) -> None:
    """/tips → the topic → the item (shown by file id) → send → now → confirm."""
    fake = bot.fake
    mark = len(fake.calls)
    fake.private_message(leader, "/tips")
    await button_shown(bot, leader, "tp:physical_activity", mark)
    mark = await press(bot, leader, leader, "tp:physical_activity")
    await button_shown(bot, leader, f"lbv:{item_id}", mark)
    mark = await press(bot, leader, leader, f"lbv:{item_id}")
    await button_shown(bot, leader, f"lbs:{item_id}", mark)
    await send_shown(bot, leader, item_id)


async def send_shown(bot: BotProcess, leader: int, item_id: int) -> None:
    """The item's send button (under the item shown) → now → confirm."""
    fake = bot.fake
    mark = await press(bot, leader, leader, f"lbs:{item_id}")
    for label in ("Nyt", "Lähetä"):
        await bot.reply(
            lambda c, since=mark: c.params.get("chat_id") == leader and later_than(fake, since, c)
        )
        message = fake.sent_messages(leader)[-1]
        rows = message["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
        mark = await press(bot, leader, leader, data)


def videos_to(fake: FakeTelegram, chat: int) -> list[Call]:
    return [
        c for c in fake.calls_to("sendVideo") if c.params["chat_id"] == chat and c.status == 200
    ]


def db_rows(bot: BotProcess, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        return db.execute(sql).fetchall()


async def test_a_leaders_video_becomes_a_library_item_the_area_sends_by_file_id(
    bot: BotProcess,
) -> None:
    await setup(bot)
    await bot.start()
    await bot.started()
    fake = bot.fake

    # The leader sends a short video with a formatted caption to their groups.
    video = {**tg.file_ids("video"), "width": 640, "height": 480, "duration": 30}
    seen = len(fake.calls)
    posted = fake.content_message(
        LEADER, {"video": video, "caption": CAPTION, "caption_entities": ENTITIES}
    )
    await compose(bot, seen)
    await fake.wait_for(lambda c: c.method == "copyMessage" and c.params["chat_id"] == -200)

    # One tap to offer it, the week's topic, and the leader's agreement (with their name).
    offer = await button_shown(bot, LEADER, "lbo:", seen)
    mark = await press(bot, LEADER, LEADER, offer)
    await button_shown(bot, LEADER, "lbt:", mark)
    broadcast_id = offer.split(":")[1]
    mark = await press(bot, LEADER, LEADER, f"lbt:{broadcast_id}:physical_activity")
    await button_shown(bot, LEADER, "lba:", mark)
    mark = await press(bot, LEADER, LEADER, f"lba:{broadcast_id}:physical_activity:1")

    # The area's coordinator gets a copy of the post (not uploaded again) and the choices.
    approve = await button_shown(bot, AREA_COORDINATOR, "lbd:", mark)
    preview = await bot.reply(
        lambda c: c.method.startswith("copyMessage") and c.params["chat_id"] == AREA_COORDINATOR
    )
    assert preview.params["from_chat_id"] == LEADER
    item_id = int(approve.split(":")[1])
    mark = await press(bot, AREA_COORDINATOR, AREA_COORDINATOR, f"lbd:{item_id}:approve")
    await bot.reply(
        lambda c: (
            c.method == "sendMessage"
            and c.params["chat_id"] == LEADER
            and later_than(fake, mark, c)
        )
    )
    assert db_rows(bot, f"SELECT state, author_name FROM library_items WHERE id = {item_id}") == [
        ("approved", "Testi")
    ]

    # Another leader of the area finds it under its topic and sends it: by file id.
    uploaded = fake.uploaded_bytes
    await send_from_tips(bot, NEIGHBOUR, item_id)
    first = await fake.wait_for(lambda c: bool(videos_to(fake, NEIGHBOUR_CHAT)), timeout=20)
    assert first.params["video"] == video["file_id"]
    assert first.params["caption"] == CAPTION
    assert first.params["caption_entities"] == ENTITIES
    assert "parse_mode" not in first.params
    assert fake.uploaded_bytes == uploaded  # 0 bytes: nothing downloaded or re-uploaded

    # The original is deleted from the leader's chat: the item still sends.
    fake._forget((LEADER, posted["message"]["message_id"]))
    await settled(bot)
    await send_from_tips(bot, NEIGHBOUR, item_id)
    await fake.wait_for(lambda c: len(videos_to(fake, NEIGHBOUR_CHAT)) == 2, timeout=20)
    assert fake.uploaded_bytes == uploaded

    # A leader of another area does not see it.
    mark = len(fake.calls)
    fake.private_message(FAR, "/tips")
    await button_shown(bot, FAR, "tp:physical_activity", mark)
    mark = await press(bot, FAR, FAR, "tp:physical_activity")
    await bot.reply(
        lambda c: (
            c.params.get("chat_id") == FAR
            and later_than(fake, mark, c)
            and c.method == "sendMessage"
        )
    )
    assert not [d for d in buttons(fake.sent_messages(FAR)[-1]) if d.startswith("lbv:")]

    # Library sends are counted per item, and the contact events name no one.
    await settled(bot)
    assert db_rows(bot, f"SELECT sent_count FROM library_items WHERE id = {item_id}") == [(2,)]
    assert db_rows(
        bot, "SELECT count(*), count(pseudonym) FROM contact_events WHERE kind = 'library_sent'"
    ) == [(2, 0)]

    # Telegram stops accepting the file id (the leader had the item open): the coordinators
    # are told, the item is retired.
    fake.revoke_file(video["file_id"])
    mark = len(fake.calls)
    await send_shown(bot, NEIGHBOUR, item_id)
    told = await bot.reply(
        lambda c: (
            c.method == "sendMessage"
            and c.params["chat_id"] == AREA_COORDINATOR
            and later_than(fake, mark, c)
            and "Telegram" in str(c.params["text"])
        ),
        timeout=30,
    )
    assert CAPTION[:10] in told.params["text"]
    assert db_rows(bot, f"SELECT state FROM library_items WHERE id = {item_id}") == [("retired",)]
    await settled(bot)
    mark = len(fake.calls)
    fake.private_message(NEIGHBOUR, "/tips")
    await button_shown(bot, NEIGHBOUR, "tp:physical_activity", mark)
    mark = await press(bot, NEIGHBOUR, NEIGHBOUR, "tp:physical_activity")
    await bot.reply(
        lambda c: (
            c.params.get("chat_id") == NEIGHBOUR
            and later_than(fake, mark, c)
            and c.method == "sendMessage"
        )
    )
    assert not [d for d in buttons(fake.sent_messages(NEIGHBOUR)[-1]) if d.startswith("lbv:")]
