"""Property types: the 30 the real server seeds, plus types users create."""

from __future__ import annotations

import json
from importlib import resources

from .errors import LibraryError


def seed_types() -> list[dict]:
    text = resources.files("bucket_sandbox").joinpath("data/property-types.json").read_text("utf-8")
    return json.loads(text)


def ensure_catalogue(conn) -> None:
    for position, t in enumerate(seed_types()):
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
