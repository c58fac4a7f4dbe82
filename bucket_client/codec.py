"""Values between pandas and Bucket's wire format, fast and checked.

Writing: any input becomes (timestamps in ms, one column per dimension), is
validated before anything is sent (the real server silently drops a wrong-length
row and refuses a whole body for one wrong type), and is cut into JSON bodies
that fit the body limit. Reading: the ``values`` array is parsed at the bytes
level with numpy when it is all numbers, and through orjson otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import orjson
import pandas as pd

from .errors import RowProblem, ValidationError
from .models import Dimension

MIN_MS = 0  # 1970-01-01
MAX_MS = 4_102_444_800_000  # 2100-01-01
BODY_LIMIT = 100 * 1024
BODY_MARGIN = 0.92  # stay clear of the limit: headers and rounding


@dataclass
class Batch:
    """Validated rows ready to send: ms timestamps and one array per dimension."""

    timestamps: np.ndarray
    columns: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.timestamps)


def _to_ms(values) -> np.ndarray:
    """Datetimes (naive = UTC) or numbers (already ms) to int64 milliseconds."""
    series = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = (
            series.dt.tz_convert("UTC").dt.tz_localize(None) if series.dt.tz is not None else series
        )
        return stamps.to_numpy().astype("datetime64[ms]").astype("int64")
    return series.to_numpy()


def from_frame(
    frame: pd.DataFrame, dimensions: tuple[Dimension, ...]
) -> tuple[np.ndarray, list, list[str]]:
    """A DataFrame with a DatetimeIndex (or a ``timestamp`` column) and one column per dimension."""
    names = [d.name for d in dimensions]
    if isinstance(frame.index, pd.DatetimeIndex):
        ts = _to_ms(frame.index.to_series(index=range(len(frame))))
    elif "timestamp" in frame.columns:
        ts = _to_ms(frame["timestamp"].reset_index(drop=True))
    else:
        raise ValidationError(
            [RowProblem(0, "timestamp", "no DatetimeIndex and no 'timestamp' column")], len(frame)
        )
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValidationError(
            [RowProblem(0, m, "column missing from the frame") for m in missing], len(frame)
        )
    return ts, [frame[n].to_numpy() for n in names], names


def from_rows(rows, dimensions: tuple[Dimension, ...]) -> tuple[np.ndarray, list, list[str]]:
    """Rows ``[ms, v1, v2, ...]``; a row of another length is an error here, not a silent skip."""
    n = len(dimensions)
    names = [d.name for d in dimensions]
    problems = [
        RowProblem(
            i,
            "*",
            f"has {len(r) if isinstance(r, (list, tuple)) else 'no'} "
            f"cells, expected {n + 1} (time + {n} dimensions)",
        )
        for i, r in enumerate(rows)
        if not isinstance(r, (list, tuple)) or len(r) != n + 1
    ]
    if problems:
        raise ValidationError(problems, len(rows))
    if not rows:
        return np.empty(0, dtype=np.int64), [np.empty(0) for _ in names], names
    table = np.array(rows, dtype=object)
    return table[:, 0], [table[:, i + 1] for i in range(n)], names


def reorder(parsed, given: tuple[Dimension, ...], wanted: tuple[Dimension, ...]):
    """``(ts, columns, names)`` in the order of ``given`` put in the order of ``wanted``,
    matched by dimension id (never by position: the two lists may come in any order)."""
    ts, columns, _names = parsed
    by_id = {d.id: c for d, c in zip(given, columns)}
    missing = [d.name for d in wanted if d.id not in by_id]
    if missing:
        raise ValidationError(
            [RowProblem(0, m, "no such dimension in the given rows") for m in missing], len(ts)
        )
    return ts, [by_id[d.id] for d in wanted], [d.name for d in wanted]


def validate(ts, columns, names, dimensions) -> Batch:
    """Every check the server would not make, all before anything is sent."""
    problems: list[RowProblem] = []
    for d in dimensions:
        if d.is_media:
            raise ValidationError(
                [RowProblem(0, d.name, f"media dimension ({d.type}) cannot be written as values")],
                len(ts),
            )
    ts_num = pd.to_numeric(pd.Series(ts, dtype=object), errors="coerce").to_numpy(dtype=float)
    bad = (
        ~np.isfinite(ts_num) | (ts_num != np.floor(ts_num)) | (ts_num < MIN_MS) | (ts_num > MAX_MS)
    )
    for i in np.flatnonzero(bad)[:1000]:
        problems.append(
            RowProblem(int(i), "timestamp", f"{ts[i]!r} is not a time in ms between 1970 and 2100")
        )
    out_cols = []
    for d, name, col in zip(dimensions, names, columns):
        checked, col_problems = _check_column(d, name, col)
        problems += col_problems
        out_cols.append(checked)
    if problems:
        problems.sort(key=lambda p: (p.row, p.column))
        raise ValidationError(problems, len(ts))
    return Batch(ts_num.astype(np.int64), out_cols)


def _check_column(d: Dimension, name: str, col) -> tuple[np.ndarray, list[RowProblem]]:
    col = np.asarray(col)
    if d.type == "number":
        if col.dtype.kind in "iuf":
            values = col.astype(float)
            bad = np.flatnonzero(~np.isfinite(values))
            return values, [
                RowProblem(int(i), name, f"{col[i]!r} is not a finite number") for i in bad[:1000]
            ]
        series = pd.Series(col, dtype=object)
        is_bool = series.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(values) | is_bool)
        return values, [
            RowProblem(int(i), name, f"{col[i]!r} is not a finite number") for i in bad[:1000]
        ]
    if d.type == "boolean":
        ok = np.array([isinstance(v, (bool, np.bool_)) for v in col], dtype=bool)
        return col.astype(object), [
            RowProblem(int(i), name, f"{col[i]!r} is not true or false")
            for i in np.flatnonzero(~ok)[:1000]
        ]
    ok = np.array([isinstance(v, str) for v in col], dtype=bool)
    return col.astype(object), [
        RowProblem(int(i), name, f"{col[i]!r} is not text") for i in np.flatnonzero(~ok)[:1000]
    ]


def to_wire_rows(batch: Batch, start: int, stop: int) -> list[list]:
    cols = [c[start:stop].tolist() for c in batch.columns]
    return [list(r) for r in zip(batch.timestamps[start:stop].tolist(), *cols)]


def chunks(
    batch: Batch, start_row: int = 0, limit: int = BODY_LIMIT
) -> Iterator[tuple[int, int, bytes]]:
    """``(start, stop, body)`` slices whose JSON bodies stay under ``limit`` bytes."""
    budget = int(limit * BODY_MARGIN)
    step, start = 256, start_row
    while start < len(batch):
        stop = min(len(batch), start + step)
        body = orjson.dumps({"values": to_wire_rows(batch, start, stop)})
        if len(body) > budget and stop - start > 1:
            step = max(1, int((stop - start) * budget / len(body) * 0.95))
            continue
        if len(body) > limit:
            raise ValidationError(
                [RowProblem(start, "*", "one row is larger than the body limit")], len(batch)
            )
        yield start, stop, body
        step = max(1, int((stop - start) * budget / len(body) * 0.97))
        start = stop


_VALUES_KEY = re.compile(rb'"values"\s*:\s*\[')
_NUMERIC_ONLY = bytes(range(256)).translate(None, b"0123456789.,-+eE[] \n\r\t")


def split_values(content: bytes) -> tuple[dict, bytes]:
    """The property JSON without its ``values``, and the raw bytes of the values array.

    Fast path: the values array is the last array-of-arrays in the body, so it ends at
    the last ``]]``; the rest is parsed to prove the cut. Any doubt: parse it all.
    """
    match = _VALUES_KEY.search(content)
    if match is None:
        return orjson.loads(content), b"[]"
    start = match.end() - 1
    if content[start : start + 2] == b"[]":
        end = start + 2
    else:
        end = content.rfind(b"]]") + 2
    try:
        if end <= start + 1:
            raise ValueError("no end")
        meta = orjson.loads(content[: match.start()] + b'"values":[]' + content[end:])
        return meta, content[start:end]
    except (ValueError, orjson.JSONDecodeError):
        whole = orjson.loads(content)
        return {**whole, "values": []}, orjson.dumps(whole.get("values", []))


def decode_values(raw: bytes, dimensions: tuple[Dimension, ...]) -> pd.DataFrame:
    """The ``values`` array to a DataFrame: UTC DatetimeIndex ``timestamp``, one column per dimension."""
    names = [d.name for d in dimensions]
    width = len(names) + 1
    if raw.strip() in (b"[]", b""):
        return empty_frame(dimensions)
    if not raw.translate(None, b"0123456789.,-+eE[] \n\r\t"):
        flat = np.fromstring(raw.translate(None, b"[]"), dtype=np.float64, sep=",")
        if flat.size % width == 0:
            table = flat.reshape(-1, width)
            return _frame(
                table[:, 0].astype(np.int64),
                [table[:, i + 1] for i in range(len(names))],
                dimensions,
            )
    rows = orjson.loads(raw)
    rows = [r for r in rows if isinstance(r, list) and len(r) == width]
    if not rows:
        return empty_frame(dimensions)
    table = np.array(rows, dtype=object)
    ts = table[:, 0].astype(np.int64)
    cols = []
    for i, d in enumerate(dimensions):
        col = table[:, i + 1]
        cols.append(
            pd.to_numeric(pd.Series(col), errors="coerce").to_numpy(float) if d.is_number else col
        )
    return _frame(ts, cols, dimensions)


def _frame(ts: np.ndarray, cols: list, dimensions) -> pd.DataFrame:
    index = pd.DatetimeIndex(ts.astype("datetime64[ms]"), name="timestamp").tz_localize("UTC")
    return pd.DataFrame({d.name: c for d, c in zip(dimensions, cols)}, index=index)


def empty_frame(dimensions) -> pd.DataFrame:
    index = pd.DatetimeIndex([], dtype="datetime64[ms, UTC]", name="timestamp")
    return pd.DataFrame(
        {d.name: pd.Series([], dtype=float if d.is_number else object) for d in dimensions},
        index=index,
    )


def to_ms(value) -> int:
    """A time (datetime, Timestamp, ISO text, or ms number) in UTC milliseconds."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return int(stamp.value // 1_000_000)
