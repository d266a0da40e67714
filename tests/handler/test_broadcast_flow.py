"""A leader's broadcast through the real handlers and the real outbox sender."""

from __future__ import annotations

from typing import Any

import pytest

from tests.handler.conftest import Harness
from tests.handler.test_onboarding_flow import button, callback_data
from tests.service.world import LEADER, World, build_world

PARTICIPANT = 3001


@pytest.fixture
async def world(harness: Harness) -> World:
    return await build_world(harness.services)


def chats_copied_to(h: Harness) -> list[int]:
    return sorted(c.params["chat_id"] for c in h.fake.calls_to("copyMessage") if c.status == 200)


def labels(message: dict[str, Any]) -> set[str]:
    return {b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row}


async def press_labelled(h: Harness, user_id: int, message: dict[str, Any], label: str) -> None:
    rows = message["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
    await h.press(user_id, message, data)


async def test_a_leader_sends_a_text_to_both_groups_now(harness: Harness, world: World) -> None:
    h = harness
    prompt = await h.say(LEADER, "Muistakaa kävellä tänään!")
    assert "Minne lähetän" in prompt["text"]
    # A first post: all the leader's groups are chosen already.
    assert {"✅ Tiistairyhmä", "✅ Torstairyhmä"} <= labels(prompt)
    await h.press(
        LEADER,
        h.last(LEADER),
        button(h.last(LEADER), "bc:")
        and next(d for d in callback_data(h.last(LEADER)) if d.endswith(":next")),
    )
    assert "Milloin lähetän" in h.last(LEADER)["text"]
    await press_labelled(h, LEADER, h.last(LEADER), "Nyt")
    summary = h.last(LEADER)
    assert "Tiistairyhmä, Torstairyhmä" in summary["text"] and "nyt" in summary["text"]
    await h.press(LEADER, summary, button(summary, "bcok:"))
    assert "Lähetän 6 keskusteluun" in h.fake.sent[(LEADER, summary["message_id"])]["text"]

    await h.fake.wait_for(lambda c: len(chats_copied_to(h)) == 6)
    assert chats_copied_to(h) == [-200, -100, 3001, 3002, 3003, 3004]
    report = await h.fake.wait_for(
        lambda c: c.method == "editMessageText" and "Lähetetty" in str(c.params.get("text"))
    )
    assert report.params["text"] == "Lähetetty 6 keskusteluun."  # no problems: nothing more
    assert button(h.fake.sent[(LEADER, summary["message_id"])], "lbo:")  # offer it: one tap

    # Take it back from every chat: asked first.
    report_message = h.fake.sent[(LEADER, summary["message_id"])]
    await h.press(LEADER, report_message, button(report_message, "bctb:"))
    question = h.last(LEADER)
    assert "Poistetaanko viesti 6 keskustelusta?" in question["text"]
    assert not h.fake.calls_to("deleteMessages")
    await h.press(LEADER, question, button(question, "bcty:"))
    await h.fake.wait_for(lambda c: len(h.fake.calls_to("deleteMessages")) == 6)
    assert sorted(c.params["chat_id"] for c in h.fake.calls_to("deleteMessages")) == [
        -200,
        -100,
        3001,
        3002,
        3003,
        3004,
    ]


async def test_confirming_twice_sends_once(harness: Harness, world: World) -> None:
    h = harness
    prompt = await h.say(LEADER, "Tervehdys")
    await press_labelled(h, LEADER, prompt, "Tiistairyhmä")
    await h.press(
        LEADER,
        h.last(LEADER),
        next(d for d in callback_data(h.last(LEADER)) if d.endswith(":next")),
    )
    await press_labelled(h, LEADER, h.last(LEADER), "Nyt")
    summary = h.last(LEADER)
    await h.press(LEADER, summary, button(summary, "bcok:"))
    await h.feed(h.fake.callback_query(LEADER, summary, button(summary, "bcok:"), forged=True))
    assert "ei enää toimi" in h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert (await h.services.db.fetch_one("SELECT count(*) FROM broadcasts"))[0] == 1  # type: ignore[index]


async def test_a_typed_time_schedules_and_it_can_be_cancelled(
    harness: Harness, world: World
) -> None:
    h = harness
    prompt = await h.say(LEADER, "Huomisen vinkki")
    await press_labelled(h, LEADER, prompt, "Tiistairyhmä")  # chosen already: now not
    await h.press(
        LEADER,
        h.last(LEADER),
        next(d for d in callback_data(h.last(LEADER)) if d.endswith(":next")),
    )
    assert "Se aika on jo mennyt" in (await h.say(LEADER, "tänään 9"))["text"]
    summary = await h.say(LEADER, "huomenna 9.30")
    assert "su 29.11. klo 9.30" in summary["text"]
    await h.press(LEADER, summary, button(summary, "bcok:"))
    report = h.fake.sent[(LEADER, summary["message_id"])]
    assert "Ajastettu su 29.11. klo 9.30, 3 keskusteluun" in report["text"]
    listing = await h.say(LEADER, "/scheduled")
    assert "su 29.11. klo 9.30" in listing["text"]
    await h.press(LEADER, listing, button(listing, "bcc:"))
    assert "Peruttu" in h.last(LEADER)["text"]
    assert "ei ole ajastettuja" in (await h.say(LEADER, "/scheduled"))["text"]
    assert not h.fake.calls_to("copyMessage")


async def test_old_buttons_and_strangers(harness: Harness, world: World) -> None:
    h = harness
    first = await h.say(LEADER, "Ensimmäinen")
    old = next(d for d in callback_data(first) if d.endswith(":g:1"))
    await h.press(LEADER, first, old)
    await h.press(LEADER, first, old, forged=True)  # an old client: the first press moved it on
    assert "ei enää toimi" in h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    second = h.last(LEADER)
    await h.press(PARTICIPANT, second, button(second, "bc:"), forged=True)
    assert "ei enää toimi" in h.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    for forged in ("bc:x:g:1", "bcok:", "bcc:abc", "bctb:1", "tv:../../etc/passwd", "ts:fi/nope"):
        await h.press(PARTICIPANT, second, forged, forged=True)
    assert (await h.services.db.fetch_one("SELECT count(*) FROM broadcasts"))[0] == 0  # type: ignore[index]


async def test_non_leaders_and_uncopyable_messages(harness: Harness, world: World) -> None:
    h = harness
    await h.feed(h.fake.photo_message(PARTICIPANT))
    # Not a post: offered to the participant's leaders (issue 12; test_participant_messages).
    assert "ohjaajille?" in h.last(PARTICIPANT)["text"]
    quiz = {
        "poll": {
            "id": "p1",
            "question": "?",
            "options": [
                {"persistent_id": "a", "text": "a", "voter_count": 0},
                {"persistent_id": "b", "text": "b", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "quiz",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    }
    await h.feed(h.fake.content_message(LEADER, quiz))
    assert "Telegram ei anna" in h.last(LEADER)["text"]
    assert await h.services.db.fetch_one("SELECT 1 FROM dialogs WHERE kind = 'broadcast'") is None


async def test_a_tip_from_the_library(harness: Harness, world: World) -> None:
    h = harness
    topics = await h.say(LEADER, "/tips")
    await h.press(LEADER, topics, "tp:physical_activity")
    tips = h.last(LEADER)
    await h.press(LEADER, tips, button(tips, "tv:"))
    preview = h.last(LEADER)
    assert "Pieni kävely riittää" in preview["text"]
    await h.press(LEADER, preview, button(preview, "ts:"))
    assert "Minne lähetän" in h.last(LEADER)["text"]
