"""The copies of a check-in in people's chats: a private copy marks its reader's own
answers; a closed check-in loses its buttons everywhere."""

from __future__ import annotations

import logging

from telegram import MaybeInaccessibleMessage, Message
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Translator, translator
from bot.render import meetings as meeting_texts
from bot.services.checkins import CheckinInfo

logger = logging.getLogger(__name__)


async def mark_mine(
    context: BotContext, message: MaybeInaccessibleMessage | None, checkin_id: int, user_id: int
) -> None:
    """On a private copy, the person's own answers are marked (✅)."""
    if not isinstance(message, Message):
        return
    mine = await context.services.checkins.mine(checkin_id, user_id)
    reply = meeting_texts.checkin(context.actor.tr, checkin_id, None, False, mine)
    try:
        # The text as shown, kept (editMessageReplyMarkup would carry PTB's default
        # parse_mode, a parameter that method does not have).
        await message.edit_text(message.text_html, reply_markup=reply.markup)
    except TelegramError as error:  # e.g. the same answer again: nothing to change
        logger.info("could not mark a check-in answer: %s", type(error).__name__)


async def show_closed(
    context: BotContext, message: MaybeInaccessibleMessage | None, checkin_id: int
) -> None:
    """A press on a copy the closing did not reach: that copy loses its buttons now."""
    info = await context.services.checkins.info(checkin_id)
    if info is None or not isinstance(message, Message):
        return
    private = message.chat.type == ChatType.PRIVATE
    tr = context.actor.tr if private else translator(info.group.language)
    await _edit_closed(context, info, message.chat_id, message.message_id, private, tr)


async def close_copies(context: BotContext, checkin_ids: list[int]) -> None:
    """A closed check-in loses its buttons everywhere and says it has closed. A copy
    missed here (a restart, an error) loses them at its next press."""
    checkins, people = context.services.checkins, context.services.people
    for checkin_id in checkin_ids:
        info = await checkins.info(checkin_id)
        if info is None:
            continue
        for copy in await checkins.copies(checkin_id):
            language = await people.stored_language(copy.chat_id) if copy.private else None
            tr = translator(language or info.group.language)
            await _edit_closed(context, info, copy.chat_id, copy.message_id, copy.private, tr)


async def _edit_closed(
    context: BotContext,
    info: CheckinInfo,
    chat_id: int,
    message_id: int,
    private: bool,
    tr: Translator,
) -> None:
    answered = None if private else await context.services.checkins.answered(info.id)
    reply = meeting_texts.checkin(tr, info.id, answered, closed=True)
    try:
        await context.bot.edit_message_text(reply.text, chat_id, message_id, reply_markup=None)
    except TelegramError as error:  # deleted, or too old to edit: the press says it anyway
        logger.info("could not close a check-in's copy: %s", type(error).__name__)
