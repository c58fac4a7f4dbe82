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
