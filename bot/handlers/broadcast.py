"""Leaders' broadcasts: anything sent in private becomes a post for their groups."""

from __future__ import annotations

from telegram import Message, Update

from bot.callbacks import (
    BroadcastCancel,
    BroadcastConfirm,
    BroadcastDiscard,
    BroadcastPress,
    BroadcastSendAgain,
    BroadcastTakeBack,
    TipSend,
    TipTopic,
    TipView,
)
from bot.context import BotContext
from bot.domain.broadcast_draft import Step
from bot.domain.parsing import Invalid
from bot.handlers import library
from bot.handlers.common import (
    leader_command,
    send,
)
from bot.i18n import Translator, translator
from bot.render import broadcasts as broadcast_texts
from bot.render import general
from bot.render import library as library_texts
from bot.render.common import Reply
from bot.services.broadcasts import ComposeView
from bot.services.errors import NotAllowed, Stale
from bot.services.library import TOPICS

# Album parts arrive as separate updates with no end marker: ask once, this long
# after the first part (the parts that come meanwhile join the draft).
ALBUM_WAIT_SECONDS = 1.5


def copyable(message: Message) -> bool:
    """What copyMessage refuses: service messages, invoices, giveaways, paid media, and
    quiz polls (their answer is hidden from the bot)."""
    if message.invoice or message.giveaway or message.giveaway_winners or message.paid_media:
        return False
    return not (message.poll and message.poll.type == message.poll.QUIZ)


async def post(update: Update, context: BotContext) -> None:
    """A leader's message in private: ask where and when to send it."""
    message = update.effective_message
    assert message
    tr = context.actor.tr
    access = context.actor.access
    if not access.is_leader:
        await send(
            message,
            broadcast_texts.only_leaders_send(tr)
            if not message.text
            else general.not_understood(tr),
        )
        return
    if not copyable(message):
        await send(message, broadcast_texts.cannot_copy(tr))
        return
    library.remember(context, message)
    view = await context.services.broadcasts.start(
        access,
        chat_id=message.chat_id,
        message_id=message.message_id,
        media_group_id=message.media_group_id,
    )
    if view is None:
        return  # a later part of an album: the question is asked once
    if message.media_group_id and context.job_queue:
        context.job_queue.run_once(
            ask_about_album,  # type: ignore[arg-type]  # PTB types jobs with its base context
            ALBUM_WAIT_SECONDS,
            chat_id=message.chat_id,
            user_id=access.user_id,
            name=f"album:{access.user_id}",
        )
        return
    await send(message, broadcast_texts.compose_prompt(tr, view, context.services.zone))


async def ask_about_album(context: BotContext) -> None:
    job = context.job
    assert job and job.user_id is not None and job.chat_id is not None
    services = context.services
    access = await services.people.access(job.user_id)
    view = await services.broadcasts.current(access)
    if view is None:
        return
    tr = await _stored_tr(context, job.user_id)
    reply = broadcast_texts.compose_prompt(tr, view, services.zone)
    await context.bot.send_message(job.chat_id, reply.text, reply_markup=reply.markup)


async def typed(update: Update, context: BotContext) -> None:
    """Text while a post waits for its choices: a time at the "when" step, else a new post."""
    view = await context.services.broadcasts.current(context.actor.access)
    if view and view.draft.step is Step.WHEN:
        await typed_time(update, context, view)
    else:
        await post(update, context)


async def typed_time(update: Update, context: BotContext, view: ComposeView) -> None:
    message = update.effective_message
    assert message and message.text is not None
    tr = context.actor.tr
    moved = await context.services.broadcasts.typed_time(context.actor.access, message.text)
    zone = context.services.zone
    if isinstance(moved, Invalid):
        await send(message, broadcast_texts.compose_problem(tr, view, moved, zone))
    else:
        await send(message, broadcast_texts.compose_prompt(tr, moved, zone))


async def pressed(update: Update, context: BotContext) -> None:
    """A button of the draft: a group, when, private chats or next."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    broadcasts = context.services.broadcasts
    access = context.actor.access
    try:
        data = BroadcastPress.unpack(query.data)
        moved = await broadcasts.press(access, data.revision, data.action, data.argument or "")
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    if isinstance(moved, Invalid):
        await query.answer(
            broadcast_texts.compose_problem_line(tr, moved)
        )  # the message stays as it is
        return
    await query.answer()
    reply = broadcast_texts.compose_prompt(tr, moved, context.services.zone)
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


async def confirm(update: Update, context: BotContext) -> None:
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = context.actor.tr
    services = context.services
    try:
        revision = BroadcastConfirm.unpack(query.data).revision
        queued = await services.broadcasts.confirm(context.actor.access, revision)
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    if queued is None:
        await query.edit_message_text(broadcast_texts.no_targets(tr))
        return
    reply = broadcast_texts.queued(tr, queued, services.zone)
    await query.edit_message_text(reply.text, reply_markup=reply.markup)
    await services.broadcasts.set_report(queued.broadcast_id, message.message_id)
    context.sender.wake()
    if queued.offerable:  # the leader's own post: other groups might like it too
        await send(message, library_texts.invitation(tr, queued.broadcast_id))


async def cancel_draft(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    try:
        revision = BroadcastDiscard.unpack(query.data).revision
        await context.services.broadcasts.cancel_draft(context.actor.access, revision)
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    await query.edit_message_text(broadcast_texts.broadcast_cancelled(tr, 1))


async def send_again(update: Update, context: BotContext) -> None:
    """Send again to the chats a broadcast did not reach."""
    query = update.callback_query
    assert query
    broadcast_id = BroadcastSendAgain.unpack(query.data).broadcast_id
    count = await context.services.broadcasts.send_again(context.actor.access, broadcast_id)
    await query.answer(broadcast_texts.sending_again(context.actor.tr, count))
    context.sender.wake()


async def cancel_scheduled(update: Update, context: BotContext) -> None:
    """Stop what has not been sent yet."""
    await _after_queueing(update, context, take_back=False)


async def take_back(update: Update, context: BotContext) -> None:
    """Delete it from every chat it reached."""
    await _after_queueing(update, context, take_back=True)


async def _after_queueing(update: Update, context: BotContext, *, take_back: bool) -> None:
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = context.actor.tr
    broadcasts = context.services.broadcasts
    access = context.actor.access
    if take_back:
        broadcast_id = BroadcastTakeBack.unpack(query.data).broadcast_id
        text = broadcast_texts.taking_back(tr, await broadcasts.take_back(access, broadcast_id))
    else:
        broadcast_id = BroadcastCancel.unpack(query.data).broadcast_id
        count = await broadcasts.cancel(access, broadcast_id)
        text = broadcast_texts.broadcast_cancelled(tr, count)
    await query.answer()
    await send(message, text)
    context.sender.wake()


async def scheduled_page(context: BotContext, page: int) -> Reply:
    """A page of /scheduled, read afresh (also for its page buttons)."""
    access = context.actor.access
    if not access.is_leader:
        raise NotAllowed
    items = await context.services.broadcasts.scheduled(access)
    return broadcast_texts.scheduled_list(context.actor.tr, items, context.services.zone, page)


async def _stored_tr(context: BotContext, user_id: int) -> Translator:
    return translator(await context.services.people.stored_language(user_id))


async def tips(update: Update, context: BotContext) -> None:
    start = await leader_command(update, context)
    if start is None:
        return
    message, tr, access = start
    written = context.services.library.topics(tr.language)
    items = await context.services.library_items.for_leader(access, tr.language, None)
    shared = {item.topic for item in items}
    topics = [*written, *(t for t in TOPICS if t in shared and t not in written)]
    await send(message, broadcast_texts.topic_menu(tr, topics))


async def tip_topic(update: Update, context: BotContext) -> None:
    """A topic's tips."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = context.actor.tr
    if not (context.actor.access).is_leader:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    topic = TipTopic.unpack(query.data).topic
    tips = context.services.library.tips(tr.language, topic)
    items = await context.services.library_items.for_leader(
        context.actor.access, tr.language, topic
    )
    menu = broadcast_texts.tip_menu(tr, tips)  # leaders' own items first: newest, most used
    await send(message, Reply(menu.text, [*library_texts.item_buttons(items), *menu.buttons]))


async def tip_view(update: Update, context: BotContext) -> None:
    """One tip, with a button to send it."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = context.actor.tr
    library = context.services.library
    tip = library.tip(TipView.unpack(query.data).tip_id)
    if tip is None or not (context.actor.access).is_leader:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    await send(message, broadcast_texts.tip_preview(tr, tip, library.text(tip.id) or ""))


async def tip_send(update: Update, context: BotContext) -> None:
    """Start a post of the tip: where and when."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr = context.actor.tr
    access = context.actor.access
    tip = context.services.library.tip(TipSend.unpack(query.data).tip_id)
    if tip is None or not access.is_leader:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    view = await context.services.broadcasts.start(access, tip_id=tip.id)
    assert view is not None
    await send(message, broadcast_texts.compose_prompt(tr, view, context.services.zone))
