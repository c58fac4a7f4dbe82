"""The real server's hazards, handled by the client, checked against both servers (and,
for an InfluxDB outage, against the real server with its InfluxDB really stopped)."""

from __future__ import annotations

import time

import pytest

from bucket_client import BucketClient, MissingScope, NotFound, ServerError

from ..faults import FaultProxy


@pytest.fixture
def client(server) -> BucketClient:
    return BucketClient(server.api_url, server.token())


def test_patch_goes_only_to_a_thing_just_seen_alive(api, client):
    """PATCH on a deleted thing ends the real server's process: the client GETs first."""
    thing = client.create_thing("Soon gone", "x")
    client.delete_thing(thing.id)
    before = client.transport.requests_sent
    with pytest.raises(NotFound):
        client.update_thing(thing.id, "Renamed", "")
    assert client.transport.requests_sent - before == 1  # the GET, and no PATCH
    assert api("GET", "/").json() == {"status": "OK"}  # the server is still up


def test_deleting_a_thing_deletes_its_properties_and_their_values_first(
    request, server, api, client
):
    thing = client.create_thing("With values", "x")
    props = [client.create_property(thing.id, "", t) for t in ("TEMPERATURE", "ACCELEROMETER")]
    client.write_values(thing.id, props[0].id, [[1000, 20.5]])
    client.write_values(thing.id, props[1].id, [[1000, 1.0, 2.0, 3.0]])
    assert client.delete_thing(thing.id) == 2
    gone = api("GET", f"/things/{thing.id}")
    assert gone.status_code == 200 and gone.content == b""
    if server.name == "real":  # the values themselves, where the real server keeps them
        bucket = request.getfixturevalue("real_bucket")
        assert bucket.influx_points("TEMPERATURE", props[0].id) == []
        assert bucket.influx_points("ACCELEROMETER", props[1].id) == []


def test_a_token_without_a_scope_is_named_as_such(server, client):
    thing = client.create_thing("Scoped", "x")
    prop = client.create_property(thing.id, "", "TEMPERATURE")
    narrow = BucketClient(server.api_url, server.token(scope="openid offline dcd:things"))
    with pytest.raises(MissingScope) as types_error:
        narrow.list_property_types()
    assert types_error.value.scope == "dcd:types"
    with pytest.raises(MissingScope) as property_error:
        narrow.get_property(thing.id, prop.id)
    assert property_error.value.scope == "dcd:properties"
    assert narrow.get_thing(thing.id).name == "Scoped"  # what it may do still works
    client.delete_thing(thing.id)


def test_a_read_during_an_influxdb_outage_is_reported_as_the_servers_trouble(real_bucket):
    client = BucketClient(real_bucket.api_url, _token(real_bucket))
    thing = client.create_thing("Outage", "x")
    prop = client.create_property(thing.id, "", "TEMPERATURE")
    client.write_values(thing.id, prop.id, [[1000, 20.5]])
    with real_bucket.influxdb_down():
        before = client.transport.requests_sent
        with pytest.raises(ServerError, match="could not read the values"):
            client.read_values(thing.id, prop.id, 0, 5000)
        assert client.transport.requests_sent - before == 3  # read, is it there?, read again
    back = eventually(lambda: client.read_values(thing.id, prop.id, 0, 5000))
    assert back["Temperature"].tolist() == [20.5]  # the server recovers once InfluxDB is back
    client.delete_thing(thing.id)


def eventually(read, seconds: float = 60):
    """The real server's InfluxDB client backs off after failures: retry until it reads."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except ServerError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def _token(real_bucket) -> dict:
    from bucket_sandbox.tokens import issue_token

    return issue_token(real_bucket.sandbox.app, "demo@bucket.sandbox")


def test_one_404_on_a_read_of_a_property_that_exists_is_retried(sandbox, token):
    """The real server's 404 for an InfluxDB timeout, once, on cue (a proxy's fault)."""
    direct = BucketClient(sandbox.api_url, token)
    thing = direct.create_thing("Flaky read", "x")
    prop = direct.create_property(thing.id, "", "TEMPERATURE")
    direct.write_values(thing.id, prop.id, [[1000, 20.5]])
    proxy = FaultProxy(
        sandbox.port,
        lambda n, method, path: "404" if n == 1 and "from=" in path else "pass",
    )
    try:
        flaky = BucketClient(proxy.url + sandbox.config.base_path, token)
        back = flaky.read_values(thing.id, prop.id, 0, 5000)
        assert back["Temperature"].tolist() == [20.5]
        assert proxy.actions[:3] == ["404", "pass", "pass"]  # read, check, read again
    finally:
        proxy.stop()
