"""Issue 12 through the real program: a photo to all of a two-group leader's groups now in
three taps; a photo and then its text sent together; the bot removed from a group's chat
told at once, warned about before sending and named in the report; taking back asked first."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import BotProcess, in_process
from tests.e2e.test_onboarding_e2e import ANSWERS
from tests.service.world import LEADER, build_world
from tests.support.fake_telegram import Call, FakeTelegram

TARGETS = [-200, -100, 3001, 3002, 3003, 3004]


async def started_with_two_groups(bot: BotProcess) -> FakeTelegram:
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()
    return bot.fake


def labels(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


async def answer_after(bot: BotProcess, mark: int) -> Call:
    """The bot's next message or edit to the leader after call number `mark`."""
    fake = bot.fake
    return await bot.reply(
        lambda c: (
            c.method in ANSWERS
            and c.params.get("chat_id") == LEADER
            and any(c is x for x in fake.calls[mark:])
        )
    )


def current(fake: FakeTelegram, call: Call) -> dict[str, Any]:
    """The message a send or an edit left behind, as it is now."""
    if call.method == "editMessageText":
        message: dict[str, Any] = fake.sent[(LEADER, call.params["message_id"])]
        return message
    return fake.sent_messages(LEADER)[-1]


async def tap(bot: BotProcess, message: dict[str, Any], label: str) -> dict[str, Any]:
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
    mark = len(bot.fake.calls)
    bot.fake.callback_query(LEADER, message, data)
    return current(bot.fake, await answer_after(bot, mark))


def copied_to(fake: FakeTelegram, method: str) -> list[int]:
    return sorted(c.params["chat_id"] for c in fake.calls_to(method) if c.status == 200)


async def test_a_photo_to_all_my_groups_now_takes_three_taps(bot: BotProcess) -> None:
    """Issue 12: five taps for "photo to all my groups now"; at most three now."""
    fake = await started_with_two_groups(bot)
    mark = len(fake.calls)
    fake.photo_message(LEADER, caption="Kuva retkeltä")
    message = current(fake, await answer_after(bot, mark))
    taps = 0
    while "Lähetän" not in message["text"]:
        label = next(x for x in ("Lähetä", "Nyt", "Seuraava") if x in labels(message))
        message = await tap(bot, message, label)
        taps += 1
        assert taps <= 3, message["text"]
    assert taps == 3, "sending the photo, then Seuraava, Nyt, Lähetä"
    await fake.wait_for(lambda c: copied_to(fake, "copyMessage") == TARGETS)
    await fake.wait_for(
        lambda c: (
            c.method == "editMessageText" and c.params.get("text") == "Lähetetty 6 keskusteluun."
        )
    )
    assert await bot.stop() == 0


async def test_a_photo_and_its_text_then_a_removed_chat_and_taking_back(bot: BotProcess) -> None:
    fake = await started_with_two_groups(bot)

    # The bot is removed from Torstairyhmä's chat: the leader hears it at once, with a link.
    mark = len(fake.calls)
    fake.my_chat_member(-200, LEADER, "member", "kicked")
    notice = current(fake, await answer_after(bot, mark))
    assert "Ryhmä Torstairyhmä: minut poistettiin ryhmän Telegram-keskustelusta." in notice["text"]
    assert "?startgroup=" in notice["reply_markup"]["inline_keyboard"][0][0]["url"]

    # A photo, then its words: asked about, not read as a time, and sent together.
    mark = len(fake.calls)
    photo = fake.photo_message(LEADER)
    prompt = current(fake, await answer_after(bot, mark))
    mark = len(fake.calls)
    text = fake.private_message(LEADER, "Tässä kuva viime kerran retkeltä…")
    question = current(fake, await answer_after(bot, mark))
    assert "Kuuluuko tämä samaan viestiin?" in question["text"]
    added = await tap(bot, question, "Lisää se samaan viestiin")
    assert "Viestissä on nyt 2 osaa." in added["text"]
    when = await tap(bot, added, "Seuraava")
    confirm = await tap(bot, when, "Nyt")
    assert "⚠️ Torstairyhmä: en ole enää ryhmän keskustelussa." in confirm["text"]
    assert "Lisää minut keskusteluun: Torstairyhmä" in labels(confirm)
    await tap(bot, confirm, "Lähetä")
    ids = [photo["message"]["message_id"], text["message"]["message_id"]]
    await fake.wait_for(lambda c: copied_to(fake, "copyMessages") == [-100, 3001, 3002, 3003, 3004])
    assert all(c.params["message_ids"] == ids for c in fake.calls_to("copyMessages"))
    report_call = await fake.wait_for(
        lambda c: c.method == "editMessageText" and "Lähetetty 5" in str(c.params.get("text"))
    )
    assert "• Torstairyhmä: en ole enää ryhmän keskustelussa." in report_call.params["text"]
    assert prompt is not None

    # Taking it back is asked first; yes deletes it everywhere it arrived.
    report = current(fake, report_call)
    question = await tap(bot, report, "Poista viesti")
    assert "Poistetaanko viesti 5 keskustelusta?" in question["text"]
    assert not fake.calls_to("deleteMessages")
    await tap(bot, question, "Kyllä, poista viesti")
    await fake.wait_for(
        lambda c: copied_to(fake, "deleteMessages") == [-100, 3001, 3002, 3003, 3004]
    )
    assert await bot.stop() == 0
