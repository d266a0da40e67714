"""The weekly contact figures for coordinators."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.parsing import Invalid, Problem
from bot.domain.weeks import Week
from bot.i18n import Translator
from bot.render.common import Reply, names_within
from bot.services.summaries import Figures, GroupWeek, WeekReport

# --- weekly contact figures ----------------------------------------------------------------


def _with_change(now: int, before: int) -> str:
    return f"{now} ({now - before:+d})" if now != before else str(now)


def _answers_line(tr: Translator, now: Figures, checkins: str, answers: str) -> str:
    if now.answer_rate is None:
        return tr._(
            "Check-ins sent: {checkins}, people who answered: {answers}",
            checkins=checkins,
            answers=answers,
        )
    return tr._(
        "Check-ins sent: {checkins}, people who answered: {answers} ({rate} of those asked)",
        checkins=checkins,
        answers=answers,
        rate=tr.percent(now.answer_rate),
    )


def _figure_lines(tr: Translator, row: GroupWeek) -> list[str]:
    """Each line names what it counts, so that a figure reads without the definitions."""
    now, before = row.now, row.before

    def c(name: str) -> str:
        return _with_change(getattr(now, name), getattr(before, name))

    return [
        tr._(
            "Meetings: in person {in_person}, remotely {remote}, cancelled {cancelled}",
            in_person=c("in_person"),
            remote=c("remote"),
            cancelled=c("cancelled"),
        ),
        tr._("Leaders' posts: {posts}", posts=c("posts")),
        tr._(
            "Messages that reached a chat (posts, notices, check-ins): {deliveries}",
            deliveries=c("deliveries"),
        ),
        _answers_line(tr, now, c("checkins"), c("answers")),
        tr._("Participants reached: {reached}", reached=c("reached")),
        tr._(
            "Asked to be contacted: {requests}; handled in time: {handled}, late: {late},"
            " passed on to the coordinator: {escalated}",
            requests=c("contact_requests"),
            handled=c("contacts_handled"),
            late=c("contacts_late"),
            escalated=c("contacts_escalated"),
        ),
        tr._("Phone calls and visits logged: {outside}", outside=c("outside_contacts")),
        tr._("Phone buddy pairs that talked: {pairs}", pairs=c("buddy_calls")),
    ]


def week_label(week: Week) -> str:
    """'48/2026': the way Finns and Swedes write a week, and plain in English too."""
    return f"{week.number}/{week.year}"


def weekly_summary_reply(tr: Translator, report: WeekReport) -> Reply:
    """The figures with a button for the week before."""
    before = report.week.previous
    button = InlineKeyboardButton(
        tr._("‹ Week {week}", week=week_label(before)),
        callback_data=cb.SummaryWeek(before.year, before.number).pack(),
    )
    return Reply(weekly_summary(tr, report), [[button]])


NAMES_BUDGET = 700  # characters of group names per line of the summary; the rest are in the files
AREAS_BUDGET = 300


def weekly_summary(tr: Translator, report: WeekReport) -> str:
    """What a coordinator reads in a minute: the totals and the groups that need attention.
    Every group's figures are in the attached files, however many groups there are."""
    if not report.groups:
        return "\n".join(
            [
                tr._("<b>Contact figures, week {week}</b>", week=week_label(report.week)),
                tr._("There are no groups in your areas yet."),
            ]
        )
    lines = [
        tr._("<b>Contact figures, week {week}</b>", week=week_label(report.week)),
        _names(tr, report.area_names, AREAS_BUDGET),
        tr.ngettext("{n} group", "{n} groups", len(report.groups))
        + ". "
        + tr._("(in brackets: the change from the week before)"),
        "",
        tr._("<b>In total</b>"),
        *_figure_lines(tr, report.total),
        "",
    ]
    waiting = [row.group.name for row in report.groups if row.group and row.requests_waiting]
    silent = [row.group.name for row in report.groups if row.group and row.silent(report.week)]
    if waiting:
        lines.append(tr._("Contact requests not yet handled: {groups}", groups=_names(tr, waiting)))
    if silent:
        lines.append(
            tr._("No contact with the group in the week: {groups}", groups=_names(tr, silent))
        )
    if report.leaderless:
        lines.append(
            tr._(
                "Running groups without a leader: {groups}",
                groups=_names(tr, list(report.leaderless)),
            )
        )
    if report.quiet_leaders:
        lines.append(
            tr._(
                "Leaders quiet for two weeks (no posts, no contact requests handled): {groups}",
                groups=_names(tr, list(report.quiet_leaders)),
            )
        )
    if waiting or silent or report.leaderless or report.quiet_leaders:
        lines.append("")
    lines.append(tr._("Every group's figures are in the attached files."))
    return "\n".join(lines)


def _names(tr: Translator, names: list[str], budget: int = NAMES_BUDGET) -> str:
    return names_within(tr, names, budget)


def week_problem(tr: Translator, invalid: Invalid) -> str:
    if invalid.problem is Problem.TOO_FAR:
        return tr._("That week has not come yet. Please choose this week or an earlier one.")
    if invalid.problem is Problem.IN_THE_PAST:
        return tr._("The bot has no figures from that long ago. Please choose a week from 2000 on.")
    if invalid.problem is Problem.NO_SUCH_DATE:
        return tr._("That week does not exist. Weeks are numbered 1 to 52 (or 53).")
    return tr._("Please write the week like this: /summary 48 or /summary 48/2026")
