"""Phone buddies through the real program: two participants ask for a buddy with /buddy,
are paired and introduced with a link that opens a chat, the weekly question comes (its
time moved while the bot is stopped, never raced), one answers "yes", and the coordinator's
/summary counts one pair that talked."""

from __future__ import annotations

import sqlite3

from bot.domain.clock import system_clock, to_db
from tests.e2e.conftest import COORDINATOR, BotProcess, in_process, settled
from tests.e2e.test_checkin_e2e import press_labelled, sent
from tests.service.world import LEADER, build_world
from tests.support.fake_telegram import FakeTelegram


async def command(bot: BotProcess, user_id: int, text: str) -> None:
    seen = len(bot.fake.calls)
    bot.fake.private_message(user_id, text)
    await bot.reply(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == user_id
            and any(c is x for x in bot.fake.calls[seen:])
        )
    )


def last_text(fake: FakeTelegram, user_id: int) -> str:
    return str(fake.sent_messages(user_id)[-1].get("text"))


def request(fake: FakeTelegram, user_id: int, words: str) -> str:
    """The text (HTML) the bot sent in its request, links and all."""
    return next(
        str(c.params["text"])
        for c in fake.calls_to("sendMessage")
        if c.params.get("chat_id") == user_id and words in str(c.params.get("text"))
    )


def question_due_now(bot: BotProcess) -> None:
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        db.execute("UPDATE buddy_pairs SET asks_at = ?", (to_db(system_clock()),))


async def test_two_buddies_paired_introduced_asked_and_counted(bot: BotProcess) -> None:
    fake = bot.fake
    services = await in_process(bot)
    await build_world(services)  # Tiistairyhmä: participants 3001, 3002, 3003 (Finnish)
    await services.db.close()
    await bot.start()
    await bot.started()

    await command(bot, 3001, "/buddy")
    await press_labelled(bot, 3001, "Kyllä, haluan kaverin")
    assert "Etsin sinulle kaverin" in last_text(fake, 3001)
    await fake.wait_for(lambda c: sent(fake, "odottaa puhelinkaveria")[LEADER] == 1)
    await command(bot, 3002, "/buddy")
    await press_labelled(bot, 3002, "Kyllä, haluan kaverin")

    hello = "Sinulla on nyt puhelinkaveri"
    await fake.wait_for(lambda c: sent(fake, hello)[3001] == 1 and sent(fake, hello)[3002] == 1)
    first, second = (request(fake, user, hello) for user in (3001, 3002))
    assert 'href="tg://user?id=3002"' in first  # a link that opens a chat
    assert 'href="tg://user?id=3001"' in second
    assert "+358" not in first

    await settled(bot)
    assert await bot.stop() == 0
    question_due_now(bot)  # a week has passed while the bot was down
    await bot.start()
    await bot.started()
    question = "Puhuitko puhelinkaverisi kanssa"
    await fake.wait_for(
        lambda c: sent(fake, question)[3001] == 1 and sent(fake, question)[3002] == 1, timeout=30
    )
    await press_labelled(bot, 3001, "Kyllä, puhuimme")
    await fake.wait_for(
        lambda c: c.method == "editMessageText" and "Ihanaa" in str(c.params.get("text"))
    )

    await command(bot, COORDINATOR, "/summary")
    figures = next(
        str(m.get("text"))
        for m in reversed(fake.sent_messages(COORDINATOR))
        if "Puhelinkaveriparit" in str(m.get("text"))
    )
    assert "Puhelinkaveriparit, jotka puhuivat: 1" in figures
    await settled(bot)
    assert sent(fake, question)[3001] == 1  # asked once, also across the restart
    assert await bot.stop() == 0
