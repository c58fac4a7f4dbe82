"""phyphox's exports, recognised and read exactly: a ``.zip`` of CSV files (one per table,
``meta/time.csv`` beside them) or an ``.xls``/``.xlsx`` workbook (a sheet per table,
"Metadata Time" beside them), as phyphox-android's ``DataExport`` writes them.

Each table's times are seconds of experiment time. ``meta/time.csv`` maps them to the clock:
its rows are events (START, PAUSE) each with the experiment time and the system time (seconds
since 1970, UTC) at that moment, so a sample at experiment time ``t`` was taken at
``system + (t - experiment)`` of the last START at or before it. Nothing is asked: the file
says when each sample was taken. A table is offered for a property whose type its columns
fill (Acceleration x/y/z -> ACCELEROMETER, Latitude and Longitude -> LOCATION, ...).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bucket_client import Property
from dashboard.upload import phyphox_columns as columns
from dashboard.upload.archive_limits import PHYPHOX_ZIP, check_zip
from dashboard.upload.workbooks import WorkbookError, open_workbook, sheet_rows

TIME_SHEET = "Metadata Time"


class PhyphoxError(ValueError):
    """A phyphox export that cannot be read as one: says what is wrong."""


@dataclass(frozen=True)
class Recording:
    tables: dict[str, pd.DataFrame]  # name -> columns as phyphox names them (float)
    starts: list[tuple[float, float]]  # (experiment time s, system time s) at each START

    @property
    def started(self) -> pd.Timestamp:
        return pd.Timestamp(self.starts[0][1], unit="s", tz="UTC")


def _number(text) -> float:
    if isinstance(text, (int, float)):
        return float(text)
    text = str(text).strip().replace(",", ".")  # phyphox's "decimal comma" exports
    return float("nan") if text in ("", "NaN") else float(text)


def _starts(rows: list[list]) -> list[tuple[float, float]]:
    """(experiment time, system time) of every START, from the time table's rows."""
    starts = []
    for row in rows[1:]:
        if len(row) >= 3 and str(row[0]).strip().upper() == "START":
            starts.append((_number(row[1]), _number(row[2])))
    if not starts or not all(math.isfinite(v) for s in starts for v in s):
        raise PhyphoxError("its time table has no START with an experiment and a system time")
    return sorted(starts)


def _table(header: list, rows: list[list]) -> pd.DataFrame:
    columns = [str(c).strip() for c in header]
    values = np.array([[_number(c) for c in r[: len(columns)]] for r in rows if r], dtype=float)
    return pd.DataFrame(values.reshape(-1, len(columns)), columns=columns)


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    separator = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    return [r for r in csv.reader(io.StringIO(text), delimiter=separator) if r]


def is_phyphox_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "meta/time.csv" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_zip(data: bytes) -> Recording:
    """The recording in a phyphox zip, once the archive's limits hold; each table parsed
    straight into float columns from the member's stream (a row never becomes Python
    objects: a 200 MB table costs its numbers, about a third of its text)."""
    check_zip(data, PHYPHOX_ZIP)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        starts = _starts(_csv_rows(archive.read("meta/time.csv")))
        tables = {}
        for name in sorted(archive.namelist()):
            if name.startswith("meta/") or not name.lower().endswith(".csv"):
                continue
            with archive.open(name) as member:
                table = _csv_table(member)
            if table is not None:
                tables[name[:-4]] = table
    return Recording(tables, starts)


def _csv_table(member) -> pd.DataFrame | None:
    """A phyphox table: comma, tab or semicolon separated; a decimal comma with the latter
    two (its "decimal comma" exports); NaN where a column is shorter."""
    first = member.readline().decode("utf-8-sig")
    if not first.strip():
        return None
    separator = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    header = next(csv.reader([first], delimiter=separator))
    sample = member.peek(4096)[:4096].decode("utf-8", "replace")
    decimal = "," if separator != "," and re.search(r"\d,\d", sample) else "."
    try:
        table = pd.read_csv(
            member,
            sep=separator,
            decimal=decimal,
            header=None,
            names=[c.strip() for c in header],
            dtype="float64",
            engine="c",
            skip_blank_lines=True,
        )
    except ValueError as error:
        raise PhyphoxError(f"a table has a value that is not a number ({error})"[:200]) from None
    return table.reset_index(drop=True)


def is_phyphox_workbook(data: bytes) -> bool:
    try:
        return TIME_SHEET in open_workbook(data).sheet_names
    except WorkbookError:
        return False


def read_workbook(data: bytes) -> Recording:
    book = open_workbook(data)
    starts = _starts(sheet_rows(book, TIME_SHEET))
    tables = {}
    for name in book.sheet_names:
        if name.startswith("Metadata"):
            continue
        rows = sheet_rows(book, name)
        if rows:
            tables[name] = _table(rows[0], rows[1:])
    return Recording(tables, starts)


def tables_for(recording: Recording, prop: Property) -> list[str]:
    """The tables whose columns fill every dimension of ``prop``'s type."""
    return [n for n in recording.tables if columns.fits(recording.tables, n, prop.type.id)]


def sample_times_ms(recording: Recording, seconds: np.ndarray) -> np.ndarray:
    """Each experiment time on the clock, in ms since 1970, by the last START before it."""
    experiment = np.array([s[0] for s in recording.starts])
    system = np.array([s[1] for s in recording.starts])
    which = np.clip(np.searchsorted(experiment, seconds, side="right") - 1, 0, None)
    return np.round((system[which] + (seconds - experiment[which])) * 1000).astype("int64")


def samples(recording: Recording, table_name: str, prop: Property) -> pd.DataFrame:
    """The table's samples for ``prop``: a UTC time index (ms) and a column per dimension,
    by name. Rows phyphox filled with NaN (a shorter column) are left out, and said by
    the check that follows, never written as values."""
    table = recording.tables[table_name]
    names = {d.id: d.name for d in prop.dimensions}
    frame = pd.DataFrame(
        {
            names[dim]: table[
                columns.value_column(recording.tables, table_name, prop.type.id, dim)
            ].to_numpy()
            for dim in columns.COLUMNS_FOR[prop.type.id]
            if dim in names
        }
    )
    times = table[columns.time_column(table)].to_numpy()
    keep = np.isfinite(times)
    frame = frame[keep]
    frame.index = pd.DatetimeIndex(
        pd.to_datetime(sample_times_ms(recording, times[keep]), unit="ms", utc=True),
        name="timestamp",
    )
    return frame
