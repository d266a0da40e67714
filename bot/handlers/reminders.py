"""A group's reminders and meeting place, added meetings (a replacement at the end or a
follow-up), and the closing message after the last session. NotAllowed, Stale and Busy
are answered centrally (handlers/errors.py)."""

from __future__ import annotations

from telegram import Update

from bot import jobs
from bot.callbacks import ClosingSend, ClosingWrite, MeetingAdd, MeetingSetup
from bot.context import BotContext
from bot.domain.dialogs import DialogKind
from bot.domain.parsing import Invalid
from bot.handlers import broadcast
from bot.handlers.common import send
from bot.render import broadcasts as broadcast_texts
from bot.render import reminders as texts
from bot.render.common import Reply, format_when
from bot.services.meetings import BeforeLast, TooMany


async def setup_button(update: Update, context: BotContext) -> None:
    """The reminders screen of a group, a switch pressed on it, or a value to type."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    data = MeetingSetup.unpack(query.data)
    access, tr, reminders = context.actor.access, context.actor.tr, context.services.reminders
    if data.what in ("time", "place"):
        kind = DialogKind.REMINDER_TIME if data.what == "time" else DialogKind.MEETING_PLACE
        group = await reminders.start_typing(access, data.group_id, kind)
        await query.answer()
        ask = texts.ask_time if data.what == "time" else texts.ask_place
        await send(message, ask(tr, group))
        return
    if data.what in ("on", "off", "early", "no_early"):
        await reminders.switch(access, data.group_id, data.what)
        await _arm(context)
    group, settings = await reminders.settings(access, data.group_id)
    await query.answer()
    reply = texts.settings(tr, group, settings, back=access.leads(group.id))
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


async def typed_place(update: Update, context: BotContext) -> None:
    await _typed(update, context, "place")


async def typed_time(update: Update, context: BotContext) -> None:
    await _typed(update, context, "time")


async def _typed(update: Update, context: BotContext, what: str) -> None:
    message = update.effective_message
    assert message and message.text is not None
    access, tr, reminders = context.actor.access, context.actor.tr, context.services.reminders
    if what == "place":
        saved = await reminders.typed_place(access, message.text)
    else:
        saved = await reminders.typed_time(access, message.text)
    if isinstance(saved, Invalid):
        await send(message, texts.setting_problem(tr, saved))
        return
    await _arm(context)
    group, settings = await reminders.settings(access, saved.group_id)
    reply = texts.settings(tr, group, settings, back=access.leads(group.id))
    await send(message, Reply(texts.saved(tr) + "\n\n" + reply.text, reply.buttons))


async def add_button(update: Update, context: BotContext) -> None:
    """A replacement a week after the last meeting (one press), or a follow-up at a time
    typed next."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    data = MeetingAdd.unpack(query.data)
    access, tr, meetings = context.actor.access, context.actor.tr, context.services.meetings
    if data.how == "typed":
        group = await meetings.start_add(access, data.group_id)
        await query.answer()
        await send(message, texts.ask_added_time(tr, group))
        return
    added = await meetings.add_replacement(access, data.group_id, data.last_id)
    await query.answer()
    if isinstance(added, TooMany):
        await query.edit_message_text(texts.too_many(tr))
        return
    reply = texts.session_added(tr, added, context.services.zone)
    await query.edit_message_text(reply.text, reply_markup=reply.markup)
    await _arm(context)


async def typed_added_time(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and message.text is not None
    tr, zone = context.actor.tr, context.services.zone
    added = await context.services.meetings.add(context.actor.access, message.text)
    if isinstance(added, Invalid):
        await send(message, broadcast_texts.compose_problem_line(tr, added))
    elif isinstance(added, BeforeLast):
        await send(message, texts.before_last(tr, format_when(tr, added.last, zone)))
    elif isinstance(added, TooMany):
        await send(message, texts.too_many(tr))
    else:
        await send(message, texts.session_added(tr, added, zone))
        await _arm(context)


async def closing_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    group_id = ClosingSend.unpack(query.data).group_id
    chats = await context.services.reminders.send_closing(context.actor.access, group_id)
    await query.answer(texts.closing_sent(context.actor.tr, chats), show_alert=True)
    context.sender.wake()


async def closing_write_button(update: Update, context: BotContext) -> None:
    """'Write my own': the leader's next message goes to the group as its closing message."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = context.actor.tr
    group_id = ClosingWrite.unpack(query.data).group_id
    group = await context.services.reminders.begin_own_closing(context.actor.access, group_id)
    if group is None:
        await query.answer(texts.closing_sent(tr, None), show_alert=True)
        return
    await query.answer()
    await send(message, texts.ask_own_closing(tr, group))


async def own_closing(update: Update, context: BotContext) -> None:
    """The leader's own closing message (any kind): copied to the group, nothing stored."""
    message = update.effective_message
    assert message
    tr = context.actor.tr
    if not broadcast.copyable(message):
        await send(message, broadcast_texts.cannot_copy(tr))
        return
    sent = await context.services.reminders.own_closing(
        context.actor.access, message.chat_id, message.message_id, message.media_group_id
    )
    if sent is None:  # the message after an album: an ordinary message again
        await broadcast.post(update, context)
        return
    if sent.first:
        await send(message, texts.closing_sent(tr, sent.chats))
    if sent.chats:
        context.sender.wake()


async def _arm(context: BotContext) -> None:
    await reminders_changed(context)


async def reminders_changed(context: BotContext) -> None:
    """After a change of time or settings: a reminder already due (a meeting moved near,
    a time set earlier) goes now; the next one gets its timer."""
    if await context.services.reminders.queue_due():
        context.sender.wake()
    if context.job_queue:
        await jobs.arm_reminders(context.job_queue, context.services)
