"""Telegram's sending limits, applied to every request the bot makes.

About 30 messages a second overall, 20 a minute in one group chat and one a second
in one private chat. Sliding windows, with a small margin so that the server,
which sees each request a moment later than we do, never counts one too many.

The private-chat limit is for sustained sending: it applies to bulk sends (the
outbox passes `rate_limit_args=BULK`), not to the replies of a conversation.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Any

from telegram.ext import BaseRateLimiter

MARGIN = 0.05  # seconds added to every window

OVERALL = (30, 1.0)
GROUP_CHAT = (20, 60.0)
PRIVATE_CHAT = (1, 1.0)

SENDING = ("send", "copyMessage", "forwardMessage")  # method name prefixes that count


class Kind(Enum):
    BULK = "bulk"


BULK = Kind.BULK


class SlidingWindow:
    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period + MARGIN
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more fits (0 if it fits now)."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.period - now

    def add(self, now: float) -> None:
        self._times.append(now)


class TelegramLimits(BaseRateLimiter[Kind]):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._overall = SlidingWindow(*OVERALL)
        self._chats: dict[int, SlidingWindow] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Kind | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if endpoint.startswith(SENDING) and isinstance(chat_id, int):
            chat = None if chat_id > 0 and rate_limit_args is not BULK else self._window(chat_id)
            await self._turn(chat)
        return await callback(*args, **kwargs)

    def _window(self, chat_id: int) -> SlidingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > 10_000:  # forget idle chats now and then
                now = self._clock()
                self._chats = {c: w for c, w in self._chats.items() if w.wait(now) > 0}
            limit = GROUP_CHAT if chat_id < 0 else PRIVATE_CHAT
            window = self._chats[chat_id] = SlidingWindow(*limit)
        return window

    async def _turn(self, chat: SlidingWindow | None) -> None:
        """Wait until the overall and the chat's window both have room, then take it."""
        windows = [self._overall] if chat is None else [self._overall, chat]
        while True:
            now = self._clock()
            delay = max(window.wait(now) for window in windows)
            if delay <= 0:
                for window in windows:
                    window.add(now)
                return
            await asyncio.sleep(delay)
