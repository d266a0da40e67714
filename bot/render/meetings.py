"""Meetings, cancelled meetings, check-ins, contact requests and contacts outside Telegram."""

from __future__ import annotations

from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.checkins import Mine, Mode, PlanAnswer, Reason, Tally
from bot.domain.dialogs import DialogKind
from bot.domain.models import Group, Session, SessionState
from bot.i18n import N_, Translator
from bot.render.common import WEEKDAY_SHORT, Entry, Reply, format_when, paged, picker
from bot.services.checkins import MeetingStatus, Refused
from bot.services.meetings import Plan
from bot.services.outside_contacts import WeekContacts, day_number

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


MAX_LABEL_NAME = 12  # a group's name on a meeting button, cut for a phone's width
PER_ROW = 3


def _plan_buttons(tr: Translator, plan: Plan, zone: ZoneInfo) -> list[list[InlineKeyboardButton]]:
    """One short button per meeting (what to do with it comes next), then the group's own."""
    buttons = [
        InlineKeyboardButton(
            _short_label(tr, plan, meeting.session, zone),
            callback_data=cb.MeetingPick(meeting.session.id).pack(),
        )
        for meeting in plan.upcoming
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    group_id = plan.group.id
    rows.append(
        [
            InlineKeyboardButton(
                tr._("➕ Add a meeting"), callback_data=cb.MeetingAdd(group_id, "typed").pack()
            ),
            InlineKeyboardButton(
                tr._("🔔 Reminders"), callback_data=cb.MeetingSetup(group_id, "show").pack()
            ),
        ]
    )
    return rows


def _short_label(tr: Translator, plan: Plan, session: Session, zone: ZoneInfo) -> str:
    """'3. ke 9.12.', with a mark when it is not held in person; a leader of several
    groups sees the group's name first (a button label is plain text: no escaping)."""
    local = session.starts_at.astimezone(zone)
    label = f"{tr._(WEEKDAY_SHORT[local.weekday()])} {local.day}.{local.month}."
    if session.state is not SessionState.PLANNED:
        label = "✖ " + label
    if plan.several:
        name = plan.group.name
        short = name if len(name) <= MAX_LABEL_NAME else name[: MAX_LABEL_NAME - 1] + "…"
        return f"{short} {label}"
    return f"{session.number}. {label}"


def meeting_actions(
    tr: Translator, meeting: MeetingStatus, session_id: int, zone: ZoneInfo
) -> Reply:
    """What to do with one meeting: a check-in instead, cancel, move; or back to the list."""
    when = format_when(tr, meeting.starts_at, zone)
    back = InlineKeyboardButton(tr._("‹ Back"), callback_data=cb.Page("meetings", 0).pack())
    text = tr._("<b>{name}</b>\nMeeting on {when}", name=escape(meeting.group.name), when=when)
    if meeting.state is not SessionState.PLANNED:
        text += f" ({meeting_state(tr, meeting.state)})"
        undo = InlineKeyboardButton(
            tr._("Hold it after all"), callback_data=cb.MeetingUndo(session_id).pack()
        )
        return Reply(text, [[undo], [back]])
    rows = [
        [
            InlineKeyboardButton(
                tr._("Check-in instead"),
                callback_data=cb.MeetingHow(session_id, Mode.REMOTE).pack(),
            ),
            InlineKeyboardButton(
                tr.pgettext("meeting", "Cancel it"),
                callback_data=cb.MeetingHow(session_id, Mode.CANCELLED).pack(),
            ),
        ],
        [
            InlineKeyboardButton(tr._("Move"), callback_data=cb.MeetingMove(session_id).pack()),
            back,
        ],
    ]
    return Reply(text + "\n\n" + tr._("What shall we do with it?"), rows)


def ask_reason_for(tr: Translator, session_id: int, mode: Mode) -> Reply:
    """Why the group cannot meet; the answer cancels the meeting at once."""
    rows = [
        [
            InlineKeyboardButton(
                tr._(label), callback_data=cb.MeetingMode(session_id, reason, mode).pack()
            )
        ]
        for reason, label in REASONS.items()
    ]
    rows.append(
        [InlineKeyboardButton(tr._("‹ Back"), callback_data=cb.MeetingPick(session_id).pack())]
    )
    if mode is Mode.REMOTE:
        text = tr._(
            "At the meeting time I will post a check-in to the group instead, with this week's tip."
            " Why can the group not meet?"
        )
    else:
        text = tr._("Why can the group not meet?")
    return Reply(text, rows)


def after_cancel(
    tr: Translator, mode: Mode | None, refused: Refused | None, group_id: int, last_id: int | None
) -> Reply:
    """The result of cancelling, and the offer of a replacement session at the end."""
    text = meeting_changed(tr, mode, refused)
    back = InlineKeyboardButton(
        tr._("‹ Back to meetings"), callback_data=cb.Page("meetings", 0).pack()
    )
    if refused is not None or mode is None:
        return Reply(text, [[back]])
    add = InlineKeyboardButton(
        tr._("Add a replacement at the end"),
        callback_data=cb.MeetingAdd(group_id, "end", last_id).pack(),
    )
    return Reply(
        text + "\n\n" + tr._("Shall I add a replacement meeting after the last one?"),
        [[add], [back]],
    )


def meeting_state(tr: Translator, state: SessionState) -> str:
    return {
        SessionState.REMOTE: tr._("a check-in instead of the meeting"),
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
                tr.pgettext("meeting", "Just cancel the meeting"),
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


Button = InlineKeyboardButton
CheckinQuestion = Literal["week", "plan"]
Answerable = Literal["week", "plan", "contact"]
QUESTIONS = {
    "week": N_("1. How has your week been? 👇"),
    "plan": N_("2. Did your action plan go as planned? 👇"),
}


def checkin(
    tr: Translator, checkin_id: int, answered: int | None, closed: bool, mine: Mine | None = None
) -> Reply:
    """The check-in. `answered` is the group chat's count (None on a private copy, where it
    would never change). `mine` marks the person's own answers: only on a private copy, as
    a group chat's buttons are the same for everyone."""
    text = tr._(
        "<b>How are you?</b>\n\nTwo short questions, one tap each. Your answers are seen only"
        " as totals. If you would like a leader to contact you, press the last button."
    )
    if answered is not None:
        text += "\n\n" + tr.ngettext("{n} has answered.", "{n} have answered.", answered)
    if closed:
        return Reply(text + "\n\n" + tr._("This check-in has closed. Thank you!"))
    mine = mine or Mine()

    def button(label: str, question: Answerable, value: str, chosen: bool) -> Button:
        shown = ("✅ " if chosen else "") + tr._(label)
        data = cb.CheckinAnswer(checkin_id, question, value).pack()
        return InlineKeyboardButton(shown, callback_data=data)

    def plan(answer: PlanAnswer) -> Button:
        return button(CHECKIN_PLAN[answer], "plan", answer.value, mine.plan is answer)

    rows = [
        [_question_label(tr, checkin_id, "week")],
        [button(label, "week", str(v), mine.week == v) for v, label in CHECKIN_WEEK.items()],
        [_question_label(tr, checkin_id, "plan")],
        [plan(PlanAnswer.YES), plan(PlanAnswer.PARTLY), plan(PlanAnswer.NO)],
        [plan(PlanAnswer.NONE)],
        [button(N_("Please contact me"), "contact", "1", mine.contact)],
    ]
    return Reply(text, rows)


def _question_label(tr: Translator, checkin_id: int, question: CheckinQuestion) -> Button:
    data = cb.CheckinQuestion(checkin_id, question).pack()
    return InlineKeyboardButton(tr._(QUESTIONS[question]), callback_data=data)


def question_hint(tr: Translator) -> str:
    """A tap on a question's label: what to do."""
    return tr._("Choose your answer from the buttons just below.")


def answer_saved(tr: Translator, question: str, value: str) -> str:
    """A short toast: what was saved (in a group chat, the only sign of it)."""
    if question == "contact":
        return tr._("Thank you! A leader will contact you.")
    labels = (
        {str(v): label for v, label in CHECKIN_WEEK.items()}
        if question == "week"
        else {p.value: label for p, label in CHECKIN_PLAN.items()}
    )
    return tr._("Saved: {answer}. You can change it.", answer=tr._(labels[value]))


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


ContactKind = Literal["phone", "visit"]


def contact_menu(tr: Translator, groups: list[Group], page: int = 0) -> Reply:
    """/contact of a leader of several groups: which group."""
    rows = [
        [InlineKeyboardButton(g.name, callback_data=cb.ContactGroup(g.id).pack())] for g in groups
    ]
    question = tr._("Log a phone call or a visit. Which group?")
    return picker(tr, "contact", question, rows, page)


def contact_panel(tr: Translator, week: WeekContacts, undo: ContactKind | None = None) -> Reply:
    """A group's two buttons, this week's totals, and an undo for what was just logged."""
    group = week.group
    text = "\n\n".join(
        [
            f"<b>{escape(group.name)}</b>",
            tr._(
                "Did you phone or visit someone from the group? Press a button:"
                " only the number is saved, no names."
            ),
            tr._("This week:")
            + " "
            + tr.ngettext("{n} phone call", "{n} phone calls", week.calls)
            + ", "
            + tr.ngettext("{n} visit", "{n} visits", week.visits),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                tr._("📞 I phoned"), callback_data=cb.ContactLogged(group.id, "phone").pack()
            ),
            InlineKeyboardButton(
                tr._("🏠 I visited"), callback_data=cb.ContactLogged(group.id, "visit").pack()
            ),
        ]
    ]
    if undo is not None:
        day = day_number(week.today)
        total = week.calls if undo == "phone" else week.visits
        label = tr._("↩️ Undo the phone call") if undo == "phone" else tr._("↩️ Undo the visit")
        rows.append(
            [
                InlineKeyboardButton(
                    label, callback_data=cb.ContactUndo(group.id, undo, day, total).pack()
                )
            ]
        )
    return Reply(text, rows)


def contact_logged(tr: Translator, kind: ContactKind) -> str:
    return (
        tr._("Phone call saved. Thank you!") if kind == "phone" else tr._("Visit saved. Thank you!")
    )


def contact_undone(tr: Translator, done: bool) -> str:
    return tr._("Taken back.") if done else tr._("There is nothing to take back.")


def choose_group_for_checkin(tr: Translator, groups: list[Group], page: int = 0) -> Reply:
    rows = [
        [InlineKeyboardButton(g.name, callback_data=cb.CheckinFor(g.id).pack())] for g in groups
    ]
    return picker(tr, "checkin", tr._("Which group?"), rows, page)


def ask_new_time(tr: Translator, session: Session, zone: ZoneInfo) -> Reply:
    text = tr._(
        "When will meeting {number} ({when}) be instead? Type the day and time,"
        " for example: ti 18 or 20.1. 17.30",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )
    out = InlineKeyboardButton(
        tr._("Cancel"), callback_data=cb.DropDialog(DialogKind.MOVE_SESSION).pack()
    )
    return Reply(text, [[out]])


def session_moved(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "Done. Meeting {number} is now on {when}. I will tell the group.",
        number=session.number,
        when=format_when(tr, session.starts_at, zone),
    )


def join_to_answer(tr: Translator) -> str:
    return tr._(
        "Only the group's participants can answer here. Ask your leader for the participant"
        " link, open it and say yes; then you can answer."
    )
