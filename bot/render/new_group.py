"""The guided chat in which a coordinator creates a new group."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.calendar import holiday
from bot.domain.group_draft import EDIT, SESSION_CHOICES, GroupDraft, Step, editable
from bot.domain.invites import InviteToken, start_link
from bot.domain.languages import LANGUAGES
from bot.domain.models import Group, Session
from bot.domain.parsing import Invalid, Problem
from bot.i18n import N_, Translator
from bot.render.common import LANGUAGE_NAMES, WEEKDAYS, Reply, local_date, local_time, session_line
from bot.services.onboarding import DraftView

# --- the guided chat for a new group ---------------------------------------------------


MAX_AREA_BUTTONS = 30  # more would not fit a phone's screen, nor Telegram's 100 buttons


def draft_prompt(tr: Translator, view: DraftView) -> Reply:
    draft, rev = view.draft, view.revision
    cancel = [InlineKeyboardButton(tr._("Cancel"), callback_data=cb.DraftCancel(rev).pack())]
    match draft.step:
        case Step.NAME:
            return Reply(
                tr._(
                    "Let's create a new group. What is the group's name? (for example Tuesday group, spring 2027)"
                ),
                [cancel],
            )
        case Step.AREA:
            if len(view.options.areas) > MAX_AREA_BUTTONS:  # a whole country: typing is quicker
                return Reply(tr._("Which municipality is the group in? Type its name."), [cancel])
            areas = [
                [InlineKeyboardButton(a.name, callback_data=cb.DraftAnswer(rev, f"#{a.id}").pack())]
                for a in view.options.areas
            ]
            text = (
                tr._("Which municipality is the group in? Choose one, or type a new name.")
                if view.options.may_create
                else tr._("Which municipality is the group in?")
            )
            return Reply(text, [*areas, cancel])
        case Step.DATE:
            return Reply(
                tr._("When is the first meeting? Type the date, for example 13.1.2027."), [cancel]
            )
        case Step.TIME:
            return Reply(tr._("At what time does the group meet? For example 17.30."), [cancel])
        case Step.SESSIONS:
            row = [
                InlineKeyboardButton(str(n), callback_data=cb.DraftAnswer(rev, str(n)).pack())
                for n in SESSION_CHOICES
            ]
            return Reply(
                tr._("How many times does the group meet? Usually 6. Choose or type a number."),
                [row, cancel],
            )
        case Step.LANGUAGE:
            row = [
                InlineKeyboardButton(LANGUAGE_NAMES[c], callback_data=cb.DraftAnswer(rev, c).pack())
                for c in LANGUAGES
            ]
            return Reply(tr._("In which language does the group meet?"), [row, cancel])
        case Step.CONFIRM:
            assert draft.first_date and draft.local_time and draft.weekday is not None
            summary = tr._(
                "<b>{name}</b>\n{area}\n{weekday} at {time}, from {date}\n"
                "{sessions} meetings, language: {language}",
                name=escape(draft.name or ""),
                area=escape(draft.area_name or ""),
                weekday=tr._(WEEKDAYS[draft.weekday]),
                time=local_time(draft.local_time),
                date=local_date(draft.first_date),
                sessions=draft.sessions,
                language=LANGUAGE_NAMES[draft.language or "fi"],
            )
            summary += _holiday_lines(tr, draft)
            confirm = InlineKeyboardButton(
                tr._("Create the group"), callback_data=cb.DraftConfirm(rev).pack()
            )
            changes = [
                InlineKeyboardButton(
                    tr._(CHANGE_LABELS[step]), callback_data=cb.DraftAnswer(rev, EDIT + step).pack()
                )
                for step in editable(view.options)
            ]
            rows = [changes[i : i + 3] for i in range(0, len(changes), 3)]
            question = tr._("Is this right? You can change any answer with the buttons below.")
            return Reply(question + "\n\n" + summary, [[confirm], *rows, cancel])


CHANGE_LABELS = {
    Step.NAME: N_("Name"),
    Step.AREA: N_("Municipality"),
    Step.DATE: N_("First date"),
    Step.TIME: N_("Time"),
    Step.SESSIONS: N_("Meetings"),
    Step.LANGUAGE: N_("Language"),
}


def _holiday_lines(tr: Translator, draft: GroupDraft) -> str:
    """The meetings that fall on a public holiday, flagged before the group is created."""
    assert draft.first_date
    lines = []
    for week in range(draft.sessions):
        day = draft.first_date + timedelta(weeks=week)
        name = holiday(day, tr.language)
        if name:
            lines.append(
                "⚠️ "
                + tr._(
                    "Meeting {number} ({date}) falls on a public holiday: {name}",
                    number=week + 1,
                    date=local_date(day),
                    name=escape(name),
                )
            )
    return "\n\n" + "\n".join(lines) if lines else ""


def draft_problem(tr: Translator, step: Step, invalid: Invalid) -> str:
    problem = invalid.problem
    if step is Step.DATE:
        return {
            Problem.NO_SUCH_DATE: tr._(
                "That day does not exist in the calendar. Please check the date."
            ),
            Problem.IN_THE_PAST: tr._("That day has already passed. Please type a coming date."),
            Problem.TOO_FAR: tr._("That is very far away. Please type a date within two years."),
        }.get(problem, tr._("I did not understand the date. Please type it like 13.1.2027."))
    if step is Step.TIME:
        if problem is Problem.NO_SUCH_TIME:
            return tr._("That time does not exist. Please type a time between 0.00 and 23.59.")
        return tr._("I did not understand the time. Please type it like 17.30.")
    if step is Step.NAME or (step is Step.AREA and problem is not Problem.NOT_UNDERSTOOD):
        if problem is Problem.TOO_LONG:
            return tr._("That name is too long. Please use at most 64 characters.")
        if problem is Problem.HIDDEN_CHARACTERS:
            return tr._(
                "That name has hidden characters that change how text is shown."
                " Please type it again with ordinary letters."
            )
        return tr._("The name cannot be empty. Please type a name.")
    if step is Step.SESSIONS:
        return tr._("Please type a number from 1 to 20.")
    return tr._("Please choose one of the buttons.")


def draft_retry(tr: Translator, view: DraftView, invalid: Invalid) -> Reply:
    """What was wrong, and the same question again, in one message."""
    prompt = draft_prompt(tr, view)
    problem = draft_problem(tr, view.draft.step, invalid)
    return Reply(f"{problem}\n\n{prompt.text}", prompt.buttons)


def draft_cancelled(tr: Translator) -> str:
    return tr._("All right, I did not create a group.")


def group_created(
    tr: Translator,
    group: Group,
    sessions: list[Session],
    zone: ZoneInfo,
    bot: str,
    invite: InviteToken,
    days: int,
) -> str:
    dates = "\n".join(session_line(s, zone) for s in sessions)
    return tr._(
        "The group <b>{name}</b> is ready. Its meetings:\n{dates}\n\n"
        "Send this link to one leader. It works once and for {days} days:\n{link}\n\n"
        "For the second leader, get a new link with /groups.",
        name=escape(group.name),
        dates=dates,
        days=days,
        link=start_link(bot, invite),
    )


def group_created_buttons(tr: Translator, group: Group) -> Reply:
    """Under the created group: its meeting place and reminders, set now or later."""
    button = InlineKeyboardButton(
        tr._("Meeting place and reminders"), callback_data=cb.MeetingSetup(group.id, "show").pack()
    )
    return Reply("", [[button]])
