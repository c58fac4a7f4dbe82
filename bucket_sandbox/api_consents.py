"""Sharing, as the real server's code does it: a property's consents
(``/things/{t}/properties/{p}/consents``, PropertyController) and the properties shared with
the caller (``GET /properties?sharedWith=``, PropertyService.getProperties).

A consent is an ``exact`` Keto policy naming the property alone as its resource; it is
stored as sent (no check of its subjects or actions: ``{}`` makes a consent with neither)
and revoked by id without checking that it belongs to that property. The caller's groups
are Keto roles (``keto``). What the real server answers, including its odd answers, was
read from its code and confirmed against it (``tests/contract/test_consents.py``).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, g, request

from . import catalogue, keto, measurement, resources, values
from .api import body, json_response, unordered
from .errors import DcdError, LibraryError
from .guard import check_policy, require_scopes
from .state import conn

bp = Blueprint("consents", __name__)
CONSENTS = "/things/<thing_id>/properties/<property_id>/consents"


@bp.post(CONSENTS)
@require_scopes("dcd:properties", "dcd:consents")
def grant(thing_id, property_id):
    check_policy(thing_id, property_id, "create")
    sent = body()
    policy = {
        "subjects": sent.get("subjects"),
        "actions": sent.get("actions"),
        "resources": [property_id],
        "effect": "allow",
        "id": str(uuid.uuid4()),
        "conditions": {},
        "description": "",
    }
    # JSON.stringify leaves out what is undefined
    policy = {k: v for k, v in policy.items() if not (k in ("subjects", "actions") and v is None)}
    return json_response(keto.put_policy(conn(), "exact", policy), 201)


@bp.get(CONSENTS)
@require_scopes("dcd:properties", "dcd:consents")
def list_consents(thing_id, property_id):
    check_policy(thing_id, property_id, "list")
    return json_response(keto.find_policies(conn(), "exact", resource=property_id))


@bp.delete(CONSENTS + "/<path:consent_id>")
@require_scopes("dcd:properties", "dcd:consents")
def revoke(thing_id, property_id, consent_id):
    check_policy(thing_id, property_id, "delete")
    keto.delete_policy(conn(), "exact", consent_id)
    return "", 204


@bp.get("/properties")
@require_scopes("dcd:properties", "dcd:consents")
def shared_properties():
    """Without ``sharedWith``: the properties of a thing whose id is the caller's (none).
    ``*``: shared with the caller or a group of theirs; a group id: with that group, if the
    caller is a member. Each with ``sharedWith``: the subjects of the consents naming it."""
    audience = request.args.get("sharedWith")
    if audience is None:
        return json_response([])
    groups = [r["id"] for r in keto.roles(conn(), "exact", member=g.user_id)]
    if audience == "*":
        subjects = [*groups, g.user_id]
    elif audience in groups:
        subjects = [audience]
    else:  # a DCDError(4030) the controller rewraps as a 404 whose hint is the error object
        raise DcdError(404, {"stack": "DCD Hub Error: Server error"})
    origin: dict[str, list] = {}
    for subject in subjects:
        for consent in keto.find_policies(conn(), "exact", subject=subject):
            if consent.get("effect") == "allow":
                for resource in consent.get("resources") or ():
                    origin.setdefault(resource, []).extend(consent.get("subjects") or ())
    shared = []
    for row in resources.properties_by_ids(conn(), list(origin)):
        thing = resources.bare_thing(resources.find_thing(conn(), row["thing_id"]))
        prop = resources.property_json(row, conn(), thing=thing)
        prop["sharedWith"] = origin[row["id"]]
        if request.args.get("from") is not None and request.args.get("timeInterval") is not None:
            prop["values"] = _counts(row)
        shared.append(prop)
    return json_response(unordered(shared))


def _counts(row) -> list:
    """As ``/count`` answers for the property (getProperties calls the same count)."""
    dimensions = catalogue.get_type(conn(), row["type_id"])["dimensions"]
    try:
        after = values.parse_count_from(request.args["from"])
        return measurement.count(
            conn(),
            row["pk"],
            dimensions,
            after,
            request.args["timeInterval"],
            catalogue.measurement_fields(conn(), row["type_id"]),
        )
    except ValueError as error:
        raise LibraryError(str(error), "Error") from None
