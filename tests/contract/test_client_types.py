"""A type of one's own on both servers, as the Things page's "New type" defines it: the
checks refuse what the server would do harmfully, a clean type is created, a property of it
takes values and reads them back with its units, and the type is deleted once unused."""

from __future__ import annotations

import pytest

from bucket_client import BucketClient, PropertyType
from bucket_client import property_types as types

NOISE = PropertyType(
    "STUDIO_NOISE",
    "Studio noise",
    "Sound level by the window",
    dimensions=(types.dimension("noise_level", "Level", "dB"),),
)


def test_a_type_of_ones_own_is_made_used_and_deleted(server, thing):
    client = BucketClient(server.api_url, server.token())
    catalogue = client.list_property_types()
    assert types.problems(NOISE, catalogue) == []
    made = types.create(client, NOISE, catalogue)
    assert made.id == "STUDIO_NOISE" and made.dimensions[0].unit == "dB"
    assert "STUDIO_NOISE" in {t.id for t in client.list_property_types()}

    prop = client.create_property(thing["id"], "Window", "STUDIO_NOISE")
    client.write_values(
        thing["id"], prop.id, [[1_790_000_000_000 + i * 1000, 40 + i] for i in range(20)]
    )
    stored = client.read_values(thing["id"], prop.id, 0, "2100-01-01")
    assert list(stored.columns) == ["Level"] and stored["Level"].tolist() == [
        40.0 + i for i in range(20)
    ]
    assert client.count_values(thing["id"], prop.id) == 20
    assert client.last_values(thing["id"], prop.id).values == {"Level": 59}
    assert client.get_property(thing["id"], prop.id).dimensions[0].unit == "dB"

    client.delete_property(thing["id"], prop.id)
    types.delete(client, "STUDIO_NOISE")
    assert "STUDIO_NOISE" not in {t.id for t in client.list_property_types()}


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        (PropertyType("TEMPERATURE", "Mine", dimensions=NOISE.dimensions), "would overwrite it"),
        (
            PropertyType("MY_TEMP", "Mine", dimensions=(types.dimension("temperature", "T"),)),
            "would rename that dimension for everyone",
        ),
        (PropertyType("EMPTY_ONE", "Nothing"), "at least one dimension"),
        (PropertyType("MY-TYPE", "Dash", dimensions=NOISE.dimensions), "must be capital letters"),
        (PropertyType("1ST", "Digit", dimensions=NOISE.dimensions), "must be capital letters"),
        # the real server's /count, /last and deletes name the type unquoted in InfluxQL
        (PropertyType("DURATION", "D", dimensions=NOISE.dimensions), "query language"),
        (PropertyType("NAME", "N", dimensions=NOISE.dimensions), "query language"),
        # a dimension's name is its InfluxDB field: time and the point's tags are taken
        (
            PropertyType("MY_CLOCK", "C", dimensions=(types.dimension("clock_t", "time"),)),
            "keeps for itself",
        ),
        (
            PropertyType("MY_TAGS", "T", dimensions=(types.dimension("tag_t", "thingId"),)),
            "keeps for itself",
        ),
        (
            PropertyType("MY_QUOTE", "Q", dimensions=(types.dimension("quote_q", 'a"b'),)),
            "may not hold a quote",
        ),
    ],
)
def test_what_the_server_would_do_harmfully_is_refused_before_sending(server, new, reason):
    client = BucketClient(server.api_url, server.token())
    before = client.list_property_types()
    with pytest.raises(ValueError, match=reason):
        types.create(client, new, before)
    after = client.list_property_types()
    assert sorted((t.id, t.dimensions) for t in after) == sorted(
        (t.id, t.dimensions) for t in before
    )


def test_binary_is_a_number_named_value_as_the_migration_leaves_it(server, api, thing):
    """The migration saves BINARY's ``state`` ("State", boolean) and later STATE's ``state``
    ("Value", number): one row per dimension id, so the last wins for both."""
    binary = next(t for t in api("GET", "/types").json() if t["id"] == "BINARY")
    assert [(d["id"], d["name"], d["type"]) for d in binary["dimensions"]] == [
        ("state", "Value", "number")
    ]
    prop = api("POST", f"/things/{thing['id']}/properties", json={"typeId": "BINARY"}).json()
    path = f"/things/{thing['id']}/properties/{prop['id']}"
    refused = api("PUT", path, json={"values": [[1_790_000_000_000, True]]})
    assert refused.status_code == 404
    assert refused.json()["hint"] == "Mismatch type of value for dimension state"
    assert api("PUT", path, json={"values": [[1_790_000_000_000, 1]]}).status_code == 200
    read = api("GET", path, params={"from": 0, "to": 1_800_000_000_000}).json()
    assert read["values"] == [[1_790_000_000_000, 1]]


def test_a_type_anothers_property_uses_is_not_deleted(server, api, other_api, thing):
    """PostgreSQL's foreign key holds it: a 500 and the type stays. The sandbox deleted it
    once, and its owner's /things answered 500 from then on."""
    client = BucketClient(server.api_url, server.token("alex@bucket.sandbox"))
    held = PropertyType(
        "HELD_TYPE", "Held", dimensions=(types.dimension("held_level", "Held level"),)
    )
    types.create(client, held, client.list_property_types())
    prop = api("POST", f"/things/{thing['id']}/properties", json={"typeId": "HELD_TYPE"})
    assert prop.status_code == 201
    answer = other_api("DELETE", "/types/HELD_TYPE")
    assert answer.status_code == 500
    assert answer.json()["name"] == "QueryFailedError"
    assert "violates foreign key constraint" in answer.json()["message"]
    assert "HELD_TYPE" in {t["id"] for t in api("GET", "/types").json()}
    assert api("GET", "/things").status_code == 200
    api("DELETE", f"/things/{thing['id']}/properties/{prop.json()['id']}")
    assert other_api("DELETE", "/types/HELD_TYPE").status_code == 204
