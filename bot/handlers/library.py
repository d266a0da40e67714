"""The co-created library: a leader offers a post, a coordinator curates it, leaders of the
area find it in /tips and send it again by file id."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot.callbacks import (
    LibraryDecide,
    LibraryOffer,
    LibraryOfferAgree,
    LibraryOfferTopic,
    LibraryRetire,
    LibrarySend,
    LibraryTitle,
    LibraryView,
)
from bot.context import BotContext
from bot.delivery.library import file_id_refused, part_of, send_parts
from bot.handlers.common import command_for, send
from bot.render import broadcasts as broadcast_texts
from bot.render import library as texts
from bot.render.common import Reply
from bot.services.errors import NotAllowed, Stale
from bot.services.library_items import Forgotten, Unsupported

logger = logging.getLogger(__name__)


def remember(context: BotContext, message: Message) -> None:
    """Kept in memory only, so that the leader can offer it after sending it."""
    context.services.library_items.remember(message.chat_id, message.message_id, part_of(message))


# --- offering -------------------------------------------------------------------------------


async def offer(update: Update, context: BotContext) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    broadcast_id = LibraryOffer.unpack(query.data).broadcast_id
    access = context.actor.access
    if not access.is_leader:
        raise Stale
    suggested = await context.services.library_items.suggested_topic(access, context.services.zone)
    await query.answer()
    await send(message, texts.offer_topics(context.actor.tr, broadcast_id, suggested))


async def offer_topic(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = LibraryOfferTopic.unpack(query.data)
    if not context.actor.access.is_leader:
        raise Stale
    await query.answer()
    reply = texts.offer_agree(
        context.actor.tr, data.broadcast_id, data.topic, query.from_user.first_name
    )
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


async def offer_agree(update: Update, context: BotContext) -> None:
    """The leader agreed: the item waits for a coordinator, who sees a copy of the post."""
    query = update.callback_query
    assert query
    data = LibraryOfferAgree.unpack(query.data)
    tr = context.actor.tr
    name = query.from_user.first_name if data.named == "1" else None
    try:
        offered = await context.services.library_items.offer(
            context.actor.access, data.broadcast_id, data.topic, tr.language, name
        )
    except Unsupported:
        text = texts.cannot_keep(tr)
    except Forgotten:
        text = texts.send_again_first(tr)
    except Stale:
        text = texts.offered_already(tr)
    else:
        context.sender.wake()  # the copy and the choices to the area's coordinators
        await query.answer()
        thanks = texts.offered_thanks(tr, offered.item.id)
        await query.edit_message_text(thanks.text, reply_markup=thanks.markup)
        return
    await query.answer()
    await query.edit_message_text(text)


async def title_button(update: Update, context: BotContext) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    item_id = LibraryTitle.unpack(query.data).item_id
    await context.services.library_items.ask_title(context.actor.access, item_id)
    await query.answer()
    await send(message, texts.ask_title(context.actor.tr))


async def typed_title(update: Update, context: BotContext) -> None:
    """A title typed for the post just offered (/cancel skips it)."""
    message = update.effective_message
    assert message and message.text is not None
    tr = context.actor.tr
    title = await context.services.library_items.set_title(context.actor.access, message.text)
    await send(message, texts.title_set(tr, title) if title else texts.title_too_long(tr))


# --- curating -------------------------------------------------------------------------------


async def decide(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = LibraryDecide.unpack(query.data)
    decided = await context.services.library_items.decide(
        context.actor.access, data.item_id, data.decision, data.reason
    )
    await query.answer()
    await query.edit_message_text(texts.decided(context.actor.tr, decided.item, decided.won))
    if decided.won:
        context.sender.wake()  # the author is told


async def retire(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    item_id = LibraryRetire.unpack(query.data).item_id
    decided = await context.services.library_items.retire(context.actor.access, item_id)
    await query.answer(texts.decided(context.actor.tr, decided.item, decided.won))


async def curated(update: Update, context: BotContext) -> None:
    """/library for coordinators: the approved items, how far each went, retire buttons."""
    start = await command_for(update, context, lambda access: access.is_coordinator)
    if start is None:
        return
    await send(start[0], await library_page(context, 0))


async def library_page(context: BotContext, page: int) -> Reply:
    """A page of /library, read afresh (also for its page buttons)."""
    access = context.actor.access
    if not access.is_coordinator:
        raise NotAllowed
    items = await context.services.library_items.curated(access)
    return texts.curated_list(context.actor.tr, items, page)


# --- using ----------------------------------------------------------------------------------


async def view(update: Update, context: BotContext) -> None:
    """The item itself (by file id), with a button to send it to the leader's groups."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    item_id = LibraryView.unpack(query.data).item_id
    item = await context.services.library_items.usable(context.actor.access, item_id)
    await query.answer()
    try:
        await send_parts(context.bot, message.chat_id, item.parts, kind=None)
    except BadRequest as error:
        if not file_id_refused(error.message):
            raise
        await context.services.library_items.file_rejected(item.id)
        context.sender.wake()  # the coordinators' notice
        await send(message, texts.no_longer(context.actor.tr))
        return
    await send(message, texts.item_offer(context.actor.tr, item))


async def send_item(update: Update, context: BotContext) -> None:
    """Start a post of the item: where and when, as any post."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    access = context.actor.access
    item_id = LibrarySend.unpack(query.data).item_id
    await context.services.library_items.usable(access, item_id)
    await query.answer()
    compose = await context.services.broadcasts.start(access, item_id=item_id)
    assert compose is not None
    await send(
        message, broadcast_texts.compose_prompt(context.actor.tr, compose, context.services.zone)
    )
