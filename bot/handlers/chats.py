"""Group chats: binding a chat to a peer group, and leaving chats that are not bound."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.error import TelegramError

from bot import jobs
from bot.context import BotContext
from bot.domain.commands import all_names
from bot.domain.invites import InviteKind, parse_payload
from bot.handlers import chat_moves
from bot.handlers.common import controller, send
from bot.i18n import translator
from bot.render import general
from bot.render import groups as group_texts
from bot.render import posts as post_texts
from bot.services.onboarding import ChatGone, Outcome

logger = logging.getLogger(__name__)

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR}


async def start_in_group(update: Update, context: BotContext) -> None:
    """'/start G…' from the startgroup link binds this chat; a leader must send it."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message and chat and user
    onboarding = context.services.onboarding
    token = parse_payload(context.args[0]) if context.args else None
    if token is None or token.kind is not InviteKind.CHAT:
        await group_command(update, context)
        return
    result = await onboarding.bind_chat(user.id, chat.id, token)
    if await chat_moves.answer_bind(message, context, result):
        return  # the chat serves another group
    if result.outcome is Outcome.DONE and result.group:
        logger.info("a group chat was bound to group %s", result.group.id)
        await send(message, group_texts.chat_bound(translator(result.group.language), result.group))
    elif result.outcome is Outcome.ALREADY and result.group:
        await send(
            message, group_texts.chat_already_bound(translator(result.group.language), result.group)
        )
    elif await onboarding.group_of_chat(chat.id) is None:
        tr = context.actor.tr
        await send(message, group_texts.link_problem(tr, result.outcome))
        await leave(context, chat.id)
    else:
        await send(message, group_texts.link_problem(context.actor.tr, result.outcome))


async def group_command(update: Update, context: BotContext) -> None:
    """/help or /privacy in a group chat; in an unbound chat, explain and leave."""
    message, chat = update.effective_message, update.effective_chat
    assert message and chat
    group = await context.services.onboarding.group_of_chat(chat.id)
    if group is None:
        await leave(context, chat.id)
        return
    tr = translator(group.language)
    command = (message.text or "/").split()[0].split("@")[0][1:].lower()
    is_privacy = command in all_names("privacy")
    notice = general.privacy_notice(tr, controller(context))
    await send(message, notice if is_privacy else general.group_chat_help(tr))


async def membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a chat."""
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    if chat.type == chat.PRIVATE:
        return  # a person blocked or unblocked the bot; later features act on this
    onboarding = context.services.onboarding
    if _present(change.new_chat_member):
        due = await onboarding.chat_added(chat.id)
        if due is not None and context.job_queue:
            jobs.arm_leave(context.job_queue, context.services, chat.id, due)
    elif (gone := await onboarding.chat_gone(chat.id)) is not None:
        logger.info("the bot was removed from the chat of group %s", gone.group.id)
        await _tell_leaders(context, gone)


async def _tell_leaders(context: BotContext, gone: ChatGone) -> None:
    """At once, each leader privately in their own language, with the link to add it again."""
    for leader in gone.leaders:
        tr = translator(await context.services.people.stored_language(leader))
        reply = post_texts.removed_from_chat(tr, gone, context.bot.username)
        try:
            await context.bot.send_message(leader, reply.text, reply_markup=reply.markup)
        except TelegramError as error:  # a leader who blocked the bot hears nothing
            logger.info("could not tell a leader of a removal: %s", type(error).__name__)


def _present(member: ChatMember) -> bool:
    """A bot restricted in a chat (it may not send for now) is still a member there."""
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in _PRESENT


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup. Telegram posts `migrate_to_chat_id` in the old chat and
    `migrate_from_chat_id` in the new one, in either order; moving the binding is idempotent,
    so whichever comes first moves it."""
    message = update.effective_message
    assert message
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await context.services.onboarding.chat_migrated(old, new)


async def unbound_chat_message(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat
    if await context.services.onboarding.group_of_chat(chat.id) is None:
        await leave(context, chat.id)


async def leave(context: BotContext, chat_id: int) -> None:
    """Leave an unbound chat now; its pending leave goes, so nothing posts there later."""
    await context.services.onboarding.leaving(chat_id)
    await jobs.say_goodbye(context, chat_id)
