"""What a person sends in private outside any guided chat: a leader's post, a leader's
answer to a participant, or a participant's message, offered to their group's leaders.

Nothing is stored: the message is copied from the person's chat to each leader's, and a
leader's answer from the leader's chat back to the person's.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from telegram import MaybeInaccessibleMessage, ReplyParameters, Update
from telegram.error import TelegramError

from bot.callbacks import AnswerParticipant, ToLeaders
from bot.context import BotContext
from bot.domain.dialogs import DialogKind
from bot.domain.models import Group
from bot.handlers import broadcast
from bot.handlers.common import send
from bot.i18n import translator
from bot.render import general
from bot.render import messages as texts
from bot.services.errors import NotAllowed

logger = logging.getLogger(__name__)

ANSWERING = "answering"  # user_data: (participant, group) a leader is answering; memory only
ANSWERED_OFFERS = "answered_offers"  # user_data: offers whose Yes was pressed, memory only
ALBUMS = "albums"  # user_data: album id -> its parts' message ids, while they arrive
ALBUM_WAIT_SECONDS = 1.5  # as for a leader's post: the parts come as separate updates
ANSWER_ALBUM = "answer_album"  # user_data: a leader's album answer, while its parts arrive


@dataclass
class _Album:
    """The parts of a leader's album answer that have come (memory only)."""

    album: str
    ids: list[int]
    first_name: str


async def offer(update: Update, context: BotContext) -> None:
    """A participant's message: 'Send this to your leaders?' (nothing is sent before yes)."""
    message = update.effective_message
    assert message
    tr = context.actor.tr
    access = context.actor.access
    groups = await context.services.messages.groups(access)
    if not groups:
        staff = access.is_coordinator  # has no leaders to write to: the old answer
        await send(message, general.not_understood(tr) if staff else texts.no_group(tr))
        return
    if not broadcast.copyable(message):
        await send(message, texts.cannot_pass_on(tr))
        return
    if message.media_group_id and context.job_queue and context.user_data is not None:
        parts = context.user_data.setdefault(ALBUMS, {})
        first = message.media_group_id not in parts
        parts.setdefault(message.media_group_id, []).append(message.message_id)
        if first:  # asked once, when the parts have come
            context.job_queue.run_once(
                offer_album,  # type: ignore[arg-type]  # PTB types jobs with its base context
                ALBUM_WAIT_SECONDS,
                data=message.media_group_id,
                chat_id=message.chat_id,
                user_id=context.actor.user_id,
            )
        return
    await send(message, texts.offer(tr, groups, message.message_id))


async def offer_album(context: BotContext) -> None:
    job = context.job
    assert job and job.user_id is not None and job.chat_id is not None
    albums = context.application.user_data[job.user_id].get(ALBUMS, {})
    ids = albums.pop(job.data, [])
    if not ids:
        return
    services = context.services
    groups = await services.messages.groups(await services.people.access(job.user_id))
    tr = translator(await services.people.stored_language(job.user_id))
    reply = texts.offer(tr, groups, min(ids), max(ids))
    if groups:
        await context.bot.send_message(job.chat_id, reply.text, reply_markup=reply.markup)


async def to_leaders(update: Update, context: BotContext) -> None:
    """Yes: copy the message to each leader, with who sent it and an Answer button."""
    query, user = update.callback_query, update.effective_user
    assert query and user
    tr = context.actor.tr
    data = ToLeaders.unpack(query.data)
    recipients = await context.services.messages.leaders(context.actor.access, data.group_id)
    if not _first_press(context, query.message):
        await query.answer(texts.already_sent(tr))  # a double tap sends it once
        return
    await query.answer()
    group = recipients.group
    if not recipients.leaders:
        await query.edit_message_text(texts.no_leaders(tr, group))
        return
    ids = list(range(data.message_id, (data.last_id or data.message_id) + 1))
    reached = 0
    for leader in recipients.leaders:
        reached += await _copy_to_leader(context, leader, ids, group, user.first_name)
    await query.edit_message_text(
        texts.sent_to_leaders(tr, group) if reached else texts.not_sent(tr)
    )


def _first_press(context: BotContext, offer: MaybeInaccessibleMessage | None) -> bool:
    """False if this offer's message was answered already (kept in memory, a few at most)."""
    if offer is None or context.user_data is None:
        return True
    answered: deque[int] = context.user_data.setdefault(ANSWERED_OFFERS, deque(maxlen=20))
    if offer.message_id in answered:
        return False
    answered.append(offer.message_id)
    return True


async def _copy_to_leader(
    context: BotContext, leader: int, ids: list[int], group: Group, first_name: str
) -> int:
    """1 if the leader got the message (and the line under it), else 0."""
    sender = context.actor.user_id
    try:
        if len(ids) == 1:
            copied = [await context.bot.copy_message(leader, sender, ids[0])]
        else:
            copied = list(await context.bot.copy_messages(leader, sender, ids))
        if not copied:
            return 0  # an album whose parts are all gone
        tr = translator(await context.services.people.stored_language(leader))
        reply = texts.to_leader(tr, group, sender, first_name)
        await context.bot.send_message(
            leader,
            reply.text,
            reply_markup=reply.markup,
            reply_parameters=ReplyParameters(
                copied[0].message_id, allow_sending_without_reply=True
            ),
        )
    except TelegramError as error:  # blocked by the leader, or the message is gone
        logger.info("could not pass a message to a leader: %s", type(error).__name__)
        return 0
    return 1


async def not_to_leaders(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    await query.answer()
    await query.edit_message_text(texts.kept(context.actor.tr))


async def answer_button(update: Update, context: BotContext) -> None:
    """A leader's 'Answer' under a participant's message: their next message goes back."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    data = AnswerParticipant.unpack(query.data)
    await context.services.messages.start_answer(context.actor.access, data.user_id, data.group_id)
    if context.user_data is not None:
        context.user_data[ANSWERING] = (data.user_id, data.group_id)
    await query.answer()
    await send(message, texts.write_answer(context.actor.tr))


async def answer_message(update: Update, context: BotContext) -> None:
    """The leader's answer (any kind of message): copied to the participant. An album's
    parts come as separate updates: gathered, and copied together once they have come."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    tr = context.actor.tr
    memory = context.user_data if context.user_data is not None else {}
    gathering = memory.get(ANSWER_ALBUM)
    if gathering is not None and gathering.album == message.media_group_id:
        gathering.ids.append(message.message_id)  # a later part of the answer
        return
    answering = memory.get(ANSWERING)
    if answering is None:  # a restart lost it
        await context.services.dialogs.end(user.id, DialogKind.ANSWER_PARTICIPANT)
        await send(message, texts.answer_lost(tr))
        return
    if not broadcast.copyable(message):
        await send(message, texts.cannot_pass_on(tr))  # still answering: try another way
        return
    if message.media_group_id and context.job_queue:
        memory[ANSWER_ALBUM] = _Album(message.media_group_id, [message.message_id], user.first_name)
        context.job_queue.run_once(
            answer_album,  # type: ignore[arg-type]  # PTB types jobs with its base context
            ALBUM_WAIT_SECONDS,
            data=message.media_group_id,
            chat_id=message.chat_id,
            user_id=user.id,
        )
        return
    del memory[ANSWERING]
    await _pass_answer(
        context, user.id, message.chat_id, answering, [message.message_id], user.first_name
    )


async def answer_album(context: BotContext) -> None:
    """The parts of an album answer have come: copy them together."""
    job = context.job
    assert job and job.user_id is not None and job.chat_id is not None
    memory = context.application.user_data[job.user_id]
    gathering = memory.get(ANSWER_ALBUM)
    if not isinstance(gathering, _Album) or gathering.album != job.data:
        return
    del memory[ANSWER_ALBUM]
    answering = memory.pop(ANSWERING, None)
    if answering is None:  # /cancel while the parts came
        return
    ids = sorted(gathering.ids)  # copyMessages wants them increasing
    try:
        await _pass_answer(context, job.user_id, job.chat_id, answering, ids, gathering.first_name)
    except NotAllowed:  # as the error handler answers it for a single message
        tr = translator(await context.services.people.stored_language(job.user_id))
        await context.bot.send_message(job.chat_id, general.not_allowed(tr))


async def _pass_answer(
    context: BotContext,
    leader: int,
    leader_chat: int,
    answering: tuple[int, int],
    ids: list[int],
    first_name: str,
) -> None:
    """Copy the answer to the participant under a line naming the leader and the group; the
    guided chat ends. The leader is told whether it went."""
    services = context.services
    participant, group_id = answering
    tr = translator(await services.people.stored_language(leader))
    access = await services.people.access(leader)
    group = await services.messages.answer_to(access, participant, group_id)  # or NotAllowed
    reader = translator(await services.people.stored_language(participant))
    try:
        await context.bot.send_message(participant, texts.answer_header(reader, group, first_name))
        if len(ids) == 1:
            await context.bot.copy_message(participant, leader, ids[0])
        else:
            await context.bot.copy_messages(participant, leader, ids)
    except TelegramError as error:  # the person blocked the bot
        logger.info("could not pass an answer on: %s", type(error).__name__)
        await context.bot.send_message(leader_chat, texts.answer_not_sent(tr))
        return
    await context.bot.send_message(leader_chat, texts.answer_sent(tr))


def forget_answer(context: BotContext) -> None:
    """/cancel while answering: whom to answer is forgotten too."""
    if context.user_data is not None:
        context.user_data.pop(ANSWERING, None)
        context.user_data.pop(ANSWER_ALBUM, None)
