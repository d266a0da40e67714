"""The welfare-report export: municipality by period by indicator, with small counts hidden
(and enough others hidden that they cannot be worked out from the total)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.documents import made_line
from bot.documents.sheets import Cell, Table, csv_bytes, xlsx
from bot.domain.periods import Period
from bot.domain.suppression import Relation, hidden_cells
from bot.i18n import N_, Translator
from bot.services.welfare import Indicator, WelfareReport

HIDDEN = ".."  # as in Statistics Finland's tables

DEFINITIONS: dict[Indicator, tuple[str, str]] = {
    Indicator.GROUPS_RUN: (
        N_("Groups run"),
        N_(
            "Groups with at least one session held, in person or remotely. A group counts once"
            " a year, in the quarter of its first session that year, so the quarters add up"
            " to the year."
        ),
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
            "Participants who took part: they were in the group (had joined it through the"
            " bot) when a session was held, or they answered a check-in. The bot cannot see"
            " who came in person. A person counts once a year, in the quarter they first took"
            " part, and in each of their groups. People who asked to be forgotten are no"
            " longer counted."
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


@dataclass(frozen=True)
class Only:
    """Which rows an export shows (None: all)."""

    quarter: int | None = None
    areas: frozenset[str] | None = None  # case-folded names

    def wants(self, area: str, period: Period, everyone: str) -> bool:
        if self.quarter is not None and period.quarter != self.quarter:
            return False
        return self.areas is None or area.casefold() in self.areas or area == everyone


def welfare_table(
    tr: Translator, report: WelfareReport, threshold: int, zone: ZoneInfo, only: Only = Only()
) -> Table:
    """The protected table, then only the rows asked for: every export of a year shows the
    same cells, so comparing two of them reveals nothing either."""
    title = str(report.year) if only.quarter is None else f"{report.year}-Q{only.quarter}"
    header = [
        tr._("Arkeen Voimaa groups: figures for the welfare report, {period}", period=title),
        made_line(tr, report.made_at, zone),
        tr._("{hidden} = hidden to protect privacy, 0 = none (see Definitions).", hidden=HIDDEN),
    ]
    columns = [
        tr._("Municipality"),
        tr._("Period"),
        tr._("Indicator"),
        tr._("Value"),
        tr._("Definition"),
    ]
    rows: list[list[Cell]] = []
    everyone = tr._("All municipalities")
    for indicator, (label, meaning) in DEFINITIONS.items():
        shown = _protected(report, indicator, threshold, everyone)
        for (area, period), value in shown.items():
            if only.wants(area, period, everyone):
                cell = HIDDEN if value is None else value
                rows.append([area, str(period), tr._(label), cell, tr._(meaning)])
    if not rows:
        rows = [["", title, tr._("No data for this period."), None, ""]]
    return Table(tr._("Welfare report"), columns, rows, header)


def _protected(
    report: WelfareReport, indicator: Indicator, threshold: int, everyone: str
) -> dict[tuple[str, Period], int | None]:
    """One indicator's cells, municipalities by periods, with their sums: small counts
    and enough others to protect them are None."""
    areas = [*report.areas, everyone] if len(report.areas) > 1 else list(report.areas)
    quarters, year = report.periods[:-1], report.periods[-1]
    values: dict[tuple[str, Period], int] = {}
    for area in areas:
        for period in report.periods:
            if area == everyone:  # everything is counted per group, so totals add up
                value = sum(values[a, period] for a in report.areas)
            else:
                value = report.figures.get((area, period), Counter())[indicator]
            values[area, period] = value
    relations = [Relation([(a, q) for q in quarters], (a, year)) for a in areas]
    if len(areas) > 1:
        relations += [
            Relation([(a, p) for a in report.areas], (everyone, p)) for p in report.periods
        ]
    hidden = hidden_cells(values, relations, threshold)
    return {key: None if key in hidden else value for key, value in values.items()}


def _hidden_meaning(tr: Translator, threshold: int) -> str:
    return tr._(
        "Hidden to protect privacy: a count from 1 to {largest}, or another count hidden so"
        " that such a count cannot be worked out from the totals. A 0 is shown.",
        largest=threshold - 1,
    )


def definitions_table(tr: Translator, threshold: int) -> Table:
    rows: list[list[Cell]] = [
        [tr._(label), tr._(meaning)] for label, meaning in DEFINITIONS.values()
    ]
    rows += [
        [
            HIDDEN,
            _hidden_meaning(tr, threshold),
        ],
        [
            tr._("Period"),
            tr._("A year or a quarter, in the municipality's local time."),
        ],
    ]
    return Table(tr._("Definitions"), [tr._("Indicator"), tr._("Meaning")], rows)


def export_bytes(
    tr: Translator,
    report: WelfareReport,
    threshold: int,
    zone: ZoneInfo,
    form: str,
    only: Only = Only(),
) -> bytes:
    table = welfare_table(tr, report, threshold, zone, only)
    if form == "csv":  # no second sheet: what ".." means goes in a last row
        legend: list[Cell] = [HIDDEN, "", tr._("Hidden"), None, _hidden_meaning(tr, threshold)]
        return csv_bytes(replace(table, rows=[*table.rows, legend]))
    return xlsx(table, definitions_table(tr, threshold))
