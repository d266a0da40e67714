"""Updates handled concurrently, as the running bot does: one person's in arrival order,
different people's at the same time."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import InOrderPerPerson, keys
from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.handler.test_onboarding_flow import STRANGER, button, callback_data
from tests.service.world import LEADER, build_world
from tests.support.fake_telegram import FakeTelegram


async def test_a_double_press_acts_once(harness: Harness) -> None:
    h = harness
    await build_world(h.services)
    prompt = await h.say(LEADER, "Tervehdys")
    await press_labelled(h, LEADER, prompt, "Tiistairyhmä")
    await h.press(
        LEADER,
        h.last(LEADER),
        next(d for d in callback_data(h.last(LEADER)) if d.endswith(":next")),
    )
    await press_labelled(h, LEADER, h.last(LEADER), "Nyt")
    summary = h.last(LEADER)
    press = h.fake.callback_query(LEADER, summary, button(summary, "bcok:"))
    again = h.fake.callback_query(LEADER, summary, button(summary, "bcok:"))
    await h.arrive(press, again)
    assert (await h.services.db.fetch_one("SELECT count(*) FROM broadcasts"))[0] == 1  # type: ignore[index]
    answers = [c.params.get("text") for c in h.fake.calls_to("answerCallbackQuery")]
    assert "ei enää toimi" in str(answers[-1])  # the second press, after the first


async def test_a_press_and_a_text_of_one_person_are_handled_in_arrival_order(
    harness: Harness,
) -> None:
    h = harness
    menu = await h.say(STRANGER, "/language")
    english = h.fake.callback_query(STRANGER, menu, "lang:en")
    await h.arrive(english, h.fake.private_message(STRANGER, "/help"))
    texts = [m["text"] for m in h.fake.sent_messages(STRANGER)]
    assert "English" in texts[-2]  # the press, answered first
    assert "If your group leader" in texts[-1]  # /help, in English already


def _update(fake: FakeTelegram, user_id: int, text: str) -> Update:
    return Update.de_json(fake.private_message(user_id, text), None)


async def test_one_persons_updates_wait_for_each_other_and_two_people_overlap() -> None:
    fake, processor = FakeTelegram(), InOrderPerPerson()
    log: list[str] = []
    release = asyncio.Event()

    async def handle(name: str, wait: bool = False) -> None:
        log.append(f"{name} starts")
        if wait:
            await release.wait()
        log.append(f"{name} ends")

    arrivals = [
        (_update(fake, 1, "a"), handle("A1", wait=True)),
        (_update(fake, 1, "b"), handle("A2")),
        (_update(fake, 2, "c"), handle("B1")),
    ]
    tasks = [asyncio.create_task(processor.process_update(u, c)) for u, c in arrivals]
    for _ in range(20):  # let every task run as far as it can
        await asyncio.sleep(0)
    assert log == ["A1 starts", "B1 starts", "B1 ends"]  # B overlaps A; A2 waits for A1
    release.set()
    await asyncio.gather(*tasks)
    assert log[3:] == ["A1 ends", "A2 starts", "A2 ends"]


def test_an_update_is_ordered_by_its_person_and_its_chat() -> None:
    fake = FakeTelegram()
    group_message = Update.de_json(fake.group_message(-100, 5, "hei"), None)
    assert keys(group_message) == {"user:5", "chat:-100"}
    assert keys(object()) == frozenset()
