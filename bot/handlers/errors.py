"""The one error handler: refusals get their kind answer; anything else is logged without
personal data, and the person is told kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot.context import BotContext
from bot.handlers.common import send, tr_for
from bot.render import general
from bot.render.common import Reply
from bot.services.errors import Busy, NotAllowed, Stale

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, NotAllowed | Stale | Busy) and isinstance(update, Update):
        logger.info("update %s refused: %s", update_id, type(error).__name__)
        await _refuse(update, context, error)
        return
    if isinstance(error, BadRequest) and "not modified" in error.message.lower():
        # A double tap edits a message into what it already shows: nothing went wrong.
        logger.info("update %s changed nothing", update_id)
        return
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


async def _refuse(update: Update, context: BotContext, error: NotAllowed | Stale | Busy) -> None:
    """NotAllowed and Stale from any handler: a toast on a button, a reply to a message.
    Busy: the question whether to drop the open guided chat, as a message.

    (This context is the error handler's own, without the actor: the language is read here.)
    """
    try:
        tr = await tr_for(update, context)
        if isinstance(error, Busy):
            await _ask_to_drop(update, context, general.busy(tr, error.open_kind))
            return
        text = (
            general.not_allowed(tr) if isinstance(error, NotAllowed) else general.stale_button(tr)
        )
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        elif update.effective_message is not None:
            await send(update.effective_message, text)
    except TelegramError as reporting:
        logger.warning("could not answer a refusal: %s", type(reporting).__name__)


async def _ask_to_drop(update: Update, context: BotContext, question: Reply) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, question.text, reply_markup=question.markup
        )
