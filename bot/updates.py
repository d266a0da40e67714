"""Updates handled concurrently, but those of one person and of one chat in arrival order.

PTB's `concurrent_updates` runs every update in its own task; its `BaseUpdateProcessor`
decides when each task may go. This one lets an update go once every earlier update of
the same person or the same chat is done, so a double press or a fast reply never races
the one before it, while different people's updates overlap.

PTB starts the tasks in arrival order and its semaphore is first come, first served, so
`do_process_update` is entered in arrival order; the queue positions are taken there,
before the first await, which keeps that order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

from bot.callbacks import CheckinAnswer

MAX_CONCURRENT = 256  # updates in progress, waiting for their turn included


def keys(update: object) -> frozenset[str]:
    """Whose order an update belongs to: its person's and its chat's."""
    if not isinstance(update, Update):
        return frozenset()
    found = set()
    if update.effective_user is not None:
        found.add(f"user:{update.effective_user.id}")
    if update.effective_chat is not None:
        found.add(f"chat:{update.effective_chat.id}")
    return frozenset(found)


class InOrderPerPerson(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        # The last update of each key: done when it has been handled.
        self._last: dict[str, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        mine = asyncio.get_running_loop().create_future()
        update_keys = keys(update)
        earlier = {self._last[key] for key in update_keys if key in self._last}
        for key in update_keys:
            self._last[key] = mine
        try:
            if earlier:
                await asyncio.wait(earlier)
            await coroutine
        finally:
            mine.set_result(None)
            for key in update_keys:
                if self._last.get(key) is mine:
                    del self._last[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class LeanUpdatesRequest(HTTPXRequest):
    """getUpdates (polling) without the keyboard of the message a button was pressed on.

    Telegram sends that whole message, keyboard included, with every button press, and
    building its buttons was a third of the CPU the bot spent reading a press. Only the
    presses that come in floods, check-in answers, are read lean: their handler answers from
    the button's own data. Every other press keeps its message whole (marking a contact
    request handled edits the keyboard it came with). Parsing JSON is the hook PTB offers
    for this (`parse_json_payload`).
    """

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        data: dict[str, Any] = BaseRequest.parse_json_payload(payload)
        updates = data.get("result")
        for update in updates if isinstance(updates, list) else ():
            drop_pressed_keyboard(update)
        return data


_LEAN = CheckinAnswer.prefix + ":"


def drop_pressed_keyboard(update: object) -> None:
    query = update.get("callback_query") if isinstance(update, dict) else None
    if not isinstance(query, dict) or not str(query.get("data", "")).startswith(_LEAN):
        return
    message = query.get("message")
    if isinstance(message, dict):
        message.pop("reply_markup", None)
