"""Meetings that cannot be held, check-ins, contact requests and contacts outside Telegram."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import jobs, render
from bot.context import BotContext
from bot.domain.checkins import Mode, Reason
from bot.domain.events import EventKind
from bot.domain.parsing import Invalid
from bot.handlers.common import (
    access_of,
    button_data,
    leader_command,
    numbered_button,
    send,
    tr_for,
)
from bot.i18n import translator
from bot.services.checkins import Answered, AnswerStatus
from bot.services.errors import NotAllowed, Stale

logger = logging.getLogger(__name__)

COUNT_EDIT_DELAY = 5.0  # seconds: the answer count in the group chat is updated in batches


async def meetings(update: Update, context: BotContext) -> None:
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    zone = context.services.zone
    plans = await context.services.meetings.upcoming(access, tr.language)
    buttons = render.meeting_buttons(tr, plans, zone)
    await send(message, render.Reply(render.meetings(tr, plans, zone), buttons))


async def meeting_button(update: Update, context: BotContext) -> None:
    """'mc:<session>' why, 'mr:<session>:<reason>' how, 'mm:<session>:<reason>:<mode>' do it,
    'mu:<session>' undo."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = await tr_for(update, context)
    parts = button_data(update).split(":")
    access = await access_of(update, context)
    checkins = context.services.checkins
    try:
        action, session_id = parts[0], int(parts[1]) if parts[1:] and parts[1].isdigit() else -1
        if session_id < 0 or not await _leads_session(context, access.leader_of, session_id):
            raise NotAllowed
        await query.answer()
        if action == "mc":
            reply = render.ask_reason(tr, session_id)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        elif action == "mr" and len(parts) == 3:
            reply = render.ask_mode(tr, session_id, Reason(parts[2]))
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        elif action == "mm" and len(parts) == 4:
            mode = Mode(parts[3])
            refused = await checkins.cancel_meeting(access, session_id, mode, Reason(parts[2]))
            await query.edit_message_text(render.meeting_changed(tr, mode, refused))
            await _after_change(context)
        elif action == "mu":
            refused = await checkins.undo(access, session_id)
            await query.edit_message_text(render.meeting_changed(tr, None, refused))
            await _after_change(context)
    except (NotAllowed, ValueError):
        await query.answer(render.stale_button(tr))


async def _leads_session(context: BotContext, led: frozenset[int], session_id: int) -> bool:
    meeting = await context.services.checkins.meeting(session_id)
    return meeting is not None and meeting.group.id in led


async def _after_change(context: BotContext) -> None:
    context.sender.wake()
    if context.job_queue:
        await jobs.arm_closing(context.job_queue, context.services)


async def checkin_now(update: Update, context: BotContext) -> None:
    """/checkin: a check-in to the group now (a leader of several groups chooses)."""
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    if len(access.leader_of) > 1:
        groups = await context.services.onboarding.overview(access)
        await send(message, render.choose_group(tr, [g.group for g in groups], "ck"))
        return
    (group_id,) = access.leader_of
    await context.services.checkins.send_now(access, group_id)
    await send(message, render.checkin_sent(tr))
    await _after_change(context)


async def checkin_for_group(update: Update, context: BotContext) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = await tr_for(update, context)
    try:
        _, group_id = numbered_button(update)
        await context.services.checkins.send_now(await access_of(update, context), group_id)
    except NotAllowed:
        await query.answer(render.not_allowed(tr))
        return
    await query.answer()
    await query.edit_message_text(render.checkin_sent(tr))
    await _after_change(context)


async def answer(update: Update, context: BotContext) -> None:
    """'ci:<check-in>:<question>:<value>', pressed in a group chat or a private one."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    assert query and chat and user
    tr = await tr_for(update, context)
    parts = button_data(update).split(":")
    checkins = context.services.checkins
    try:
        if len(parts) != 4 or not parts[1].isdigit():
            raise NotAllowed
        checkin_id = int(parts[1])
        result = await checkins.answer(user.id, chat.id, checkin_id, parts[2], parts[3])
    except NotAllowed:
        await query.answer(render.stale_button(tr))
        return
    if result.status is AnswerStatus.NOT_HERE:
        await query.answer(render.stale_button(tr))
        return
    if result.status is AnswerStatus.CLOSED:
        await query.answer(render.answer_closed(tr))
        return
    contact = parts[2] == "contact"
    await query.answer(render.answer_saved(tr, result.first_in_group, contact), show_alert=contact)
    if result.new_contact_request is not None and result.group is not None:
        for leader in result.leaders:
            await _tell_leader(context, leader, result, user.id, user.first_name)
    if not contact:
        _update_count_soon(context, checkin_id)


async def _tell_leader(
    context: BotContext, leader: int, result: Answered, user_id: int, name: str
) -> None:
    assert result.group and result.new_contact_request
    tr = translator(await context.services.people.stored_language(leader))
    reply = render.contact_wanted(tr, result.group, user_id, name, result.new_contact_request)
    try:
        await context.bot.send_message(
            leader, reply.text, parse_mode="HTML", reply_markup=reply.markup
        )
    except TelegramError as error:  # the request stays in the summary all the same
        logger.warning("could not tell a leader about a contact request: %s", type(error).__name__)


def _update_count_soon(context: BotContext, checkin_id: int) -> None:
    """Batch the count edits, so a busy group chat is not flooded with them."""
    queue = context.job_queue
    name = f"checkin-count:{checkin_id}"
    if queue is None or queue.get_jobs_by_name(name):
        return
    queue.run_once(
        update_count,  # type: ignore[arg-type]  # PTB types jobs with its base context
        COUNT_EDIT_DELAY,
        data=checkin_id,
        name=name,
    )


async def update_count(context: BotContext) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, int)
    checkins = context.services.checkins
    info = await checkins.info(job.data)
    if info is None or info.group.chat_id is None or info.broadcast_id is None:
        return
    message_id = await checkins.group_message(info)
    if message_id is None:
        return
    reply = render.checkin(
        translator(info.group.language), info.id, await checkins.answered(info.id), info.closed
    )
    try:
        await context.bot.edit_message_text(
            reply.text, info.group.chat_id, message_id, parse_mode="HTML", reply_markup=reply.markup
        )
    except TelegramError as error:  # e.g. nothing changed: the count is a courtesy
        logger.info("could not update a check-in's count: %s", type(error).__name__)


async def handled(update: Update, context: BotContext) -> None:
    """'ch:<request>': a leader has contacted the person."""
    query = update.callback_query
    assert query
    tr = await tr_for(update, context)
    try:
        _, request_id = numbered_button(update)
        done = await context.services.checkins.handle_request(
            await access_of(update, context), request_id
        )
    except NotAllowed:
        await query.answer(render.not_allowed(tr))
        return
    await query.answer(render.request_handled(tr, done))


async def contact(update: Update, context: BotContext) -> None:
    """/contact: log a phone call or a visit."""
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    groups = [item.group for item in await context.services.onboarding.overview(access)]
    await send(message, render.contact_menu(tr, groups))


async def contact_logged(update: Update, context: BotContext) -> None:
    """'lc:<group>:phone|visit'."""
    query = update.callback_query
    assert query
    tr = await tr_for(update, context)
    parts = button_data(update).split(":")
    kinds = {"phone": EventKind.PHONE_CONTACT, "visit": EventKind.VISIT}
    try:
        if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in kinds:
            raise NotAllowed
        await context.services.outside_contacts.log(
            await access_of(update, context), int(parts[1]), kinds[parts[2]]
        )
    except NotAllowed:
        await query.answer(render.not_allowed(tr))
        return
    await query.answer(render.contact_logged(tr))


async def move_button(update: Update, context: BotContext) -> None:
    """'mv:<session>': ask for the new time (typed next)."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = await tr_for(update, context)
    meetings = context.services.meetings
    try:
        _, session_id = numbered_button(update)
        session = await meetings.start_move(await access_of(update, context), session_id)
    except NotAllowed:
        await query.answer(render.stale_button(tr))
        return
    await query.answer()
    await send(message, render.ask_new_time(tr, session, context.services.zone))


async def typed_new_time(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and message.text is not None
    tr = await tr_for(update, context)
    zone = context.services.zone
    try:
        moved = await context.services.meetings.move(await access_of(update, context), message.text)
    except (NotAllowed, Stale):
        await send(message, render.stale_button(tr))
        return
    if isinstance(moved, Invalid):
        await send(message, render.compose_problem_line(tr, moved))
        return
    await send(message, render.session_moved(tr, moved, zone))
