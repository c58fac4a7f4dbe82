"""Spreadsheets students have (``.xlsx``, ``.xls``, ``.ods``), read with calamine, made into
the table the CSV path reads, so that they get the same checks, questions and verified write.

A sheet often starts with a title, notes or blank rows above its header: the header is the
first row whose cells are all text and that the rows under it fill with values. Date cells
are dates in the file (no zone): they become ISO text without an offset, so the CSV path asks
which zone they are in (the browser's, shown first), exactly as for a CSV's times. Numbers
keep every digit (``repr``). Nothing is guessed that the CSV path would have asked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import python_calamine

from dashboard.upload.archive_limits import SPREADSHEET, ArchiveRefused, check_xls, check_zip

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
LOOK_FOR_HEADER = 50  # rows from the top where a header may be


class WorkbookError(ValueError):
    """The file cannot be read as a spreadsheet: says why, for the page."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list]  # the used range, cells as calamine gives them
    header: int  # index of the header row in ``rows``

    @property
    def data_rows(self) -> int:
        return sum(1 for r in self.rows[self.header + 1 :] if any(_filled(c) for c in r))


def is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES)


def open_workbook(data: bytes) -> python_calamine.CalamineWorkbook:
    """The workbook, once its size limits hold (``archive_limits``): never read first."""
    try:
        if data[:2] == b"PK":
            check_zip(data, SPREADSHEET)
        elif data[:4] == b"\xd0\xcf\x11\xe0":  # a Compound File: an .xls
            check_xls(data, SPREADSHEET)
    except ArchiveRefused as refused:
        raise WorkbookError(f"this spreadsheet is not read: {refused}") from None
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine's errors name the format's problem
        raise WorkbookError(f"not a spreadsheet calamine can read ({error})"[:300]) from error


def sheet_names(data: bytes) -> list[str]:
    return list(open_workbook(data).sheet_names)


def sheet_rows(book: python_calamine.CalamineWorkbook, name: str) -> list[list]:
    """A sheet's used range from its first row (empty rows kept: a header's row number is
    the sheet's own)."""
    try:
        return [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
    except python_calamine.CalamineError as error:
        raise WorkbookError(f"sheet {name!r} cannot be read ({error})"[:300]) from error


def read_sheet(data: bytes, name: str) -> Sheet:
    rows = sheet_rows(open_workbook(data), name)
    return Sheet(name, rows, header_row(rows))


def _filled(cell) -> bool:
    return cell is not None and cell != ""


def header_row(rows) -> int:
    """The first row of text cells that the next rows fill at least as wide (a title row
    above has one cell; notes have fewer than the table)."""
    for i, row in enumerate(rows[:LOOK_FOR_HEADER]):
        cells = [c for c in row if _filled(c)]
        if len(cells) < 2 or not all(isinstance(c, str) for c in cells):
            continue
        below = [r for r in rows[i + 1 : i + 6] if any(_filled(c) for c in r)]
        width = max((n for n, c in enumerate(row) if _filled(c)), default=0) + 1
        if (
            below
            and all(sum(_filled(c) for c in r[:width]) >= len(cells) - 1 for r in below)
            and any(not isinstance(c, str) for r in below for c in r[:width] if _filled(c))
        ):
            return i
    return 0


def cell_text(cell) -> str:
    """A cell as the CSV path reads it: dates as ISO text without an offset (a spreadsheet's
    dates carry no zone), numbers with every digit."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="milliseconds")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat(timespec="milliseconds")
    if isinstance(cell, dt.timedelta):
        return str(cell.total_seconds())
    if isinstance(cell, float):
        return repr(int(cell)) if cell.is_integer() and abs(cell) < 2**53 else repr(cell)
    return str(cell)


def sheet_csv(sheet: Sheet) -> bytes:
    """The sheet from its header down, as comma-separated UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    table = sheet.rows[sheet.header :]
    width = max((len(r) for r in table), default=0)
    while width and not any(_filled(r[width - 1]) for r in table if len(r) >= width):
        width -= 1
    for row in table:
        if any(_filled(c) for c in row):
            writer.writerow([cell_text(c) for c in row[:width]])
    return out.getvalue().encode("utf-8")
