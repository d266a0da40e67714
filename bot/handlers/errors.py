"""The one error handler: log without personal data, then tell the person kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.handlers.common import tr_for
from bot.render import general

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # The traceback names code, not people; update contents are never logged.
    logger.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != update.effective_chat.PRIVATE:
        return  # a group chat is not told about the bot's troubles
    try:
        tr = await tr_for(update, context)
        await context.bot.send_message(update.effective_chat.id, general.something_went_wrong(tr))
    except (TelegramError, RuntimeError) as reporting:
        logger.warning("could not report an error: %s", type(reporting).__name__)
