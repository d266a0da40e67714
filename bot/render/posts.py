"""What a leader is told about a post beyond choosing where and when: a message sent while a
post waits, what did not arrive (by group, in words), taking a post back, a scheduled post
shown again, and the bot removed from a group's chat."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.broadcast_draft import BroadcastDraft
from bot.domain.invites import start_link
from bot.domain.posts import GroupGap, Missing, PostReport
from bot.i18n import Translator
from bot.render.common import Reply, names_within
from bot.services.onboarding import ChatGone

NAMES_BUDGET = 800  # characters of group names in one line about what did not arrive
MAX_LINK_BUTTONS = 5  # "add me to the chat" buttons under one message; /links has the rest


def waiting_question(tr: Translator, draft: BroadcastDraft, *, not_a_time: str = "") -> Reply:
    """Asked in one tap: does the message just sent belong to the waiting post?"""
    first = draft.waiting[0]
    if draft.tip_id is not None:
        question = tr._(
            "You have a tip from the library waiting to be sent. Should this message be a"
            " new post instead? The tip is then not sent."
        )
        buttons = []
    else:
        question = tr._(
            "You have a post waiting to be sent. Does this message belong to it?\n"
            "If you make it a new post, the earlier one is not sent."
        )
        add = tr._("Add it to the post")
        buttons = [
            [InlineKeyboardButton(add, callback_data=cb.BroadcastWaiting(first, "add").pack())]
        ]
    new = tr._("Make it a new post")
    buttons.append(
        [InlineKeyboardButton(new, callback_data=cb.BroadcastWaiting(first, "new").pack())]
    )
    text = f"{not_a_time}\n\n{question}" if not_a_time else question
    return Reply(text, buttons)


def the_rest(tr: Translator) -> str:
    return tr._("You also sent this message while the earlier post waited.")


def added(tr: Translator, count: int) -> str:
    return tr.ngettext(
        "Added. The post now has {n} message.", "Added. The post now has {n} messages.", count
    )


def gap_lines(tr: Translator, gaps: Sequence[GroupGap]) -> list[str]:
    """One line per reason, naming its groups (as many as fit; a long list is counted)."""
    lines = []
    for missing in Missing:
        names = [g.name for g in gaps if g.missing is missing]
        if names:
            lines.append(_gap_line(tr, missing, names_within(tr, names, NAMES_BUDGET)))
    return lines


def _gap_line(tr: Translator, missing: Missing, names: str) -> str:
    match missing:
        case Missing.REMOVED:
            return tr._(
                "{name}: I am no longer in the group's chat. Add me again with the button below.",
                name=names,
            )
        case Missing.NO_CHAT:
            return tr._(
                "{name}: the group has no chat with me yet. Add me with the button below.",
                name=names,
            )
        case Missing.NOT_DELIVERED:
            return tr._("{name}: the group's chat did not get it.", name=names)


def link_buttons(tr: Translator, gaps: Sequence[GroupGap]) -> list[list[InlineKeyboardButton]]:
    """A button to each group's links (the existing way to add the bot to a chat)."""
    lacking = [g for g in gaps if g.missing is not Missing.NOT_DELIVERED]
    unique = list({g.group_id: g for g in lacking}.values())[:MAX_LINK_BUTTONS]
    return [
        [
            InlineKeyboardButton(
                tr._("Add me to the chat: {name}", name=g.name),  # a label: not escaped
                callback_data=cb.GroupLinks(g.group_id).pack(),
            )
        ]
        for g in unique
    ]


def problems(tr: Translator, report: PostReport) -> str:
    """What did not arrive, one line each; empty when everything did."""
    lines = gap_lines(tr, report.groups)
    if report.private_stopped:
        lines.append(
            tr.ngettext(
                "{n} person has stopped my private messages.",
                "{n} people have stopped my private messages.",
                report.private_stopped,
            )
        )
    if report.private_failed:
        lines.append(
            tr.ngettext(
                "{n} private chat did not get it.",
                "{n} private chats did not get it.",
                report.private_failed,
            )
        )
    if not lines:
        return ""
    return tr._("Did not arrive:") + "\n" + "\n".join(f"• {line}" for line in lines)


def take_back_question(tr: Translator, broadcast_id: int, chats: int) -> Reply:
    text = tr.ngettext(
        "Take the message back from {n} chat? It is deleted there, and people who have"
        " not seen it yet will not see it.",
        "Take the message back from {n} chats? It is deleted from all of them, and people"
        " who have not seen it yet will not see it.",
        chats,
    )
    yes = InlineKeyboardButton(
        tr._("Yes, take it back"), callback_data=cb.BroadcastTakeBackSure(broadcast_id).pack()
    )
    no = InlineKeyboardButton(
        tr._("No, keep it"), callback_data=cb.BroadcastKeep(broadcast_id).pack()
    )
    return Reply(text, [[yes], [no]])


def kept(tr: Translator) -> str:
    return tr._("Good, the message stays in the chats.")


def scheduled_original(tr: Translator, when: str, chats: int, broadcast_id: int) -> Reply:
    """A reply to the original message of a scheduled post."""
    text = tr.ngettext(
        "This message is scheduled for {when}, to {n} chat.",
        "This message is scheduled for {when}, to {n} chats.",
        chats,
        when=when,
    )
    cancel = InlineKeyboardButton(
        tr._("Cancel sending"), callback_data=cb.BroadcastCancel(broadcast_id).pack()
    )
    return Reply(text, [[cancel]])


def scheduled_tip(tr: Translator, title: str) -> str:
    return tr._("The tip “{title}” from the library.", title=escape(title))


def removed_from_chat(tr: Translator, gone: ChatGone, bot: str) -> Reply:
    link = start_link(bot, gone.chat_link)
    text = tr._(
        "I was removed from the Telegram chat of <b>{name}</b>. Posts and check-ins no"
        " longer reach that chat.\n\nIf this was a mistake, add me again with this link"
        " (you must be in that chat):\n{link}",
        name=escape(gone.group.name),
        link=link,
    )
    again = InlineKeyboardButton(tr._("Add me to the chat again"), url=link)
    return Reply(text, [[again]])
