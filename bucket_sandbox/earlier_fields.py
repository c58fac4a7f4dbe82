"""Values kept under a dimension's earlier name, as InfluxDB keeps them.

InfluxDB stores a value under its field's name. When a dimension is renamed (the real server
renames it for every type that shares its id), the values written before stay under the old
name: read by the new name they are gone (``values: []``), while ``/count`` and ``/last``
still answer the old name's column. The sandbox keeps values by position (``points``), so
at a rename it moves them here, by name, and back should a later rename restore the name.
"""

from __future__ import annotations

from .db import VALUE_COLUMNS
from .time_buckets import bucket_sql


def rename(conn, type_id: str, position: int, old: str, new: str) -> None:
    """The dimension at ``position`` of ``type_id`` is now called ``new``: every property of
    that type keeps its values written as ``old`` under that name, and gets back the values
    it once wrote as ``new``. A point left with no value at all is gone, as in InfluxDB."""
    if old == new:
        return
    column = VALUE_COLUMNS[position]
    pks = [r[0] for r in conn.execute("SELECT pk FROM properties WHERE type_id = ?", (type_id,))]
    with conn:
        for pk in pks:
            conn.execute(
                "INSERT OR REPLACE INTO earlier_points (property_pk, ts, name, value)"
                f" SELECT property_pk, ts, ?, {column} FROM points"
                f" WHERE property_pk = ? AND {column} IS NOT NULL",
                (old, pk),
            )
            conn.execute(f"UPDATE points SET {column} = NULL WHERE property_pk = ?", (pk,))
            conn.execute(
                "INSERT OR IGNORE INTO points (property_pk, ts) SELECT property_pk, ts"
                " FROM earlier_points WHERE property_pk = ? AND name = ?",
                (pk, new),
            )
            conn.execute(
                f"UPDATE points SET {column} = (SELECT value FROM earlier_points e"
                " WHERE e.property_pk = points.property_pk AND e.ts = points.ts AND e.name = ?)"
                " WHERE property_pk = ? AND ts IN (SELECT ts FROM earlier_points"
                " WHERE property_pk = ? AND name = ?)",
                (new, pk, pk, new),
            )
            conn.execute("DELETE FROM earlier_points WHERE property_pk = ? AND name = ?", (pk, new))
            empty = " AND ".join(f"{c} IS NULL" for c in VALUE_COLUMNS)
            conn.execute(f"DELETE FROM points WHERE property_pk = ? AND {empty}", (pk,))


def counts(conn, pk: int, after_ms: float) -> dict[str, int]:
    """Per earlier name, how many values this property holds under it after ``after_ms``."""
    rows = conn.execute(
        "SELECT name, COUNT(*) FROM earlier_points WHERE property_pk = ? AND ts > ? GROUP BY name",
        (pk, after_ms),
    )
    return {name: n for name, n in rows}


def counts_per_bucket(conn, pk: int, after_ms: float, step: int) -> dict[str, dict[int, int]]:
    """Per earlier name, per ``step``-ms bucket (aligned to the epoch), how many values."""
    bucket = bucket_sql(step)
    out: dict[str, dict[int, int]] = {}
    for name, b, n in conn.execute(
        f"SELECT name, {bucket} AS b, COUNT(*) FROM earlier_points"
        " WHERE property_pk = ? AND ts > ? GROUP BY name, b",
        (pk, after_ms),
    ):
        out.setdefault(name, {})[b] = n
    return out


def newest(conn, pk: int) -> int | None:
    return conn.execute(
        "SELECT MAX(ts) FROM earlier_points WHERE property_pk = ?", (pk,)
    ).fetchone()[0]


def at(conn, pk: int, ts: int) -> dict:
    """The values under earlier names at one time."""
    rows = conn.execute(
        "SELECT name, value FROM earlier_points WHERE property_pk = ? AND ts = ?", (pk, ts)
    )
    return {name: value for name, value in rows}


def forget(conn, pk: int, timestamps=None) -> None:
    """With the property's points: all of them, or those at ``timestamps``."""
    if timestamps is None:
        conn.execute("DELETE FROM earlier_points WHERE property_pk = ?", (pk,))
        return
    conn.executemany(
        "DELETE FROM earlier_points WHERE property_pk = ? AND ts = ?",
        [(pk, t) for t in timestamps],
    )
