"""Values as InfluxDB holds them: one point per (property, millisecond), aggregated in SQL.

A second write of a timestamp replaces the first (InfluxDB's upsert), so a retried
PUT is idempotent. Aggregation buckets start at multiples of the interval since
the epoch, as InfluxDB's ``GROUP BY time()`` does, and carry their start time.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime

from . import earlier_fields
from .db import VALUE_COLUMNS
from .errors import DcdError, LibraryError

_UNITS_MS = {
    "ns": 1e-6,
    "u": 1e-3,
    "µ": 1e-3,
    "ms": 1,
    "s": 1000,
    "m": 60_000,
    "h": 3_600_000,
    "d": 86_400_000,
    "w": 604_800_000,
}
_DURATION = re.compile(r"(\d+)(ns|ms|u|µ|s|m|h|d|w)")
_JS_INT = re.compile(r"\s*([+-]?\d+)")


INFLUX_LIMIT_MS = 9_223_372_036_854  # 2**63 ns, in ms
JS_DATE_LIMIT_MS = 8_640_000_000_000_000  # the largest time a JavaScript Date can hold
# InfluxDB's [coordinator] max-select-buckets as the conformance harness sets it. With the
# default (0, no limit) InfluxDB 1.6 allocates every bucket of a GROUP BY time(): 2e7 buckets
# took 3 GB and never answered here. Over the limit, the statement fails inside InfluxDB's 200
# answer and the real server reads that as no values (seen: values [] for values and count).
MAX_COUNT_BUCKETS = 1_000_000


def _plain(conn):
    """A cursor that yields plain tuples: faster than ``sqlite3.Row`` and JSON-ready."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def js_parse_int(text: str | None) -> int | None:
    """``Number.parseInt`` as the real server applies it to ``from`` and ``to``."""
    match = _JS_INT.match(text or "")
    return int(match.group(1)) if match else None


def duration_ms(text: str) -> int:
    """An InfluxQL duration literal (``500ms``, ``5m``, ``1h30m``) in milliseconds."""
    parts = _DURATION.findall(text or "")
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"invalid duration {text!r}")
    total = sum(int(n) * _UNITS_MS[u] for n, u in parts)
    if total < 1:
        raise ValueError(f"duration {text!r} is below one millisecond")
    return int(total)


def check_row_types(dimensions: list[dict], row: list) -> None:
    """The real server's rule: number dimensions take JSON numbers, others must not."""
    for dim, value in zip(dimensions, row[1:]):
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if (dim["type"] == "number") != is_number:
            raise DcdError(404, "Mismatch type of value for dimension " + dim["id"])


def write(
    conn, property_pk: int, dimensions: list[dict], rows, cells: list[dict] | None = None
) -> int:
    """Store rows all-or-nothing; rows of the wrong length are skipped silently.

    ``dimensions`` is the stored (loaded) order. ``cells`` is the order a row's cells
    name them in, when it differs: the real PUT pairs cell i with the single-property
    route's reversed list, so the API passes that list here and the cells are put back
    in stored order before they are kept.
    """
    n = len(dimensions)
    cells = cells or dimensions
    position = {d["id"]: i for i, d in enumerate(cells)}
    order = [position[d["id"]] for d in dimensions]
    points = []
    now = int(time.time() * 1000)
    for row in _js_for_in(rows):
        if row is None:  # null.length: a TypeError inside the write
            raise DcdError(500, "Failed updating property values")
        if isinstance(row, str) and len(row) in (n, n + 1):
            if len(row) == n:  # unshift on a string: a TypeError inside the write
                raise DcdError(500, "Failed updating property values")
            row = list(row)  # JavaScript indexes a string like an array of its characters
        if not isinstance(row, list) or len(row) not in (n, n + 1):
            continue  # the real server drops these without a word
        if len(row) == n:
            row = [now, *row]
        check_row_types(cells, row)
        ts = js_parse_int(row[0]) if isinstance(row[0], str) else row[0]
        if (
            not isinstance(ts, (int, float))
            or isinstance(ts, bool)
            or not math.isfinite(ts)
            or abs(ts) > INFLUX_LIMIT_MS  # InfluxDB keeps int64 nanoseconds (1677 to 2262)
        ):
            raise DcdError(500, "Failed updating property values")
        points.append((property_pk, int(ts), *(row[1 + i] for i in order)))
    if points:
        cols = ", ".join(VALUE_COLUMNS[:n])
        marks = ", ".join("?" * (n + 2))
        with conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO points (property_pk, ts, {cols}) VALUES ({marks})", points
            )
    return len(points)


def _js_for_in(rows) -> list:
    """What ``for (const index in values)`` visits: an array's items, an object's values,
    a string's characters; nothing for a number, a boolean or null."""
    if isinstance(rows, list):
        return rows
    if isinstance(rows, dict):
        return list(rows.values())
    if isinstance(rows, str):
        return list(rows)
    return []


def _booleans(dimensions, rows):
    flags = [i + 1 for i, d in enumerate(dimensions) if d["type"] == "boolean"]
    if not flags:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i in flags:
            row[i] = None if row[i] is None else bool(row[i])
        out.append(row)
    return out


def read_raw(conn, property_pk: int, dimensions: list[dict], start: int, end: int) -> list:
    cols = ", ".join(VALUE_COLUMNS[: len(dimensions)])
    rows = (
        _plain(conn)
        .execute(
            f"SELECT ts, {cols} FROM points WHERE property_pk = ? AND ts BETWEEN ? AND ? ORDER BY ts",
            (property_pk, start, end),
        )
        .fetchall()
    )
    return _booleans(dimensions, rows)


def delete_timestamps(conn, pk: int, timestamps) -> None:
    """One InfluxDB DELETE per stamp, built with JavaScript's ``new Date(t).toISOString()``
    as the real server does: an invalid date is a RangeError, ``null`` a TypeError, and
    nothing to delete (not a list, or an empty one) an empty query InfluxDB refuses."""
    if timestamps is None:
        raise LibraryError("Cannot read properties of null (reading 'length')", "TypeError")
    if isinstance(timestamps, str):
        timestamps = list(timestamps)
    if not isinstance(timestamps, list) or not timestamps:
        raise LibraryError('missing required parameter "q"', "Error")
    stamps = [_js_date_ms(t) for t in timestamps]
    with conn:
        conn.executemany(
            "DELETE FROM points WHERE property_pk = ? AND ts = ?", [(pk, t) for t in stamps]
        )
        earlier_fields.forget(conn, pk, stamps)


def _js_date_ms(value) -> int:
    """``new Date(value)`` for what JSON can carry, in ms; RangeError when it is invalid."""
    if value is None or isinstance(value, bool):
        return int(bool(value))
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) <= JS_DATE_LIMIT_MS:
        return int(value)
    if isinstance(value, str):
        try:
            return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            pass
    raise LibraryError("Invalid time value", "RangeError")


def delete_all(conn, pk: int) -> None:
    with conn:
        conn.execute("DELETE FROM points WHERE property_pk = ?", (pk,))
        earlier_fields.forget(conn, pk)


def parse_count_from(text: str | None) -> float | None:
    """``from`` is pasted into InfluxQL: a bare number is nanoseconds. Absent, the real
    server writes ``time > undefined``, which InfluxDB takes for a field that no point
    has: no values (None here)."""
    if text is None:
        return None
    if not re.fullmatch(r"\s*-?\d+\s*", text):
        raise ValueError(f"error parsing query: found {text}, expected expression")
    return int(text) / 1e6
