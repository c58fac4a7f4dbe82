"""What ``/count`` and ``/last`` answer: every field of the property type's measurement, as
the real server reads InfluxDB. A field is a name the type's dimensions have had; values
written under an earlier name stay under it (``earlier_fields``), so a renamed dimension
reads null where the real server's code answers null."""

from __future__ import annotations

import math
import time

from . import earlier_fields
from .aggregated import PER_BUCKET_MAX, _per_bucket
from .db import VALUE_COLUMNS
from .time_buckets import bucket_sql
from .values import MAX_COUNT_BUCKETS, _booleans, _plain, duration_ms


def count(
    conn, pk, dimensions, after_ms: float, interval: str | None, fields: list[str] | None = None
) -> list:
    """``SELECT COUNT(*) ... WHERE time > from``: a column per field of the measurement
    (``fields``: every name the type's dimensions ever had), in InfluxDB's alphabetical
    order, null for a field this property never wrote.

    As the real server answers (seen on InfluxDB 1.6.7): without an interval the time
    column is the ``from`` bound in ms; with one, every interval from the one holding
    ``from`` to the one holding now is listed, empty ones with 0."""
    if after_ms is None:
        return []
    order = sorted(range(len(dimensions)), key=lambda i: dimensions[i]["name"])
    cols = ", ".join(f"COUNT({VALUE_COLUMNS[i]})" for i in order)
    where = "property_pk = ? AND ts > ?"
    if interval is None:
        row = (
            _plain(conn)
            .execute(f"SELECT COUNT(*), {cols} FROM points WHERE {where}", (pk, after_ms))
            .fetchone()
        )
        before = earlier_fields.counts(conn, pk, after_ms)
        if not row[0] and not before:
            return []
        ours = row[1:] if row[0] else [None] * len(order)  # a field this series never wrote
        earlier = {name: {int(after_ms): n} for name, n in before.items()}
        return _as_fields([[int(after_ms), *ours]], dimensions, order, fields, earlier)
    step = duration_ms(interval)
    first = int(after_ms // step * step)
    last = int(time.time() * 1000 // step * step)
    if (last - first) // step + 1 > MAX_COUNT_BUCKETS:
        return []  # max-select-buckets limit exceeded: no values, as the real server says
    if last - first < PER_BUCKET_MAX * step:
        counts = [f"COUNT({VALUE_COLUMNS[i]})" for i in order]
        above = math.floor(after_ms) + 1  # times are whole milliseconds: ts > from
        per_bucket = _per_bucket(conn, pk, counts, step, above, last + step - 1)
        found = {b: [b, *row] for b, row in per_bucket.items()}
    else:
        bucket = bucket_sql(step)
        rows = (
            _plain(conn)
            .execute(
                f"SELECT {bucket} AS b, {cols} FROM points WHERE {where} GROUP BY b ORDER BY b",
                (pk, after_ms),
            )
            .fetchall()
        )
        found = {r[0]: list(r) for r in rows}
    zeros = [0] * len(dimensions)
    table = [found.get(b, [b, *zeros]) for b in range(first, last + 1, step)]
    earlier = earlier_fields.counts_per_bucket(conn, pk, after_ms, step)
    return _as_fields(table, dimensions, order, fields, earlier)


def _as_fields(
    rows: list, dimensions, order: list[int], fields: list[str] | None, earlier: dict
) -> list:
    """Count rows (time, then this property's fields by name) widened to every field of the
    measurement: a field this series wrote under an earlier name counted (``earlier``: per
    name, per row time), the others null, as InfluxDB answers for fields a series never
    wrote."""
    if not fields:
        return rows
    ours = [dimensions[i]["name"] for i in order]
    at = {name: 1 + k for k, name in enumerate(ours)}

    def cell(row, field):
        if field in at:
            return row[at[field]]
        return earlier[field].get(row[0], 0) if field in earlier else None

    return [[r[0], *(cell(r, f) for f in fields)] for r in rows]


def last(conn, pk, dimensions, thing_id: str, property_id: str, fields=None) -> list:
    """``SELECT * ... ORDER BY DESC LIMIT 1``: time, then fields and tags sorted by name
    (``fields``: every field of the measurement; the others null)."""
    cols = ", ".join(VALUE_COLUMNS[: len(dimensions)])
    row = (
        _plain(conn)
        .execute(
            f"SELECT ts, {cols} FROM points WHERE property_pk = ? ORDER BY ts DESC LIMIT 1", (pk,)
        )
        .fetchone()
    )
    newest_earlier = earlier_fields.newest(conn, pk)
    if row is None and newest_earlier is None:
        return None
    named = dict.fromkeys(fields or (), None)
    if row is None or (newest_earlier is not None and newest_earlier > row[0]):
        row = [newest_earlier] + [None] * len(dimensions)  # only earlier names at that time
    (row,) = _booleans(dimensions, [row])
    named.update({d["name"]: v for d, v in zip(dimensions, row[1:])})
    named.update(earlier_fields.at(conn, pk, row[0]))
    named.update(propertyId=property_id, thingId=thing_id)
    return [[row[0], *(named[k] for k in sorted(named))]]
