"""The leader's report on a broadcast: one message, edited as deliveries settle."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.domain.outbox import Delivery, State
from bot.i18n import translator
from bot.render import broadcasts as broadcast_texts
from bot.services.broadcasts import Broadcasts
from bot.services.outbox import Outbox
from bot.services.people import People

logger = logging.getLogger(__name__)

EVERY = 3.0  # seconds between edits of a report (one message edited, not a flood)


class Reporter:
    def __init__(self, bot: Bot, box: Outbox, broadcasts: Broadcasts, people: People) -> None:
        self._bot = bot
        self._outbox = box
        self._broadcasts = broadcasts
        self._people = people
        self._dirty: set[int] = set()
        self._shown: dict[int, str] = {}
        self._task: asyncio.Task[None] | None = None

    async def settled(self, delivery: Delivery, state: State) -> None:
        self._dirty.add(delivery.broadcast_id)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_soon())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _flush_soon(self) -> None:
        await asyncio.sleep(EVERY)
        while self._dirty:
            broadcast_id = self._dirty.pop()
            await self.show(broadcast_id)

    async def show(self, broadcast_id: int) -> None:
        target = await self._broadcasts.report_target(broadcast_id)
        if target is None:
            return
        leader_id, message_id = target
        tr = translator(await self._people.stored_language(leader_id))
        report = await self._broadcasts.report(broadcast_id)
        progress = report.progress
        reply = broadcast_texts.broadcast_progress(tr, broadcast_id, report)
        if self._shown.get(broadcast_id) == reply.text:
            return  # Telegram refuses an edit that changes nothing
        try:
            await self._bot.edit_message_text(
                reply.text, leader_id, message_id, reply_markup=reply.markup
            )
            self._shown[broadcast_id] = reply.text
            if progress.finished:
                del self._shown[broadcast_id]
        except TelegramError as error:  # the report is a courtesy; the outbox is the record
            logger.info("could not update a broadcast report: %s", type(error).__name__)
