"""Coordinators reach their leaders: /leaders, the message, whose leaders get it; and a
leader's one-tap answer, copied to the coordinator (nothing of it is stored)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.callbacks import (
    AnswerCoordinator,
    LeadersAll,
    LeadersDiscard,
    LeadersPick,
    LeadersSend,
)
from bot.context import BotContext
from bot.domain.dialogs import DialogKind
from bot.domain.leaders_post import Step
from bot.domain.parsing import Invalid
from bot.handlers import broadcast
from bot.handlers.common import send
from bot.i18n import Translator, translator
from bot.render import broadcasts as broadcast_texts
from bot.render import leaders_mail as texts
from bot.render.common import Reply
from bot.services.errors import Stale

logger = logging.getLogger(__name__)


async def leaders_command(update: Update, context: BotContext) -> None:
    """/leaders (coordinators): the next message goes to leaders."""
    message = update.effective_message
    assert message
    await context.services.leaders_mail.begin(context.actor.access)
    await send(message, texts.ask_for_message(context.actor.tr))


async def message_for_leaders(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    tr = context.actor.tr
    if not broadcast.copyable(message):
        await send(message, broadcast_texts.cannot_copy(tr))
        return
    view = await context.services.leaders_mail.received(
        context.actor.access, message.chat_id, message.message_id, message.media_group_id
    )
    if view is not None:  # None: a later part of an album, asked about once
        await send(message, texts.choose(tr, view))


async def pick(update: Update, context: BotContext) -> None:
    """A group chosen or unchosen (or, from an old message, all): the page stays."""
    query = update.callback_query
    assert query
    data = LeadersPick.unpack(query.data)
    await _press(update, context, data.revision, data.group_id, data.page or 0)


async def pick_all(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = LeadersAll.unpack(query.data)
    await _press(update, context, data.revision, None, data.page)


async def _press(
    update: Update, context: BotContext, revision: int, group_id: int | None, page: int
) -> None:
    query = update.callback_query
    assert query
    moved = await context.services.leaders_mail.press(context.actor.access, revision, group_id)
    if isinstance(moved, Invalid):
        raise Stale
    reply = texts.choose(context.actor.tr, moved, page)
    await query.answer()
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


async def choose_page(context: BotContext, page: int) -> Reply:
    """Another page of the groups to choose from (cb.Page), as the choice stands now."""
    view = await context.services.leaders_mail.current(context.actor.access)
    if view is None or view.post.step is not Step.TARGETS:
        raise Stale
    return texts.choose(context.actor.tr, view, page)


async def send_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    revision = LeadersSend.unpack(query.data).revision
    leaders = await context.services.leaders_mail.send(context.actor.access, revision)
    if isinstance(leaders, Invalid):
        await query.answer(texts.choose_first(tr))
        return
    await query.answer()
    await query.edit_message_text(texts.sent(tr, leaders))
    context.sender.wake()


async def discard(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    LeadersDiscard.unpack(query.data)
    await context.services.dialogs.end(context.actor.user_id, DialogKind.LEADERS_POST)
    await query.answer()
    await query.edit_message_text(texts.dropped(context.actor.tr))


async def answer_button(update: Update, context: BotContext) -> None:
    """'Answer the coordinator': the leader's next message is copied to them."""
    query = update.callback_query
    assert query
    broadcast_id = AnswerCoordinator.unpack(query.data).broadcast_id
    await context.services.leaders_mail.begin_answer(context.actor.access, broadcast_id)
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, texts.answer_prompt(context.actor.tr))


async def answer(update: Update, context: BotContext) -> None:
    """The leader's answer: copied to the coordinator under a line naming the leader (an
    album part by part, the line and the thanks once)."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    tr = context.actor.tr
    if not broadcast.copyable(message):
        await send(message, broadcast_texts.cannot_copy(tr))
        return
    access = context.actor.access
    to = await context.services.leaders_mail.take_answer(access, message.media_group_id)
    if to is None:  # the message after an album answer: an ordinary message again
        await broadcast.post(update, context)
        return
    if to.coordinator is None:
        if to.first:
            await send(message, texts.answer_lost(tr))
        return
    try:
        if to.first:
            header_tr = await _reader(context, to.coordinator)
            header = texts.answer_header(header_tr, user.id, user.first_name)
            await context.bot.send_message(to.coordinator, header)
        await context.bot.copy_message(to.coordinator, message.chat_id, message.message_id)
    except TelegramError as error:  # the coordinator blocked the bot, or has gone
        logger.info("could not pass an answer on to a coordinator: %s", type(error).__name__)
        if to.first:
            await send(message, texts.answer_lost(tr))
        return
    if to.first:
        await send(message, texts.answer_sent(tr))


async def _reader(context: BotContext, user_id: int) -> Translator:
    return translator(await context.services.people.stored_language(user_id))
