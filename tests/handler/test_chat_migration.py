"""A group chat upgraded to a supergroup: Telegram posts `migrate_to_chat_id` in the old
chat and `migrate_from_chat_id` in the new one. Either order, the binding moves, nothing
fails, and the group's messages reach the new chat."""

from __future__ import annotations

import logging

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_onboarding_flow import CHAT, LEADER, become_leader, link

SUPERGROUP = -1_000_000_000_777


@pytest.mark.parametrize("new_chat_first", [True, False])
async def test_an_upgraded_chat_keeps_its_group(
    harness: Harness, caplog: pytest.LogCaptureFixture, new_chat_first: bool
) -> None:
    h = harness
    links = await become_leader(h)
    await h.feed(h.fake.my_chat_member(CHAT, LEADER, "left", "member"))
    await h.feed(
        h.fake.group_message(
            CHAT, LEADER, f"/start@ryhmakaveri_test_bot {link(links['text'], 'startgroup')}"
        )
    )
    onboarding = h.services.onboarding
    assert await onboarding.group_of_chat(CHAT) is not None

    in_old, in_new = h.fake.migration(CHAT, SUPERGROUP, LEADER)
    with caplog.at_level(logging.INFO):
        for update in (in_new, in_old) if new_chat_first else (in_old, in_new):
            await h.feed(update)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await onboarding.group_of_chat(CHAT) is None
    group = await onboarding.group_of_chat(SUPERGROUP)
    assert group is not None and group.chat_id == SUPERGROUP

    await h.say(LEADER, "/checkin")  # the group's next message goes to the new chat
    await h.fake.wait_for(
        lambda c: c.method == "sendMessage" and c.params["chat_id"] == SUPERGROUP, timeout=30
    )
    assert not [c for c in h.fake.calls_to("sendMessage") if c.params["chat_id"] == CHAT][1:]
