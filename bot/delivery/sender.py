"""The outbox sender: drains due deliveries into Bot API calls.

It keeps up to CONCURRENCY requests in flight (the rate limiter spaces them out),
sleeps until the next due delivery or until woken, and maps Telegram's errors to
outbox outcomes in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from bot.delivery.content import Written
from bot.delivery.library import file_id_refused, send_parts
from bot.delivery.limits import BULK, Kind, retry_seconds
from bot.documents import Attachment, Shown
from bot.domain import outbox
from bot.domain.clock import Clock
from bot.domain.outbox import ContentKey, Delivery, Outcome, State
from bot.services.outbox import Outbox, Source

logger = logging.getLogger(__name__)

CONCURRENCY = 40  # enough to keep 30 a second going with some slow answers
IDLE = 60.0  # seconds to sleep with nothing due (a wake-up comes sooner)
# After a restart, what the previous run sent in its last second still counts in
# Telegram's window, which this run's limiter cannot know: wait that second out.
START_PAUSE = 1.05
RECENT = timedelta(seconds=2)  # the database keeps whole seconds
# A result that could not be written is written again after this pause, doubling up to
# RECORD_PAUSE_MAX: left `sending`, the delivery would wait for a restart and go twice.
RECORD_PAUSE = 0.2
RECORD_PAUSE_MAX = 30.0

Write = Callable[[ContentKey, Delivery], Awaitable[Written | None]]
SaveProgress = Callable[[tuple[int, ...]], Awaitable[None]]
OnSettled = Callable[[Delivery, State], Awaitable[None]]


_GROUP_CHAT_WORDS = ("group chat", "supergroup chat", "channel chat")


def _about_target(delivery: Delivery, source: Source, description: str) -> bool:
    """Whether a Forbidden is surely about the target chat. A copy's may come from its
    source (the leader blocked the bot): 'blocked by the user' then says nothing of a group
    chat, and of a private target it cannot say which of the two it was. Only what the bot
    writes itself, or a description naming a group chat, deactivates the target."""
    if source.chat_id is None:
        return True
    return not delivery.private and any(w in description for w in _GROUP_CHAT_WORDS)


async def attempt(
    bot: ExtBot[Any], delivery: Delivery, source: Source, write: Write, save: SaveProgress
) -> Outcome:
    """The Bot API calls for one delivery, and what they came to.

    Subclasses first: TimedOut and BadRequest are NetworkErrors too.
    """
    try:
        return await _call(bot, delivery, source, write, save)
    except RetryAfter as error:
        return outbox.RetryAfter(retry_seconds(error))
    except Forbidden as error:
        if _about_target(delivery, source, error.message):
            return outbox.Blocked(error.message)
        return outbox.Failed(f"forbidden, perhaps by the source: {error.message}")
    except ChatMigrated as error:
        return outbox.Migrated(error.new_chat_id)
    except TimedOut:
        return outbox.Transient("timed out")  # it may have arrived all the same
    except BadRequest as error:
        return outbox.Failed(error.message)
    except NetworkError as error:
        return outbox.Transient(type(error).__name__)
    except TelegramError as error:
        return outbox.Failed(type(error).__name__)


async def _call(
    bot: ExtBot[Any], delivery: Delivery, source: Source, write: Write, save: SaveProgress
) -> Outcome:
    chat = delivery.chat_id
    if delivery.state is State.RETRACTING:
        await bot.delete_messages(chat, list(delivery.message_ids), rate_limit_args=BULK)
        return outbox.Sent(delivery.message_ids)
    if source.content_key is not None:
        written = await write(source.content_key, delivery)
        if written is None:
            return outbox.Failed("its subject is gone")
        if written.parts:
            return outbox.Sent(await _send_item(bot, delivery, written))
        return outbox.Sent(await _send_written(bot, delivery, written, save))
    assert source.chat_id is not None
    if len(source.message_ids) == 1:
        copied = await bot.copy_message(
            chat, source.chat_id, source.message_ids[0], rate_limit_args=BULK
        )
        return outbox.Sent((copied.message_id,))
    # copyMessages keeps an album together; ids must be increasing.
    copies = await bot.copy_messages(
        chat, source.chat_id, sorted(source.message_ids), rate_limit_args=BULK
    )
    return outbox.Sent(tuple(c.message_id for c in copies))


async def _send_item(bot: ExtBot[Any], delivery: Delivery, written: Written) -> tuple[int, ...]:
    """A library item by file id; a file id Telegram refuses retires the item."""
    try:
        return await send_parts(bot, delivery.chat_id, written.parts)
    except BadRequest as error:
        if written.on_refused is not None and file_id_refused(error.message):
            await written.on_refused()
        raise


async def _send_written(
    bot: ExtBot[Any], delivery: Delivery, written: Written, save: SaveProgress
) -> tuple[int, ...]:
    """The text, then each file. What was sent is saved after each call, so a retry (or a
    restart) goes on from there: only the call in flight may be repeated."""
    chat, ids = delivery.chat_id, list(delivery.message_ids)
    if not ids:
        sent = await bot.send_message(
            chat, written.text, reply_markup=written.markup, rate_limit_args=BULK
        )
        ids.append(sent.message_id)
        if written.files:
            await save(tuple(ids))
    for file in written.files[len(ids) - 1 :]:
        ids.append((await upload(bot, chat, file)).message_id)
        await save(tuple(ids))
    return tuple(ids)


async def upload(
    bot: ExtBot[Any], chat: int, file: Attachment, kind: Kind | None = BULK
) -> Message:
    """`kind=None` for a reply: the limiter then sends it again after a RetryAfter, where a
    bulk send leaves that to the outbox."""
    if file.shown is Shown.PHOTO:
        return await bot.send_photo(
            chat, file.content, filename=file.filename, rate_limit_args=kind
        )
    return await bot.send_document(chat, file.content, filename=file.filename, rate_limit_args=kind)


class Sender:
    def __init__(
        self,
        bot: ExtBot[Any],
        box: Outbox,
        clock: Clock,
        write: Write,
        on_settled: OnSettled,
    ) -> None:
        self._bot = bot
        self._outbox = box
        self._clock = clock
        self._write = write
        self._on_settled = on_settled
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """Something new is due: look now rather than at the next planned time."""
        self._wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Claim nothing more, let requests in flight finish (briefly), then stop.
        What is cut off stays `sending` and is sent again after the restart."""
        self._stopping = True
        self._wake.set()
        tasks = {*self._in_flight, *([self._task] if self._task else [])}
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()

    async def _run(self) -> None:
        if await self._outbox.attempted_since(self._clock() - RECENT):
            await asyncio.sleep(START_PAUSE)
        while not self._stopping:
            try:
                await self._fill()
                await self._sleep()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or a bug: log, wait a little, go on
                logger.exception("the outbox sender failed; retrying shortly")
                await asyncio.sleep(5)

    async def _fill(self) -> None:
        free = CONCURRENCY - len(self._in_flight)
        if free <= 0 or self._stopping:
            return
        for delivery in await self._outbox.claim(free):
            task = asyncio.create_task(self._deliver(delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()  # a free slot: claim more

    async def _sleep(self) -> None:
        """Until the next due delivery, a free slot, or a wake-up, whichever comes first."""
        self._wake.clear()  # before looking, so a wake-up from now on is not missed
        if self._stopping:
            return
        due = await self._outbox.next_due()
        now = self._clock()
        if due is None:
            timeout = IDLE
        elif due > now:
            timeout = min((due - now).total_seconds(), IDLE)
        elif len(self._in_flight) < CONCURRENCY:
            return  # more is due right now and there is room for it
        else:
            timeout = IDLE  # full: a finished request wakes us
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=timeout)

    async def _deliver(self, delivery: Delivery) -> None:
        async def save(message_ids: tuple[int, ...]) -> None:
            await self._outbox.save_progress(delivery.id, message_ids)

        try:
            source = await self._outbox.source(delivery.broadcast_id)
            outcome = await attempt(self._bot, delivery, source, self._write, save)
        except Exception as error:  # a bug, not Telegram: record it rather than loop on it
            logger.exception("delivery %s failed unexpectedly", delivery.id)
            outcome = outbox.Failed(f"internal error: {type(error).__name__}")
        state = await self._record(delivery, outcome)
        if state is None:
            return  # stopping: it stays `sending` and goes again after the restart
        if state is not State.SENT:
            logger.info("delivery %s: %s", delivery.id, type(outcome).__name__)
        await self._on_settled(delivery, state)

    async def _record(self, delivery: Delivery, outcome: Outcome) -> State | None:
        """Write what the attempt came to, again and again if the write fails (a locked or
        full disk): only this task knows the outcome, and a delivery left `sending` would
        not be tried again before a restart. None if the sender stops first."""
        pause = RECORD_PAUSE
        while True:
            try:
                return await self._outbox.settle(delivery, outcome)
            except sqlite3.OperationalError:  # locked or full: the same write may work later
                logger.exception("could not record delivery %s; trying again", delivery.id)
            except Exception as error:  # a bug: recording it as failed must not loop forever
                if isinstance(outcome, outbox.Failed):
                    logger.exception("could not record delivery %s at all", delivery.id)
                    return None
                logger.exception("could not record delivery %s; marking it failed", delivery.id)
                outcome = outbox.Failed(f"internal error: {type(error).__name__}")
                continue
            if self._stopping:
                return None
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECORD_PAUSE_MAX)
