"""Deleting a range's values on both servers, as Explore's "Delete the values in this range"
does: 10,000 exact times sent in chunks under the body limit; the rest stays."""

from __future__ import annotations

from bucket_client import BucketClient

START = 1_790_000_000_000


def test_ten_thousand_values_are_deleted_in_chunks_and_the_rest_stays(server, api, thing):
    client = BucketClient(server.api_url, server.token())
    prop = client.create_property(thing["id"], "Clock off", "TEMPERATURE")
    stamps = [START + i * 1_000 for i in range(12_000)]
    client.write_values(thing["id"], prop.id, [[t, i % 50] for i, t in enumerate(stamps)])
    assert client.delete_values(thing["id"], prop.id, stamps[1_000:11_000]) == 10_000
    left = client.read_values(thing["id"], prop.id, stamps[0], stamps[-1])
    assert list(left.index.as_unit("ms").asi8) == stamps[:1_000] + stamps[11_000:]
    assert client.count_values(thing["id"], prop.id) == 2_000
