"""Moving a group chat that serves one peer group to another: only after a confirmation by
that group's own leader or its area's coordinator; the leaders of both groups are told."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot.callbacks import ChatMove
from bot.context import BotContext
from bot.handlers.common import send
from bot.i18n import translator
from bot.render import chat_moves as texts
from bot.render import groups as group_texts
from bot.services.errors import NotAllowed
from bot.services.onboarding import Outcome, Result

logger = logging.getLogger(__name__)


async def answer_bind(message: Message, context: BotContext, result: Result) -> bool:
    """The answer to a link for a chat that serves another group; False if it does not."""
    group, previous = result.group, result.previous
    if group is None or previous is None:
        return False
    tr = translator(previous.language)  # said in the chat: in its group's language
    if result.outcome is Outcome.CONFIRM and result.invite_id is not None:
        await send(message, texts.confirm_move(tr, group, previous, result.invite_id))
        return True
    if result.outcome is Outcome.TAKEN:
        logger.info("moving the chat of group %s to group %s refused", previous.id, group.id)
        await send(message, texts.refused_move(tr, previous))
        await _tell(context, result, texts.leaders_told_of_refusal)
        return True
    return False


async def pressed(update: Update, context: BotContext) -> None:
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    assert query and chat and user
    press = ChatMove.unpack(query.data)
    tr = context.actor.tr
    if not await context.services.onboarding.may_move(user.id, chat.id):
        raise NotAllowed  # anyone in the chat sees the question; only its owners answer it
    await query.answer()
    if press.answer == "no":
        previous = await context.services.onboarding.group_of_chat(chat.id)
        tr = translator(previous.language) if previous else tr
        text = texts.kept(tr, previous) if previous else group_texts.kept(tr)
        await query.edit_message_text(text)
        return
    onboarding = context.services.onboarding
    result = await onboarding.move_chat(user.id, chat.id, press.invite, press.previous)
    if result.outcome is not Outcome.DONE or result.group is None:
        await query.edit_message_text(group_texts.link_problem(tr, result.outcome))
        return
    assert result.previous is not None
    logger.info("the chat of group %s moved to group %s", result.previous.id, result.group.id)
    welcome = group_texts.chat_bound(translator(result.group.language), result.group)
    await query.edit_message_text(welcome)
    await _tell(context, result, texts.leaders_told_of_move)


async def _tell(context: BotContext, result: Result, text: texts.LeadersText) -> None:
    """Each leader of both groups, privately, in their own language."""
    assert result.group and result.previous
    for leader in result.told:
        tr = translator(await context.services.people.stored_language(leader))
        try:
            await context.bot.send_message(leader, text(tr, result.group, result.previous))
        except TelegramError as error:  # a leader who blocked the bot hears nothing
            logger.info("could not tell a leader of a chat move: %s", type(error).__name__)
