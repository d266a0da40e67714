"""Issue 12, item 10: a check-in as a participant meets it, through the real handlers.

A group chat's buttons are the same for everyone, so a person's own answer cannot be
marked there: it is marked on their private copy, and a group chat answers with a short
toast that says what was saved."""

from __future__ import annotations

from typing import Any

import pytest

from bot import jobs
from tests.handler.conftest import Harness
from tests.handler.test_checkin_flow import checkin_message
from tests.service.world import World, build_world
from tests.support.clock import FakeClock


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


def rows(message: dict[str, Any]) -> list[list[str]]:
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return [[b["text"] for b in row] for row in markup["inline_keyboard"]]


def data(message: dict[str, Any], label: str) -> str:
    markup = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in markup for b in row if b["text"].endswith(label))


def toast(h: Harness) -> str:
    return str(h.fake.calls_to("answerCallbackQuery")[-1].params.get("text"))


async def send_checkin(h: Harness, world: World) -> None:
    await h.services.checkins.send_now(await world.leader(), world.groups[0].id)
    h.app.bot_data["sender"].wake()


async def test_a_private_copy_marks_my_answers_one_tap_each(harness: Harness, world: World) -> None:
    h = harness
    await send_checkin(h, world)
    copy = await checkin_message(h, 3001)
    # Issue 12: "drop '0 on vastannut.' from private copies, where it never changes".
    assert "vastannut" not in copy["text"]
    assert "0 on vastannut" in (await checkin_message(h, -100))["text"]  # the group's count
    # Issue 12: "label which question a row of buttons answers".
    assert rows(copy) == [
        ["1. Millainen viikkosi on ollut? 👇"],
        ["Raskas", "Niin ja näin", "Hyvä"],
        ["2. Onnistuiko toimintasuunnitelmasi? 👇"],
        ["Kyllä", "Osittain", "Ei"],
        ["Minulla ei ollut suunnitelmaa"],
        ["Ottakaa minuun yhteyttä"],
    ]
    await h.press(3001, copy, data(copy, "1. Millainen viikkosi on ollut? 👇"))
    assert toast(h) == "Valitse vastauksesi tämän alla olevista napeista."

    # Answering: one tap per question, each marked at once on the person's own copy.
    taps = 0
    await h.press(3001, copy, data(copy, "Hyvä"))
    taps += 1
    assert toast(h) == "Tallessa: Hyvä. Voit vielä muuttaa sitä."
    copy = h.fake.sent_messages(3001)[-1]
    assert ["Raskas", "Niin ja näin", "✅ Hyvä"] in rows(copy)
    await h.press(3001, copy, data(copy, "Osittain"))
    taps += 1
    copy = h.fake.sent_messages(3001)[-1]
    assert ["Kyllä", "✅ Osittain", "Ei"] in rows(copy) and [
        "Raskas",
        "Niin ja näin",
        "✅ Hyvä",
    ] in rows(copy)
    answers = await h.services.db.fetch_all("SELECT week, plan FROM checkin_answers")
    assert [tuple(r) for r in answers] == [(3, "partly")] and taps == 2

    # Changing an answer moves the mark.
    await h.press(3001, copy, data(copy, "Raskas"))
    assert ["✅ Raskas", "Niin ja näin", "Hyvä"] in rows(h.fake.sent_messages(3001)[-1])


async def test_a_group_chat_answers_with_a_short_toast_and_keeps_its_buttons(
    harness: Harness, world: World
) -> None:
    h = harness
    await send_checkin(h, world)
    group = await checkin_message(h, -100)
    before = rows(group)
    await h.press(3002, group, data(group, "Raskas"))
    # Quoted from issue 12: the first toast was 136 characters and named /privacy.
    assert toast(h) == "Tallessa: Raskas. Voit vielä muuttaa sitä." and "/" not in toast(h)
    assert len(toast(h)) < 64
    assert not [
        c
        for c in h.fake.calls_to("editMessageText")
        if c.params.get("chat_id") == -100 and "✅" in str(c.params.get("reply_markup"))
    ]
    assert rows(h.fake.sent_messages(-100)[0]) == before  # the same buttons for everyone


async def test_in_swedish_the_questions_and_the_toast(harness: Harness, world: World) -> None:
    h = harness
    await h.services.people.choose_language(3002, "sv")
    await send_checkin(h, world)
    await h.fake.wait_for(
        lambda c: c.method == "sendMessage" and "Hur mår du" in str(c.params.get("text"))
    )
    await h.recorded()
    copy = next(m for m in h.fake.sent_messages(3002) if "Hur mår du" in m["text"])
    assert rows(copy)[0] == ["1. Hur har din vecka varit? 👇"]
    assert rows(copy)[2] == ["2. Gick din handlingsplan som tänkt? 👇"]
    await h.press(3002, copy, data(copy, "Bra"))
    assert toast(h) == "Sparat: Bra. Du kan ändra det."
    assert ["Tung", "Sådär", "✅ Bra"] in rows(h.fake.sent_messages(3002)[-1])


async def test_a_closed_checkin_loses_its_buttons_everywhere(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    await send_checkin(h, world)
    copy = await checkin_message(h, 3001)
    await checkin_message(h, -100)
    clock.advance(hours=49)
    assert h.app.job_queue is not None
    h.app.job_queue.run_once(jobs.close_checkins, 0)  # type: ignore[arg-type]
    for chat in (-100, 3001, 3002):
        await h.fake.wait_for(
            lambda c, chat=chat: (
                c.method == "editMessageText"
                and c.params.get("chat_id") == chat
                and "päättynyt" in str(c.params.get("text"))
            )
        )
    shown = next(m for m in h.fake.sent_messages(3001) if "Mitä kuuluu" in m["text"])
    assert "Tämä kuulumiskysely on päättynyt. Kiitos!" in shown["text"]
    assert rows(shown) == [] and "vastannut" not in shown["text"]
    group = next(m for m in h.fake.sent_messages(-100) if "Mitä kuuluu" in m["text"])
    assert rows(group) == [] and "0 on vastannut" in group["text"]

    # A press the closing raced (a phone still showing the old buttons) is told so.
    await h.press(3001, copy, data(copy, "Hyvä"), forged=True)
    assert "päättynyt" in toast(h)


async def test_the_checkin_comes_before_the_weeks_tip(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    session = await h.services.db.fetch_one(
        "SELECT id FROM sessions WHERE group_id = ? AND number = 1", (world.groups[0].id,)
    )
    assert session is not None
    from bot.domain.checkins import Mode, Reason

    await h.services.checkins.cancel_meeting(
        await world.leader(), session[0], Mode.REMOTE, Reason.WEATHER
    )
    clock.now = clock.now.replace(year=2027, month=1, day=13, hour=15, minute=30)
    assert await h.services.checkins.open_due()
    h.app.bot_data["sender"].wake()
    for chat in (-100, 3001):
        await h.fake.wait_for(
            lambda c, chat=chat: (
                c.method == "sendMessage"
                and c.params.get("chat_id") == chat
                and "Tee suunnitelmasta pieni" in str(c.params.get("text"))
            )
        )
        texts = [
            str(c.params.get("text"))
            for c in h.fake.calls_to("sendMessage")
            if c.params.get("chat_id") == chat
        ]
        checkin = next(i for i, t in enumerate(texts) if "Mitä kuuluu" in t)
        tip = next(i for i, t in enumerate(texts) if "Tee suunnitelmasta pieni" in t)
        assert checkin < tip, texts
