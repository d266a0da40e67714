"""A link of group A pasted in group B's chat: refused for others, confirmed by B's own."""

from __future__ import annotations

from typing import Any

from tests.handler.conftest import Harness
from tests.handler.test_onboarding_flow import CHAT, LEADER, button, create_group, link

BOT = "@ryhmakaveri_test_bot"
OTHER_LEADER = 2002


async def lead_new_group(h: Harness, leader: int) -> dict[str, Any]:
    """A new group led by `leader`; returns the message with its links."""
    payload = await create_group(h)
    welcome = await h.say(leader, f"/start {payload}")
    await h.press(leader, welcome, button(welcome, "ln:"))
    return h.last(leader)


async def bound_group(h: Harness) -> int | None:
    group = await h.services.onboarding.group_of_chat(CHAT)
    return group.id if group else None


async def test_a_leader_of_another_group_cannot_take_over_a_chat(harness: Harness) -> None:
    h = harness
    first = await lead_new_group(h, LEADER)
    await h.feed(
        h.fake.group_message(CHAT, LEADER, f"/start{BOT} {link(first['text'], 'startgroup')}")
    )
    owner = await bound_group(h)
    second = await lead_new_group(h, OTHER_LEADER)
    told_before = len(h.fake.sent_messages(LEADER))
    payload = link(second["text"], "startgroup")
    await h.feed(h.fake.group_message(CHAT, OTHER_LEADER, f"/start{BOT} {payload}"))
    assert "Vain sen ryhmän ohjaajat" in h.last(CHAT)["text"]
    assert await bound_group(h) == owner  # still the first group's chat
    assert len(h.fake.sent_messages(LEADER)) == told_before + 1  # its leader is told
    assert "yritti siirtää keskustelun" in h.last(LEADER)["text"]
    assert "yritti siirtää keskustelun" in h.last(OTHER_LEADER)["text"]


async def test_its_own_leader_moves_it_after_a_confirmation(harness: Harness) -> None:
    h = harness
    first = await lead_new_group(h, LEADER)
    await h.feed(
        h.fake.group_message(CHAT, LEADER, f"/start{BOT} {link(first['text'], 'startgroup')}")
    )
    owner = await bound_group(h)
    second = await lead_new_group(h, LEADER)  # a wrong link pasted by accident
    await h.feed(
        h.fake.group_message(CHAT, LEADER, f"/start{BOT} {link(second['text'], 'startgroup')}")
    )
    question = h.last(CHAT)
    assert "Siirränkö" in question["text"] and await bound_group(h) == owner
    await h.press(OTHER_LEADER, question, button(question, "cm:"))  # someone else: refused
    assert await bound_group(h) == owner
    await h.press(LEADER, question, button(question, "cm:"))
    assert await bound_group(h) not in (owner, None)
    assert "Keskustelu siirtyi ryhmältä" in h.last(LEADER)["text"]


async def test_a_restricted_bot_keeps_its_bound_chat(harness: Harness) -> None:
    h = harness
    links = await lead_new_group(h, LEADER)
    await h.feed(
        h.fake.group_message(CHAT, LEADER, f"/start{BOT} {link(links['text'], 'startgroup')}")
    )
    owner = await bound_group(h)
    await h.feed(h.fake.my_chat_member(CHAT, LEADER, "member", "restricted"))
    assert await bound_group(h) == owner  # still a member: not unbound
    assert h.fake.calls_to("leaveChat") == []
