"""Leaders: links that add the bot to the group chat and bring participants in."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.callbacks import GroupLinks, RenewParticipantLink
from bot.context import BotContext
from bot.handlers.common import leader_command, send
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
    """The group's links, as they are."""
    await _links(update, context, GroupLinks.unpack, renew=False)


async def renew_link_button(update: Update, context: BotContext) -> None:
    """The group's links, with a new participant link."""
    await _links(update, context, RenewParticipantLink.unpack, renew=True)


async def _links(
    update: Update,
    context: BotContext,
    unpack: Callable[[str | None], GroupLinks | RenewParticipantLink],
    *,
    renew: bool,
) -> None:
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = context.actor.tr
    try:
        group_id = unpack(query.data).group_id
        group_links = await context.services.onboarding.links(
            context.actor.access, group_id, renew=renew
        )
    except NotAllowed:
        await query.answer(general.not_allowed(tr))
        return
    await query.answer()
    await send(message, group_texts.group_links(tr, group_links, context.bot.username))
