"""The private chat: /start with or without a link, help, privacy, language, /stop."""

from __future__ import annotations

from telegram import Message, Update

from bot.callbacks import ChooseLanguage, Consent, ForgetAnswer, StopAnswer
from bot.context import BotContext
from bot.domain.invites import InviteKind, parse_payload
from bot.handlers import dialogs
from bot.handlers.common import USER_LANGUAGE, controller, refresh_actor, send
from bot.i18n import Translator
from bot.menus import set_personal_menu
from bot.render import general
from bot.render import groups as group_texts
from bot.render import library as library_texts
from bot.render.common import Reply
from bot.services.onboarding import Outcome, Result


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message and user
    tr = context.actor.tr
    if not context.args:
        access = context.actor.access
        await send_with_keys(message, context, general.welcome(tr, access.role_name).text)
        return
    token = parse_payload(context.args[0])
    onboarding = context.services.onboarding
    if token is None:
        await send(message, group_texts.link_problem(tr, Outcome.UNKNOWN))
    elif token.kind is InviteKind.LEADER:
        result = await onboarding.join_as_leader(user.id, tr.language, token)
        if result.outcome in (Outcome.DONE, Outcome.ALREADY) and result.group:
            await refresh_menu(context, user.id)
            if result.outcome is Outcome.DONE:  # what they can do, with their keyboard
                await refresh_actor(update, context)
                await send_with_keys(message, context, group_texts.leader_how_to(tr))
            # Last, at the bottom of the chat: the first step, with its button.
            await send(message, group_texts.leader_welcome(tr, result.outcome, result.group))
        else:
            await send(message, group_texts.link_problem(tr, result.outcome))
    elif token.kind is InviteKind.PARTICIPANT:
        result = await onboarding.preview_participant(user.id, token)
        await send(message, participant_reply(tr, result, token.payload, controller(context)))
    else:
        await send(message, group_texts.chat_link_in_private(tr))


def participant_reply(
    tr: Translator, result: Result, payload: str, facts: general.Controller
) -> Reply:
    group = result.group
    if result.outcome is Outcome.DONE and group:
        return group_texts.consent_request(tr, group, payload, facts)
    if result.outcome is Outcome.ALREADY and group:
        return Reply(group_texts.participant_already(tr, group))
    if result.outcome is Outcome.IS_LEADER and group:
        return Reply(group_texts.participant_link_for_leader(tr, group))
    return Reply(group_texts.link_problem(tr, result.outcome))


async def consent(update: Update, context: BotContext) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query and user
    tr = context.actor.tr
    token = parse_payload(Consent.unpack(query.data).payload)
    if token is None or token.kind is not InviteKind.PARTICIPANT:
        await query.answer(general.stale_button(tr))
        return
    result = await context.services.onboarding.consent(user.id, tr.language, token)
    await query.answer()
    if result.outcome is Outcome.DONE and result.group:
        await query.edit_message_text(group_texts.participant_joined(tr, result.group))
        await refresh_menu(context, user.id)
    else:
        reply = participant_reply(tr, result, token.payload, controller(context))
        await query.edit_message_text(reply.text)


async def decline(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    await query.answer()
    await query.edit_message_text(group_texts.consent_declined(tr))


async def help_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    tr = context.actor.tr
    access = context.actor.access
    await send_with_keys(message, context, general.help_text(tr, access.role_name))


async def send_with_keys(message: Message, context: BotContext, text: str) -> None:
    """A text without buttons of its own; a leader gets their keyboard with it."""
    if context.actor.access.is_leader:
        await message.reply_text(text, reply_markup=general.leader_keyboard(context.actor.tr))
    else:
        await send(message, text)


async def privacy(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    await send(message, general.privacy_notice(context.actor.tr, controller(context)))


async def language(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    await send(message, general.language_menu(context.actor.tr))


async def choose_language(update: Update, context: BotContext) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query and user
    code = ChooseLanguage.unpack(query.data).code
    remembered = await context.services.people.choose_language(user.id, code)
    if context.user_data is not None:
        context.user_data[USER_LANGUAGE] = code
    tr = (await refresh_actor(update, context)).tr  # the new language, from now on
    await query.answer()
    await query.edit_message_text(general.language_set(tr, remembered))
    if remembered:
        await refresh_menu(context, user.id)


async def stop(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    tr = context.actor.tr
    access = context.actor.access
    await send(message, group_texts.stop_confirm(tr, len(access.participant_of)))


async def stop_answer(update: Update, context: BotContext) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query and user
    tr = context.actor.tr
    await query.answer()
    if StopAnswer.unpack(query.data).answer != "yes":
        await query.edit_message_text(group_texts.kept(tr))
        return
    left = await context.services.onboarding.stop_private_messages(user.id)
    await query.edit_message_text(group_texts.stopped(tr, len(left)))
    await refresh_menu(context, user.id)


async def refresh_menu(context: BotContext, user_id: int) -> None:
    """After a change of role or language: read afresh, not from the actor of this update."""
    services = context.services
    access = await services.people.access(user_id)
    language = await services.people.stored_language(user_id)
    await set_personal_menu(context.bot, user_id, access.role_name, language)


async def unknown_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    await query.answer(general.stale_button(context.actor.tr))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have (a typo, or an old one): say so, kindly."""
    message = update.effective_message
    assert message
    await send(message, general.not_understood(context.actor.tr))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: stop whatever step-by-step chat is open (a new group, a post, a plan, …)."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    tr = context.actor.tr
    stopped = await dialogs.end(context, user.id)
    await send(message, general.stopped_that(tr) if stopped else group_texts.kept(tr))


async def forget(update: Update, context: BotContext) -> None:
    """/forget: after a confirmation, erase everything about the person."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    tr = context.actor.tr
    reply = general.forget_confirm(tr, await context.services.privacy.knows(user.id))
    if await context.services.library_items.authored(user.id):
        reply = library_texts.with_keep_choice(tr, reply)
    await send(message, reply)


async def forget_answer(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query and user
    tr = context.actor.tr
    await query.answer()
    answer = ForgetAnswer.unpack(query.data).answer
    if answer == "no":
        await query.edit_message_text(group_texts.kept(tr))
        return
    erasure = await context.services.privacy.forget(user.id, keep_library=answer == "keep")
    if context.user_data is not None:
        context.user_data.clear()
    await query.edit_message_text(general.forgotten(tr, erasure))
    await refresh_menu(context, user.id)
