"""Defining a property type, safely: what Bucket's server would do harmfully or silently is
refused here first, with the reason (read in its code, confirmed on it by the contract
suite).

- ``POST /types`` with an id that exists overwrites that type, for everyone.
- A dimension id that another type uses is one row in the server's database: the new type
  renames it for every type that has it (TEMPERATURE's dimension once became "Kelvin"), and
  the values stored under the old name no longer read.
- A type without dimensions stops the real server's process.
- A ``-`` in a type id makes its ``/count`` and ``/last`` answer 500 (InfluxDB's measurement
  name); an id of digits only is refused by the server.
- ``/count``, ``/last`` and deletes name the type in InfluxQL unquoted
  (``SELECT COUNT(*) FROM ${type.id}``), so an id that is an InfluxQL keyword (``DURATION``,
  ``NAME``) breaks them: cards say "0 data points" for ever.
- A dimension's *name* is its InfluxDB field: ``time`` cannot be a field, ``thingId`` and
  ``propertyId`` are the point's tags, and a ``"`` or ``\\`` ends or escapes the quoted name in
  the read query.
"""

from __future__ import annotations

import re

from .models import Dimension, PropertyType

TYPE_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
DIMENSION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_DIMENSIONS = 12
# InfluxQL's keywords (InfluxDB 1.x's "Keywords" list), matched without regard to case
INFLUXQL_KEYWORDS = frozenset(
    [
        "ALL",
        "ALTER",
        "ANALYZE",
        "ANY",
        "AS",
        "ASC",
        "BEGIN",
        "BY",
        "CARDINALITY",
        "CREATE",
        "CONTINUOUS",
        "DATABASE",
        "DATABASES",
        "DEFAULT",
        "DELETE",
        "DESC",
        "DESTINATIONS",
        "DIAGNOSTICS",
        "DISTINCT",
        "DROP",
        "DURATION",
        "END",
        "EVERY",
        "EXACT",
        "EXPLAIN",
        "FIELD",
        "FOR",
        "FROM",
        "GRANT",
        "GRANTS",
        "GROUP",
        "GROUPS",
        "IN",
        "INF",
        "INSERT",
        "INTO",
        "KEY",
        "KEYS",
        "KILL",
        "LIMIT",
        "MEASUREMENT",
        "MEASUREMENTS",
        "NAME",
        "OFFSET",
        "ON",
        "ORDER",
        "PASSWORD",
        "POLICIES",
        "POLICY",
        "PRIVILEGES",
        "QUERIES",
        "QUERY",
        "READ",
        "REPLICATION",
        "RESAMPLE",
        "RETENTION",
        "REVOKE",
        "SELECT",
        "SERIES",
        "SET",
        "SHARD",
        "SHARDS",
        "SLIMIT",
        "SOFFSET",
        "STATS",
        "SUBSCRIPTION",
        "SUBSCRIPTIONS",
        "TAG",
        "TO",
        "USER",
        "USERS",
        "VALUES",
        "WHERE",
        "WITH",
        "WRITE",
    ]
)
RESERVED_FIELD_NAMES = frozenset({"time", "thingid", "propertyid"})


def problems(new: PropertyType, catalogue: list[PropertyType]) -> list[str]:
    """Why the server should not be sent ``new`` ([] when it may)."""
    found = []
    if not TYPE_ID.match(new.id):
        found.append(
            f"the type id {new.id!r} must be capital letters, digits and _ and start with a "
            "letter (a '-' breaks its counts on Bucket)"
        )
    if new.id.upper() in INFLUXQL_KEYWORDS:
        found.append(
            f"the type id {new.id} is a word of InfluxDB's query language, so Bucket could not "
            f"count or show its values (add a word: {new.id}_SENSOR)"
        )
    if any(t.id == new.id for t in catalogue):
        found.append(f"a type {new.id} exists, and Bucket would overwrite it for everyone")
    if not new.name.strip():
        found.append("the type needs a name")
    if not new.dimensions:
        found.append("a type needs at least one dimension (Bucket's server stops without one)")
    if len(new.dimensions) > MAX_DIMENSIONS:
        found.append(f"at most {MAX_DIMENSIONS} dimensions")
    used = {d.id: t for t in catalogue if t.id != new.id for d in t.dimensions}
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    for i, dim in enumerate(new.dimensions, start=1):
        where = f"dimension {i}"
        if not DIMENSION_ID.match(dim.id):
            found.append(
                f"{where} has the id {dim.id!r}, which must be small letters, digits and _"
            )
        elif dim.id in used:
            found.append(
                f"{where} has the id {dim.id!r}, which belongs to {used[dim.id].id}, and Bucket "
                "would rename that dimension for everyone who uses it (choose another id)"
            )
        if dim.id in seen_ids:
            found.append(f"{where} repeats the id {dim.id!r}")
        if not dim.name.strip():
            found.append(f"{where} needs a name")
        elif dim.name.strip().lower() in RESERVED_FIELD_NAMES:
            found.append(
                f"{where} is named {dim.name.strip()!r}, a name Bucket's database keeps for "
                "itself (choose another name)"
            )
        elif any(c in dim.name for c in '"\\\n'):
            found.append(f"{where}'s name may not hold a quote, a backslash or a line break")
        elif dim.name in seen_names:
            found.append(f"{where} repeats the name {dim.name!r}")
        seen_ids.add(dim.id)
        seen_names.add(dim.name)
    return found


def as_json(new: PropertyType) -> dict:
    return {
        "id": new.id,
        "name": new.name.strip(),
        "description": new.description.strip(),
        "dimensions": [
            {
                "id": d.id,
                "name": d.name.strip(),
                "description": d.description,
                "unit": d.unit.strip(),
                "type": d.type,
            }
            for d in new.dimensions
        ],
    }


def create(client, new: PropertyType, catalogue: list[PropertyType]) -> PropertyType:
    """``POST /types``, after ``problems`` found none (``ValueError`` with them otherwise)."""
    wrong = problems(new, catalogue)
    if wrong:
        raise ValueError("; ".join(wrong))
    answer = client.transport.request("POST", client.transport.url("types"), json=as_json(new))
    return PropertyType.from_dict(answer.json())


def delete(client, type_id: str) -> None:
    """``DELETE /types/{id}`` (the server checks no owner: the app offers it for one's own)."""
    client.transport.request("DELETE", client.transport.url("types", type_id), expect=(204,))


def dimension(dim_id: str, name: str, unit: str = "", kind: str = "number") -> Dimension:
    return Dimension(dim_id, name, "", unit, kind)
