"""Things and properties in SQLite, shaped as the real server's JSON."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from . import catalogue
from .errors import DcdError


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def thing_json(row, properties: list[dict]) -> dict:
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "type": row["type"],
        "personId": row["person_id"],
        "pem": row["pem"] or "",
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "properties": properties,
    }


def property_json(row, conn, with_dimensions: bool = True, thing: dict | None = None) -> dict:
    ptype = catalogue.get_type(conn, row["type_id"])
    if not with_dimensions:
        ptype = {k: v for k, v in ptype.items() if k != "dimensions"}
    out = {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "createdAt": row["created_at"],
        "type": ptype,
    }
    if thing is not None:
        out["thing"] = thing
    return out


def bare_thing(row) -> dict:
    """A thing as it appears inside a property (no properties of its own)."""
    return {k: v for k, v in thing_json(row, []).items() if k != "properties"}


def find_thing(conn, thing_id: str):
    return conn.execute("SELECT * FROM things WHERE id = ?", (thing_id,)).fetchone()


def thing_properties(conn, thing_id: str):
    return conn.execute(
        "SELECT * FROM properties WHERE thing_id = ? ORDER BY pk", (thing_id,)
    ).fetchall()


def list_things(conn, person_id: str, with_dimensions: bool = False) -> list[dict]:
    rows = conn.execute(
        "SELECT * FROM things WHERE person_id = ? ORDER BY created_at, id", (person_id,)
    ).fetchall()
    return [
        thing_json(
            r, [property_json(p, conn, with_dimensions) for p in thing_properties(conn, r["id"])]
        )
        for r in rows
    ]


def create_thing(conn, person_id: str, name: str, type_: str, pem: str | None) -> dict:
    thing_id = "dcd:things:" + str(uuid.uuid4())
    stamp = now_iso()
    conn.execute(
        "INSERT INTO things (id, name, description, type, person_id, pem, created_at, updated_at)"
        " VALUES (?, ?, '', ?, ?, ?, ?, ?)",  # description dropped on create, as the real server does
        (thing_id, name, type_, person_id, pem or "", stamp, stamp),
    )
    conn.execute("INSERT OR IGNORE INTO policies VALUES (?, ?)", (person_id, thing_id))
    conn.commit()
    return thing_json(find_thing(conn, thing_id), [])


def find_property(conn, thing_id: str, property_id: str, hint: str = "Property not found."):
    row = conn.execute(
        "SELECT * FROM properties WHERE id = ? AND thing_id = ?", (property_id, thing_id)
    ).fetchone()
    if row is None:
        raise DcdError(404, hint)
    return row


def properties_by_ids(conn, ids: list[str]) -> list:
    """The properties with these ids, wherever they are (what consents name)."""
    marks = ",".join("?" * len(ids))
    return (
        conn.execute(f"SELECT * FROM properties WHERE id IN ({marks})", ids).fetchall()
        if ids
        else []
    )


def create_property(conn, thing_id: str, type_id: str, name: str, description: str) -> dict:
    ptype = catalogue.get_type(conn, type_id)
    property_id = "dcd:properties:" + str(uuid.uuid4())
    conn.execute(
        "INSERT INTO properties (id, thing_id, name, description, type_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            property_id,
            thing_id,
            name or ptype["name"],
            description or ptype["description"],
            type_id,
            now_iso(),
        ),
    )
    conn.commit()
    return find_property(conn, thing_id, property_id)
