"""The client against both servers: every multi-dimension type of the catalogue written
through ``BucketClient`` and checked field by field, by name, through ``/last`` (a path
that shares no pairing code with the client), then read back through the client."""

from __future__ import annotations

import pandas as pd
import pytest

from bucket_client import BucketClient
from bucket_sandbox.catalogue import seed_types

MULTI = [
    t
    for t in seed_types()
    if len(t["dimensions"]) > 1 and not any("/" in d["type"] for d in t["dimensions"])
]


def known_value(dimension: dict, i: int):
    """A value that says which dimension it belongs to."""
    if dimension["type"] == "number":
        return 10.0 * (i + 1) + 0.5
    return f"{dimension['name']}-value"


@pytest.fixture
def client(server) -> BucketClient:
    return BucketClient(server.api_url, server.token())


@pytest.mark.parametrize("ptype", MULTI, ids=[t["id"] for t in MULTI])
def test_client_writes_each_dimension_where_it_belongs(server, api, client, thing, ptype):
    prop = client.create_property(thing["id"], "", ptype["id"])
    stamp = pd.Timestamp("2026-03-02T09:00:00Z")
    expected = {d["name"]: known_value(d, i) for i, d in enumerate(ptype["dimensions"])}
    frame = pd.DataFrame({n: [v] for n, v in expected.items()}, index=pd.DatetimeIndex([stamp]))
    client.write_values(thing["id"], prop.id, frame)

    last = api("GET", f"/things/{thing['id']}/properties/{prop.id}/last").json()[0]
    columns = sorted([*expected, "propertyId", "thingId"])  # InfluxDB's SELECT *: by name
    stored = dict(zip(columns, last[1:]))
    assert last[0] == int(stamp.timestamp() * 1000)
    assert {n: stored[n] for n in expected} == expected

    back = client.read_values(thing["id"], prop.id, stamp, stamp)
    assert {n: back[n].iloc[0] for n in expected} == expected
    newest = client.last_values(thing["id"], prop.id)
    assert newest.values == expected


def test_positional_rows_follow_the_stored_order(api, client, thing):
    prop = client.create_property(thing["id"], "", "ACCELEROMETER")
    client.write_values(thing["id"], prop.id, [[1000, 1.0, 2.0, 3.0]])  # x, y, z
    last = api("GET", f"/things/{thing['id']}/properties/{prop.id}/last").json()[0]
    assert last[3:] == [1.0, 2.0, 3.0]  # columns x, y, z by name
    assert [d.name for d in client.get_property(thing["id"], prop.id).dimensions] == [
        "x",
        "y",
        "z",
    ]
