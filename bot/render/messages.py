"""A participant's message to their leaders, and a leader's answer: the texts and buttons."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.models import Group
from bot.i18n import Translator
from bot.render.common import Reply


def offer(tr: Translator, groups: list[Group], first: int, last: int | None = None) -> Reply:
    """'Send this to your leaders?': one tap (a participant of several groups picks one)."""
    no = InlineKeyboardButton(tr._("No, thanks"), callback_data=cb.NotToLeaders().pack())
    if len(groups) == 1:
        (group,) = groups
        text = tr._(
            "I am a bot and cannot answer this myself. Shall I send it to the leaders of"
            " your group <b>{name}</b>?",
            name=escape(group.name),
        )
        yes = InlineKeyboardButton(
            tr._("✉️ Yes, send it"), callback_data=cb.ToLeaders(first, group.id, last).pack()
        )
        return Reply(text, [[yes], [no]])
    text = tr._(
        "I am a bot and cannot answer this myself. Shall I send it to your group's leaders?"
        " Choose the group."
    )
    rows = [
        [
            InlineKeyboardButton(
                tr._("✉️ To the leaders of {name}", name=g.name),
                callback_data=cb.ToLeaders(first, g.id, last).pack(),
            )
        ]
        for g in groups
    ]
    return Reply(text, [*rows, [no]])


def no_group(tr: Translator) -> str:
    return tr._(
        "I am a bot and cannot answer messages myself. I could pass your message on to the"
        " leaders of your group, but you have not joined a group with me yet. Ask your leader"
        " for the participant link, open it and say yes. /help tells what I can do."
    )


def cannot_pass_on(tr: Translator) -> str:
    return tr._("Sorry, I cannot pass on this kind of message. Please write it as text.")


def sent_to_leaders(tr: Translator, group: Group) -> str:
    return tr._(
        "Sent to the leaders of {name}. They will answer when they can.", name=escape(group.name)
    )


def no_leaders(tr: Translator, group: Group) -> str:
    return tr._(
        "The group {name} has no leader with me at the moment, so I could not send it."
        " Sorry! You can ask your group's contact person.",
        name=escape(group.name),
    )


def not_sent(tr: Translator) -> str:
    return tr._("Sorry, I could not pass it on just now. Please try again later.")


def already_sent(tr: Translator) -> str:
    return tr._("It is sent already.")


def kept(tr: Translator) -> str:
    return tr._("All right, I did not send it.")


def to_leader(tr: Translator, group: Group, user_id: int, first_name: str) -> Reply:
    """Under the copied message, to each leader: who sent it, and a button to answer."""
    person = f'<a href="tg://user?id={user_id}">{escape(first_name)}</a>'
    text = tr._(
        "↑ {person} from the group <b>{name}</b> sent you this through me.",
        person=person,
        name=escape(group.name),
    )
    button = InlineKeyboardButton(
        tr._("↩️ Answer"), callback_data=cb.AnswerParticipant(user_id, group.id).pack()
    )
    return Reply(text, [[button]])


def write_answer(tr: Translator) -> str:
    return tr._(
        "Write your answer now: a text, a photo or a voice message. I will pass it on."
        " /cancel stops."
    )


def answer_header(tr: Translator, group: Group, leader_name: str) -> str:
    """To the participant, above the leader's copied answer."""
    return tr._(
        "{leader}, the leader of your group <b>{name}</b>, answers you:",
        leader=escape(leader_name),
        name=escape(group.name),
    )


def answer_sent(tr: Translator) -> str:
    return tr._("Your answer is on its way.")


def answer_not_sent(tr: Translator) -> str:
    return tr._(
        "I could not deliver your answer: the person may have stopped the bot."
        " You can try to reach them another way."
    )


def answer_lost(tr: Translator) -> str:
    return tr._("Sorry, I lost track of whom you were answering. Please press Answer again.")
