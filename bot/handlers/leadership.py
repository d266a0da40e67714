"""A coordinator manages a group's leaders: sees them, removes one (asked first when it is
the only leader of a running group), or makes a new single-use leader link."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import LeaderKeep, LeaderList, LeaderRemove
from bot.context import BotContext
from bot.handlers.common import send
from bot.render import leadership as texts
from bot.render.common import Reply
from bot.services.errors import NotAllowed
from bot.services.leadership import Removal


async def leader_list(update: Update, context: BotContext) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    group_id = LeaderList.unpack(query.data).group_id
    await query.answer()
    await send(message, await leaders_page(context, str(group_id), 0))


async def leaders_page(context: BotContext, key: str, page: int) -> Reply:
    """A page of a group's leaders (`key`: the group's id), read afresh."""
    if not key.isdigit():
        raise NotAllowed  # a forged page button
    item = await context.services.leadership.leaders(context.actor.access, int(key))
    return texts.leader_list(context.actor.tr, item, page)


async def remove(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = LeaderRemove.unpack(query.data)
    leadership = context.services.leadership
    item = await leadership.leaders(context.actor.access, data.group_id)
    result = await leadership.remove(
        context.actor.access, data.group_id, data.user_id, confirmed=data.sure == "yes"
    )
    await query.answer()
    if result is Removal.CONFIRM:
        reply = texts.confirm_only_leader(tr, item.group, data.user_id)
        await query.edit_message_text(reply.text, reply_markup=reply.markup)
    elif result is Removal.REMOVED:
        await query.edit_message_text(texts.removed(tr, item.group))
    else:
        await query.edit_message_text(texts.not_leader(tr))


async def keep(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    LeaderKeep.unpack(query.data)
    await query.answer()
    await query.edit_message_text(texts.kept(context.actor.tr))
