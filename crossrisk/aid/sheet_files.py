"""Sheet files: a CSV or .xlsx read into a table of cells, and a table written as either.

CSV is UTF-8 with a byte-order mark (what makes Excel read Chinese from a CSV); GB18030,
what Excel writes when an officer saves "CSV" on a Chinese Windows, is read too. An .xlsx
is read with its formulas' last computed values (openpyxl data_only) from its first sheet;
a template .xlsx has the header row frozen, column widths, drop-down lists for the items
and the sharing, and an instructions sheet in Chinese and English.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from crossrisk.domain.aid.sheet import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Cell, SheetKind
from crossrisk.domain.errors import InvalidInput, TooLarge

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# Cells Excel would run as a formula (CSV injection) are written with a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# An .xlsx unpacks to far more than its size; this bounds what one may unpack to.
_MAX_UNPACKED = 20 * MAX_FILE_BYTES


def read_sheet(data: bytes) -> list[list[Cell]]:
    """The rows of a CSV or .xlsx file (told apart by content), or InvalidInput / TooLarge."""
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(
            f"the file is over {MAX_FILE_BYTES} bytes, the limit",
            key="sheet-too-large",
            params={"limit": MAX_FILE_BYTES},
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> list[list[Cell]]:
    if b"\x00" in data:
        raise InvalidInput(
            "the file holds NUL bytes: not a CSV text file (save it as CSV UTF-8 or .xlsx)",
            key="sheet-not-text",
        )
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InvalidInput(
                "the file is neither UTF-8 nor GB18030 text", key="sheet-not-text"
            ) from None
    rows: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(content, newline="")):
            if len(rows) > MAX_ROWS + 1000:
                break  # the reader reports "too many rows" from what is here
            rows.append(list(row[: MAX_COLUMNS + 1]))
    except csv.Error as error:
        raise InvalidInput(
            f"the CSV cannot be read: {error}", key="sheet-not-csv", params={}
        ) from None
    return rows


def _read_xlsx(data: bytes) -> list[list[Cell]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED:
                raise TooLarge(
                    "the workbook unpacks to more than the limit",
                    key="sheet-too-large",
                    params={"limit": MAX_FILE_BYTES},
                )
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(
            f"the file is not an Excel workbook (.xlsx): {type(error).__name__}",
            key="sheet-not-xlsx",
        ) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[Cell]] = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            if len(rows) > MAX_ROWS + 1000:
                break
            cells = [_xlsx_value(v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()  # a read-only sheet pads each row to the widest
            rows.append(cells)
        return rows
    finally:
        book.close()


def _xlsx_value(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)  # times, errors (#DIV/0!), booleans: as text, which the parsers refuse


def to_csv(kind: SheetKind, rows: Sequence[Sequence[Cell]], *, language: str) -> bytes:
    """A sheet as CSV: UTF-8 with a BOM, CRLF line ends, dates as YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(kind.headers(language))
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    kind: SheetKind,
    rows: Sequence[Sequence[Cell]],
    *,
    language: str,
    choices: dict[str, Sequence[str]],
    instructions: Sequence[Sequence[str]],
) -> bytes:
    """A sheet as a workbook: the data sheet, a sheet per drop-down list, the instructions.

    `choices` gives, per column code, the values its drop-down list offers (kept on a
    hidden sheet of its own, since a list written inline is limited to 255 characters).
    """
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = (kind.title_zh if language.startswith("zh") else kind.title_en)[:31]
    headers = kind.headers(language)
    data.append(headers)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    widths = [max(_width(h), 10) for h in headers]
    for row in rows:
        data.append([_xlsx_cell(cell) for cell in row])
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], min(_width(_csv_cell(cell)), 40))
    for index, width in enumerate(widths, start=1):
        data.column_dimensions[get_column_letter(index)].width = width + 2
    codes = [column.code for column in kind.columns]
    if "expiry" in codes:
        letter = get_column_letter(codes.index("expiry") + 1)
        for cell in data[letter][1:]:
            cell.number_format = "yyyy-mm-dd"
    lists = book.create_sheet("lists")
    for number, (code, values) in enumerate(choices.items(), start=1):
        if code not in codes or not values:
            continue
        letter = get_column_letter(number)
        lists.cell(row=1, column=number, value=code)
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=number, value=value)
        source = f"lists!${letter}$2:${letter}${len(values) + 1}"
        check = DataValidation(type="list", formula1=source, allow_blank=True)
        check.error = "请从列表中选择 / Choose from the list"
        check.showErrorMessage = False  # a name instead of a code is accepted too
        target = get_column_letter(codes.index(code) + 1)
        check.add(f"{target}2:{target}{MAX_ROWS + 1}")
        data.add_data_validation(check)
    lists.sheet_state = "hidden"
    notes = book.create_sheet("说明 Instructions")
    for line in instructions:
        notes.append(list(line))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for index in range(1, 6):
        notes.column_dimensions[get_column_letter(index)].width = 40 if index > 1 else 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(text: str) -> int:
    # CJK characters are about twice as wide as Latin ones in Excel's units.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()[:10]
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, str):
        return _inert(cell)
    return str(cell)


def _xlsx_cell(cell: Cell) -> Cell:
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, str):
        return _inert(cell)
    return cell


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
