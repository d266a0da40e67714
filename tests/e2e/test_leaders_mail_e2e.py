"""Coordinators reach their leaders, through the real program: an area's coordinator sends a
photo with /leaders to every leader of their areas (each once, however many groups they lead;
not the leaders of another area), and a leader answers in one tap: the answer is copied to
the coordinator, and nothing of either message is stored."""

from __future__ import annotations

from typing import Any

from tests.conftest import GLOBAL_COORDINATOR
from tests.e2e.conftest import BotProcess, in_process, settled
from tests.service.world import LEADER, build_world, new_group

AREA_COORDINATOR = 1500
CO_LEADER = 2002
OTHER_AREA_LEADER = 2100


async def said(bot: BotProcess, user_id: int) -> dict[str, Any]:
    """The bot's next message to that person (the update that asks for it is queued)."""
    before = len(bot.fake.sent_messages(user_id))
    await bot.fake.wait_for(lambda c: len(bot.fake.sent_messages(user_id)) > before)
    return bot.fake.sent_messages(user_id)[-1]


async def shown(bot: BotProcess, chat_id: int, words: str) -> None:
    """Wait until the bot's last message in a chat (as edited) shows these words."""
    await bot.fake.wait_for(lambda c: words in str(bot.fake.sent_messages(chat_id)[-1].get("text")))


async def press(bot: BotProcess, user_id: int, message: dict[str, Any], label: str) -> None:
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
    seen = len(bot.fake.calls)
    bot.fake.callback_query(user_id, message, data)
    await bot.reply(
        lambda c: c.method == "answerCallbackQuery" and any(c is x for x in bot.fake.calls[seen:])
    )


async def test_a_coordinators_photo_reaches_their_leaders_and_a_leader_answers(
    bot: BotProcess,
) -> None:
    fake = bot.fake
    services = await in_process(bot)
    world = await build_world(services)
    await services.people.add_coordinator(AREA_COORDINATOR, ["Kuopio"])
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    _, invite = await services.onboarding.new_leader_invite(coordinator, world.groups[1].id)
    await services.onboarding.join_as_leader(CO_LEADER, "fi", invite)
    _, elsewhere = await new_group(services, "Iisalmen ryhmä", area="Iisalmi")
    await services.onboarding.join_as_leader(OTHER_AREA_LEADER, "fi", elsewhere)
    await services.db.close()

    await bot.start()
    await bot.started()
    fake.private_message(AREA_COORDINATOR, "/leaders")
    asked = await said(bot, AREA_COORDINATOR)
    assert "Lähetä minulle viesti ohjaajille" in asked["text"]
    fake.photo_message(AREA_COORDINATOR, caption="Koulutus ensi tiistaina")
    choices = await said(bot, AREA_COORDINATOR)
    assert "Minkä ryhmien ohjaajat" in choices["text"]
    assert "Iisalmen ryhmä" not in str(choices["reply_markup"])  # another area's group
    await press(bot, AREA_COORDINATOR, choices, "Kaikki ryhmäni")
    await shown(bot, AREA_COORDINATOR, "Valittu: 2 ohjaajaa.")
    await press(bot, AREA_COORDINATOR, fake.sent_messages(AREA_COORDINATOR)[-1], "Lähetä")
    await shown(bot, AREA_COORDINATOR, "matkalla 2 ohjaajalle")

    def copies_to(chat_id: int) -> int:
        return sum(
            1
            for c in fake.calls_to("copyMessage")
            if c.status == 200 and c.params.get("chat_id") == chat_id
        )

    await fake.wait_for(lambda c: copies_to(LEADER) == 1 and copies_to(CO_LEADER) == 1)
    await settled(bot)
    assert copies_to(OTHER_AREA_LEADER) == 0 and copies_to(LEADER) == 1  # once, leading two
    notes = [
        m for m in fake.sent_messages(LEADER) if "koordinaattorin viesti" in str(m.get("text"))
    ]
    assert len(notes) == 1

    # The leader answers in one tap: their next message is copied to the coordinator.
    await press(bot, LEADER, notes[0], "Vastaa koordinaattorille")
    await shown(bot, LEADER, "Kirjoita vastauksesi")
    fake.private_message(LEADER, "Kiitos, tulen mielelläni!")
    await fake.wait_for(lambda c: copies_to(AREA_COORDINATOR) == 1)
    header = [
        c
        for c in fake.calls_to("sendMessage")
        if c.params.get("chat_id") == AREA_COORDINATOR and "Vastaus ohjaajalta" in c.params["text"]
    ]
    assert len(header) == 1 and f"tg://user?id={LEADER}" in header[0].params["text"]
    assert not any("Minne lähetän" in str(m.get("text")) for m in fake.sent_messages(LEADER))
    await shown(bot, LEADER, "Välitetty koordinaattorille")
    # The answer was not taken as a post for the leader's groups.
    assert not any("Minne lähetän" in str(m.get("text")) for m in fake.sent_messages(LEADER))

    # An album answers part by part; the message after it is an ordinary post again.
    await press(bot, LEADER, notes[0], "Vastaa koordinaattorille")
    await shown(bot, LEADER, "Kirjoita vastauksesi")
    fake.photo_message(LEADER, media_group_id="album-1")
    fake.photo_message(LEADER, media_group_id="album-1")
    await fake.wait_for(lambda c: copies_to(AREA_COORDINATOR) == 3)
    fake.private_message(LEADER, "Muistakaa kävellä!")
    await shown(bot, LEADER, "Minne lähetän")
    await settled(bot)
    prompts = [m for m in fake.sent_messages(LEADER) if "Minne lähetän" in str(m.get("text"))]
    assert len(prompts) == 1 and copies_to(AREA_COORDINATOR) == 3
    headers = [
        c
        for c in fake.calls_to("sendMessage")
        if c.params.get("chat_id") == AREA_COORDINATOR and "Vastaus ohjaajalta" in c.params["text"]
    ]
    assert len(headers) == 2
    assert await bot.stop() == 0
    stored = b"".join(path.read_bytes() for path in (bot.workdir / "data").glob("bot.db*"))
    assert b"Kiitos, tulen" not in stored and b"Koulutus ensi" not in stored
