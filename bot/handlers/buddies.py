"""Phone buddies: a participant's /buddy and its buttons, the weekly answer, and a leader's
/buddies. Thin: the service decides, render writes."""

from __future__ import annotations

from telegram import Update

from bot import callbacks as cb
from bot.context import BotContext
from bot.handlers.common import command_for, leader_command, send
from bot.render import buddies as texts
from bot.render import groups as group_texts


async def buddy(update: Update, context: BotContext) -> None:
    """/buddy: one message per group the participant is in."""
    start = await command_for(update, context, lambda access: True)
    if start is None:
        return
    message, tr, access = start
    found = await context.services.buddies.status(access)
    if not found:
        await send(message, texts.no_group(tr))
    for status in found:
        await send(message, texts.status(tr, status))


async def join(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = cb.BuddyJoin.unpack(query.data)
    standing = await context.services.buddies.join(context.actor.access, data.group_id)
    context.sender.wake()
    await query.answer()
    await query.edit_message_text(texts.joined(context.actor.tr, standing))


async def leave(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = cb.BuddyLeave.unpack(query.data)
    await query.answer()
    match data.step:
        case "ask":
            reply = texts.leave_confirm(tr, data.group_id)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case "yes":
            await context.services.buddies.leave(context.actor.access, data.group_id)
            context.sender.wake()
            await query.edit_message_text(texts.left(tr))
        case "no":
            await query.edit_message_text(group_texts.kept(tr))
        case "decline":
            await query.edit_message_text(texts.declined(tr))


async def answer(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = cb.BuddyAnswer.unpack(query.data)
    given = await context.services.buddies.answer(context.actor.access, data.pair_id, data.answer)
    context.sender.wake()
    await query.answer()
    await query.edit_message_text(texts.answered(context.actor.tr, given))


async def nudge(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = cb.BuddyNudge.unpack(query.data)
    sent = await context.services.buddies.nudge(context.actor.access, data.pair_id)
    context.sender.wake()
    await query.answer(texts.nudged(context.actor.tr, sent), show_alert=True)


async def overview(update: Update, context: BotContext) -> None:
    """/buddies for leaders: the pairs of their groups, to split or make a group of three."""
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    groups = await context.services.buddies.overview(access)
    if not groups:
        await send(message, texts.no_buddies(tr))
    for found in groups:
        await send(message, texts.overview(tr, found))


async def split(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    access, tr = context.actor.access, context.actor.tr
    pair_id = cb.BuddySplit.unpack(query.data).pair_id
    group_id = await context.services.buddies.split(access, pair_id)
    context.sender.wake()
    await query.answer(texts.split_done(tr))
    await _refresh(update, context, group_id)


async def make_three(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    access, tr = context.actor.access, context.actor.tr
    group_id = cb.BuddyThree.unpack(query.data).group_id
    await context.services.buddies.make_three(access, group_id)
    context.sender.wake()
    await query.answer(texts.three_done(tr))
    await _refresh(update, context, group_id)


async def _refresh(update: Update, context: BotContext, group_id: int) -> None:
    """The group's message again, after a change (a message sent to the leader alone about
    someone waiting becomes the group's pairs)."""
    query = update.callback_query
    assert query
    access, tr = context.actor.access, context.actor.tr
    reply = texts.overview(tr, await context.services.buddies.group_overview(access, group_id))
    await query.edit_message_text(reply.text, reply_markup=reply.markup)
