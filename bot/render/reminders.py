"""Meeting reminders, a moved meeting's notice, the group's reminder settings, and the
follow-up question and closing message after the last session."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.dialogs import DialogKind
from bot.domain.models import Group, Session, SessionState
from bot.domain.parsing import Invalid, Problem
from bot.domain.reminders import MAX_PLACE, MeetingSettings
from bot.i18n import Translator
from bot.render.broadcasts import TOPIC_NAMES
from bot.render.common import Reply, format_when, local_time
from bot.services.library import TOPICS
from bot.services.reminders import Reminder


def reminder(tr: Translator, r: Reminder, zone: ZoneInfo) -> str:
    """Weekday, date, time, place, the week's topic and what to bring; or, for a meeting
    not held in person, what happens instead."""
    when = format_when(tr, r.session.starts_at, zone)
    if r.session.state is SessionState.REMOTE:
        return tr._(
            "Reminder: there is no meeting on {when}. Instead, I will post a check-in here at"
            " that time. Take care!",
            when=when,
        )
    if r.session.state is SessionState.CANCELLED:
        return tr._("Reminder: the meeting on {when} is cancelled. Take care!", when=when)
    lines = [tr._("<b>Reminder: meeting {number}</b>", number=r.session.number), when]
    if r.place:
        lines.append(tr._("Place: {place}", place=escape(r.place)))
    topics = [tr._(TOPIC_NAMES[t]) for t, week in TOPICS.items() if week == r.session.number]
    if topics:
        lines.append(tr._("This week's topic: {topics}", topics=", ".join(topics)))
    if r.holiday:
        lines.append("⚠️ " + tr._("It is a public holiday: {name}", name=escape(r.holiday)))
    lines.append(tr._("Please bring your action plan. Welcome!"))
    return "\n".join(lines)


def moved_notice(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "Hello everyone! Meeting {number} has a new time: {when}. See you then!",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )


# --- settings ------------------------------------------------------------------------------


def settings(tr: Translator, group: Group, s: MeetingSettings, back: bool = True) -> Reply:
    """The group's place and reminders, with a small row of buttons to change them (and
    back to /meetings for a leader)."""
    place = escape(s.place) if s.place else tr._("not given")
    lines = [f"<b>{escape(group.name)}</b>", tr._("Meeting place: {place}", place=place)]
    if s.reminders_on:
        lines.append(tr._("Reminders: the day before at {time}", time=local_time(s.reminder_time)))
        if s.early:
            lines.append(tr._("and two hours before the meeting"))
    else:
        lines.append(tr._("Reminders: off"))
    g = group.id
    rows = [
        [
            InlineKeyboardButton(
                tr._("Reminders off") if s.reminders_on else tr._("Reminders on"),
                callback_data=cb.MeetingSetup(g, "off" if s.reminders_on else "on").pack(),
            ),
            InlineKeyboardButton(
                tr._("No 2 h reminder") if s.early else tr._("Also 2 h before"),
                callback_data=cb.MeetingSetup(g, "no_early" if s.early else "early").pack(),
            ),
        ],
        [
            InlineKeyboardButton(
                tr._("Reminder time"), callback_data=cb.MeetingSetup(g, "time").pack()
            ),
            InlineKeyboardButton(tr._("Place"), callback_data=cb.MeetingSetup(g, "place").pack()),
        ],
    ]
    if back:
        rows.append(
            [InlineKeyboardButton(tr._("‹ Back"), callback_data=cb.Page("meetings", 0).pack())]
        )
    return Reply("\n".join(lines), rows)


def _out(tr: Translator, kind: DialogKind) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(tr._("Cancel"), callback_data=cb.DropDialog(kind).pack())]]


def ask_place(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "Where does {name} meet? Type it in one line, for example: Library, meeting room 2"
        " (at most {n} characters).",
        name=escape(group.name),
        n=MAX_PLACE,
    )
    return Reply(text, _out(tr, DialogKind.MEETING_PLACE))


def ask_time(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "At what time the day before shall I remind {name}? Type a time, for example: 18 or 17.30",
        name=escape(group.name),
    )
    return Reply(text, _out(tr, DialogKind.REMINDER_TIME))


def setting_problem(tr: Translator, invalid: Invalid) -> str:
    return {
        Problem.TOO_LONG: tr._("That is too long. Please use at most {n} characters.", n=MAX_PLACE),
        Problem.HIDDEN_CHARACTERS: tr._(
            "The text has hidden characters. Please type it again plainly."
        ),
        Problem.EMPTY: tr._("Please type the place in words."),
        Problem.NO_SUCH_TIME: tr._(
            "That time does not exist. Please type a time between 0.00 and 23.59."
        ),
    }.get(invalid.problem, tr._("I did not understand. Please type a time, for example: 18"))


def saved(tr: Translator) -> str:
    return tr._("Saved.")


# --- adding a meeting ---------------------------------------------------------------------


def ask_added_time(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "When is the new meeting of {name}? Type the day and time, for example: 20.1. 17.30."
        " It must be after the last meeting.",
        name=escape(group.name),
    )
    return Reply(text, _out(tr, DialogKind.ADD_SESSION))


def session_added(tr: Translator, session: Session, zone: ZoneInfo) -> Reply:
    text = tr._(
        "Added: meeting {number} on {when}. It counts in the figures like the others."
        " I will remind the group before it.",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )
    back = InlineKeyboardButton(
        tr._("‹ Back to meetings"), callback_data=cb.Page("meetings", 0).pack()
    )
    return Reply(text, [[back]])


def before_last(tr: Translator, last_when: str) -> str:
    return tr._(
        "The new meeting must be after the last one ({when}). Please type a later day.",
        when=last_when,
    )


def too_many(tr: Translator) -> str:
    return tr._("The group already has as many meetings as it can have.")


# --- after the last session ---------------------------------------------------------------


def follow_up_question(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "The last meeting of <b>{name}</b> is over. Thank you for leading it!\n\n"
        "Arkeen Voimaa groups often meet once more a few weeks later. Shall we plan a"
        " follow-up meeting?\n\nI can also send the group this closing message:",
        name=escape(group.name),
    )
    text += (
        "\n\n<i>"
        + closing_message(tr, group)
        + "</i>\n\n"
        + tr._("Or tap ✏️ Write my own, and say it in your own words.")
    )
    g = group.id
    rows = [
        [
            InlineKeyboardButton(
                tr._("Plan a follow-up"), callback_data=cb.MeetingAdd(g, "typed").pack()
            )
        ],
        [
            InlineKeyboardButton(
                tr._("Send the closing message"), callback_data=cb.ClosingSend(g).pack()
            )
        ],
        [InlineKeyboardButton(tr._("✏️ Write my own"), callback_data=cb.ClosingWrite(g).pack())],
    ]
    return Reply(text, rows)


def ask_own_closing(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "Write your closing message for <b>{name}</b>. You can also send a photo or a voice"
        " message. I will send it to the group as it is. /cancel stops.",
        name=escape(group.name),
    )
    standard = InlineKeyboardButton(
        tr._("Send the ready message instead"), callback_data=cb.ClosingSend(group.id).pack()
    )
    return Reply(text, [[standard]])


def closing_message(tr: Translator, group: Group) -> str:
    return tr._(
        "Dear {name}, our meetings together are now behind us. Thank you for coming, for sharing"
        " and for listening. Take good care of yourselves, and keep your action plans going."
        " All the best!",
        name=escape(group.name),
    )


def closing_sent(tr: Translator, chats: int | None) -> str:
    """After a closing message was sent (None: one had gone already; 0: no chat to go to)."""
    if chats is None:
        return tr._("The closing message has already gone.")
    if chats == 0:
        return tr._("The group has no chat with me, so nothing was sent.")
    return tr._("The closing message is on its way to the group.")
