"""Telegram's sending limits, applied to every request the bot makes.

About 30 messages a second overall, 20 a minute in one group chat and one a second
in one private chat. Sliding windows, with a small margin so that the server,
which sees each request a moment later than we do, never counts one too many.

Telegram counts a message when it arrives, we when we send it, and the delay between the
two varies. A sliding window that is kept full releases its slots in bunches (the thirty
taken together expire together), and a bunch sent at once arrives spread out by however
long the event loop takes to send it, so the next bunch can arrive within the server's
second. So once the overall window has made a message wait, its slots are paced: one every
1/30 of the window, and a call that carries several messages waits for as many. A quiet
bot still sends a burst at once.

A call that carries several messages (`copyMessages`, an album) takes a slot for each.

The private-chat limit is for sustained sending: it applies to bulk sends (the
outbox passes `rate_limit_args=BULK`) and to a reply of several messages in a row
(`SERIES`: a summary and its files), not to the replies of a conversation, which
Telegram lets come in short bursts. Replies wait their turn in the overall
window, and a reply Telegram answers with `RetryAfter` is sent again after the time it
gave: only that request waits, the others go on. Bulk sends are not retried here: the
outbox records the due time and sends again then.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from enum import Enum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

MARGIN = 0.05  # seconds added to every window
PACED_MARGIN = 0.03  # the overall window's: paced slots arrive evenly, so it needs less

OVERALL = (30, 1.0)
GROUP_CHAT = (20, 60.0)
PRIVATE_CHAT = (1, 1.0)

SENDING = ("send", "copyMessage", "forwardMessage")  # method name prefixes that count
NOT_A_MESSAGE = "sendChatAction"  # "typing…": flood control ignores it
# The parameter that lists the messages of a call that carries several.
CARRIES = {
    "copyMessages": "message_ids",
    "forwardMessages": "message_ids",
    "sendMediaGroup": "media",
}
REPLY_RETRIES = 5  # a reply met with RetryAfter this many times more is given up (and logged)


class Kind(Enum):
    BULK = "bulk"
    SERIES = "series"  # a reply of several messages in a row: kept to the chat's limit too


BULK, SERIES = Kind.BULK, Kind.SERIES


class SlidingWindow:
    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period + MARGIN
        self._times: deque[float] = deque()

    def wait(self, now: float, count: int = 1) -> float:
        """Seconds until `count` more fit (0 if they fit now). More than the limit take the
        whole window."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        over = len(self._times) + min(count, self.limit) - self.limit
        if over <= 0:
            return 0.0
        return self._times[over - 1] + self.period - now

    def add(self, now: float, count: int = 1) -> None:
        self._times.extend([now] * count)


class PacedWindow(SlidingWindow):
    """A sliding window whose slots, once it has made a message wait, are released one
    every period/limit, until no slot has been taken for a whole period.

    The slots keep to their schedule: a send a moment late (a timer fires late, the event
    loop was busy) does not push the later ones back, or the lateness of every slot would
    add up; after a longer delay the schedule starts again from then, never catching up
    in a burst."""

    def __init__(self, limit: int, period: float, margin: float) -> None:
        super().__init__(limit, period)
        self.period = period + margin
        self.interval = self.period / limit
        self.tolerance = self.interval / 2  # how late a slot may be taken and keep the schedule
        self._next = float("-inf")  # when the next slot is due
        self._paced_until = float("-inf")
        self._waited = False

    def wait(self, now: float, count: int = 1) -> float:
        delay = super().wait(now, count)
        if now < self._paced_until:
            delay = max(delay, self._due(count) - now)
        self._waited = self._waited or delay > 0
        return delay

    def add(self, now: float, count: int = 1) -> None:
        if self._waited or now < self._paced_until:
            due = self._due(count)
            self._next = (due if now - due <= self.tolerance else now) + self.interval
            self._paced_until = now + self.period
        self._waited = False
        super().add(now, count)

    def _due(self, count: int) -> float:
        """When a call of `count` messages may go: as many slots as it carries."""
        return self._next + (min(count, self.limit) - 1) * self.interval


class TelegramLimits(BaseRateLimiter[Kind]):
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._overall: SlidingWindow = PacedWindow(*OVERALL, PACED_MARGIN)
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
        counted = endpoint.startswith(SENDING) and endpoint != NOT_A_MESSAGE
        windows = self._windows(chat_id, rate_limit_args) if counted else []
        count = messages(endpoint, data)
        retries = 0
        while True:
            if windows:
                await self._turn(windows, count)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if rate_limit_args is BULK or retries >= REPLY_RETRIES:
                    raise
                retries += 1
                await self._wait_out(retry_seconds(error))

    async def _wait_out(self, seconds: float) -> None:
        """Not a moment before Telegram's time (a timer may fire a hair early), plus the
        margin for the server seeing the request later than we send it."""
        until = self._clock() + seconds + MARGIN
        while (left := until - self._clock()) > 0:
            await self._sleep(left)

    def _windows(self, chat_id: object, kind: Kind | None) -> list[SlidingWindow]:
        if not isinstance(chat_id, int):
            return [self._overall]  # a channel's @name: only the overall limit is known
        if chat_id > 0 and kind is None:
            return [self._overall]  # a reply in a conversation: see the module's docstring
        return [self._overall, self._window(chat_id)]

    def _window(self, chat_id: int) -> SlidingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > 10_000:  # forget idle chats now and then
                now = self._clock()
                self._chats = {c: w for c, w in self._chats.items() if w.wait(now) > 0}
            limit = GROUP_CHAT if chat_id < 0 else PRIVATE_CHAT
            window = self._chats[chat_id] = SlidingWindow(*limit)
        return window

    async def _turn(self, windows: list[SlidingWindow], count: int) -> None:
        """Wait until every window has room for `count` messages, then take it."""
        while True:
            now = self._clock()
            delay = max(window.wait(now, count) for window in windows)
            if delay <= 0:
                for window in windows:
                    window.add(now, count)
                return
            await self._sleep(delay)


def messages(endpoint: str, data: dict[str, Any]) -> int:
    """How many messages a call carries: Telegram counts each in its limits."""
    items = data.get(CARRIES.get(endpoint, ""))
    return max(1, len(items)) if isinstance(items, list | tuple) else 1


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that this becomes a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
