"""Property types: the 30 the real server seeds, plus types users create."""

from __future__ import annotations

import json
from importlib import resources

from . import earlier_fields
from .errors import LibraryError


def _seed_file() -> list[dict]:
    text = resources.files("bucket_sandbox").joinpath("data/property-types.json").read_text("utf-8")
    return json.loads(text)


def seed_types() -> list[dict]:
    """The types as the real server's migration leaves them: it saves them in order, and a
    dimension is one row keyed by its id, so the last type to define an id defines it for
    all. ``state`` is BINARY's "State" (boolean) and then STATE's "Value" (number): on the
    real server BINARY's one dimension is a number named "Value", and ``true`` is refused
    ("Mismatch type of value for dimension state")."""
    types = _seed_file()
    last = {d["id"]: d for t in types for d in t["dimensions"]}
    return [{**t, "dimensions": [last[d["id"]] for d in t["dimensions"]]} for t in types]


# Fields the measurements of a long-lived Bucket hold beside the current dimensions: a
# dimension renamed once stays in InfluxDB under its old name (the real server's TEMPERATURE
# became "Kelvin" for everyone when another type reused its dimension id), and ``/count``
# and ``/last`` answer a column for it, null for properties that never wrote it. Every
# sandbox has this history, so that no client comes to rely on a measurement without one.
EARLIER_FIELDS = {"TEMPERATURE": ("Kelvin",), "ACCELEROMETER": ("acceleration",)}


def remember_fields(conn, type_id: str, names) -> None:
    """A type's dimension names become fields of its measurement, for good."""
    conn.executemany(
        "INSERT OR IGNORE INTO type_fields (type_id, name) VALUES (?, ?)",
        [(type_id, str(n)) for n in names],
    )


def share_dimensions(conn, type_id: str, dims: list[dict]) -> None:
    """A dimension is one row for every type in the real server (keyed by its id): a new
    type that reuses an id renames that dimension for every type that has it. Their
    measurements keep the old name as a field (values written before stay under it)."""
    by_id = {d["id"]: d for d in dims}
    for row in list(conn.execute("SELECT id, dimensions FROM types WHERE id != ?", (type_id,))):
        theirs = json.loads(row["dimensions"])
        if not any(d.get("id") in by_id for d in theirs):
            continue
        merged = [{**d, **by_id[d["id"]]} if d.get("id") in by_id else d for d in theirs]
        renamed_values(conn, row["id"], theirs, merged)
        conn.execute(
            "UPDATE types SET dimensions = ? WHERE id = ?", (json.dumps(merged), row["id"])
        )
        remember_fields(conn, row["id"], [d["name"] for d in merged])


def renamed_values(conn, type_id: str, before: list[dict], after: list[dict]) -> None:
    """Values written under a dimension's old name stay under it (``earlier_fields``)."""
    for position, (old, new) in enumerate(zip(before, after)):
        if old.get("id") == new.get("id") and old["name"] != new["name"]:
            earlier_fields.rename(conn, type_id, position, old["name"], new["name"])


def measurement_fields(conn, type_id: str) -> list[str]:
    """Every field the type's measurement holds, sorted by name as InfluxDB answers them."""
    rows = conn.execute("SELECT name FROM type_fields WHERE type_id = ?", (type_id,))
    return sorted(r[0] for r in rows)


def ensure_catalogue(conn, history: bool = True) -> None:
    for position, t in enumerate(seed_types()):
        earlier = EARLIER_FIELDS.get(t["id"], ()) if history else ()
        names = [d["name"] for d in t["dimensions"]] + list(earlier)
        remember_fields(conn, t["id"], names)
        conn.execute(
            "INSERT OR IGNORE INTO types (id, name, description, icon, dimensions, owner, position)"
            " VALUES (?, ?, ?, ?, ?, NULL, ?)",
            (
                t["id"],
                t["name"],
                t["description"],
                t.get("icon"),
                json.dumps(t["dimensions"]),
                position,
            ),
        )
    # a sandbox made before the seed was read as the migration leaves it (BINARY's "State")
    for raw, t in zip(_seed_file(), seed_types()):
        if raw["dimensions"] != t["dimensions"]:
            conn.execute(
                "UPDATE types SET dimensions = ? WHERE id = ? AND dimensions = ?",
                (json.dumps(t["dimensions"]), t["id"], json.dumps(raw["dimensions"])),
            )
    conn.commit()


def type_json(row) -> dict:
    out = {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "dimensions": json.loads(row["dimensions"]),
    }
    if row["icon"] is not None:
        out["icon"] = row["icon"]
    return out


def list_types(conn) -> list[dict]:
    return [type_json(r) for r in conn.execute("SELECT * FROM types ORDER BY position, id")]


def get_type(conn, type_id: str) -> dict:
    """Load a type or fail as TypeORM's ``findOneOrFail`` does (a 500 in the real server)."""
    row = conn.execute("SELECT * FROM types WHERE id = ?", (type_id,)).fetchone()
    if row is None:
        raise LibraryError(
            f'Could not find any entity of type "PropertyType" matching: "{type_id}"',
            "EntityNotFound",
        )
    return type_json(row)
