"""The coordinators' files: a valid PNG, an XLSX with the expected sheets, a CSV that
round-trips as a Finnish Excel reads it."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import openpyxl
from PIL import Image

from bot.documents import Shown
from bot.documents.sheets import Table, csv_bytes, csv_cell, xlsx
from bot.documents.weekly import make_weekly_files, week_table
from bot.documents.welfare import HIDDEN, export_bytes, welfare_table
from bot.domain.models import Group
from bot.domain.periods import Period
from bot.domain.weeks import Week
from bot.i18n import translator
from bot.services.summaries import Figures, GroupWeek, WeekReport
from bot.services.welfare import AreaFigures, Indicator, WelfareReport

ZONE = ZoneInfo("Europe/Helsinki")
MADE = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday 8.00 in Helsinki
FI = translator("fi")


def group(group_id: int, name: str) -> Group:
    return Group(group_id, 1, name, "fi", 0, time(18), date(2026, 10, 5), 6, None)


def report() -> WeekReport:
    groups = [group(1, "Kuopion iltaryhmä"), group(2, "=Varkaus")]
    weeks = [Week(2026, n) for n in range(41, 49)]
    trend = [
        (w, {1: Figures(reached=n), 2: Figures(reached=2 * n), None: Figures(reached=3 * n)})
        for n, w in enumerate(weeks)
    ]
    now = Figures(in_person=1, checkins=1, asked=8, answers=6, reached=7)
    before = Figures(in_person=1, reached=6)
    rows = [GroupWeek(groups[0], now, before), GroupWeek(groups[1], Figures(), Figures())]
    return WeekReport(Week(2026, 48), ["Kuopio"], rows, GroupWeek(None, now, before), trend, MADE)


def test_the_monday_files_are_a_chart_and_two_spreadsheets() -> None:
    chart, book, table = make_weekly_files(FI, report(), ZONE)
    assert (chart.filename, chart.shown) == ("yhteydenpitoluvut-2026-W48.png", Shown.PHOTO)
    image = Image.open(io.BytesIO(chart.content))
    assert image.format == "PNG" and image.width >= 600
    image.verify()
    assert book.filename.endswith(".xlsx") and table.filename.endswith(".csv")


def test_the_xlsx_names_area_week_and_time_and_defines_every_figure() -> None:
    content = make_weekly_files(FI, report(), ZONE)[1].content
    sheets = openpyxl.load_workbook(io.BytesIO(content))
    assert sheets.sheetnames == ["Luvut", "Määritelmät"]
    figures = sheets["Luvut"]
    assert figures["A1"].value == "Yhteydenpitoluvut, viikko 2026-W48"
    assert figures["A2"].value == "Alueet: Kuopio"
    assert figures["A3"].value == "Tehty 30.11.2026 klo 8.00"
    assert [c.value for c in figures[5]] == [
        "Ryhmä",
        "Luku",
        "Viikko 2026-W48",
        "Viikko 2026-W47",
        "Muutos",
    ]
    rows = [[c.value for c in row] for row in figures.iter_rows(min_row=6)]
    assert ["Kuopion iltaryhmä", "Tavoitetut ihmiset", 7, 6, 1] in rows
    assert ["Kuopion iltaryhmä", "Vastausprosentti (%)", 75.0, None, None] in rows
    assert ["=Varkaus", "Vastaukset", 0, 0, 0] in rows  # a name, never a formula
    assert len(rows) == 3 * 13
    definitions = [row[0].value for row in sheets["Määritelmät"].iter_rows(min_row=2)]
    assert "Vastausprosentti (%)" in definitions and "Viikko" in definitions


def test_the_csv_opens_in_a_finnish_excel_and_round_trips() -> None:
    table = week_table(FI, report(), ZONE)
    content = csv_bytes(table)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel needs the mark to read UTF-8
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert read[0] == table.columns
    assert read[1:] == [[csv_cell(v) for v in row] for row in table.rows]
    assert ["Kuopion iltaryhmä", "Vastausprosentti (%)", "75,0", "", ""] in read
    assert ["'=Varkaus", "Tavoitetut ihmiset", "0", "0", "0"] in read


def test_odd_text_survives_both_formats() -> None:
    table = Table("T", ["a", "b"], [['rivi; jossa "lainaus"\nja rivinvaihto', 1.25]])
    read = list(
        csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert read[1] == ['rivi; jossa "lainaus"\nja rivinvaihto', "1,2"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx(table)))["T"]
    assert sheet["A2"].value == table.rows[0][0] and sheet["B2"].value == 1.25


def welfare(areas: dict[str, dict[Indicator, int]]) -> WelfareReport:
    return WelfareReport(
        Period(2026, 3), [AreaFigures(n, Counter(v)) for n, v in areas.items()], MADE
    )


def test_the_welfare_table_hides_small_counts_and_one_more_to_protect_them() -> None:
    report = welfare(
        {
            "Kuopio": {
                Indicator.GROUPS_RUN: 6,
                Indicator.PARTICIPANTS: 52,
                Indicator.COMPLETERS: 3,
            },
            "Siilinjärvi": {
                Indicator.GROUPS_RUN: 1,
                Indicator.PARTICIPANTS: 9,
                Indicator.COMPLETERS: 7,
            },
            "Varkaus": {
                Indicator.GROUPS_RUN: 2,
                Indicator.PARTICIPANTS: 14,
                Indicator.COMPLETERS: 8,
            },
        }
    )
    table = welfare_table(FI, report, 5, ZONE)
    cells = {(r[0], r[2]): r[3] for r in table.rows}
    assert cells[("Kuopio", "Tavoitetut osallistujat")] == 52
    assert cells[("Siilinjärvi", "Toimineet ryhmät")] == HIDDEN  # 1
    assert cells[("Varkaus", "Toimineet ryhmät")] == HIDDEN  # 2: together 3, still too few
    assert cells[("Kuopio", "Toimineet ryhmät")] == HIDDEN  # … so the 6 goes too
    assert cells[("Kaikki kunnat", "Toimineet ryhmät")] == 9
    assert cells[("Kuopio", "Loppuun osallistuneet")] == HIDDEN  # 3
    assert cells[("Siilinjärvi", "Loppuun osallistuneet")] == HIDDEN  # 7: protects the 3
    assert cells[("Varkaus", "Loppuun osallistuneet")] == 8
    assert cells[("Kaikki kunnat", "Loppuun osallistuneet")] == 18
    assert cells[("Kaikki kunnat", "Tavoitetut osallistujat")] == 75
    assert cells[("Kuopio", "Etätapaamiset")] == HIDDEN  # 0
    assert len(table.rows) == 7 * 4


def test_an_empty_period_is_a_valid_file_that_says_so() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(FI, welfare({}), 5, ZONE, "xlsx")))
    assert book.sheetnames == ["Hyvinvointikertomus", "Määritelmät"]
    values = [c.value for row in book["Hyvinvointikertomus"].iter_rows() for c in row]
    assert "Tältä jaksolta ei ole tietoja." in values
    text = export_bytes(FI, welfare({}), 5, ZONE, "csv").decode("utf-8-sig")
    assert "Tältä jaksolta ei ole tietoja." in text
