"""Meetings that cannot be held, check-ins, contact requests and contacts outside Telegram."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import jobs
from bot.callbacks import (
    CheckinAnswer,
    CheckinFor,
    CheckinQuestion,
    ContactGroup,
    ContactHandled,
    ContactLogged,
    ContactUndo,
    MeetingCancel,
    MeetingHow,
    MeetingMode,
    MeetingMove,
    MeetingPick,
    MeetingReason,
    MeetingUndo,
)
from bot.context import BotContext
from bot.domain.events import EventKind
from bot.domain.models import Group
from bot.domain.parsing import Invalid
from bot.handlers import checkin_copies, reminders
from bot.handlers.common import (
    leader_command,
    send,
)
from bot.i18n import translator
from bot.render import broadcasts as broadcast_texts
from bot.render import escalation as escalation_texts
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


MeetingPress = MeetingPick | MeetingHow | MeetingCancel | MeetingReason | MeetingMode | MeetingUndo
MEETING_BUTTONS = (MeetingPick, MeetingHow, MeetingCancel, MeetingReason, MeetingMode, MeetingUndo)


async def meeting_button(update: Update, context: BotContext) -> None:
    """One meeting chosen in /meetings; then a check-in instead or cancelled (how, then why,
    which cancels it: three presses after /meetings), moved, or the cancellation undone."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = _meeting_press(query.data)
    access = context.actor.access
    meeting = await context.services.checkins.meeting(data.session_id) if data else None
    if data is None or meeting is None or not access.leads(meeting.group.id):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    checkins, session_id = context.services.checkins, data.session_id
    match data:
        case MeetingPick():
            reply = meeting_texts.meeting_actions(tr, meeting, session_id, context.services.zone)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingHow(mode=mode):
            reply = meeting_texts.ask_reason_for(tr, session_id, mode)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingCancel():
            reply = meeting_texts.ask_reason(tr, session_id)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingReason(reason=reason):
            reply = meeting_texts.ask_mode(tr, session_id, reason)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        case MeetingMode(reason=reason, mode=mode):
            refused = await checkins.cancel_meeting(access, session_id, mode, reason)
            group_id = meeting.group.id
            last_id = await context.services.meetings.last_session_id(access, group_id)
            reply = meeting_texts.after_cancel(tr, mode, refused, group_id, last_id)
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
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


async def _after_change(context: BotContext) -> None:
    context.sender.wake()
    if context.job_queue:
        await jobs.arm_checkins(context.job_queue, context.services)
    await reminders.reminders_changed(context)


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
        await checkin_copies.show_closed(context, query.message, checkin_id)
        return
    contact = data.question == "contact"
    saved = meeting_texts.answer_saved(tr, data.question, data.value)
    await query.answer(saved, show_alert=contact)
    if result.new_contact_request is not None and result.group is not None:
        for leader in result.leaders:
            await _tell_leader(context, leader, result, user.id, user.first_name)
        if context.job_queue is not None:  # its reminder and escalation
            await jobs.arm_escalations(context.job_queue, context.services)
    if chat.type == ChatType.PRIVATE:
        await checkin_copies.mark_mine(context, query.message, checkin_id, user.id)
    elif not contact:
        _update_count_soon(context, checkin_id)


async def question(update: Update, context: BotContext) -> None:
    """A tap on a question's label above its answers."""
    query = update.callback_query
    assert query
    CheckinQuestion.unpack(query.data)
    await query.answer(meeting_texts.question_hint(context.actor.tr))


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
    if info.closed:
        return  # the closing edits it
    reply = meeting_texts.checkin(
        translator(info.group.language), info.id, await checkins.answered(info.id), False
    )
    try:
        await context.bot.edit_message_text(
            reply.text, info.group.chat_id, message_id, reply_markup=reply.markup
        )
    except TelegramError as error:  # e.g. nothing changed: the count is a courtesy
        logger.info("could not update a check-in's count: %s", type(error).__name__)


async def handled(update: Update, context: BotContext) -> None:
    """A leader (or, once passed on, a coordinator) has contacted the person. The pressed
    button then shows it is handled; a second leader pressing theirs is told it already was,
    and their button shows it too."""
    query = update.callback_query
    assert query and query.data
    request_id = ContactHandled.unpack(query.data).request_id
    done = await context.services.escalations.handle(context.actor.access, request_id)
    await query.answer(meeting_texts.request_handled(context.actor.tr, done))
    message = query.message
    if isinstance(message, Message) and message.reply_markup:
        markup = escalation_texts.marked_handled(context.actor.tr, message.reply_markup, query.data)
        try:
            # With Defaults, PTB adds a parse_mode that editMessageReplyMarkup does not take;
            # None here overrides it, and PTB drops None values from the request.
            await query.edit_message_reply_markup(markup, api_kwargs={"parse_mode": None})
        except TelegramError as error:  # e.g. marked already: the toast said it
            logger.info("could not mark a handled request: %s", type(error).__name__)


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
    """/contact: a leader of one group gets its buttons at once; of several, chooses."""
    groups = await led_groups(context)
    tr = context.actor.tr
    if len(groups) == 1:
        week = await context.services.outside_contacts.week(context.actor.access, groups[0].id)
        return meeting_texts.contact_panel(tr, week)
    return meeting_texts.contact_menu(tr, groups, page)


async def contact_group(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    group_id = ContactGroup.unpack(query.data).group_id
    week = await context.services.outside_contacts.week(context.actor.access, group_id)
    await query.answer()
    reply = meeting_texts.contact_panel(context.actor.tr, week)
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


async def contact_logged(update: Update, context: BotContext) -> None:
    """A phone call or a visit, counted; the totals shown again, with an undo."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = ContactLogged.unpack(query.data)
    week = await context.services.outside_contacts.log(
        context.actor.access, data.group_id, CONTACT_KINDS[data.kind]
    )
    await query.answer(meeting_texts.contact_logged(tr, data.kind))
    reply = meeting_texts.contact_panel(tr, week, undo=data.kind)
    await _edit_quietly(query, reply)


async def contact_undo(update: Update, context: BotContext) -> None:
    """Take back a contact logged by mistake (a double tap)."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = ContactUndo.unpack(query.data)
    outside = context.services.outside_contacts
    access, kind = context.actor.access, CONTACT_KINDS[data.kind]
    week = await outside.undo(access, data.group_id, kind, data.day, data.total)
    await query.answer(meeting_texts.contact_undone(tr, week is not None))
    shown = week or await outside.week(access, data.group_id)
    await _edit_quietly(query, meeting_texts.contact_panel(tr, shown))


CONTACT_KINDS = {"phone": EventKind.PHONE_CONTACT, "visit": EventKind.VISIT}


async def _edit_quietly(query: CallbackQuery, reply: Reply) -> None:
    try:
        await query.edit_message_text(reply.text, reply_markup=reply.markup)
    except TelegramError as error:  # an old message: the toast has said it
        logger.info("could not show the contact totals: %s", type(error).__name__)


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
    await _after_change(context)  # the group is told; reminders follow the new time
