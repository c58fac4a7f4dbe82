"""A CSV table to values a property can take: columns mapped to dimensions by name, the
time column's format, every row checked, and a template to start from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bucket_client import Dimension, PropertyType, RowProblem
from bucket_client.codec import MAX_MS, MIN_MS
from dashboard.shared.spreadsheet import as_text_cell
from dashboard.upload.csv_reading import CsvError, CsvTable, read_table

TIME_NAMES = ("timestamp", "time", "datetime", "date", "ts", "epoch", "unix", "t")


COMMON_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]


EPOCH_UNITS = {"s": 1_000, "ms": 1, "us": 0.001}


@dataclass(frozen=True)
class TimeFormat:
    """How the time column is written: ``epoch`` (unit s/ms/us), ``iso``, or a strftime ``format``."""

    kind: str
    unit: str = ""
    format: str = ""
    has_offset: bool = False

    def describe(self) -> str:
        if self.kind == "epoch":
            return {"s": "UNIX seconds", "ms": "UNIX milliseconds", "us": "UNIX microseconds"}[
                self.unit
            ]
        if self.kind == "iso":
            return "ISO 8601" + (" with offset" if self.has_offset else " without offset")
        return f"date-time {self.format}"


@dataclass
class Checked:
    """Rows that passed (UTC ms index, one float column per dimension) and every problem."""

    good: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


def guess_mapping(columns: list[str], dimensions: tuple[Dimension, ...]) -> dict[str, str | None]:
    """``{"timestamp": column, <dimension name>: column}`` from the names, else by position."""
    lower = {c.lower().strip(): c for c in columns}
    mapping: dict[str, str | None] = {
        "timestamp": next((lower[n] for n in TIME_NAMES if n in lower), None)
    }
    for dim in dimensions:
        candidates = [dim.name.lower(), dim.id.lower(), dim.id.lower().split("-")[-1]]
        mapping[dim.name] = next((lower[c] for c in candidates if c in lower), None)
    used = {v for v in mapping.values() if v}
    free = [c for c in columns if c not in used]
    if mapping["timestamp"] is None and free:
        mapping["timestamp"] = free.pop(0)
    for dim in dimensions:
        if mapping[dim.name] is None and free:
            mapping[dim.name] = free.pop(0)
    return mapping


def detect_time_format(values: pd.Series) -> TimeFormat:
    """Guess from the non-empty cells: epoch unit by magnitude, ISO 8601, or a common format."""
    sample = values[values.str.len() > 0].head(2000)
    if sample.empty:
        raise CsvError("the time column is empty.")
    numbers = pd.to_numeric(sample, errors="coerce")
    if numbers.notna().mean() > 0.9:
        magnitude = float(np.nanmedian(np.abs(numbers.to_numpy(dtype=float))))
        unit = "s" if magnitude < 1e11 else "ms" if magnitude < 1e14 else "us"
        return TimeFormat("epoch", unit=unit)
    iso = pd.to_datetime(sample, format="ISO8601", errors="coerce", utc=True)
    if iso.notna().mean() > 0.9 and sample.str.match(r"^\d{4}-\d{2}-\d{2}").mean() > 0.9:
        offset = sample.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).mean() > 0.5
        return TimeFormat("iso", has_offset=bool(offset))
    best, best_rate = None, 0.0
    for fmt in COMMON_FORMATS:
        rate = pd.to_datetime(sample, format=fmt, errors="coerce").notna().mean()
        if rate > best_rate + 1e-9:
            best, best_rate = fmt, rate
    if best is None or best_rate < 0.5:
        raise CsvError(
            f"the time column's format is not recognised (e.g. {sample.iloc[0]!r}); "
            "use UNIX time or ISO 8601 (2026-11-25T14:30:00)."
        )
    return TimeFormat("format", format=best)


def parse_times(
    values: pd.Series, fmt: TimeFormat, tz: str = "UTC"
) -> tuple[np.ndarray, np.ndarray]:
    """UTC milliseconds (int64) and a reason per row ('' when fine)."""
    n = len(values)
    reasons = np.full(n, "", dtype=object)
    empty = values.str.len().fillna(0).to_numpy() == 0
    if fmt.kind == "epoch":
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        ms = numbers * EPOCH_UNITS[fmt.unit]
        bad = ~np.isfinite(ms)
        reasons[bad] = "not a time"
        ms = np.where(bad, 0, np.round(ms))
    else:
        if fmt.kind == "iso":
            parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=fmt.has_offset)
        else:
            parsed = pd.to_datetime(values, format=fmt.format, errors="coerce")
        if not fmt.has_offset:
            naive = pd.DatetimeIndex(parsed)
            if naive.tz is None:
                localized = naive.tz_localize(tz, nonexistent="NaT", ambiguous="NaT")
                impossible = naive.notna() & localized.isna()
                reasons[np.asarray(impossible)] = (
                    f"impossible time in {tz} (skipped or repeated by a clock change)"
                )
                parsed = localized
            else:
                parsed = naive.tz_convert("UTC")
        stamps = pd.DatetimeIndex(parsed)
        bad = np.asarray(stamps.isna())
        reasons[bad & (reasons == "")] = "not a time in the detected format"
        ms = np.where(bad, 0, stamps.as_unit("ms").asi8 if len(stamps) else np.zeros(0)).astype(
            float
        )
    out_of_range = (reasons == "") & ((ms < MIN_MS) | (ms > MAX_MS))
    reasons[out_of_range] = "time before 1970 or after 2100 (check the unit)"
    reasons[empty] = "missing"
    return ms.astype(np.int64), reasons


def to_number(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Floats, and a reason per row ('' when fine). A decimal comma is accepted."""
    text = values.fillna("")
    numbers = pd.to_numeric(text, errors="coerce")
    comma = numbers.isna() & text.str.fullmatch(r"[+-]?\d+,\d+")
    if comma.any():
        numbers[comma] = pd.to_numeric(
            text[comma].str.replace(",", ".", regex=False), errors="coerce"
        )
    floats = numbers.to_numpy(dtype=float)
    reasons = np.full(len(values), "", dtype=object)
    reasons[~np.isfinite(floats)] = "not a number"
    reasons[(text.str.len() == 0).to_numpy()] = "missing"
    return floats, reasons


def check(
    table: CsvTable,
    mapping: dict[str, str | None],
    dimensions: tuple[Dimension, ...],
    fmt: TimeFormat,
    tz: str = "UTC",
) -> Checked:
    """Every row checked; good rows converted, bad rows listed (line number, column, why)."""
    frame = table.frame
    lines = table.lines
    problems: list[RowProblem] = []
    time_col = mapping.get("timestamp")
    if not time_col:
        raise CsvError("choose the column that holds the time.")
    ms, reasons = parse_times(frame[time_col], fmt, tz)
    bad = reasons != ""
    problems += [RowProblem(int(lines[i]), time_col, reasons[i]) for i in np.flatnonzero(bad)]
    columns = {}
    for dim in dimensions:
        col = mapping.get(dim.name)
        if not col:
            raise CsvError(f"choose the column for dimension {dim.name}.")
        if dim.is_number:
            values, why = to_number(frame[col])
        else:
            values = frame[col].to_numpy(dtype=object)
            why = np.where(frame[col].str.len().to_numpy() == 0, "missing", "")
        problems += [RowProblem(int(lines[i]), col, why[i]) for i in np.flatnonzero(why != "")]
        bad |= why != ""
        columns[dim.name] = values
    duplicated = np.zeros(len(ms), dtype=bool)
    candidates = np.flatnonzero(~bad)
    duplicated[candidates] = pd.Series(ms[candidates]).duplicated(keep="first").to_numpy()
    problems += [
        RowProblem(
            int(lines[i]), time_col, "duplicate timestamp (an earlier row has the same time)"
        )
        for i in np.flatnonzero(duplicated)
    ]
    bad |= duplicated
    keep = ~bad
    index = pd.DatetimeIndex(ms[keep].astype("datetime64[ms]"), name="timestamp").tz_localize("UTC")
    good = pd.DataFrame({name: values[keep] for name, values in columns.items()}, index=index)
    problems.sort(key=lambda p: (p.row, p.column))
    return Checked(good, problems, len(frame))


def template_csv(ptype: PropertyType) -> str:
    """A CSV to fill in: a header from the type's dimensions and one example row."""
    header = ["timestamp"] + [as_text_cell(d.name) for d in ptype.dimensions]
    example = ["2026-11-25T14:30:00+01:00"] + [
        "0" if d.is_number else "text" for d in ptype.dimensions
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(example)
    return buffer.getvalue()


def check_file(
    raw: bytes, dimensions: tuple[Dimension, ...], tz: str = "UTC"
) -> tuple[CsvTable, TimeFormat, Checked]:
    """The whole import with every guess taken as is (scripts, benches, tests)."""
    table = read_table(raw)
    mapping = guess_mapping(list(table.frame.columns), dimensions)
    fmt = detect_time_format(table.frame[mapping["timestamp"]])
    return table, fmt, check(table, mapping, dimensions, fmt, tz)
