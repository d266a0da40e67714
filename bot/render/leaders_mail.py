"""Texts and keyboards of a coordinator's message to leaders, and of a leader's answer."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.common import Reply, picker
from bot.services.leaders_mail import LeadersPostView


def ask_for_message(tr: Translator) -> str:
    return tr._(
        "Send me the message for your leaders: text, a photo, a video, a voice message,"
        " anything. Then you choose whose leaders get it. /cancel stops."
    )


def choose(tr: Translator, view: LeadersPostView, page: int = 0) -> Reply:
    """Every group of the coordinator's areas as a button, page by page; 'All my groups' on
    top and 'Send' under them on every page."""
    every = bool(view.groups) and len(view.chosen) == len(view.groups)
    question = "\n".join(
        [
            tr._("Whose leaders get it?"),
            tr.ngettext("Chosen: {n} leader.", "Chosen: {n} leaders.", view.recipients),
        ]
    )
    all_row = [
        InlineKeyboardButton(
            ("✅ " if every else "") + tr._("All my groups"),
            callback_data=cb.LeadersAll(view.revision, page).pack(),
        )
    ]
    rows = []
    for group in view.groups:
        mark = "✅ " if group.id in view.post.groups else ""
        count = len(view.leaders.get(group.id, ()))
        label = tr.ngettext("{name} ({n} leader)", "{name} ({n} leaders)", count, name=group.name)
        data = cb.LeadersPick(view.revision, group.id, page).pack()
        rows.append([InlineKeyboardButton(mark + label, callback_data=data)])
    send_row = [
        InlineKeyboardButton(tr._("Send"), callback_data=cb.LeadersSend(view.revision).pack()),
        InlineKeyboardButton(
            tr._("Drop it"), callback_data=cb.LeadersDiscard(view.revision).pack()
        ),
    ]
    return picker(tr, "leaders", question, rows, page, top=[all_row], bottom=[send_row])


def choose_first(tr: Translator) -> str:
    return tr._("Choose at least one group first.")


def sent(tr: Translator, leaders: int) -> str:
    if not leaders:
        return tr._("The chosen groups have no leaders yet. Nothing was sent.")
    return tr.ngettext(
        "On its way to {n} leader. They can answer you in one tap.",
        "On its way to {n} leaders. They can answer you in one tap.",
        leaders,
    )


def dropped(tr: Translator) -> str:
    return tr._("All right, nothing was sent.")


def note(tr: Translator, broadcast_id: int) -> Reply:
    """Under the coordinator's message in a leader's chat."""
    button = InlineKeyboardButton(
        tr._("Answer the coordinator"), callback_data=cb.AnswerCoordinator(broadcast_id).pack()
    )
    return Reply(tr._("A message from your coordinator to the leaders."), [[button]])


def answer_prompt(tr: Translator) -> str:
    return tr._(
        "Write your answer, or send a photo or a voice message. I will pass it on to the"
        " coordinator as it is, and keep nothing of it. /cancel stops."
    )


def answer_header(tr: Translator, leader_id: int, first_name: str) -> str:
    person = f'<a href="tg://user?id={leader_id}">{escape(first_name)}</a>'
    return tr._("An answer from the leader {person}:", person=person)


def answer_sent(tr: Translator) -> str:
    return tr._("Passed on to the coordinator. Thank you!")


def answer_lost(tr: Translator) -> str:
    return tr._("I could not pass it on: that coordinator cannot be reached here any more.")
