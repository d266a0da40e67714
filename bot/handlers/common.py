"""Small helpers shared by the handlers: language, replies, the acting person."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Message, Update

from bot.context import Actor, BotContext
from bot.domain.models import Access
from bot.i18n import Translator, translator
from bot.render import general
from bot.render.common import Reply

USER_LANGUAGE = "language"  # user_data key for a guest's choice (nothing stored about guests)


def controller(context: BotContext) -> general.Controller:
    """Who answers for the data, as the privacy notice names them."""
    settings = context.services.settings
    return general.Controller(
        settings.municipality_name, settings.privacy_contact, settings.retention_days
    )


async def tr_for(update: Update, context: BotContext) -> Translator:
    """The reader's language: a guest's choice this session, else the stored or Telegram's."""
    user = update.effective_user
    services = context.services
    if user is None:
        return translator(services.settings.default_language)
    chosen = guest_choice(context)
    if chosen is not None:
        return translator(chosen)
    return translator(await services.people.language(user.id, user.language_code))


def guest_choice(context: BotContext) -> str | None:
    chosen = context.user_data.get(USER_LANGUAGE) if context.user_data is not None else None
    return chosen if isinstance(chosen, str) else None


async def resolve_actor(update: object, context: BotContext) -> None:
    """Handler group -1: read the acting person once, for the handler that answers.

    In group chats only buttons and commands need it; other messages there are skipped to
    spare the database. A handler that changes the person's role or language and then needs
    the new state calls this again (`refresh_actor`).
    """
    if not isinstance(update, Update) or update.effective_user is None:
        return
    chat, message = update.effective_chat, update.message
    in_group = chat is not None and chat.type != chat.PRIVATE
    is_command = bool(message and message.text and message.text.startswith("/"))
    if in_group and update.callback_query is None and not is_command:
        return
    await refresh_actor(update, context)


async def refresh_actor(update: Update, context: BotContext) -> Actor:
    user = update.effective_user
    assert user is not None, "handlers are filtered to updates from a person"
    # One read for both (this runs for every update); the language as `tr_for` picks it.
    access, language = await context.services.people.actor(user.id, user.language_code)
    context.actor = Actor(access, translator(guest_choice(context) or language))
    return context.actor


async def send(message: Message, reply: Reply | str) -> Message:
    if isinstance(reply, str):
        reply = Reply(reply)
    return await message.reply_text(reply.text, reply_markup=reply.markup)


CommandStart = tuple[Message, Translator, Access]


async def command_for(
    update: Update, context: BotContext, allowed: Callable[[Access], bool]
) -> CommandStart | None:
    """The start of a command for some roles: the message, the reader's language and their
    access, or None after telling someone without the role that this is not for them."""
    message = update.effective_message
    assert message
    tr, access = context.actor.tr, context.actor.access
    if not allowed(access):
        await send(message, general.not_allowed(tr))
        return None
    return message, tr, access


async def leader_command(update: Update, context: BotContext) -> CommandStart | None:
    return await command_for(update, context, lambda access: access.is_leader)
