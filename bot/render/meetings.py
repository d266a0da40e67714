"""Meetings, cancelled meetings, check-ins, contact requests and contacts outside Telegram."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.checkins import Mode, PlanAnswer, Reason, Tally
from bot.domain.models import Group, Session, SessionState
from bot.i18n import N_, Translator
from bot.render.common import Entry, Reply, format_when, paged, picker
from bot.services.checkins import MeetingStatus, Refused
from bot.services.meetings import Plan

# --- meetings ---------------------------------------------------------------------------


def meetings(tr: Translator, plans: list[Plan], zone: ZoneInfo, page: int = 0) -> Reply:
    """The coming meetings of the leader's groups, a page of groups at a time."""
    if not plans:
        return Reply(tr._("You do not lead any group yet."))
    entries = [Entry(_plan_text(tr, plan, zone), _plan_buttons(tr, plan, zone)) for plan in plans]
    return paged(tr, "meetings", "", entries, page)


def _plan_text(tr: Translator, plan: Plan, zone: ZoneInfo) -> str:
    lines = [f"<b>{escape(plan.group.name)}</b>"]
    for meeting in plan.upcoming:
        start = meeting.session.starts_at.astimezone(zone)
        line = f"{meeting.session.number}. {format_when(tr, start, zone)}"
        if meeting.holiday:
            line += " ⚠️ " + tr._("public holiday: {name}", name=escape(meeting.holiday))
        if meeting.session.state is not SessionState.PLANNED:
            line += f" ({meeting_state(tr, meeting.session.state)})"
        lines.append(line)
    if not plan.upcoming:
        lines.append(tr._("No meetings ahead."))
    return "\n".join(lines)


# --- cancelled meetings and check-ins ------------------------------------------------------

REASONS = {
    Reason.LEADER_ILL: N_("A leader is ill"),
    Reason.WEATHER: N_("Weather or travel"),
    Reason.EXCEPTIONAL: N_("Exceptional situation"),
    Reason.OTHER: N_("Other reason"),
}


def _plan_buttons(tr: Translator, plan: Plan, zone: ZoneInfo) -> list[list[InlineKeyboardButton]]:
    rows = []
    name = plan.group.name  # a button label is plain text: no HTML escaping
    for meeting in plan.upcoming:
        session, when = meeting.session, format_when(tr, meeting.session.starts_at, zone)
        if session.state is SessionState.PLANNED:
            cancel = tr.pgettext("meeting", "Cancel {when}", when=when)
            rows.append(
                [
                    InlineKeyboardButton(
                        f"{name}: {cancel}", callback_data=cb.MeetingCancel(session.id).pack()
                    ),
                    InlineKeyboardButton(
                        tr._("Move"), callback_data=cb.MeetingMove(session.id).pack()
                    ),
                ]
            )
        else:
            undo = tr._("Undo the cancellation of {when}", when=when)
            rows.append(
                [
                    InlineKeyboardButton(
                        f"{name}: {undo}", callback_data=cb.MeetingUndo(session.id).pack()
                    )
                ]
            )
    return rows


def meeting_state(tr: Translator, state: SessionState) -> str:
    return {
        SessionState.REMOTE: tr._("held remotely"),
        SessionState.CANCELLED: tr._("cancelled"),
    }.get(state, "")


def ask_reason(tr: Translator, session_id: int) -> Reply:
    rows = [
        [
            InlineKeyboardButton(
                tr._(label), callback_data=cb.MeetingReason(session_id, reason).pack()
            )
        ]
        for reason, label in REASONS.items()
    ]
    return Reply(tr._("Why can the group not meet?"), rows)


def ask_mode(tr: Translator, session_id: int, reason: Reason) -> Reply:
    rows = [
        [
            InlineKeyboardButton(
                tr._("Keep in touch here instead (check-in)"),
                callback_data=cb.MeetingMode(session_id, reason, Mode.REMOTE).pack(),
            )
        ],
        [
            InlineKeyboardButton(
                tr._("Just cancel the meeting"),
                callback_data=cb.MeetingMode(session_id, reason, Mode.CANCELLED).pack(),
            )
        ],
    ]
    text = tr._(
        "At the meeting time I can post a check-in to the group instead, with this week's tip."
        " Shall I?"
    )
    return Reply(text, rows)


def meeting_changed(tr: Translator, mode: Mode | None, refused: Refused | None) -> str:
    if refused is Refused.STARTED:
        return tr._("That meeting has already begun, so it can no longer be changed.")
    if refused is Refused.ALREADY:
        return tr._("That meeting has already been cancelled.")
    if refused is Refused.NOT_CANCELLED:
        return tr._("That meeting was not cancelled.")
    if mode is Mode.REMOTE:
        return tr._("Done. I told the group, and I will post a check-in at the meeting time.")
    if mode is Mode.CANCELLED:
        return tr._("Done. I told the group that the meeting is cancelled.")
    return tr._("Done. I told the group that the meeting is on after all.")


NOTICE_REASONS = {
    Reason.LEADER_ILL: N_("A leader is ill."),
    Reason.WEATHER: N_("The weather or travel is in the way."),
    Reason.EXCEPTIONAL: N_("The situation is exceptional."),
}


def meeting_notice(tr: Translator, meeting: MeetingStatus, zone: ZoneInfo) -> str:
    when = format_when(tr, meeting.starts_at, zone)
    reason = f" {tr._(NOTICE_REASONS[meeting.reason])}" if meeting.reason in NOTICE_REASONS else ""
    if meeting.state is SessionState.REMOTE:
        return tr._(
            "Hello everyone! We cannot meet on {when}.{reason} Let's keep in touch here instead:"
            " at the meeting time I will post a few questions. Take care!",
            when=when,
            reason=reason,
        )
    if meeting.state is SessionState.CANCELLED:
        return tr._(
            "Hello everyone! The meeting on {when} is cancelled.{reason} Take care!",
            when=when,
            reason=reason,
        )
    return tr._("Good news: the meeting on {when} is on after all. See you!", when=when)


CHECKIN_WEEK = {1: N_("Hard"), 2: N_("So-so"), 3: N_("Good")}
CHECKIN_PLAN = {
    PlanAnswer.YES: N_("Yes"),
    PlanAnswer.PARTLY: N_("Partly"),
    PlanAnswer.NO: N_("No"),
    PlanAnswer.NONE: N_("I had no plan"),
}


def checkin(tr: Translator, checkin_id: int, answered: int, closed: bool) -> Reply:
    text = tr._(
        "<b>How are you?</b>\n\nHow has your week been? And did your action plan go as planned?"
        " Your answers are seen only as totals. If you would like a leader to contact you,"
        " press the button below."
    )
    text += "\n\n" + tr.ngettext("{n} has answered.", "{n} have answered.", answered)
    if closed:
        return Reply(text + "\n" + tr._("This check-in has closed."))
    rows = [
        [
            InlineKeyboardButton(
                tr._(label), callback_data=cb.CheckinAnswer(checkin_id, "week", str(value)).pack()
            )
            for value, label in CHECKIN_WEEK.items()
        ],
        [
            InlineKeyboardButton(
                tr._(label), callback_data=cb.CheckinAnswer(checkin_id, "plan", value.value).pack()
            )
            for value, label in list(CHECKIN_PLAN.items())[:3]
        ],
        [
            InlineKeyboardButton(
                tr._(CHECKIN_PLAN[PlanAnswer.NONE]),
                callback_data=cb.CheckinAnswer(checkin_id, "plan", PlanAnswer.NONE.value).pack(),
            )
        ],
        [
            InlineKeyboardButton(
                tr._("Please contact me"),
                callback_data=cb.CheckinAnswer(checkin_id, "contact", "1").pack(),
            )
        ],
    ]
    return Reply(text, rows)


def answer_saved(tr: Translator, first_in_group: bool, contact: bool) -> str:
    text = (
        tr._("Thank you! A leader will contact you.")
        if contact
        else tr._("Thank you, your answer is saved. You can change it.")
    )
    if first_in_group:
        text += " " + tr._("Answers are counted without names; /privacy tells more.")
    return text


def answer_closed(tr: Translator) -> str:
    return tr._("This check-in has closed. Thank you all the same!")


def contact_wanted(
    tr: Translator, group: Group, user_id: int, first_name: str, request_id: int
) -> Reply:
    person = f'<a href="tg://user?id={user_id}">{escape(first_name)}</a>'
    text = tr._(
        "{person} from the group <b>{name}</b> would like to be contacted.",
        person=person,
        name=escape(group.name),
    )
    button = InlineKeyboardButton(
        tr._("Mark as handled"), callback_data=cb.ContactHandled(request_id).pack()
    )
    return Reply(text, [[button]])


def checkin_summary(tr: Translator, group: Group, tally: Tally) -> Reply:
    lines = [
        tr._("<b>Check-in of {name} has closed</b>", name=escape(group.name)),
        tr.ngettext("{n} answered.", "{n} answered.", tally.answered),
        tr._(
            "The week: good {good}, so-so {soso}, hard {hard}",
            good=tally.week[3],
            soso=tally.week[2],
            hard=tally.week[1],
        ),
        tr._(
            "Action plans: yes {yes}, partly {partly}, no {no}, no plan {none}",
            yes=tally.plan[PlanAnswer.YES],
            partly=tally.plan[PlanAnswer.PARTLY],
            no=tally.plan[PlanAnswer.NO],
            none=tally.plan[PlanAnswer.NONE],
        ),
    ]
    rows = []
    if tally.contact_requests:
        lines.append(
            tr.ngettext(
                "{n} person is waiting to be contacted:",
                "{n} people are waiting to be contacted:",
                len(tally.contact_requests),
            )
        )
        for number, (request_id, user_id) in enumerate(tally.contact_requests, start=1):
            label = tr._("participant {number}", number=number)
            lines.append(f'{number}. <a href="tg://user?id={user_id}">{label}</a>')
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("{number}: handled", number=number),
                        callback_data=cb.ContactHandled(request_id).pack(),
                    )
                ]
            )
    return Reply("\n".join(lines), rows)


def request_handled(tr: Translator, done: bool) -> str:
    return (
        tr._("Marked as handled. Thank you!") if done else tr._("It was already marked as handled.")
    )


def checkin_sent(tr: Translator) -> str:
    return tr._("The check-in is on its way to the group.")


def contact_menu(tr: Translator, groups: list[Group], page: int = 0) -> Reply:
    rows = [
        [
            InlineKeyboardButton(
                tr._("📞 Call: {name}", name=g.name),
                callback_data=cb.ContactLogged(g.id, "phone").pack(),
            ),
            InlineKeyboardButton(
                tr._("🏠 Visit: {name}", name=g.name),
                callback_data=cb.ContactLogged(g.id, "visit").pack(),
            ),
        ]
        for g in groups
    ]
    question = tr._(
        "Log a contact made outside Telegram (a phone call or a visit). Only the number is saved."
    )
    return picker(tr, "contact", question, rows, page)


def contact_logged(tr: Translator) -> str:
    return tr._("Logged. Thank you!")


def choose_group_for_checkin(tr: Translator, groups: list[Group], page: int = 0) -> Reply:
    rows = [
        [InlineKeyboardButton(g.name, callback_data=cb.CheckinFor(g.id).pack())] for g in groups
    ]
    return picker(tr, "checkin", tr._("Which group?"), rows, page)


def ask_new_time(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "When will meeting {number} ({when}) be instead? Type the day and time,"
        " for example: ti 18 or 20.1. 17.30",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )


def session_moved(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "Done. Meeting {number} is now on {when}.",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )


def join_to_answer(tr: Translator) -> str:
    return tr._(
        "Only the group's participants can answer here. Ask your leader for the participant"
        " link, open it and say yes; then you can answer."
    )
