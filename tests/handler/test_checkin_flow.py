"""A cancelled meeting through the real handlers and the real outbox: notice, check-in at the
meeting time, answers, a contact request, and the leaders' summary."""

from __future__ import annotations

from typing import Any

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_broadcast_flow import press_labelled
from tests.service.world import LEADER, World, build_world
from tests.support.clock import FakeClock


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


def texts_to(h: Harness, chat_id: int) -> list[str]:
    return [
        str(c.params.get("text"))
        for c in h.fake.calls_to("sendMessage")
        if c.params.get("chat_id") == chat_id
    ]


async def checkin_message(h: Harness, chat_id: int) -> dict[str, Any]:
    call = await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == chat_id
            and "Mitä kuuluu" in str(c.params.get("text"))
        )
    )
    _ = call
    await h.recorded()
    return next(m for m in h.fake.sent_messages(chat_id) if "Mitä kuuluu" in str(m.get("text")))


async def test_a_cancelled_meeting_becomes_a_checkin(
    harness: Harness, world: World, clock: FakeClock
) -> None:
    h = harness
    listing = await h.say(LEADER, "/meetings")
    assert "ke 13.1. klo 17.30" in listing["text"]
    await press_labelled(h, LEADER, listing, "Tiistairyhmä ke 13.1.")
    await press_labelled(h, LEADER, h.last(LEADER), "Kuulumiskysely tilalle")
    await press_labelled(h, LEADER, h.last(LEADER), "Sää tai matkat")
    assert "lähetän kuulumiskyselyn" in h.last(LEADER)["text"]
    await h.fake.wait_for(
        lambda c: any(
            "Emme voi tavata ke 13.1. klo 17.30. Sää tai matkat estävät tapaamisen." in t
            for t in texts_to(h, -100)
        )
    )
    await h.fake.wait_for(
        lambda c: any("Emme voi tavata" in t for t in texts_to(h, 3001))
    )  # privately too
    assert not any("Mitä kuuluu" in t for t in texts_to(h, -100))  # not before the meeting time

    # The meeting time comes: the check-in and the week's tip arrive.
    clock.now = clock.now.replace(year=2027, month=1, day=13, hour=15, minute=30)
    h.app.bot_data["sender"].wake()
    group_checkin = await checkin_message(h, -100)
    await h.fake.wait_for(lambda c: any("Tee suunnitelmasta pieni" in t for t in texts_to(h, -100)))

    # Three people answer in the group chat; one asks to be contacted.
    await h.press(
        3001, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":week:3"))
    )
    first = h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    # Issue 12: the first toast was 136 characters and named a command that cannot be
    # tapped ("Kiitos, vastauksesi on tallessa. Voit vielä muuttaa sitä. Vastaukset
    # lasketaan ilman nimiä. Lisää kerron komennolla /privacy."). Now: short, and it says
    # what was saved (in a group chat the buttons cannot show it).
    assert first == "Tallessa: Hyvä. Voit vielä muuttaa sitä."
    await h.press(
        3001, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":week:2"))
    )
    assert h.fake.calls_to("answerCallbackQuery")[-1].params["text"].startswith("Tallessa: Niin")
    await h.press(
        3002, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":plan:yes"))
    )
    await h.press(  # a chat member who has not joined the group with me
        3005, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":contact:1"))
    )
    assert "osallistujat" in h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await h.press(
        3003, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":contact:1"))
    )
    count = await h.fake.wait_for(
        lambda c: c.method == "editMessageText" and c.params.get("chat_id") == -100
    )
    assert "2 on vastannut" in count.params["text"]  # one edit for the batch of answers
    alert = await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == LEADER
            and "toivoo" in str(c.params.get("text"))
        )
    )
    assert "tg://user?id=3003" in alert.params["text"]

    # The window closes: the leaders get the summary with the open contact request.
    clock.advance(hours=48)
    assert await h.services.checkins.close_due()
    h.app.bot_data["sender"].wake()
    summary = await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == LEADER
            and "päättynyt" in str(c.params.get("text"))
        )
    )
    assert (
        "2 vastasi" in summary.params["text"]
        and "1 henkilö odottaa yhteydenottoa" in summary.params["text"]
    )
    assert "hyvä 0, niin ja näin 1, raskas 0" in summary.params["text"]

    # A press after the window closed changes nothing.
    await h.press(
        3001, group_checkin, next(d for d in _data(group_checkin) if d.endswith(":week:1"))
    )
    assert "päättynyt" in h.fake.calls_to("answerCallbackQuery")[-1].params["text"]


def _data(message: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_participants_cannot_cancel_and_forged_presses_fail(
    harness: Harness, world: World
) -> None:
    h = harness
    assert "ei ole käytössäsi" in (await h.say(3001, "/meetings"))["text"]
    listing = await h.say(LEADER, "/meetings")
    for forged in (
        "mc:999",
        "mr:1:nonsense",
        "mm:1:weather:sideways",
        "mu:x",
        "ci:1:week:2",
        "ch:5",
        "lc:1:fax",
    ):
        await h.press(3001, listing, forged, forged=True)
    row = await h.services.db.fetch_one("SELECT count(*) FROM sessions WHERE state != 'planned'")
    assert row is not None and row[0] == 0
