"""``/types``: the catalogue plus user-created property types (PropertyTypeRouter)."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, g

from . import catalogue
from .api import body, json_response, unordered
from .db import MAX_DIMENSIONS
from .errors import DcdError, LibraryError
from .guard import require_scopes
from .state import conn

bp = Blueprint("types", __name__)


@bp.get("/types")
@require_scopes("dcd:types")
def list_types():
    return json_response(unordered(catalogue.list_types(conn())))


@bp.post("/types")
@require_scopes("dcd:types")
def create_type():
    data = body()
    # the real controller's own check, as it is written: an id made only of the digits 1-9
    # (or empty, or not a string) is refused; "0", "1A" pass (InfluxDB measurement names)
    if not isinstance(data.get("id"), str) or re.fullmatch(r"[1-9]*", data["id"]):
        raise DcdError(400, "Property Type IDs cannot start with a number.")
    dims = data.get("dimensions")
    if not data.get("id") or not data.get("name") or not isinstance(dims, list) or not dims:
        raise DcdError(400, "Add fields id, name and dimensions.")
    if len(dims) > MAX_DIMENSIONS or not all(isinstance(d, dict) and d.get("name") for d in dims):
        raise DcdError(400, f"Each dimension needs a name; at most {MAX_DIMENSIONS} dimensions.")
    for d in dims:
        d.setdefault("id", d["name"])
        d.setdefault("description", "")
        d.setdefault("unit", "")
        d.setdefault("type", "number")
    exists = conn().execute("SELECT dimensions FROM types WHERE id = ?", (data["id"],)).fetchone()
    if exists:  # the real server's TypeORM save(): the type with that id is overwritten
        before = json.loads(exists["dimensions"])
        catalogue.renamed_values(conn(), str(data["id"]), before, dims)
        conn().execute(
            "UPDATE types SET name = ?, description = ?, dimensions = ? WHERE id = ?",
            (
                str(data["name"]),
                str(data.get("description") or ""),
                json.dumps(dims),
                str(data["id"]),
            ),
        )
    else:
        position = conn().execute("SELECT COALESCE(MAX(position), 0) + 1 FROM types").fetchone()[0]
        conn().execute(
            "INSERT INTO types (id, name, description, icon, dimensions, owner, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(data["id"]),
                str(data["name"]),
                str(data.get("description") or ""),
                data.get("icon"),
                json.dumps(dims),
                g.user_id,
                position,
            ),
        )
    catalogue.remember_fields(conn(), str(data["id"]), [d["name"] for d in dims])
    catalogue.share_dimensions(conn(), str(data["id"]), dims)
    conn().commit()
    return json_response(catalogue.get_type(conn(), str(data["id"])), 200)


# TypeORM's name for property.typeId's key: "FK_" + sha1("property_typeId")[:27]
TYPE_FOREIGN_KEY = "FK_19f06dc4d98fde06c69fe2feb6b"


@bp.delete("/types/<type_id>")
@require_scopes("dcd:types")
def delete_type(type_id):
    row = conn().execute("SELECT owner FROM types WHERE id = ?", (type_id,)).fetchone()
    if row is None:
        raise DcdError(404, "Property type not found.")
    # No owner check: the real server lets anyone delete any type (seen on it). A type a
    # property uses (anyone's) is held by PostgreSQL's foreign key: a 500, nothing deleted
    # (deleting it here once left its owner's /things a 500 for good).
    if conn().execute("SELECT 1 FROM properties WHERE type_id = ? LIMIT 1", (type_id,)).fetchone():
        raise LibraryError(
            'update or delete on table "property_type" violates foreign key constraint '
            f'"{TYPE_FOREIGN_KEY}" on table "property"',
            "QueryFailedError",
        )
    conn().execute("DELETE FROM types WHERE id = ?", (type_id,))
    conn().commit()
    return Response(status=204)
