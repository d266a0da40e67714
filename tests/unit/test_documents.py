"""The coordinators' files: a valid PNG, an XLSX with the expected sheets, a CSV that
round-trips as a Finnish Excel reads it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import openpyxl
from PIL import Image

from bot.documents import Shown
from bot.documents.chart import bar_panels
from bot.documents.sheets import Table, csv_bytes, csv_cell, xlsx
from bot.documents.weekly import make_weekly_files, week_table
from bot.documents.welfare import HIDDEN, Only, export_bytes, welfare_table
from bot.domain.models import Group
from bot.domain.periods import Period
from bot.domain.weeks import Week
from bot.i18n import translator
from bot.services.summaries import Figures, GroupWeek, WeekReport
from bot.services.welfare import Indicator, WelfareReport

ZONE = ZoneInfo("Europe/Helsinki")
MADE = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday 8.00 in Helsinki
FI = translator("fi")


def group(group_id: int, name: str) -> Group:
    return Group(group_id, 1, name, "fi", 0, time(18), date(2026, 10, 5), 6, None)


def report() -> WeekReport:
    groups = [group(1, "Kuopion iltaryhmä"), group(2, "=Varkaus")]
    weeks = [Week(2026, n) for n in range(41, 49)]
    trend = [(w, {1: n, 2: 2 * n, None: 3 * n}) for n, w in enumerate(weeks)]
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
    assert ["Kuopion iltaryhmä", "Puhelinkaveriparit, jotka puhuivat", 0, 0, 0] in rows
    assert len(rows) == 3 * 16  # 3 groups, 16 figures each
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


def welfare(q3: dict[str, dict[Indicator, int]]) -> WelfareReport:
    """A year with something in its third quarter only."""
    figures = {}
    for area, values in q3.items():
        for period in (Period(2026, 3), Period(2026)):
            figures[area, period] = Counter(values)
    return WelfareReport(2026, sorted(q3), figures, MADE)


Q3 = {
    "Kuopio": {Indicator.GROUPS_RUN: 6, Indicator.PARTICIPANTS: 52, Indicator.COMPLETERS: 3},
    "Siilinjärvi": {Indicator.GROUPS_RUN: 1, Indicator.PARTICIPANTS: 9, Indicator.COMPLETERS: 7},
    "Varkaus": {Indicator.GROUPS_RUN: 2, Indicator.PARTICIPANTS: 14, Indicator.COMPLETERS: 8},
}


def test_the_welfare_table_is_municipality_period_indicator_with_small_counts_hidden() -> None:
    table = welfare_table(FI, welfare(Q3), 5, ZONE)
    assert table.columns == ["Kunta", "Jakso", "Mittari", "Arvo", "Määritelmä"]
    cells = {(r[0], r[1], r[2]): r[3] for r in table.rows}
    assert len(cells) == len(table.rows) == 4 * 5 * 7  # 3 + all, Q1-Q4 + year, 7 indicators
    assert cells[("Kuopio", "2026-Q3", "Tavoitetut osallistujat")] == 52
    assert cells[("Kaikki kunnat", "2026", "Tavoitetut osallistujat")] == 75
    assert cells[("Kuopio", "2026-Q1", "Tavoitetut osallistujat")] == 0  # nothing happened
    # Completers: the 3 in Kuopio's Q3 is hidden, and with it its year and Siilinjärvi's 7
    # (Q3 and year): one more for one and one less for the other keeps every sum.
    for area in ("Kuopio", "Siilinjärvi"):
        assert cells[(area, "2026-Q3", "Loppuun osallistuneet")] == HIDDEN
        assert cells[(area, "2026", "Loppuun osallistuneet")] == HIDDEN
    assert cells[("Varkaus", "2026-Q3", "Loppuun osallistuneet")] == 8
    assert cells[("Kaikki kunnat", "2026", "Loppuun osallistuneet")] == 18
    for (_, _, indicator), value in cells.items():
        assert value in (HIDDEN, 0) or (isinstance(value, int) and value >= 5), indicator


def test_a_narrower_export_shows_the_same_cells() -> None:
    whole = welfare_table(FI, welfare(Q3), 5, ZONE).rows
    part = welfare_table(FI, welfare(Q3), 5, ZONE, Only(3, frozenset({"varkaus"}))).rows
    assert {r[0] for r in part} == {"Varkaus", "Kaikki kunnat"} and {r[1] for r in part} == {
        "2026-Q3"
    }
    assert all(row in whole for row in part)


def test_an_empty_year_is_a_valid_file_that_says_so() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(FI, welfare({}), 5, ZONE, "xlsx")))
    assert book.sheetnames == ["Hyvinvointikertomus", "Määritelmät"]
    values = [c.value for row in book["Hyvinvointikertomus"].iter_rows() for c in row]
    assert "Tältä jaksolta ei ole tietoja." in values
    text = export_bytes(FI, welfare({}), 5, ZONE, "csv").decode("utf-8-sig")
    assert "Tältä jaksolta ei ole tietoja." in text


def test_a_group_name_with_dollars_and_backslashes_is_drawn_as_text() -> None:
    png = bar_panels("$\\foo$ viikko", ["2026-W47", "2026-W48"], [("$\\foo$ & $x^$", [1, 2])])
    assert png.startswith(b"\x89PNG")


def test_the_monday_files_are_made_in_a_worker_process() -> None:
    """The bot's process stays small: the chart libraries load in the worker only. A fresh
    interpreter, since this test process has imported them already."""
    code = (
        "import asyncio, sys\n"
        "from bot.documents.weekly import weekly_files\n"
        "from tests.unit.test_documents import FI, ZONE, report\n"
        "files = asyncio.run(weekly_files(FI, report(), ZONE))\n"
        "print([f.filename.rsplit('.')[-1] for f in files], 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['png',", "'xlsx',", "'csv']", "False"]
