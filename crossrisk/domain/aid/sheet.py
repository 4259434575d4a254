"""Spreadsheets officers fill in offline: columns, cells and every bad row reported at once.

A sheet kind is a table of columns (a stable code, a header in Chinese and in English,
whether it is required); a file's header row may use any of the three. Reading collects
every error as (row as the officer sees it in Excel or a CSV editor, column header, key,
params) and never stops at the first, so one round trip fixes a whole file.

The cells arrive as the file adapter read them (text from a CSV; text, numbers, dates and
datetimes from an .xlsx): the parsers here accept both. No I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from crossrisk.domain.errors import InvalidInput

# What one import may hold: a city's stocks fit many times over; a file beyond is a mistake.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1_000
HEADER_ROW = 1  # the header is the sheet's first row; data rows are numbered from 2

Cell = str | int | float | date | datetime | None

# Excel's day 0 (its 1900 leap-year bug folded in: serials after 60 count from here).
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass(frozen=True, slots=True)
class Column:
    code: str  # stable: the API, the CLI and a header row may use it
    header_zh: str
    header_en: str
    required: bool = True
    note_zh: str = ""  # what the instructions sheet says of it
    note_en: str = ""

    def header(self, language: str) -> str:
        return self.header_zh if language.startswith("zh") else self.header_en

    def names(self) -> tuple[str, ...]:
        return (self.code, self.header_zh, self.header_en)


@dataclass(frozen=True, slots=True)
class SheetKind:
    """A kind of record a sheet carries: its name and its columns, in template order."""

    code: str
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    def headers(self, language: str) -> list[str]:
        return [column.header(language) for column in self.columns]


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell (or row, or header): where the officer finds it and what is wrong."""

    row: int
    column: str  # the header as the file has it ("" for the whole row)
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    message: str = ""  # English, for logs and API clients; pages say it from key and params

    def line(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message or self.key}"


class SheetRefused(InvalidInput):
    """A file with at least one bad row: nothing was written; `errors` says every one."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (e.row, e.column, e.key)))
        first = self.errors[0].line() if self.errors else "no rows"
        super().__init__(
            f"{len(self.errors)} problem(s) in the file, nothing imported; first: {first}",
            key="sheet-refused",
            params={"count": len(self.errors)},
        )


class CellError(ValueError):
    """A cell's value is wrong; the reader turns it into a RowError of its row and column."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.params = params


@dataclass(frozen=True, slots=True)
class DataRow:
    """A non-empty data row: its number as the officer sees it, its cells by column code."""

    number: int
    cells: Mapping[str, Cell]
    headers: Mapping[str, str]  # column code → the header the file used


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return text.rstrip("*").strip()


def read_table(
    kind: SheetKind, table: Sequence[Sequence[Cell]]
) -> tuple[list[DataRow], list[RowError]]:
    """The data rows of a table whose first row is the header, and every header error.

    Empty rows are skipped; unknown, repeated and missing required columns are errors of
    row 1 (with a required column missing, the rows are not read: each would miss it);
    more than MAX_ROWS data rows is one error (the rows are not read).
    """
    errors: list[RowError] = []
    if not table:
        return [], [RowError(HEADER_ROW, "", "sheet-empty", {}, "the file has no header row")]
    header = list(table[0])
    if len(header) > MAX_COLUMNS:
        errors.append(
            RowError(
                HEADER_ROW,
                "",
                "sheet-too-many-columns",
                {"limit": MAX_COLUMNS},
                f"more than {MAX_COLUMNS} columns",
            )
        )
        return [], errors
    names = {_normal(name): column.code for column in kind.columns for name in column.names()}
    positions: dict[str, int] = {}
    used: dict[str, str] = {}
    for index, value in enumerate(header):
        text = _cell_text(value)
        if not text:
            continue
        code = names.get(_normal(text))
        shown = text[:60]
        if code is None:
            errors.append(
                RowError(
                    HEADER_ROW,
                    shown,
                    "sheet-unknown-column",
                    {"column": shown},
                    f"no column is called {shown!r}",
                )
            )
        elif code in positions:
            errors.append(
                RowError(
                    HEADER_ROW,
                    shown,
                    "sheet-duplicate-column",
                    {"column": shown},
                    f"column {shown!r} appears twice",
                )
            )
        else:
            positions[code] = index
            used[code] = shown
    for column in kind.columns:
        if column.required and column.code not in positions:
            shown = column.header_zh + " / " + column.header_en
            errors.append(
                RowError(
                    HEADER_ROW,
                    shown,
                    "sheet-missing-column",
                    {"column": shown},
                    f"the required column {column.header_en!r} is missing",
                )
            )
    if any(e.key == "sheet-missing-column" for e in errors):
        return [], errors  # every row would miss it too: the header is fixed first
    rows: list[DataRow] = []
    body = [(number, row) for number, row in enumerate(table[1:], start=HEADER_ROW + 1)]
    data = [(number, row) for number, row in body if any(_cell_text(c) for c in row)]
    if len(data) > MAX_ROWS:
        errors.append(
            RowError(
                data[MAX_ROWS][0],
                "",
                "sheet-too-many-rows",
                {"limit": MAX_ROWS},
                f"more than {MAX_ROWS} rows; split the file",
            )
        )
        return [], errors
    for number, row in data:
        cells = {code: (row[i] if i < len(row) else None) for code, i in positions.items()}
        rows.append(DataRow(number=number, cells=cells, headers=used))
    return rows, errors


def read_cells(
    row: DataRow, parsers: Mapping[str, Callable[[Cell], Any]], errors: list[RowError]
) -> dict[str, Any] | None:
    """Each column's value by its parser; None (with the row's errors added) when any fails.

    A parser gets None for an empty cell and decides whether the column may be empty.
    """
    values: dict[str, Any] = {}
    bad = False
    for code, parse in parsers.items():
        raw = row.cells.get(code)
        if isinstance(raw, str) and not raw.strip():
            raw = None
        try:
            values[code] = parse(raw)
        except CellError as error:
            bad = True
            errors.append(
                RowError(
                    row.number, row.headers.get(code, code), error.key, error.params, error.message
                )
            )
    return None if bad else values


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


# Parsers: each takes a cell (None when empty) and returns a value or raises CellError.


def required(value: Cell) -> Cell:
    if value is None:
        raise CellError("cell-empty", "this cell must not be empty")
    return value


def text(value: Cell, *, limit: int = MAX_CELL_CHARS) -> str:
    """A cell as text: no control characters (NUL included), within the limit."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an .xlsx keeps 330100 as a number
    result = unicodedata.normalize("NFC", _cell_text(value))
    if any(unicodedata.category(c) == "Cc" and c not in "\t" for c in result):
        raise CellError("cell-control-characters", "the cell holds control characters")
    if len(result) > limit:
        raise CellError(
            "cell-too-long",
            f"{len(result)} characters; the limit is {limit}",
            length=len(result),
            limit=limit,
        )
    return result


def number(value: Cell, *, low: float, high: float) -> float:
    """A finite number within [low, high]: a numeric cell, or text like 1,200.5 or 1e3."""
    if isinstance(value, bool | date):
        raise CellError("cell-not-number", "not a number", value=str(value)[:40])
    if isinstance(value, int | float):
        result = float(value)
    else:
        raw = text(value, limit=60).replace(",", "").replace("，", "").replace(" ", "")
        try:
            result = float(raw)
        except ValueError:
            raise CellError("cell-not-number", f"{raw!r} is not a number", value=raw) from None
    if not math.isfinite(result):
        raise CellError("cell-not-finite", "the number must be finite")
    if not low <= result <= high:
        raise CellError(
            "cell-out-of-range",
            f"{result:g} is outside {low:g} to {high:g}",
            value=result,
            low=low,
            high=high,
        )
    return result


def day(value: Cell, *, earliest: date, latest: date) -> date:
    """A date: an Excel date cell or serial number, or text as 2027-06-30 / 2027/6/30."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or not 1 <= value <= 2_958_465:  # Excel's 9999-12-31
            raise CellError("cell-not-date", "not a date", value=str(value)[:40])
        result = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        raw = text(value, limit=40)
        match = _DATE_TEXT.fullmatch(raw.split(" ")[0].split("T")[0])
        try:
            if match is None:
                raise ValueError(raw)
            result = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise CellError(
                "cell-not-date", f"{raw!r} is not a date (YYYY-MM-DD)", value=raw
            ) from None
    if not earliest <= result <= latest:
        raise CellError(
            "cell-date-out-of-range",
            f"{result.isoformat()} lies outside {earliest.year}–{latest.year}",
            value=result.isoformat(),
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
        )
    return result


def choice(value: Cell, options: Mapping[str, Any], *, what: str) -> Any:
    """One of named options: a cell matching a name (any case, full- or half-width)."""
    raw = text(value, limit=200)
    found = options.get(_normal(raw))
    if found is None:
        raise CellError(f"unknown-{what}", f"no {what} is called {raw!r}", value=raw[:60])
    return found


def names_of(entries: Iterable[tuple[Iterable[str], Any]]) -> dict[str, Any]:
    """A lookup of options by every name they go by, normalised as `choice` matches them."""
    table: dict[str, Any] = {}
    for names, value in entries:
        for name in names:
            if name:
                table.setdefault(_normal(name), value)
    return table
