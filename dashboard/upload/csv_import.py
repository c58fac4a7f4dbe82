"""A CSV table to values a property can take, without ever storing a time it had to guess:
columns mapped to dimensions by name (or asked), the time column's format detected with
what it cannot tell (day or month first, a counter since the start of a recording) turned
into questions, every row checked, and a template to start from."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from bucket_client import PropertyType, RowProblem
from bucket_client.codec import MAX_MS, MIN_MS
from dashboard.shared.spreadsheet import as_text_cell
from dashboard.upload.csv_reading import CsvError, CsvTable
from dashboard.upload.number_cells import to_number
from dashboard.upload.row_reasons import RowReasons

Y2000_MS = 946_684_800_000  # before this, a time is more likely a counter than a reading
EPOCH_MS_PER = {"s": 1_000.0, "ms": 1.0, "us": 1e-3, "ns": 1e-6}
UNIT_WORDS = {"s": "seconds", "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}

DATE_PARTS = [
    ("%Y-%m-%d", ""),
    ("%Y/%m/%d", ""),
    ("%d/%m/%Y", "day"),
    ("%m/%d/%Y", "month"),
    ("%d-%m-%Y", "day"),
    ("%m-%d-%Y", "month"),
    ("%d.%m.%Y", "day"),
]
TIME_PARTS = [" %H:%M:%S.%f", " %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", ""]
COMMON_FORMATS = [d + t for d, _ in DATE_PARTS for t in TIME_PARTS]
DAY_FIRST = {d + t: m for d, m in DATE_PARTS for t in TIME_PARTS}
DATE_ONLY = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?(\s?[AaPp]\.?[Mm]\.?)?$")


@dataclass(frozen=True)
class TimeFormat:
    """How the time column is written: ``epoch`` (unit s/ms/us/ns since 1970), ``relative``
    (unit s/ms/us since ``start_ms``, the start of a recording), ``iso``, or a strftime
    ``format``."""

    kind: str
    unit: str = ""
    format: str = ""
    has_offset: bool = False
    start_ms: int | None = None

    def describe(self) -> str:
        if self.kind == "epoch":
            return f"UNIX time in {UNIT_WORDS[self.unit]} (since 1 Jan 1970)"
        if self.kind == "relative":
            return f"{UNIT_WORDS[self.unit].capitalize()} since the start of the recording"
        if self.kind == "iso":
            return "ISO 8601" + (" with offset" if self.has_offset else " without offset")
        order = DAY_FIRST.get(self.format)
        return f"date-time {self.format}" + (f" ({order} first)" if order else "")


@dataclass
class TimeGuess:
    """What the time column can be read as, and what only the person can tell."""

    options: list[TimeFormat]  # best first
    question: tuple[TimeFormat, TimeFormat] | None = None  # both fit every row: ask
    example: str = ""  # a cell to show read both ways
    reason: str = ""  # why the data settles it
    counter: bool = False  # numbers counting from the start of a recording


@dataclass
class Checked:
    """Rows that passed (UTC ms index, one column per dimension) and every problem."""

    good: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


# -- columns --------------------------------------------------------------------------------


def with_date_and_time(table: CsvTable) -> CsvTable:
    """A date in one column and the time of day in another: a column joining them
    (``Date + Time``), offered as the time. The table itself is not changed."""
    frame = table.frame
    sample = frame.head(200)
    dates = [c for c in frame.columns if _all_match(sample[c], DATE_ONLY)]
    clocks = [c for c in frame.columns if _all_match(sample[c], TIME_OF_DAY)]
    if not dates or not clocks:
        return table
    date, clock = dates[0], clocks[0]
    joined = frame[date].str.cat(frame[clock], sep=" ")
    combined = pd.concat([joined.rename(f"{date} + {clock}"), frame], axis=1)
    return replace(table, frame=combined, joined=(date, clock))


def _all_match(values: pd.Series, pattern: re.Pattern) -> bool:
    cells = values[values.str.len() > 0]
    return len(cells) > 0 and bool(cells.str.fullmatch(pattern.pattern).all())


# -- times ----------------------------------------------------------------------------------


def detect_time_format(values: pd.Series, decimal: str = ".", name: str = "") -> TimeGuess:
    """What the column can be: numbers since 1970 (unit by magnitude), numbers counting
    from the start of a recording (they start near 0, or would land before 2000), ISO 8601,
    or a date-time format, with day-first and month-first told apart by the data or asked."""
    cells = _filled(values.head(20_000))  # enough to judge; filtering all copied it all
    if cells.empty:
        cells = _filled(values)
    if cells.empty:
        raise CsvError("the time column is empty.")
    sample = cells.head(2000)
    numbers, _ = to_number(sample, decimal)
    if np.isfinite(numbers).mean() > 0.9:
        return _numeric_guess(numbers[np.isfinite(numbers)], name)
    iso = pd.to_datetime(sample, format="ISO8601", errors="coerce", utc=True)
    if iso.notna().mean() > 0.9 and sample.str.match(r"^\d{4}-\d{2}-\d{2}").mean() > 0.9:
        offset = sample.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).mean() > 0.5
        return TimeGuess([TimeFormat("iso", has_offset=bool(offset))])
    rates = {
        fmt: pd.to_datetime(sample, format=fmt, errors="coerce").notna().mean()
        for fmt in COMMON_FORMATS
    }
    best_rate = max(rates.values())
    if best_rate < 0.5:
        raise CsvError(
            f"the time column's format is not recognised (e.g. {sample.iloc[0]!r}); "
            "use UNIX time or ISO 8601 (2026-11-25T14:30:00)."
        )
    fitting = [f for f, r in rates.items() if r >= best_rate - 1e-9]
    best = fitting[0]
    other = _other_order(best)
    if other is not None:  # the whole column settles the order, or the person does
        return _day_or_month(_filled(values), best, other)
    options = [TimeFormat("format", format=f) for f in fitting]
    return TimeGuess(
        options + [TimeFormat("format", format=f) for f in COMMON_FORMATS if f not in fitting]
    )


def _filled(values: pd.Series) -> pd.Series:
    return values[values.str.len() > 0]


def _numeric_guess(numbers: np.ndarray, name: str) -> TimeGuess:
    first = float(numbers[0])
    epochs = [
        TimeFormat("epoch", unit=u)
        for u, f in EPOCH_MS_PER.items()
        if Y2000_MS <= first * f <= MAX_MS
    ]
    relative_unit = _counter_unit(numbers, name)
    relatives = [TimeFormat("relative", unit=relative_unit)] + [
        TimeFormat("relative", unit=u) for u in ("s", "ms", "us") if u != relative_unit
    ]
    others = [
        TimeFormat("epoch", unit=u)
        for u in EPOCH_MS_PER
        if TimeFormat("epoch", unit=u) not in epochs
    ]
    if epochs:
        return TimeGuess(epochs + relatives + others)
    return TimeGuess(relatives + others, counter=True)


def _counter_unit(numbers: np.ndarray, name: str) -> str:
    """A counter's unit from its column's name (``Time (s)``, ``millis``), else from its
    numbers: fractions are seconds, whole numbers ticking by more than one are milliseconds."""
    words = name.lower()
    if re.search(r"\bmicros|\(us\)|\(µs\)|\bus\b", words):
        return "us"
    if re.search(r"millis|\(ms\)|\bms\b", words):
        return "ms"
    if re.search(r"\(s\)|\bsec|\bs\b", words):
        return "s"
    if not np.all(np.equal(np.mod(numbers, 1), 0)):
        return "s"
    steps = np.diff(numbers[:200])
    return "ms" if len(steps) and np.median(steps) > 1 else "s"


def _other_order(fmt: str) -> str | None:
    if DAY_FIRST.get(fmt) == "day":
        return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    if DAY_FIRST.get(fmt) == "month":
        return fmt.replace("%m", "\0").replace("%d", "%m").replace("\0", "%d")
    return None


def _day_or_month(cells: pd.Series, fmt: str, other: str) -> TimeGuess:
    """Both orders read the sample: the whole column settles it when one of its first two
    numbers goes over 12, else the person is asked."""
    day_first, month_first = (fmt, other) if DAY_FIRST[fmt] == "day" else (other, fmt)
    parts = cells.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]").astype(float)
    over = [np.flatnonzero(parts[i].to_numpy() > 12) for i in (0, 1)]
    settled = {
        0: (day_first, "Day first", "before the month"),
        1: (month_first, "Month first", "in second place"),
    }
    for place, (order, said, where) in settled.items():
        if len(over[place]) and not len(over[1 - place]):
            i = over[place][0]
            return TimeGuess(
                [TimeFormat("format", format=order)],
                reason=f"{said}: {cells.iloc[i]!r} has {int(parts[place].iloc[i])} {where}, "
                "which can only be a day.",
            )
    pair = (TimeFormat("format", format=day_first), TimeFormat("format", format=month_first))
    return TimeGuess(list(pair), question=pair, example=str(cells.iloc[0]))


def parse_times(
    values: pd.Series, fmt: TimeFormat, tz: str = "UTC", decimal: str = "."
) -> tuple[np.ndarray, RowReasons]:
    """UTC milliseconds (int64) and a reason per row ('' when fine)."""
    n = len(values)
    reasons = RowReasons(n)
    empty = (values.str.len().fillna(0) == 0).to_numpy(dtype=bool)
    if fmt.kind in ("epoch", "relative"):
        ms, _ = to_number(values, decimal)
        if not ms.flags.writeable:  # Arrow's own memory: scaled in a copy of it, in place
            ms = ms.copy()
        ms *= EPOCH_MS_PER[fmt.unit]
        if fmt.kind == "relative":
            if fmt.start_ms is None:
                raise CsvError("enter when the recording started.")
            ms += fmt.start_ms
        bad = ~np.isfinite(ms)
        reasons.mark(bad, "not a time")
        np.round(ms, out=ms)
        ms[bad] = 0
    else:
        if fmt.kind == "iso":
            parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=fmt.has_offset)
        else:
            parsed = pd.to_datetime(values, format=fmt.format, errors="coerce")
        stamps = pd.DatetimeIndex(parsed)
        if stamps.tz is None:
            localized = in_zone(stamps, tz)
            impossible = np.asarray(stamps.notna() & localized.isna())
            reasons.mark(
                impossible, f"impossible time in {tz} (skipped or repeated by a clock change)"
            )
            stamps = localized
        else:
            stamps = stamps.tz_convert("UTC")
        bad = np.asarray(stamps.isna())
        reasons.mark(bad & ~reasons.bad, "not a time in the chosen format")
        ms = np.where(bad, 0, stamps.as_unit("ms").asi8 if len(stamps) else np.zeros(0)).astype(
            float
        )
    out_of_range = ~reasons.bad & ((ms < MIN_MS) | (ms > MAX_MS))
    reasons.mark(out_of_range, "time before 1970 or after 2100 (check the unit)")
    reasons.mark(empty, "missing")
    return ms.astype(np.int64), reasons


def in_zone(stamps: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    """Wall-clock times read in ``tz``. The hour a clock change repeats is placed by the
    file's own order when that order settles it (a logger writes 02:30 CEST, then 02:00 CET
    ... 02:30 again: the later ones are after the change), as pandas' ``infer`` does; a time
    the order does not settle, or one the change skips, is NaT: asked, never guessed."""
    try:
        return stamps.tz_localize(tz, nonexistent="NaT", ambiguous="infer")
    except (ValueError, TypeError):  # pandas: "cannot infer dst time ..."
        return stamps.tz_localize(tz, nonexistent="NaT", ambiguous="NaT")


# -- rows -----------------------------------------------------------------------------------


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
