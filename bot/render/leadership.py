"""Texts and keyboards of a group's leaders as its coordinator manages them."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.models import Group
from bot.i18n import Translator
from bot.render.common import Entry, Reply, paged
from bot.services.leadership import GroupLeaders


def leader_list(tr: Translator, item: GroupLeaders, page: int = 0) -> Reply:
    """Each leader as a mention link (their profile in Telegram), a button to remove each,
    and one for a new single-use leader link; page by page, numbered across the pages."""
    group = item.group
    new_link = [
        InlineKeyboardButton(
            tr._("New leader link"), callback_data=cb.NewLeaderLink(group.id).pack()
        )
    ]
    if not item.leaders:
        text = tr._(
            "<b>{name}</b> has no leader. Add one with a new leader link.", name=escape(group.name)
        )
        return Reply(text, [new_link])
    entries = []
    for number, user_id in enumerate(item.leaders, start=1):
        label = tr._("leader {number}", number=number)
        remove = InlineKeyboardButton(
            tr._("Remove leader {number}", number=number),
            callback_data=cb.LeaderRemove(group.id, user_id).pack(),
        )
        entries.append(Entry(f'{number}. <a href="tg://user?id={user_id}">{label}</a>', [[remove]]))
    header = tr._("Leaders of <b>{name}</b>:", name=escape(group.name))
    return paged(
        tr, "leadership", header, entries, page, "\n", key=str(group.id), bottom=[new_link]
    )


def confirm_only_leader(tr: Translator, group: Group, user_id: int) -> Reply:
    text = tr._(
        "<b>{name}</b> is running, and this is its only leader. Remove them anyway?"
        " The group is then shown as without a leader until you add a new one.",
        name=escape(group.name),
    )
    return Reply(
        text,
        [
            [
                InlineKeyboardButton(
                    tr._("Remove anyway"),
                    callback_data=cb.LeaderRemove(group.id, user_id, "yes").pack(),
                ),
                InlineKeyboardButton(tr._("Keep"), callback_data=cb.LeaderKeep(group.id).pack()),
            ]
        ],
    )


def removed(tr: Translator, group: Group) -> str:
    return tr._(
        "Done: they no longer lead <b>{name}</b>, from this moment on.", name=escape(group.name)
    )


def not_leader(tr: Translator) -> str:
    return tr._("They no longer lead that group.")


def kept(tr: Translator) -> str:
    return tr._("All right, nothing changed.")


def list_button(tr: Translator, group: Group) -> InlineKeyboardButton:
    """Under a group in a coordinator's /groups."""
    return InlineKeyboardButton(
        tr._("Leaders: {name}", name=group.name), callback_data=cb.LeaderList(group.id).pack()
    )
