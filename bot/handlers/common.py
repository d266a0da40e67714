"""Small helpers shared by the handlers: language, replies, the acting person."""

from __future__ import annotations

from collections.abc import Callable

from telegram import LinkPreviewOptions, Message, Update

from bot.context import BotContext
from bot.domain.models import Access
from bot.i18n import Translator, translator
from bot.render import general
from bot.render.common import Reply

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
USER_LANGUAGE = "language"  # user_data key for a guest's choice (nothing stored about guests)


async def tr_for(update: Update, context: BotContext) -> Translator:
    user = update.effective_user
    services = context.services
    if user is None:
        return translator(services.settings.default_language)
    chosen = context.user_data.get(USER_LANGUAGE) if context.user_data is not None else None
    if isinstance(chosen, str):
        return translator(chosen)
    return translator(await services.people.language(user.id, user.language_code))


async def access_of(update: Update, context: BotContext) -> Access:
    user = update.effective_user
    assert user is not None, "handlers are filtered to updates from a person"
    return await context.services.people.access(user.id)


async def send(message: Message, reply: Reply | str) -> Message:
    if isinstance(reply, str):
        reply = Reply(reply)
    return await message.reply_html(
        reply.text,
        reply_markup=reply.markup,
        link_preview_options=NO_PREVIEW,
        do_quote=False,
    )


CommandStart = tuple[Message, Translator, Access]


async def command_for(
    update: Update, context: BotContext, allowed: Callable[[Access], bool]
) -> CommandStart | None:
    """The start of a command for some roles: the message, the reader's language and their
    access, or None after telling someone without the role that this is not for them."""
    message = update.effective_message
    assert message
    tr = await tr_for(update, context)
    access = await access_of(update, context)
    if not allowed(access):
        await send(message, general.not_allowed(tr))
        return None
    return message, tr, access


async def leader_command(update: Update, context: BotContext) -> CommandStart | None:
    return await command_for(update, context, lambda access: access.is_leader)
