"""getUpdates read without the keyboard of a pressed message (less CPU per press), and
nothing else changed."""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot, Update

from bot.app import build_application
from bot.config import Settings
from bot.updates import LeanUpdatesRequest

KEYBOARD = {"inline_keyboard": [[{"text": "Hyvin", "callback_data": "ci:1:week:3"}]]}
USER = {"id": 10, "is_bot": False, "first_name": "Testi"}
CHAT = {"id": 10, "type": "private"}


def payload(*updates: dict[str, Any]) -> bytes:
    return json.dumps({"ok": True, "result": list(updates)}).encode()


def press() -> dict[str, Any]:
    message = {"message_id": 5, "date": 0, "chat": CHAT, "text": "Miten viikko meni?"}
    query = {"id": "q1", "from": USER, "chat_instance": "c", "data": "ci:1:week:3"}
    return {
        "update_id": 1,
        "callback_query": query | {"message": message | {"reply_markup": KEYBOARD}},
    }


def test_a_press_arrives_without_the_keyboard_of_its_message_and_with_everything_else() -> None:
    text = {"update_id": 2, "message": {"message_id": 6, "date": 0, "chat": CHAT, "from": USER,
            "text": "hei", "reply_markup": KEYBOARD}}  # fmt: skip
    parsed = LeanUpdatesRequest.parse_json_payload(payload(press(), text))
    bot = Bot("1:x")
    first, second = (Update.de_json(u, bot) for u in parsed["result"])
    assert first.callback_query is not None and first.callback_query.data == "ci:1:week:3"
    assert first.callback_query.message is not None
    assert first.callback_query.message.message_id == 5
    assert first.callback_query.message.reply_markup is None
    assert second.message is not None and second.message.reply_markup is not None  # untouched


def test_only_check_in_answers_are_read_lean() -> None:
    """Review: marking a contact request handled edits the keyboard it came with, so its
    press (like any press but a check-in answer, the flood) keeps the message whole."""
    handled = press()
    handled["callback_query"]["data"] = "ch:7"
    parsed = LeanUpdatesRequest.parse_json_payload(payload(handled))
    update = Update.de_json(parsed["result"][0], Bot("1:x"))
    assert update.callback_query is not None and update.callback_query.message is not None
    assert update.callback_query.message.reply_markup is not None


def test_errors_and_other_answers_pass_unchanged() -> None:
    error = {"ok": False, "error_code": 409, "description": "Conflict"}
    assert LeanUpdatesRequest.parse_json_payload(json.dumps(error).encode()) == error
    assert LeanUpdatesRequest.parse_json_payload(b'{"ok": true, "result": true}') == {
        "ok": True,
        "result": True,
    }


def test_the_running_bot_polls_through_it() -> None:
    settings = Settings(_env_file=None, bot_token="1:x", pseudonym_key="b" * 64)  # type: ignore[call-arg]
    app = build_application(settings)
    assert isinstance(app.bot._request[0], LeanUpdatesRequest)  # PTB: [getUpdates, others]
