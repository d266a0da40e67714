"""Meetings that cannot be held, check-ins, contact requests and contacts outside Telegram."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import jobs
from bot.callbacks import (
    CheckinAnswer,
    CheckinFor,
    ContactHandled,
    ContactLogged,
    MeetingCancel,
    MeetingMode,
    MeetingMove,
    MeetingReason,
    MeetingUndo,
)
from bot.context import BotContext
from bot.domain.events import EventKind
from bot.domain.models import Group
from bot.domain.parsing import Invalid
from bot.handlers.common import (
    leader_command,
    send,
)
from bot.i18n import translator
from bot.render import broadcasts as broadcast_texts
from bot.render import general
from bot.render import meetings as meeting_texts
from bot.render.common import Reply
from bot.services.checkins import Answered, AnswerStatus
from bot.services.errors import NotAllowed, Stale

logger = logging.getLogger(__name__)

COUNT_EDIT_DELAY = 5.0  # seconds: the answer count in the group chat is updated in batches


async def meetings_page(context: BotContext, page: int) -> Reply:
    """A page of /meetings, read afresh (also for its page buttons)."""
    access, tr = context.actor.access, context.actor.tr
    if not access.is_leader:
        raise NotAllowed
    plans = await context.services.meetings.upcoming(access, tr.language)
    return meeting_texts.meetings(tr, plans, context.services.zone, page)


MeetingPress = MeetingCancel | MeetingReason | MeetingMode | MeetingUndo
MEETING_BUTTONS = (MeetingCancel, MeetingReason, MeetingMode, MeetingUndo)


async def meeting_button(update: Update, context: BotContext) -> None:
    """Cancel a meeting (why, then how) or undo a cancellation."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = _meeting_press(query.data)
    access = context.actor.access
    if data is None or not await _leads_session(context, access.leader_of, data.session_id):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    checkins, session_id = context.services.checkins, data.session_id
    match data:
        case MeetingCancel():
            reply = meeting_texts.ask_reason(tr, session_id)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingReason(reason=reason):
            reply = meeting_texts.ask_mode(tr, session_id, reason)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingMode(reason=reason, mode=mode):
            refused = await checkins.cancel_meeting(access, session_id, mode, reason)
            await query.edit_message_text(meeting_texts.meeting_changed(tr, mode, refused))
            await _after_change(context)
        case MeetingUndo():
            refused = await checkins.undo(access, session_id)
            await query.edit_message_text(meeting_texts.meeting_changed(tr, None, refused))
            await _after_change(context)


def _meeting_press(data: str | None) -> MeetingPress | None:
    for family in MEETING_BUTTONS:
        if family.pattern().match(data or ""):
            return family.unpack(data)
    return None


async def _leads_session(context: BotContext, led: frozenset[int], session_id: int) -> bool:
    meeting = await context.services.checkins.meeting(session_id)
    return meeting is not None and meeting.group.id in led


async def _after_change(context: BotContext) -> None:
    context.sender.wake()
    if context.job_queue:
        await jobs.arm_checkins(context.job_queue, context.services)


async def checkin_now(update: Update, context: BotContext) -> None:
    """/checkin: a check-in to the group now (a leader of several groups chooses)."""
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    if len(access.leader_of) > 1:
        await send(message, await checkin_page(context, 0))
        return
    (group_id,) = access.leader_of
    await context.services.checkins.send_now(access, group_id)
    await send(message, meeting_texts.checkin_sent(tr))
    await _after_change(context)


async def checkin_for_group(update: Update, context: BotContext) -> None:
    query, message = update.callback_query, update.effective_message
    assert query and message
    group_id = CheckinFor.unpack(query.data).group_id
    await context.services.checkins.send_now(context.actor.access, group_id)
    await query.answer()
    await query.edit_message_text(meeting_texts.checkin_sent(context.actor.tr))
    await _after_change(context)


async def answer(update: Update, context: BotContext) -> None:
    """An answer to a check-in, pressed in a group chat or a private one."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    assert query and chat and user
    tr = context.actor.tr
    checkins = context.services.checkins
    try:
        data = CheckinAnswer.unpack(query.data)
        checkin_id = data.checkin_id
        result = await checkins.answer(user.id, chat.id, checkin_id, data.question, data.value)
    except NotAllowed:
        await query.answer(general.stale_button(tr))
        return
    if result.status is AnswerStatus.NOT_HERE:
        await query.answer(general.stale_button(tr))
        return
    if result.status is AnswerStatus.NOT_PARTICIPANT:
        await query.answer(meeting_texts.join_to_answer(tr), show_alert=True)
        return
    if result.status is AnswerStatus.CLOSED:
        await query.answer(meeting_texts.answer_closed(tr))
        return
    contact = data.question == "contact"
    await query.answer(
        meeting_texts.answer_saved(tr, result.first_in_group, contact), show_alert=contact
    )
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
    reply = meeting_texts.contact_wanted(
        tr, result.group, user_id, name, result.new_contact_request
    )
    try:
        await context.bot.send_message(leader, reply.text, reply_markup=reply.markup)
    except TelegramError as error:  # the request stays in the summary all the same
        logger.warning("could not tell a leader about a contact request: %s", type(error).__name__)


def _update_count_soon(context: BotContext, checkin_id: int) -> None:
    """Batch the count edits, so a busy group chat is not flooded with them."""
    queue = context.job_queue
    name = f"checkin-count:{checkin_id}"
    # Looked up by id: `get_jobs_by_name` would go through every timer on every answer.
    if queue is None or queue.scheduler.get_job(name) is not None:
        return
    queue.run_once(
        update_count,  # type: ignore[arg-type]  # PTB types jobs with its base context
        COUNT_EDIT_DELAY,
        data=checkin_id,
        name=name,
        job_kwargs={"id": name},
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
    reply = meeting_texts.checkin(
        translator(info.group.language), info.id, await checkins.answered(info.id), info.closed
    )
    try:
        await context.bot.edit_message_text(
            reply.text, info.group.chat_id, message_id, reply_markup=reply.markup
        )
    except TelegramError as error:  # e.g. nothing changed: the count is a courtesy
        logger.info("could not update a check-in's count: %s", type(error).__name__)


async def handled(update: Update, context: BotContext) -> None:
    """A leader has contacted the person."""
    query = update.callback_query
    assert query
    request_id = ContactHandled.unpack(query.data).request_id
    done = await context.services.checkins.handle_request(context.actor.access, request_id)
    await query.answer(meeting_texts.request_handled(context.actor.tr, done))


async def led_groups(context: BotContext) -> list[Group]:
    access = context.actor.access
    if not access.is_leader:
        raise NotAllowed
    return [item.group for item in await context.services.onboarding.overview(access)]


async def checkin_page(context: BotContext, page: int) -> Reply:
    """Which group gets a check-in now: a page of the leader's groups."""
    groups = await led_groups(context)
    return meeting_texts.choose_group_for_checkin(context.actor.tr, groups, page)


async def contact_page(context: BotContext, page: int) -> Reply:
    """/contact's buttons: a page of the leader's groups."""
    return meeting_texts.contact_menu(context.actor.tr, await led_groups(context), page)


async def contact_logged(update: Update, context: BotContext) -> None:
    """A phone call or a visit, counted."""
    query = update.callback_query
    assert query
    kinds = {"phone": EventKind.PHONE_CONTACT, "visit": EventKind.VISIT}
    data = ContactLogged.unpack(query.data)
    await context.services.outside_contacts.log(
        context.actor.access, data.group_id, kinds[data.kind]
    )
    await query.answer(meeting_texts.contact_logged(context.actor.tr))


async def move_button(update: Update, context: BotContext) -> None:
    """Ask for the meeting's new time (typed next)."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = context.actor.tr
    meetings = context.services.meetings
    try:
        session_id = MeetingMove.unpack(query.data).session_id
        session = await meetings.start_move(context.actor.access, session_id)
    except NotAllowed:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    await send(message, meeting_texts.ask_new_time(tr, session, context.services.zone))


async def typed_new_time(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and message.text is not None
    tr = context.actor.tr
    zone = context.services.zone
    try:
        moved = await context.services.meetings.move(context.actor.access, message.text)
    except (NotAllowed, Stale):
        await send(message, general.stale_button(tr))
        return
    if isinstance(moved, Invalid):
        await send(message, broadcast_texts.compose_problem_line(tr, moved))
        return
    await send(message, meeting_texts.session_moved(tr, moved, zone))
