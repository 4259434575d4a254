"""Tables people take away: the same headers and typed cells as CSV and as Excel.

A table is built once from the records (by the page that shows them) and written by
either adapter. CSV is UTF-8 with a byte-order mark, the one thing that makes Excel read
Chinese from a CSV; the .xlsx keeps numbers as numbers and times as times, in Beijing
time to the minute as the pages show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.requests import Request

from crossrisk.locale import DISPLAY_ZONE, translations
from crossrisk.web.shared.i18n import LOCALES, PageLanguage

Cell = str | int | float | datetime | None
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
# Cells Excel would run as a formula (CSV injection): the text is kept, made inert.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: headers in the page's language, one row of cells per record."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)
    note: str = ""  # said under the table, e.g. that it was cut at the export bound


def export_language(request: Request) -> PageLanguage:
    """The language of a file: `?lang=` when given (API clients), else the visitor's."""
    locale = LOCALES.get(request.query_params.get("lang", ""))
    if locale is None:
        return PageLanguage.of(request)
    return PageLanguage(locale, translations(locale.code))


def beijing(moment: datetime) -> datetime:
    """A stored UTC time as a Beijing wall-clock time to the minute, without zone."""
    local = moment.astimezone(DISPLAY_ZONE).replace(tzinfo=None)
    return local.replace(second=0, microsecond=0)


def to_csv(table: Table) -> bytes:
    """The table as CSV: UTF-8 with a BOM, CRLF line ends, times as YYYY-MM-DD HH:MM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    if table.note:
        writer.writerow([table.note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook of one sheet, headers bold and frozen."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(table.title)
    sheet.append(list(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(header)) for header in table.headers]
    for row in table.rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
        for index, cell in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], min(len(_csv_cell(cell)), 60))
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = _TIME_FORMAT
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    for index, width in enumerate(widths, start=1):
        # CJK characters are about twice as wide as Latin ones in Excel's units.
        sheet.column_dimensions[get_column_letter(index)].width = min(2 * width + 2, 80)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return beijing(cell).strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, str):
        return _inert(cell)
    return str(cell)


def _xlsx_cell(cell: Cell) -> Cell:
    if isinstance(cell, datetime):
        return beijing(cell)
    if isinstance(cell, str):
        return _inert(cell)
    return cell


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in a sheet's name and cuts it at 31.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title)
    return cleaned[:31] or "Sheet"
