"""The registry of guided chats: what typed text does in each, and what each keeps in memory.

Which chat is open lives in the database (bot/domain/dialogs.py, one per person). Adding a
guided chat is one `DialogKind`, one entry here, its handler and its texts
(docs/architecture.md shows an example).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.callbacks import DropDialog
from bot.context import BotContext
from bot.domain.dialogs import DialogKind
from bot.handlers import (
    broadcast,
    coordinator,
    leaders_mail,
    library,
    meetings,
    messages,
    plans,
    reminders,
)
from bot.render import general

Handler = Callable[[Update, BotContext], Awaitable[None]]


@dataclass(frozen=True)
class Dialog:
    typed: Handler  # what a typed text does while this chat is open
    forget: Callable[[BotContext], None] = lambda context: None  # what it keeps in memory
    any_message: bool = False  # also photos, voice, albums…: a message to pass on


DIALOGS: dict[DialogKind, Dialog] = {
    DialogKind.NEW_GROUP: Dialog(coordinator.typed_answer),
    DialogKind.BROADCAST: Dialog(broadcast.typed),
    DialogKind.MOVE_SESSION: Dialog(meetings.typed_new_time),
    DialogKind.PLAN: Dialog(plans.typed, forget=plans.forget_words),
    DialogKind.ANSWER_PARTICIPANT: Dialog(
        messages.answer_message, forget=messages.forget_answer, any_message=True
    ),
    DialogKind.MEETING_PLACE: Dialog(reminders.typed_place),
    DialogKind.REMINDER_TIME: Dialog(reminders.typed_time),
    DialogKind.ADD_SESSION: Dialog(reminders.typed_added_time),
    DialogKind.LEADERS_POST: Dialog(leaders_mail.message_for_leaders, any_message=True),
    DialogKind.ANSWER_COORDINATOR: Dialog(leaders_mail.answer, any_message=True),
    DialogKind.LIBRARY_TITLE: Dialog(library.typed_title),
    DialogKind.CLOSING_OWN: Dialog(reminders.own_closing, any_message=True),
}


async def typed(update: Update, context: BotContext) -> None:
    """Plain text in private: an answer to the open guided chat, or else a leader's new post
    or a participant's message to their leaders."""
    kind = await context.services.dialogs.current(context.actor.user_id)
    await (DIALOGS[kind].typed if kind else message)(update, context)


async def message(update: Update, context: BotContext) -> None:
    """Anything else sent in private: the open guided chat's if it takes any message; else
    a leader's post (which handles a post already waiting), or a participant's message."""
    kind = await context.services.dialogs.current(context.actor.user_id)
    if kind is not None and DIALOGS[kind].any_message:
        await DIALOGS[kind].typed(update, context)
    elif context.actor.access.is_leader:
        await broadcast.post(update, context)
    else:
        await messages.offer(update, context)


async def end(context: BotContext, user_id: int, kind: DialogKind | None = None) -> bool:
    """End the open guided chat (of `kind`, if given), its memory too. False if none."""
    ended = await context.services.dialogs.end(user_id, kind)
    for dialog in DIALOGS.values() if ended is None else [DIALOGS[ended]]:
        dialog.forget(context)  # also what a restart left without its row
    return ended is not None


async def drop(update: Update, context: BotContext) -> None:
    """'Drop it' under the question asked when a new guided chat would replace an open one."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    ended = await end(context, context.actor.user_id, DropDialog.unpack(query.data).kind)
    await query.answer()
    await query.edit_message_text(general.dropped(tr) if ended else general.stale_button(tr))
