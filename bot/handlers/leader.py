"""Leaders: links that add the bot to the group chat and bring participants in."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import access_of, leader_command, numbered_button, send, tr_for
from bot.render import general
from bot.render import groups as group_texts
from bot.services.errors import NotAllowed


async def links(update: Update, context: BotContext) -> None:
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    services = context.services
    if len(access.leader_of) > 1:
        led = [item.group for item in await services.onboarding.overview(access)]
        await send(message, group_texts.choose_group_for_links(tr, led))
        return
    (group_id,) = access.leader_of
    group_links = await services.onboarding.links(access, group_id)
    await send(message, group_texts.group_links(tr, group_links, context.bot.username))


async def links_button(update: Update, context: BotContext) -> None:
    """'ln:<group>' fresh links, 'lr:<group>' renew the participant link."""
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = await tr_for(update, context)
    try:
        action, group_id = numbered_button(update)
        group_links = await context.services.onboarding.links(
            await access_of(update, context), group_id, renew=action == "lr"
        )
    except NotAllowed:
        await query.answer(general.not_allowed(tr))
        return
    await query.answer()
    await send(message, group_texts.group_links(tr, group_links, context.bot.username))
