"""The Monday files: a chart of people reached over the last weeks, and the week's figures
as XLSX (with a header and definitions) and as CSV."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.documents import Attachment, Shown, made_line
from bot.documents.chart import bar_panels
from bot.documents.sheets import Cell, Table, csv_bytes, xlsx
from bot.documents.worker import in_worker
from bot.i18n import N_, Translator, translator
from bot.services.summaries import Figures, GroupWeek, WeekReport

MAX_PANELS = 40  # beyond this a phone screen is no help: the total and the largest groups

# Each figure's column label and definition, in the order of the spreadsheet.
FIGURES: list[tuple[str, str, str]] = [
    (
        "in_person",
        N_("Meetings in person"),
        N_("Sessions of the week that went ahead as planned, once their start time had passed."),
    ),
    (
        "remote",
        N_("Meetings held remotely"),
        N_("Sessions a leader moved online: the group got a check-in and the week's tip instead."),
    ),
    ("cancelled", N_("Meetings cancelled"), N_("Sessions a leader cancelled.")),
    ("posts", N_("Leader posts"), N_("Posts leaders sent to their groups through the bot.")),
    (
        "deliveries",
        N_("Messages delivered"),
        N_("Posts, check-ins and tips that reached a group chat or someone's private chat."),
    ),
    ("checkins", N_("Check-ins"), N_("Check-ins that opened in the week.")),
    (
        "asked",
        N_("Participants asked"),
        N_(
            "Participants in the group when each check-in closed (while it is open: when it"
            " was planned), added up over the check-ins."
        ),
    ),
    (
        "answers",
        N_("Answers"),
        N_("People who answered a check-in of the week, each once per check-in."),
    ),
    (
        "answer_rate",
        N_("Answer rate (%)"),
        N_("Answers divided by participants asked. Empty when no one was asked."),
    ),
    (
        "reached",
        N_("People reached"),
        N_(
            "Different participants who joined, got a private message, answered a check-in,"
            " asked to be contacted or made an action plan. In the total each person counts once."
        ),
    ),
    ("contact_requests", N_("Contact requests"), N_("Presses of 'Please contact me'.")),
    (
        "contacts_handled",
        N_("Contact requests handled in time"),
        N_(
            "Contact requests marked as handled in the week, before they were due to go to"
            " the coordinator (CONTACT_ESCALATION_HOURS after the request)."
        ),
    ),
    (
        "contacts_late",
        N_("Contact requests handled late"),
        N_(
            "Contact requests marked as handled in the week, after they were due to go to"
            " the coordinator."
        ),
    ),
    (
        "contacts_escalated",
        N_("Contact requests passed on"),
        N_(
            "Contact requests no one had marked as handled in time, passed on to the"
            " coordinator in the week."
        ),
    ),
    (
        "outside_contacts",
        N_("Contacts outside Telegram"),
        N_("Phone calls and visits that leaders logged."),
    ),
    (
        "buddy_calls",
        N_("Phone buddy pairs that talked"),
        N_("Pairs of phone buddies in which someone said they talked that week."),
    ),
]


async def weekly_files(tr: Translator, report: WeekReport, zone: ZoneInfo) -> list[Attachment]:
    """Made in a worker process (see `worker`): the bot keeps answering, and stays small."""
    return await in_worker(_make_in_worker, tr.language, report, zone)


def _make_in_worker(language: str, report: WeekReport, zone: ZoneInfo) -> list[Attachment]:
    return make_weekly_files(translator(language), report, zone)  # a Translator does not pickle


def make_weekly_files(tr: Translator, report: WeekReport, zone: ZoneInfo) -> list[Attachment]:
    name = tr._("contact-figures-{week}", week=str(report.week))
    table = week_table(tr, report, zone)
    definitions = definitions_table(tr)
    return [
        Attachment(f"{name}.png", chart(tr, report), Shown.PHOTO),
        Attachment(f"{name}.xlsx", xlsx(table, definitions)),
        Attachment(f"{name}.csv", csv_bytes(table)),
    ]


def chart(tr: Translator, report: WeekReport) -> bytes:
    weeks = [str(week) for week, _ in report.trend]
    largest = sorted(report.groups, key=lambda row: -row.now.reached)[: MAX_PANELS - 1]
    panels = [
        (_name(tr, row), [reached[_key(row)] for _, reached in report.trend])
        for row in [report.total, *largest]
    ]
    title = tr._(
        "People reached, weeks {first}–{last}",
        first=weeks[0].split("W")[-1],
        last=weeks[-1].split("W")[-1],
    )
    return bar_panels(title, weeks, panels)


def week_table(tr: Translator, report: WeekReport, zone: ZoneInfo) -> Table:
    header = [
        tr._("Contact figures, week {week}", week=str(report.week)),
        tr._("Areas: {areas}", areas=", ".join(report.area_names) or "–"),
        made_line(tr, report.made_at, zone),
    ]
    columns = [
        tr._("Group"),
        tr._("Figure"),
        tr._("Week {week}", week=str(report.week)),
        tr._("Week {week}", week=str(report.week.previous)),
        tr._("Change"),
    ]
    rows: list[list[Cell]] = []
    for row in [*report.groups, report.total]:
        rows += [[_name(tr, row), tr._(label), *_values(row, key)] for key, label, _ in FIGURES]
    return Table(tr._("Figures"), columns, rows, header)


def _key(row: GroupWeek) -> int | None:
    return row.group.id if row.group else None


def _name(tr: Translator, row: GroupWeek) -> str:
    return row.group.name if row.group else tr._("In total")


def _values(row: GroupWeek, key: str) -> list[Cell]:
    now, before = _value(row.now, key), _value(row.before, key)
    change = now - before if now is not None and before is not None else None
    if isinstance(change, float):
        change = round(change, 1)
    return [now, before, change]


def _value(figures: Figures, key: str) -> int | float | None:
    if key == "answer_rate":
        rate = figures.answer_rate
        return round(rate * 100, 1) if rate is not None else None
    value: int = getattr(figures, key)
    return value


def definitions_table(tr: Translator) -> Table:
    rows: list[list[Cell]] = [[tr._(label), tr._(meaning)] for _, label, meaning in FIGURES]
    rows.append(
        [
            tr._("Week"),
            tr._("An ISO week, Monday to Sunday, in the municipality's local time."),
        ]
    )
    return Table(tr._("Definitions"), [tr._("Figure"), tr._("Meaning")], rows)
