"""``/things``: list, create, count, read, update, delete (ThingRouter)."""

from __future__ import annotations

import time

from flask import Blueprint, Response, g, request

from . import catalogue, earlier_fields, measurement, resources, values
from .api import body, json_response, pg_text, unordered
from .errors import DcdError, LibraryError
from .guard import check_policy, require_scopes
from .state import conn, state

bp = Blueprint("things", __name__)


@bp.get("/things")
@require_scopes("dcd:things")
def list_things():
    return json_response(unordered(resources.list_things(conn(), g.user_id)))


@bp.post("/things")
@require_scopes("dcd:things")
def create_thing():
    data = body()
    # The real checks are JavaScript's ``=== undefined || === ""``: null, 0, {} pass them.
    if data.get("name", "") == "" and not _is_null(data, "name"):
        raise DcdError(4003, "Add field name.")
    if data.get("type", "") == "" and not _is_null(data, "type"):
        raise DcdError(4003, "Add field type.")
    for column in ("name", "type"):
        if _is_null(data, column):  # PostgreSQL's NOT NULL refuses it
            raise LibraryError(
                f'null value in column "{column}" of relation "thing" violates not-null constraint',
                "QueryFailedError",
            )
    thing = resources.create_thing(
        conn(),
        g.user_id,
        pg_text(data["name"]),
        pg_text(data["type"]),
        data["pem"] if isinstance(data.get("pem"), str) else None,  # others are ignored
    )
    return json_response(thing, 201)


@bp.get("/things/count")
@require_scopes("dcd:things")
def count_things():
    try:
        after = values.parse_count_from(request.args.get("from"))
        interval = request.args.get("timeInterval")
        things = resources.list_things(conn(), g.user_id, with_dimensions=True)
        for thing in things:
            for prop in thing["properties"]:
                pk = _pk(prop["id"])
                fields = catalogue.measurement_fields(conn(), prop["type"]["id"])
                prop["values"] = measurement.count(
                    conn(), pk, prop["type"]["dimensions"], after, interval, fields
                )
                del prop["type"]["dimensions"]
    except ValueError as error:
        raise DcdError(500, str(error)) from None
    return json_response(unordered(things))


def _is_null(data: dict, key: str) -> bool:
    """Sent as JSON null (``undefined`` in the real server only when the key is absent)."""
    return key in data and data[key] is None


def _pk(property_id: str) -> int:
    return conn().execute("SELECT pk FROM properties WHERE id = ?", (property_id,)).fetchone()[0]


@bp.get("/things/<thing_id>")
@require_scopes("dcd:things")
def get_thing(thing_id):
    check_policy(thing_id)
    row = resources.find_thing(conn(), thing_id)
    if row is None:  # deleted, but its owner's policy survives: the real server sends nothing
        return Response(b"", status=200)
    props = [
        resources.property_json(p, conn()) for p in resources.thing_properties(conn(), thing_id)
    ]
    return json_response(resources.thing_json(row, unordered(props)))


@bp.patch("/things/<thing_id>")
@require_scopes("dcd:things")
def update_thing(thing_id):
    check_policy(thing_id)
    if resources.find_thing(conn(), thing_id) is None:
        # The real handler throws outside its error path and never answers.
        time.sleep(state().config.deleted_thing_patch_stall_seconds)
        raise DcdError(500, "Failed to update thing")
    data = body()
    if _is_null(data, "name") or _is_null(data, "description"):  # NOT NULL columns
        raise DcdError(500, "Failed to update thing")
    for column in ("name", "description"):
        if column in data and data[column] is not None:
            conn().execute(
                f"UPDATE things SET {column} = ? WHERE id = ?", (pg_text(data[column]), thing_id)
            )
    conn().execute("UPDATE things SET updated_at = ? WHERE id = ?", (resources.now_iso(), thing_id))
    conn().commit()
    return Response(status=204)


@bp.patch("/things/<thing_id>/pem")
@require_scopes("dcd:things")
def update_pem(thing_id):
    check_policy(thing_id)
    pem = body().get("pem")
    if not isinstance(pem, str):  # (absent: the real process dies on undefined.trim())
        raise DcdError(400, "Missing PEM key.")
    if not (
        pem.startswith("-----BEGIN PUBLIC KEY-----") and pem.endswith("-----END PUBLIC KEY-----")
    ):
        raise DcdError(
            400,
            'The public key should start with "-----BEGIN PUBLIC KEY-----" and ends with '
            '"-----END PUBLIC KEY-----"',
        )
    conn().execute("UPDATE things SET pem = ? WHERE id = ?", (str(pem), thing_id))
    conn().commit()
    return Response(status=204)


@bp.delete("/things/<thing_id>")
@require_scopes("dcd:things")
def delete_thing(thing_id):
    check_policy(thing_id)
    if resources.find_thing(conn(), thing_id) is None:
        raise DcdError(404, f"Thing to delete {thing_id} could not be not found.")
    with conn() as c:
        for prop in resources.thing_properties(c, thing_id):
            c.execute("DELETE FROM points WHERE property_pk = ?", (prop["pk"],))
            earlier_fields.forget(c, prop["pk"])
        c.execute("DELETE FROM properties WHERE thing_id = ?", (thing_id,))
        c.execute("DELETE FROM things WHERE id = ?", (thing_id,))
    return Response(status=204)
