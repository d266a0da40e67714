"""Leaders: links that add the bot to the group chat and bring participants in."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import GroupLinks, RenewParticipantLink
from bot.context import BotContext
from bot.handlers.common import leader_command, send
from bot.render import groups as group_texts
from bot.render.common import Reply
from bot.services.errors import NotAllowed


async def links(update: Update, context: BotContext) -> None:
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    services = context.services
    if len(access.leader_of) > 1:
        await send(message, await links_page(context, 0))
        return
    (group_id,) = access.leader_of
    group_links = await services.onboarding.links(access, group_id)
    await send(message, group_texts.group_links(tr, group_links, context.bot.username))


async def links_page(context: BotContext, page: int) -> Reply:
    """Which group's links: a page of the leader's groups (also for its page buttons)."""
    access = context.actor.access
    if not access.is_leader:
        raise NotAllowed
    led = [item.group for item in await context.services.onboarding.overview(access)]
    return group_texts.choose_group_for_links(context.actor.tr, led, page)


async def links_button(update: Update, context: BotContext) -> None:
    """The group's links, as they are."""
    assert update.callback_query
    group_id = GroupLinks.unpack(update.callback_query.data).group_id
    await _links(update, context, group_id, renew=False)


async def renew_link_button(update: Update, context: BotContext) -> None:
    """The group's links, with a new participant link."""
    assert update.callback_query
    group_id = RenewParticipantLink.unpack(update.callback_query.data).group_id
    await _links(update, context, group_id, renew=True)


async def _links(update: Update, context: BotContext, group_id: int, *, renew: bool) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    access, tr = context.actor.access, context.actor.tr
    group_links = await context.services.onboarding.links(access, group_id, renew=renew)
    await query.answer()
    await send(message, group_texts.group_links(tr, group_links, context.bot.username))
