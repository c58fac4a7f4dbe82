"""Every row of a CSV table checked before anything is written: the good rows as values
(UTC times, one column per dimension), every bad row named by its line, column and why.

A large file's rows come a slice at a time (``csv_batches``): each slice's text is turned
into times and numbers and dropped. Times without a zone are placed in it once all are
read, so the hour a clock change repeats is settled by the whole file's order, as it is
for a small file read whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from bucket_client import Dimension, RowProblem
from dashboard.upload import csv_batches
from dashboard.upload.column_mapping import guess_mapping
from dashboard.upload.csv_import import (
    Checked,
    TimeFormat,
    detect_time_format,
    in_zone,
    parse_times,
    with_date_and_time,
)
from dashboard.upload.csv_reading import CsvError, CsvTable
from dashboard.upload.number_cells import to_number
from dashboard.upload.row_reasons import RowReasons

DUPLICATE = "duplicate timestamp (an earlier row has the same time)"
IMPOSSIBLE = "impossible time in {tz} (skipped or repeated by a clock change)"


@dataclass
class _Slice:
    ms: np.ndarray
    bad: np.ndarray
    columns: dict[str, np.ndarray]
    problems: list[RowProblem] = field(default_factory=list)


def check(
    table: CsvTable,
    mapping: dict[str, str | None],
    dimensions: tuple[Dimension, ...],
    fmt: TimeFormat,
    tz: str = "UTC",
) -> Checked:
    """Every row checked; good rows converted, bad rows listed (line number, column, why)."""
    time_col = mapping.get("timestamp")
    if not time_col:
        raise CsvError("choose the column that holds the time.")
    for dim in dimensions:
        if not mapping.get(dim.name):
            raise CsvError(f"choose the column for dimension {dim.name}.")
    if table.source is None:
        whole = _check_slice(table.frame, table.lines, mapping, dimensions, fmt, tz, table.decimal)
        return _joined(table, whole, time_col, zone=None)
    wall = fmt.kind in ("iso", "format") and not fmt.has_offset and tz != "UTC"
    part_tz = "UTC" if wall else tz  # wall clock, placed in the zone once all are read
    rows = table.rows
    whole = _Slice(  # filled a slice at a time: no slice's copy is kept to be joined later
        np.zeros(rows, dtype=np.int64),
        np.zeros(rows, dtype=bool),
        {d.name: np.empty(rows, dtype=float if d.is_number else object) for d in dimensions},
    )
    start = 0
    try:
        for frame in csv_batches.text_slices(table):
            lines = csv_batches.slice_lines(table, start, len(frame))
            part = _check_slice(frame, lines, mapping, dimensions, fmt, part_tz, table.decimal)
            stop = start + len(frame)
            if stop > rows:  # more rows than lines: not one row per line after all
                raise csv_batches.NeedsWholeFile
            whole.ms[start:stop], whole.bad[start:stop] = part.ms, part.bad
            for name, values in part.columns.items():
                whole.columns[name][start:stop] = values
            whole.problems += part.problems
            start = stop
    except csv_batches.NeedsWholeFile:
        return check(with_date_and_time(_read_whole(table)), mapping, dimensions, fmt, tz)
    if start == 0:
        raise CsvError("the file has no rows.")
    if start < rows:  # fewer rows than counted lines (a last line without a row)
        whole = _Slice(
            whole.ms[:start],
            whole.bad[:start],
            {k: v[:start] for k, v in whole.columns.items()},
            whole.problems,
        )
    return _joined(table, whole, time_col, zone=tz if wall else None)


def _read_whole(table: CsvTable) -> CsvTable:
    from dashboard.upload.csv_reading import read_table

    return read_table(table.source)


def _check_slice(frame, lines, mapping, dimensions, fmt, tz, decimal) -> _Slice:
    time_col = mapping["timestamp"]
    ms, reasons = parse_times(frame[time_col], fmt, tz, decimal)
    bad = reasons.bad
    problems = [RowProblem(int(lines[i]), time_col, reasons[i]) for i in np.flatnonzero(bad)]
    columns = {}
    for dim in dimensions:
        col = mapping[dim.name]
        if dim.is_number:
            values, why = to_number(frame[col], decimal)
        else:
            values = frame[col].to_numpy(dtype=object)
            why = RowReasons(len(values))
            why.mark((frame[col].str.len() == 0).to_numpy(dtype=bool), "missing")
        problems += [RowProblem(int(lines[i]), col, why[i]) for i in np.flatnonzero(why.bad)]
        bad |= why.bad
        columns[dim.name] = values
    return _Slice(ms, bad, columns, problems)


def _joined(table: CsvTable, part: _Slice, time_col: str, zone: str | None) -> Checked:
    """The checked rows: wall-clock times placed in ``zone`` (when given), repeated times
    found across the whole file, the good rows as values."""
    problems = [RowProblem(line, "(row)", why) for line, why in table.ragged] + part.problems
    ms, bad, columns = part.ms, part.bad, part.columns
    line_of = (
        (lambda i: int(table.lines[i]))
        if table.source is None
        else (lambda i: table.data_line + int(i))
    )
    if zone is not None:
        ms, impossible = _placed(ms, ~bad, zone)
        problems += [
            RowProblem(line_of(i), time_col, IMPOSSIBLE.format(tz=zone))
            for i in np.flatnonzero(impossible)
        ]
        bad |= impossible
    duplicated = repeated_times(ms, ~bad)
    problems += [RowProblem(line_of(i), time_col, DUPLICATE) for i in np.flatnonzero(duplicated)]
    bad |= duplicated
    keep = ~bad
    every = bool(keep.all())  # the usual file: the arrays as they are, no copy of each

    def kept(array: np.ndarray) -> np.ndarray:
        return array if every else array[keep]

    index = pd.DatetimeIndex(kept(ms).view("datetime64[ms]"), name="timestamp").tz_localize("UTC")
    good = pd.DataFrame(
        {name: kept(values) for name, values in columns.items()}, index=index, copy=False
    )
    problems.sort(key=lambda p: (p.row, p.column))
    return Checked(good, problems, len(ms) + len(table.ragged))


def _placed(ms: np.ndarray, readable: np.ndarray, zone: str) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock times (read as if UTC) as the instants they are in ``zone``, in the file's
    order; and which rows name a time the zone's clock skips or repeats unsettled."""
    rows = np.flatnonzero(readable)
    wall = pd.DatetimeIndex(ms[rows].view("datetime64[ms]"))
    placed = in_zone(wall, zone)
    impossible = np.zeros(len(ms), dtype=bool)
    impossible[rows] = np.asarray(placed.isna())
    out = ms.copy()
    good = ~np.asarray(placed.isna())
    out[rows[good]] = placed[good].as_unit("ms").asi8
    return out, impossible


def repeated_times(ms: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Rows (among ``candidates``) whose time an earlier candidate row already has. Times
    that only go up have none, which a comparison finds without the hash table (200 MB for
    5 million rows) that looking for repeats builds."""
    duplicated = np.zeros(len(ms), dtype=bool)
    every = bool(candidates.all())
    times = ms if every else ms[candidates]  # the usual file: no copy of its times
    if len(times) < 2 or bool((times[1:] > times[:-1]).all()):
        return duplicated
    repeats = pd.Series(times).duplicated(keep="first").to_numpy()
    if every:
        return repeats
    duplicated[np.flatnonzero(candidates)] = repeats
    return duplicated


def check_file(
    raw: bytes, dimensions: tuple[Dimension, ...], tz: str = "UTC", start_ms: int | None = None
) -> tuple[CsvTable, TimeFormat, Checked]:
    """The whole import with every guess taken as is (scripts, benches, tests); raises
    ``CsvError`` where the wizard would ask (day or month first, a column not named)."""
    table = with_date_and_time(csv_batches.read(raw))
    mapping = guess_mapping(list(table.frame.columns), dimensions, table.has_header)
    missing = [k for k, v in mapping.items() if v is None]
    if missing:
        raise CsvError("no column is named for " + ", ".join(missing) + ": choose one.")
    guess = detect_time_format(
        table.frame[mapping["timestamp"]], table.decimal, mapping["timestamp"]
    )
    if guess.question:
        raise CsvError(f"{guess.example!r} reads both day first and month first: choose.")
    fmt = guess.options[0]
    if fmt.kind == "relative":
        fmt = replace(fmt, start_ms=start_ms)
    return table, fmt, check(table, mapping, dimensions, fmt, tz)
