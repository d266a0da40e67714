"""Messages the bot writes itself for the outbox, from a broadcast's content key.

The key names what to write ('tip:fi/2-physical_activity-1', …); the text is made when
it is sent, in the reader's language, so nothing written is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.domain.outbox import Delivery
from bot.services.library import Library


@dataclass(frozen=True)
class Written:
    text: str  # Telegram HTML
    markup: InlineKeyboardMarkup | None = None


class Writer:
    def __init__(self, library: Library) -> None:
        self._library = library

    async def __call__(self, key: str, delivery: Delivery) -> Written | None:
        """The message for one delivery, or None if its subject is gone."""
        kind, _, subject = key.partition(":")
        if kind == "tip":
            text = self._library.text(subject)
            return Written(text) if text else None
        return None
