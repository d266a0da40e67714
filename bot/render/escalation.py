"""Texts of a contact request still waiting: the leaders' reminder, the coordinators'
escalation, the leaders' 'passed on' notice, and the mark on a handled request's button."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.common import Reply, format_when
from bot.services.escalation import WaitingRequest


def _person(tr: Translator, user_id: int) -> str:
    """A mention link: opens the person's profile in Telegram (never a phone number)."""
    label = escape(tr._("the person who asked"))
    return f'<a href="tg://user?id={user_id}">{label}</a>'


def _handled_button(tr: Translator, request_id: int) -> list[list[InlineKeyboardButton]]:
    return [
        [
            InlineKeyboardButton(
                tr._("Mark as handled"), callback_data=cb.ContactHandled(request_id).pack()
            )
        ]
    ]


def reminder(tr: Translator, waiting: WaitingRequest, zone: ZoneInfo) -> Reply:
    text = tr._(
        "Reminder: someone in the group <b>{name}</b> asked to be contacted on {when}."
        " No one has marked it handled yet. If no one does by {deadline},"
        " I will pass it on to the coordinator.\n{person}",
        name=escape(waiting.group.name),
        when=format_when(tr, waiting.request.created_at, zone),
        deadline=format_when(tr, waiting.escalation_at, zone),
        person=_person(tr, waiting.request.user_id),
    )
    return Reply(text, _handled_button(tr, waiting.request.id))


def escalation(tr: Translator, waiting: WaitingRequest, zone: ZoneInfo) -> Reply:
    text = tr._(
        "<b>A contact request is waiting</b>\nSomeone in the group <b>{name}</b> asked to be"
        " contacted on {when}, and no leader has marked it handled. Could you contact them,"
        " or make sure someone does?\n{person}",
        name=escape(waiting.group.name),
        when=format_when(tr, waiting.request.created_at, zone),
        person=_person(tr, waiting.request.user_id),
    )
    return Reply(text, _handled_button(tr, waiting.request.id))


def passed_on(tr: Translator, waiting: WaitingRequest, zone: ZoneInfo) -> Reply:
    text = tr._(
        "The contact request from the group <b>{name}</b> ({when}) was not marked handled in"
        " time, so I passed it on to the coordinator. If you contact the person,"
        " please still mark it handled.",
        name=escape(waiting.group.name),
        when=format_when(tr, waiting.request.created_at, zone),
    )
    return Reply(text, _handled_button(tr, waiting.request.id))


def marked_handled(
    tr: Translator, markup: InlineKeyboardMarkup, pressed: str
) -> InlineKeyboardMarkup:
    """The same keyboard with the pressed button showing that the request is handled; it
    keeps its data, so pressing it again only says so."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ " + tr._("Handled"), callback_data=pressed)
                if button.callback_data == pressed
                else button
                for button in row
            ]
            for row in markup.inline_keyboard
        ]
    )
