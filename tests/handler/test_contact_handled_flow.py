"""A contact request marked handled shows it: the pressing leader's button changes at once,
and the other leader, pressing theirs later, is told it already was and sees it too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.handler.test_checkin_flow import checkin_message
from tests.service.world import LEADER, World, build_world

CO_LEADER = 2002


@pytest.fixture
async def world(harness: Harness) -> World:
    world = await build_world(harness.services)
    services = harness.services
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    _, invite = await services.onboarding.new_leader_invite(coordinator, world.groups[0].id)
    await services.onboarding.join_as_leader(CO_LEADER, "fi", invite)
    return world


def _button(message: dict[str, Any], label: str) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return str(next(b["callback_data"] for row in rows for b in row if label in b["text"]))


async def _alert(h: Harness, leader: int) -> dict[str, Any]:
    await h.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.params.get("chat_id") == leader
            and "toivoo" in str(c.params.get("text"))
        )
    )
    return next(m for m in h.fake.sent_messages(leader) if "toivoo" in str(m.get("text")))


def _labels_after_edit(h: Harness, chat_id: int) -> list[str]:
    edit = [
        c for c in h.fake.calls_to("editMessageReplyMarkup") if c.params.get("chat_id") == chat_id
    ][-1]
    markup = edit.params["reply_markup"]
    rows = markup["inline_keyboard"] if isinstance(markup, dict) else markup.inline_keyboard
    return [b["text"] if isinstance(b, dict) else b.text for row in rows for b in row]


async def test_the_pressed_button_shows_handled_and_the_second_leader_sees_it_was(
    harness: Harness, world: World
) -> None:
    h = harness
    await h.services.checkins.send_now(await world.leader(), world.groups[0].id)
    h.app.bot_data["sender"].wake()
    checkin = await checkin_message(h, -100)
    contact = next(
        b["callback_data"]
        for row in checkin["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].endswith(":contact:1")
    )
    await h.press(3001, checkin, contact)
    first, second = await _alert(h, LEADER), await _alert(h, CO_LEADER)

    await h.press(LEADER, first, _button(first, "Merkitse hoidetuksi"))
    assert (
        h.fake.calls_to("answerCallbackQuery")[-1].params["text"] == "Merkitty hoidetuksi. Kiitos!"
    )
    assert _labels_after_edit(h, LEADER) == ["✅ Hoidettu"]

    await h.press(CO_LEADER, second, _button(second, "Merkitse hoidetuksi"))
    told = h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert told == "Se oli jo merkitty hoidetuksi."
    assert _labels_after_edit(h, CO_LEADER) == ["✅ Hoidettu"]
