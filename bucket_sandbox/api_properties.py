"""``/things/{thingId}/properties``: CRUD and values (PropertyRouter)."""

from __future__ import annotations

import contextlib
import time

from flask import Blueprint, Response, request

from . import aggregated, catalogue, measurement, resources, values
from .api import body, json_response, pg_text, unordered
from .errors import DcdError, LibraryError
from .guard import check_policy, require_scopes
from .state import conn, state
from .values import JS_DATE_LIMIT_MS

bp = Blueprint("properties", __name__)
ONE = "/things/<thing_id>/properties/<property_id>"


def _thing_json(thing_id: str) -> dict | None:
    row = resources.find_thing(conn(), thing_id)
    return resources.bare_thing(row) if row else None


@bp.get("/things/<thing_id>/properties")
@require_scopes("dcd:properties")
def list_properties(thing_id):
    check_policy(thing_id)
    thing = _thing_json(thing_id)
    rows = resources.thing_properties(conn(), thing_id)
    return json_response(unordered([resources.property_json(r, conn(), thing=thing) for r in rows]))


@bp.post("/things/<thing_id>/properties")
@require_scopes("dcd:things")
def create_property(thing_id):
    check_policy(thing_id)
    data = body()
    # PropertyService.createNewProperty: JavaScript's ``=== undefined || === ""`` checks.
    if "typeId" not in data or data["typeId"] == "":
        raise DcdError(4003, "Add field typeId.")
    type_id = data["typeId"]
    if type_id is None or isinstance(type_id, bool) or type_id == {}:
        # findOneOrFail(null), (true) or ({}): no condition, so the first type
        type_id = catalogue.list_types(conn())[0]["id"]
    elif isinstance(type_id, (int, float)):
        type_id = pg_text(type_id)  # not found, by that name
    elif isinstance(type_id, dict):  # TypeORM reads an object as find options
        raise LibraryError('No entity column "" was found.', "EntityColumnNotFound")
    elif not isinstance(type_id, str):
        raise LibraryError("Cannot build a query from these find options", "Error")
    catalogue.get_type(conn(), type_id)  # EntityNotFound first, as the real order
    if data.get("name", "") is None or data.get("description", "") is None:
        raise LibraryError(  # PostgreSQL's NOT NULL on both columns
            'null value in column "name" violates not-null constraint', "QueryFailedError"
        )
    row = resources.create_property(
        conn(),
        thing_id,
        type_id,
        pg_text(data.get("name") or ""),
        pg_text(data.get("description") or ""),
    )
    return json_response(resources.property_json(row, conn(), thing=_thing_json(thing_id)), 201)


@bp.get(ONE)
@require_scopes("dcd:properties")
def get_property(thing_id, property_id):
    check_policy(thing_id, property_id, "read")
    row = resources.find_property(conn(), thing_id, property_id, "Property not found in the thing.")
    prop = resources.property_json(row, conn(), thing=_thing_json(thing_id))
    start, end = request.args.get("from"), request.args.get("to")
    with _one_of_few_if_heavy(row["pk"], start, end):  # held until the answer is made
        if start is not None and end is not None:
            prop["values"] = _read(row, prop["type"]["dimensions"], start, end)
        # The real getOnePropertyById reads values in the loaded order, then reverses them.
        prop["type"]["dimensions"] = wire_order(prop["type"]["dimensions"])
        if _wants_csv():
            return Response(_csv(prop), mimetype="text/csv")
        return json_response(prop)


HEAVY_ROWS = 200_000  # a read of this many rows, or buckets, waits for a heavy-read slot


def _one_of_few_if_heavy(pk: int, start, end):
    """A heavy-read slot when this read is heavy (bounded memory: see the config), else
    nothing. The cost is estimated cheaply: buckets from the range and interval, rows by
    counting at most ``HEAVY_ROWS`` of them on the index."""
    slots = state().heavy_reads
    first, last = values.js_parse_int(start), values.js_parse_int(end)
    if slots is None or first is None or last is None or last <= first:
        return contextlib.nullcontext()
    if max(abs(first), abs(last)) > JS_DATE_LIMIT_MS:  # refused by the read itself (404)
        return contextlib.nullcontext()
    interval = request.args.get("timeInterval")
    if interval:
        try:
            heavy = (last - first) // values.duration_ms(interval) >= HEAVY_ROWS
        except ValueError:
            heavy = False
    else:
        (rows,) = (
            conn()
            .execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM points WHERE property_pk = ? AND ts >= ?"
                " AND ts <= ? LIMIT ?)",
                (pk, first, last, HEAVY_ROWS),
            )
            .fetchone()
        )
        heavy = rows >= HEAVY_ROWS
    return slots if heavy else contextlib.nullcontext()


def wire_order(dimensions: list[dict]) -> list[dict]:
    """The order this route lists (and PUT pairs cells with): the loaded order, reversed."""
    return list(reversed(dimensions))


def _read(row, dimensions, start, end) -> list:
    args = request.args
    try:
        first, last = values.js_parse_int(start), values.js_parse_int(end)
        if first is None or last is None or max(abs(first), abs(last)) > JS_DATE_LIMIT_MS:
            raise ValueError("Invalid time value")  # new Date(x).toISOString() throws
        if "timeInterval" not in args:
            return values.read_raw(conn(), row["pk"], dimensions, first, last)
        return aggregated.read_aggregated(
            conn(),
            row["pk"],
            dimensions,
            first,
            last,
            args["timeInterval"],
            args.get("fctInterval", "undefined"),  # pasted into the query as JS prints it
            args.get("fill", "none"),
        )
    except ValueError:  # the real controller answers any read failure this way
        raise DcdError(404, "Property not found in the thing.") from None


def _wants_csv() -> bool:
    accept = request.accept_mimetypes
    if not request.headers.get("Accept") or accept.accept_json:
        return False
    return accept["text/csv"] > 0


def _csv(prop: dict) -> str:
    lines = ["time," + ",".join(d["name"] for d in prop["type"]["dimensions"])]
    lines += [",".join(_js_text(v) for v in row) for row in prop.get("values", [])]
    return "\n".join(lines) + "\n"


def _js_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@bp.patch(ONE)
@require_scopes("dcd:properties")
def update_property(thing_id, property_id):
    check_policy(thing_id, property_id, "update")
    resources.find_property(conn(), thing_id, property_id)
    data = body()
    if any(column in data and data[column] is None for column in ("name", "description")):
        raise DcdError(500, "failed updating property")  # PostgreSQL's NOT NULL
    for column in ("name", "description"):
        if data.get(column) is not None:
            conn().execute(
                f"UPDATE properties SET {column} = ? WHERE id = ?",
                (pg_text(data[column]), property_id),
            )
    conn().commit()
    return Response(status=204)


@bp.put(ONE)
@require_scopes("dcd:properties")
def put_values(thing_id, property_id):
    check_policy(thing_id, property_id, "update")
    row = resources.find_property(conn(), thing_id, property_id)
    dimensions = catalogue.get_type(conn(), row["type_id"])["dimensions"]
    content_type = request.headers.get("Content-Type")
    if content_type is None:
        raise LibraryError("Cannot read properties of undefined (reading 'indexOf')", "TypeError")
    wire = wire_order(dimensions)
    if content_type.startswith("application/json"):
        values.write(conn(), row["pk"], dimensions, body().get("values"), cells=wire)
        return Response(b"", status=200, mimetype="application/json")
    if content_type.startswith("multipart/form-data"):
        upload = request.files.get("csv")
        if upload is None:
            raise DcdError(500, "Error with the csv file.")
        rows = _csv_rows(
            upload.read().decode("utf-8", "replace"), wire, request.args.get("hasLabel") == "true"
        )
        values.write(conn(), row["pk"], dimensions, rows, cells=wire)
        return Response(b"", status=201)
    raise DcdError(503, "Unsupported Content-Type.")


def _csv_rows(text: str, dimensions, has_label: bool) -> list:
    """The real server's CSV reading: split on newline and comma, ignore what does not fit."""
    lines = text.split("\n")[1 if has_label else 0 :]
    rows = []
    for line in lines:
        cells = line.strip().split(",")
        if len(cells) != len(dimensions) + 1:
            continue
        try:
            row = [int(cells[0])]
            for dim, cell in zip(dimensions, cells[1:]):
                row.append(float(cell) if dim["type"] == "number" else cell)
        except ValueError:
            continue
        rows.append(row)
    return rows


@bp.delete(ONE)
@require_scopes("dcd:properties")
def delete_property(thing_id, property_id):
    check_policy(thing_id, property_id, "delete")
    row = resources.find_property(conn(), thing_id, property_id)
    values.delete_all(conn(), row["pk"])
    conn().execute("DELETE FROM properties WHERE pk = ?", (row["pk"],))
    conn().commit()
    return Response(status=204)


@bp.delete(ONE + "/timestamps")
@require_scopes("dcd:properties")
def delete_timestamps(thing_id, property_id):
    check_policy(thing_id, property_id, "delete")
    data = body()
    if "timestamps" not in data:
        raise DcdError(400, "The request miss the array of timestamps to delete.")
    row = resources.find_property(
        conn(),
        thing_id,
        property_id,
        f"Property {property_id} could not be not found for Thing {thing_id}.",
    )
    values.delete_timestamps(conn(), row["pk"], data["timestamps"])
    pace = state().config.delete_seconds_per_time
    if pace and isinstance(data["timestamps"], list):
        time.sleep(pace * len(data["timestamps"]))  # as long as the real server takes
    return Response(status=204)


@bp.get(ONE + "/count")
@require_scopes("dcd:properties")
def count_values(thing_id, property_id):
    check_policy(thing_id, property_id, "read")
    row = resources.find_property(conn(), thing_id, property_id)
    dimensions = catalogue.get_type(conn(), row["type_id"])["dimensions"]
    try:
        after = values.parse_count_from(request.args.get("from"))
        counts = measurement.count(
            conn(),
            row["pk"],
            dimensions,
            after,
            request.args.get("timeInterval"),
            catalogue.measurement_fields(conn(), row["type_id"]),
        )
    except ValueError as error:
        raise LibraryError(str(error), "Error") from None
    return json_response(counts)


@bp.get(ONE + "/last")
@require_scopes("dcd:properties")
def last_values(thing_id, property_id):
    check_policy(thing_id, property_id, "read")
    row = resources.find_property(conn(), thing_id, property_id)
    dimensions = catalogue.get_type(conn(), row["type_id"])["dimensions"]
    fields = catalogue.measurement_fields(conn(), row["type_id"])
    newest = measurement.last(conn(), row["pk"], dimensions, thing_id, property_id, fields)
    if newest is None:
        raise LibraryError("Cannot read properties of undefined (reading '0')", "TypeError")
    return json_response(newest)
