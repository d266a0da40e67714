"""Tables as XLSX (one sheet each, with header lines above the table) and as CSV that a
Finnish Excel opens as it is: semicolons, decimal commas, UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

Cell = str | int | float | None

# A text starting with one of these is a formula to a spreadsheet program.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name
    columns: list[str]
    rows: list[list[Cell]]
    header: list[str] = field(default_factory=list)  # lines above: what, where, when made


def xlsx(*tables: Table) -> bytes:
    # Imported here: openpyxl is large, and the bot at rest needs none of it.
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        _add_sheet(book, table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add_sheet(book: Workbook, table: Table) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(table.title[:31])  # Excel's limit
    for line in table.header:
        sheet.append([line])
        sheet.cell(sheet.max_row, 1).data_type = "s"  # never a formula
    if table.header:
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([])
    sheet.append(table.columns)
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{first + 1}"  # a coordinate: a cell would add a row
    # Cell by cell at known coordinates: sheet[sheet.max_row] scans the whole sheet each
    # time, which made a thousand groups take minutes.
    for number, values in enumerate(table.rows, start=first + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(table.columns, start=1):
        cells = [str(r[index - 1]) for r in table.rows if r[index - 1] is not None]
        width = max([len(name), *(len(c) for c in cells)]) + 2
        sheet.column_dimensions[sheet.cell(first, index).column_letter].width = min(
            width, _MAX_WIDTH
        )


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([[csv_cell(value) for value in row] for row in table.rows])
    return out.getvalue().encode("utf-8-sig")


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)
