"""Texts of moving a group chat from one peer group to another."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.models import Group
from bot.i18n import Translator
from bot.render.common import Reply


def confirm_move(tr: Translator, group: Group, previous: Group, invite_id: int) -> Reply:
    text = tr._(
        "This chat is already the chat of the group <b>{old}</b>. Shall I make it the chat"
        " of <b>{new}</b> instead? The leaders of both groups will be told.",
        old=escape(previous.name),
        new=escape(group.name),
    )
    rows = [
        [
            InlineKeyboardButton(
                tr._("Yes, move it to {new}", new=group.name),
                callback_data=cb.ChatMove(invite_id, previous.id, "yes").pack(),
            )
        ],
        [
            InlineKeyboardButton(
                tr._("No, keep it"), callback_data=cb.ChatMove(invite_id, previous.id, "no").pack()
            )
        ],
    ]
    return Reply(text, rows)


def refused_move(tr: Translator, previous: Group) -> str:
    return tr._(
        "This chat is the chat of the group <b>{old}</b>. Only that group's leaders or its"
        " coordinator can connect it to another group. I let the leaders know.",
        old=escape(previous.name),
    )


def kept(tr: Translator, previous: Group) -> str:
    return tr._("All right, this chat stays the chat of <b>{old}</b>.", old=escape(previous.name))


def leaders_told_of_move(tr: Translator, group: Group, previous: Group) -> str:
    return tr._(
        "The Telegram chat of the group <b>{old}</b> is now the chat of <b>{new}</b>. If this"
        " is a mistake, please contact your coordinator.",
        old=escape(previous.name),
        new=escape(group.name),
    )


def leaders_told_of_refusal(tr: Translator, group: Group, previous: Group) -> str:
    return tr._(
        "Someone tried to connect the Telegram chat of the group <b>{old}</b> to the group"
        " <b>{new}</b>. I did not allow it: the chat is still the chat of <b>{old}</b>.",
        old=escape(previous.name),
        new=escape(group.name),
    )


LeadersText = Callable[[Translator, Group, Group], str]
