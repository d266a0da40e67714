"""The welfare-report export: municipality by period by indicator, with small counts hidden
(and enough others hidden that they cannot be worked out from the total)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.documents import made_line
from bot.documents.sheets import Cell, Table, csv_bytes, xlsx
from bot.domain.suppression import protect
from bot.i18n import N_, Translator
from bot.services.welfare import Indicator, WelfareReport

HIDDEN = ".."  # as in Statistics Finland's tables

DEFINITIONS: dict[Indicator, tuple[str, str]] = {
    Indicator.GROUPS_RUN: (
        N_("Groups run"),
        N_("Groups with at least one session held, in person or remotely, in the period."),
    ),
    Indicator.SESSIONS_IN_PERSON: (
        N_("Sessions held in person"),
        N_("Sessions in the period that went ahead as planned, once their start time had passed."),
    ),
    Indicator.SESSIONS_REMOTE: (
        N_("Sessions held remotely"),
        N_("Sessions a leader moved online: the group got a check-in and the week's tip instead."),
    ),
    Indicator.PARTICIPANTS: (
        N_("Participants reached"),
        N_(
            "Participants who took part at least once in the period: they were in the group"
            " (had joined it through the bot) when a session was held, or they answered a"
            " check-in. The bot cannot see who came in person. A person in two groups counts"
            " in both. People who asked to be forgotten are no longer counted."
        ),
    ),
    Indicator.COMPLETERS: (
        N_("Completers"),
        N_(
            "Participants who were in the group for at least 4 of its sessions (held in person"
            " or remotely), counted in the period of their 4th session. An estimate, for the"
            " same reason."
        ),
    ),
    Indicator.MESSAGES: (
        N_("Contacts: messages delivered"),
        N_("Leader posts, check-ins and tips that reached a group chat or someone's private chat."),
    ),
    Indicator.OUTSIDE_CONTACTS: (
        N_("Contacts: phone calls and visits"),
        N_("Phone calls and visits that leaders logged."),
    ),
}


def welfare_table(tr: Translator, report: WelfareReport, threshold: int, zone: ZoneInfo) -> Table:
    header = [
        tr._(
            "Arkeen Voimaa groups: figures for the welfare report, {period}",
            period=str(report.period),
        ),
        made_line(tr, report.made_at, zone),
        tr._("{hidden} = hidden to protect privacy (see Definitions).", hidden=HIDDEN),
    ]
    columns = [
        tr._("Municipality"),
        tr._("Period"),
        tr._("Indicator"),
        tr._("Value"),
        tr._("Definition"),
    ]
    if not report.areas:
        empty: list[Cell] = ["", str(report.period), tr._("No data for this period."), None, ""]
        return Table(tr._("Welfare report"), columns, [empty], header)
    names = [a.name for a in report.areas]
    if len(names) > 1:
        names.append(tr._("All municipalities"))
    rows: list[list[Cell]] = []
    for indicator, (label, meaning) in DEFINITIONS.items():
        parts = [a.values[indicator] for a in report.areas]
        total = report.total[indicator] if len(parts) > 1 else None
        shown = protect(parts, total, threshold)
        values = [*shown.parts, *([shown.total] if len(parts) > 1 else [])]
        for name, value in zip(names, values, strict=True):
            rows.append(
                [
                    name,
                    str(report.period),
                    tr._(label),
                    HIDDEN if value is None else value,
                    tr._(meaning),
                ]
            )
    return Table(tr._("Welfare report"), columns, rows, header)


def definitions_table(tr: Translator, threshold: int) -> Table:
    rows: list[list[Cell]] = [
        [tr._(label), tr._(meaning)] for label, meaning in DEFINITIONS.values()
    ]
    rows += [
        [
            HIDDEN,
            tr._(
                "Hidden to protect privacy: fewer than {threshold}, or hidden so that such a"
                " number cannot be worked out from the total.",
                threshold=threshold,
            ),
        ],
        [
            tr._("Period"),
            tr._("A year or a quarter, in the municipality's local time."),
        ],
    ]
    return Table(tr._("Definitions"), [tr._("Indicator"), tr._("Meaning")], rows)


def export_bytes(
    tr: Translator, report: WelfareReport, threshold: int, zone: ZoneInfo, form: str
) -> bytes:
    table = welfare_table(tr, report, threshold, zone)
    if form == "csv":
        return csv_bytes(table)
    return xlsx(table, definitions_table(tr, threshold))
