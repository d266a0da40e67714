"""Leaders' broadcasts: anything sent in private becomes a post for their groups."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Message, ReplyParameters, Update

from bot.callbacks import (
    BroadcastCancel,
    BroadcastConfirm,
    BroadcastDiscard,
    BroadcastKeep,
    BroadcastPress,
    BroadcastSendAgain,
    BroadcastShow,
    BroadcastTakeBack,
    BroadcastTakeBackSure,
    BroadcastWaiting,
    TipSend,
    TipTopic,
    TipView,
)
from bot.context import BotContext
from bot.domain.broadcast_draft import Step
from bot.domain.outbox import ContentKind
from bot.domain.parsing import Invalid, Problem
from bot.handlers import library
from bot.handlers.common import (
    leader_command,
    send,
)
from bot.i18n import Translator, translator
from bot.render import broadcasts as broadcast_texts
from bot.render import general
from bot.render import library as library_texts
from bot.render import posts as post_texts
from bot.render.common import Reply, format_when
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
    await send(message, _prompt_or_question(tr, view, context.services.zone))


def _prompt_or_question(tr: Translator, view: ComposeView, zone: ZoneInfo) -> Reply:
    """Where and when to send a new post; or, for a message sent while a post waited,
    whether it belongs to that post."""
    if view.draft.waiting:
        return post_texts.waiting_question(tr, view.draft)
    return broadcast_texts.compose_prompt(tr, view, zone)


async def ask_about_album(context: BotContext) -> None:
    job = context.job
    assert job and job.user_id is not None and job.chat_id is not None
    services = context.services
    access = await services.people.access(job.user_id)
    view = await services.broadcasts.current(access)
    if view is None:
        return
    tr = await _stored_tr(context, job.user_id)
    reply = _prompt_or_question(tr, view, services.zone)
    await context.bot.send_message(job.chat_id, reply.text, reply_markup=reply.markup)


async def typed(update: Update, context: BotContext) -> None:
    """Text while a post waits for its choices: a time at the "when" step; anything else
    (at any step) is a message the leader is asked about."""
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
    if isinstance(moved, Invalid) and moved.problem is Problem.NOT_UNDERSTOOD:
        # Not a time at all: perhaps words meant for the post ("Tässä kuva retkeltä…").
        await _set_aside(message, context, broadcast_texts.compose_problem_line(tr, moved))
    elif isinstance(moved, Invalid):
        await send(message, broadcast_texts.compose_problem(tr, view, moved, zone))
    else:
        await send(message, broadcast_texts.compose_prompt(tr, moved, zone))


async def _set_aside(message: Message, context: BotContext, not_a_time: str) -> None:
    view = await context.services.broadcasts.start(
        context.actor.access, chat_id=message.chat_id, message_id=message.message_id
    )
    assert view is not None, "a text is never part of an album"
    await send(
        message, post_texts.waiting_question(context.actor.tr, view.draft, not_a_time=not_a_time)
    )


async def place_waiting(update: Update, context: BotContext) -> None:
    """The answer to "does this message belong to the post?"."""
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = context.actor.tr
    try:
        data = BroadcastWaiting.unpack(query.data)
        view = await context.services.broadcasts.place_waiting(
            context.actor.access, data.message_id, add=data.choice == "add"
        )
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    reply = broadcast_texts.compose_prompt(tr, view, context.services.zone)
    if data.choice == "add":
        reply = Reply(
            f"{post_texts.added(tr, len(view.draft.message_ids))}\n\n{reply.text}", reply.buttons
        )
    await query.edit_message_text(reply.text, reply_markup=reply.markup)


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
    if queued.waiting is not None:  # what the leader sent meanwhile is not dropped
        await _ask_about_the_rest(context, message.chat_id, tr, queued.waiting)


async def _ask_about_the_rest(
    context: BotContext, chat_id: int, tr: Translator, view: ComposeView
) -> None:
    """The messages set aside while a post waited, now a post of their own: asked as a reply
    to the first of them, so the leader sees which one is meant."""
    prompt = broadcast_texts.compose_prompt(tr, view, context.services.zone)
    await context.bot.send_message(
        chat_id,
        f"{post_texts.the_rest(tr)}\n\n{prompt.text}",
        reply_markup=prompt.markup,
        reply_parameters=ReplyParameters(
            view.draft.message_ids[0], allow_sending_without_reply=True
        ),
    )


async def cancel_draft(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    try:
        revision = BroadcastDiscard.unpack(query.data).revision
        rest = await context.services.broadcasts.cancel_draft(context.actor.access, revision)
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    await query.edit_message_text(broadcast_texts.broadcast_cancelled(tr, 1))
    if rest is not None and query.message is not None:  # what was sent meanwhile is not dropped
        await _ask_about_the_rest(context, query.message.chat.id, tr, rest)


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
    """Asked first: deleting it from every chat cannot be undone."""
    query = update.callback_query
    message = update.effective_message
    assert query and message
    broadcast_id = BroadcastTakeBack.unpack(query.data).broadcast_id
    chats = await context.services.broadcasts.reached(context.actor.access, broadcast_id)
    await query.answer()
    await send(message, post_texts.take_back_question(context.actor.tr, broadcast_id, chats))


async def take_back_sure(update: Update, context: BotContext) -> None:
    """Delete it from every chat it reached."""
    await _after_queueing(update, context, take_back=True)


async def keep(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    BroadcastKeep.unpack(query.data)
    await query.answer()
    await query.edit_message_text(post_texts.kept(context.actor.tr))


async def _after_queueing(update: Update, context: BotContext, *, take_back: bool) -> None:
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr = context.actor.tr
    broadcasts = context.services.broadcasts
    access = context.actor.access
    if take_back:
        broadcast_id = BroadcastTakeBackSure.unpack(query.data).broadcast_id
        text = broadcast_texts.taking_back(tr, await broadcasts.take_back(access, broadcast_id))
        await query.answer()
        await query.edit_message_text(text)  # the question becomes its answer
    else:
        broadcast_id = BroadcastCancel.unpack(query.data).broadcast_id
        count = await broadcasts.cancel(access, broadcast_id)
        await query.answer()
        await send(message, broadcast_texts.broadcast_cancelled(tr, count))
    context.sender.wake()


async def scheduled_page(context: BotContext, page: int) -> Reply:
    """A page of /scheduled, read afresh (also for its page buttons)."""
    access = context.actor.access
    if not access.is_leader:
        raise NotAllowed
    items = await context.services.broadcasts.scheduled(access)
    return broadcast_texts.scheduled_list(context.actor.tr, items, context.services.zone, page)


async def show_scheduled(update: Update, context: BotContext) -> None:
    """A scheduled post shown again: a reply to its original message, which Telegram shows
    quoted (the bot keeps only its id); a library tip by its title."""
    query = update.callback_query
    message = update.effective_message
    assert query and message
    tr, services = context.actor.tr, context.services
    broadcast_id = BroadcastShow.unpack(query.data).broadcast_id
    items = {i.broadcast_id: i for i in await services.broadcasts.scheduled(context.actor.access)}
    item = items.get(broadcast_id)
    if item is None:
        await query.answer(general.stale_button(tr))
        return
    original = await services.broadcasts.original(context.actor.access, broadcast_id)
    await query.answer()
    reply = post_texts.scheduled_original(
        tr, format_when(tr, item.due, services.zone), item.targets, broadcast_id
    )
    key = original.content_key
    if original.source_message_ids and original.source_chat_id == message.chat_id:
        await context.bot.send_message(
            message.chat_id,
            reply.text,
            reply_markup=reply.markup,
            reply_parameters=ReplyParameters(
                original.source_message_ids[0], allow_sending_without_reply=True
            ),
        )
        return
    tip = services.library.tip(key.id) if key and key.kind is ContentKind.TIP else None
    title = post_texts.scheduled_tip(tr, tip.title) if tip else ""
    await send(message, Reply(f"{title}\n{reply.text}".strip(), reply.buttons))


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
    await send(message, await topic_page(context, TipTopic.unpack(query.data).topic, 0))


async def topic_page(context: BotContext, topic: str, page: int) -> Reply:
    """A page of a topic's written tips and library items, read afresh."""
    access, tr = context.actor.access, context.actor.tr
    if not access.is_leader:
        raise NotAllowed
    tips = context.services.library.tips(tr.language, topic)
    items = await context.services.library_items.for_leader(access, tr.language, topic)
    return library_texts.topic_list(tr, topic, tips, items, page)


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
