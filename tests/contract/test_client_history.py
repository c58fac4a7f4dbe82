"""The client on a Bucket with history, on both servers: a type's dimension renamed once
(``POST /types`` reusing its dimension id renames it for every type that has it) leaves the
old name as a field of the measurement, and ``/count`` and ``/last`` answer a column for it.
Every answer is read by this property's dimension names, nulls as "no value", never a crash;
the sandbox keeps the old name's values apart as the real server's InfluxDB does."""

from __future__ import annotations

import uuid

import pandas as pd

from bucket_client import BucketClient


def test_counts_and_last_values_are_read_by_name_after_a_rename(server, api, thing):
    client = BucketClient(server.api_url, server.token())
    tag = uuid.uuid4().hex[:8].upper()
    dim = "histdim" + tag.lower()
    first = {"id": "HISTA" + tag, "name": "History A", "description": "", "dimensions": []}
    first["dimensions"] = [
        {"id": dim, "name": "Before", "description": "", "unit": "C", "type": "number"}
    ]
    assert api("POST", "/types", json=first).status_code == 200
    early = client.create_property(thing["id"], "Early", first["id"])
    client.write_values(thing["id"], early.id, [[1_000_000, 19.25], [2_000_000, 19.5]])

    # another type reuses the dimension id: the dimension is renamed for both types
    second = {**first, "id": "HISTB" + tag, "name": "History B"}
    second["dimensions"] = [{**first["dimensions"][0], "name": "After", "unit": "K"}]
    assert api("POST", "/types", json=second).status_code == 200
    late = client.create_property(thing["id"], "Late", first["id"])
    assert [d.name for d in late.dimensions] == ["After"]
    client.write_values(thing["id"], late.id, [[3_000_000, 280.5]])

    # the raw answers have a column per field of the measurement, nulls among them
    raw = api("GET", f"/things/{thing['id']}/properties/{late.id}/count?from=0").json()
    assert raw == [[0, 1, None]]  # After, Before
    raw_last = api("GET", f"/things/{thing['id']}/properties/{late.id}/last").json()
    assert raw_last[0][:3] == [3_000_000, 280.5, None]

    # read by name: the late property's one value, under its dimension's name
    assert client.count_values(thing["id"], late.id) == 1
    assert client.last_values(thing["id"], late.id).values == {"After": 280.5}
    things, counts = client.list_things_with_counts()  # the Things page's one request
    assert counts[late.id] == 1 and early.id in counts

    # the early property: its values stay under the old name, as InfluxDB keeps them. By the
    # new name there are none; /count and /last still answer the old name's column
    raw = api("GET", f"/things/{thing['id']}/properties/{early.id}/count?from=0").json()
    assert raw == [[0, None, 2]]  # After (never written by this series), Before
    raw_last = api("GET", f"/things/{thing['id']}/properties/{early.id}/last").json()
    assert raw_last[0][:3] == [2_000_000, None, 19.5]
    assert len(client.read_values(thing["id"], early.id, 0, 10_000_000)) == 0
    assert client.count_values(thing["id"], early.id) == 0
    newest = client.last_values(thing["id"], early.id)
    assert newest.values == {"After": None}  # the page's "no value"
    assert newest.timestamp == pd.Timestamp(2_000_000, unit="ms", tz="UTC")
    assert counts[early.id] == 2  # the Things list counts what Bucket holds, by position
    # and so does one property's count where its thing cannot be read (Shared with me)
    assert client.stored_count(thing["id"], early.id) == 2
    assert client.stored_count(thing["id"], late.id) == 1
