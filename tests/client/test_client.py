"""bucket_client against a live sandbox over HTTP: every operation, faults, refresh, errors."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from bucket_client import (
    AuthError,
    BadRequest,
    BucketClient,
    BucketSettings,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    ValidationError,
    WriteStopped,
)
from bucket_client import auth as bucket_auth
from bucket_client.errors import api_error
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token

from ..conftest import DEMO_EMAIL, OTHER_EMAIL
from ..faults import FaultProxy


def settings_for(server, api_url: str | None = None) -> BucketSettings:
    """The client's view of a sandbox (``api_url``: the same API through a fault proxy)."""
    settings = BucketSettings.at_host(
        server.url,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        redirect_url="http://localhost:8501/auth/callback",
    )
    return replace(settings, api_url=api_url) if api_url else settings


@pytest.fixture
def client(sandbox, token):
    return BucketClient(
        token=token, settings=settings_for(sandbox), sleep=lambda s: time.sleep(min(s, 0.05))
    )


@pytest.fixture
def acc(client):
    thing = client.create_thing("Client test", "Test Thing", "made by a test")
    prop = client.create_property(thing.id, "Accelerometer", "ACCELEROMETER")
    yield thing, prop
    client.delete_thing(thing.id)


def frame(n: int, start="2026-01-01", freq="10ms") -> pd.DataFrame:
    rng = np.random.default_rng(n)
    index = pd.date_range(start, periods=n, freq=freq, tz="UTC", name="timestamp")
    return pd.DataFrame(rng.normal(0, 3, (n, 3)), columns=["x", "y", "z"], index=index)


def test_thing_operations(client):
    thing = client.create_thing("Lamp", "Lamp", "a desk lamp")
    assert thing.id.startswith("dcd:things:")
    assert client.get_thing(thing.id).description == "a desk lamp"  # set after the create
    client.update_thing(thing.id, "Lamp 2", "moved")
    assert (client.get_thing(thing.id).name, client.get_thing(thing.id).description) == (
        "Lamp 2",
        "moved",
    )
    assert thing.id in [t.id for t in client.list_things()]
    client.delete_thing(thing.id)
    with pytest.raises(NotFound):
        client.get_thing(thing.id)  # the server's empty 200
    with pytest.raises(Forbidden):
        client.get_thing("dcd:things:00000000-0000-4000-8000-000000000000")


def test_property_operations(client, acc):
    thing, prop = acc
    assert [d.name for d in prop.dimensions] == ["x", "y", "z"]
    assert prop.dimensions[0].unit == "m/s2"
    assert [p.id for p in client.list_properties(thing.id)] == [prop.id]
    client.update_property(thing.id, prop.id, "Frame", "on the frame")
    assert client.get_property(thing.id, prop.id).name == "Frame"
    assert prop.id in [p.id for p in client.list_all_properties()]
    types = client.list_property_types()
    assert "TEMPERATURE" in [t.id for t in types]
    client.delete_property(thing.id, prop.id)
    assert client.list_properties(thing.id) == []


def test_round_trip_100k_exact(client, acc):
    thing, prop = acc
    data = frame(100_000)
    result = client.write_values(thing.id, prop.id, data)
    assert result.rows_written == 100_000 and result.requests > 1
    back = client.read_values(thing.id, prop.id, data.index[0], data.index[-1])
    assert str(back.index.tz) == "UTC" and back.index.name == "timestamp"
    assert list(back.columns) == ["x", "y", "z"]
    pd.testing.assert_frame_equal(
        back, data, check_freq=False, check_exact=True, check_index_type=False
    )
    assert client.count_values(thing.id, prop.id) == 100_000
    assert client.count_all()[prop.id] == 100_000


def test_rows_input_last_count_delete(client, sandbox, token):
    thing = client.create_thing("GPS", "Bike")
    prop = client.create_property(thing.id, "Route", "LOCATION")  # Longitude, Latitude
    client.write_values(thing.id, prop.id, [[1000, 4.37, 51.99], [2000, 4.38, 52.0]])
    last = client.last_values(thing.id, prop.id)
    # /last columns are alphabetical (Latitude before Longitude): mapped back by name
    assert last.values == {"Longitude": 4.38, "Latitude": 52.0}
    assert last.timestamp == pd.Timestamp(2000, unit="ms", tz="UTC")
    assert (
        client.count_values(thing.id, prop.id, since=pd.Timestamp(1500, unit="ms", tz="UTC")) == 1
    )
    assert client.delete_values(thing.id, prop.id, [1000]) == 1
    assert client.count_values(thing.id, prop.id) == 1
    empty = client.create_property(thing.id, "Empty", "TEMPERATURE")
    assert client.last_values(thing.id, empty.id) is None
    client.delete_thing(thing.id)


def test_aggregated_read(client, acc):
    thing, prop = acc
    data = frame(6000, freq="100ms")  # ten minutes
    client.write_values(thing.id, prop.id, data)
    means = client.read_values(
        thing.id, prop.id, data.index[0], data.index[-1], interval="1m", agg="mean"
    )
    expected = data.resample("1min").mean()
    assert len(means) == 10
    np.testing.assert_allclose(means.to_numpy(), expected.to_numpy())


def test_long_raw_range_is_sliced(demo_sandbox):
    token = issue_token(demo_sandbox.app, DEMO_EMAIL)
    client = BucketClient(token=token, settings=settings_for(demo_sandbox))
    plant = next(t for t in client.list_things() if t.name == "Plant monitor")
    prop = plant.properties[0]
    start, end = pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=31), pd.Timestamp.now(tz="UTC")
    data = client.read_values(plant.id, prop.id, start, end)
    assert len(data) == 43_200 and data.index.is_monotonic_increasing


def test_validation_refuses_before_sending(client, acc):
    thing, prop = acc
    with pytest.raises(ValidationError) as caught:
        client.write_values(
            thing.id,
            prop.id,
            [
                [1000, 1, 2, 3],
                [2000, 1, 2],
                [3000, "a", 2, 3],
                [4000, float("nan"), 1, 1],
                [-5, 1, 2, 3],
            ],
        )
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [(1, "*")]  # wrong length is checked first
    with pytest.raises(ValidationError) as caught:
        client.write_values(
            thing.id,
            prop.id,
            [[1000, 1, 2, 3], [3000, "a", 2, 3], [4000, float("nan"), 1, 1], [-5, 1, 2, 3]],
        )
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (1, "x"),
        (2, "x"),
        (3, "timestamp"),
    ]
    assert client.count_values(thing.id, prop.id) == 0  # nothing was sent


@pytest.fixture
def proxy_client(sandbox, token):
    proxies = []

    def make(plan):
        proxy = FaultProxy(sandbox.port, plan)
        proxies.append(proxy)
        api = proxy.url + sandbox.config.base_path
        return BucketClient(
            token=token,
            settings=settings_for(sandbox, api),
            sleep=lambda s: time.sleep(min(s, 0.02)),
        ), proxy

    yield make
    for proxy in proxies:
        proxy.stop()


def test_faults_end_with_every_row_written_exactly_once(client, acc, proxy_client):
    thing, prop = acc

    def plan(n, method, path):
        if method != "PUT":
            return "pass"
        return {3: "503", 5: "reset_after", 7: "reset_before", 9: "429"}.get(n % 10, "pass")

    faulty, proxy = proxy_client(plan)
    data = frame(30_000)
    seen = []
    result = faulty.write_values(
        thing.id, prop.id, data, progress=lambda d, t: seen.append(d), prop=prop
    )
    assert result.rows_written == 30_000
    assert {"503", "reset_after", "reset_before", "429"} <= set(proxy.actions)
    assert seen[-1] == 30_000 and seen == sorted(seen)
    back = client.read_values(thing.id, prop.id, data.index[0], data.index[-1])
    assert client.count_values(thing.id, prop.id) == 30_000
    pd.testing.assert_frame_equal(back, data, check_freq=False, check_index_type=False)


def test_write_stopped_says_what_is_stored_and_resumes(client, acc, proxy_client):
    thing, prop = acc
    failing, _proxy = proxy_client(lambda n, m, p: "503" if m == "PUT" and n > 3 else "pass")
    data = frame(20_000)
    with pytest.raises(WriteStopped) as caught:
        failing.write_values(thing.id, prop.id, data, prop=prop)
    stopped = caught.value
    assert 0 < stopped.rows_written < 20_000
    assert f"resume with start_row={stopped.rows_written}" in str(stopped)
    assert client.count_values(thing.id, prop.id) == stopped.rows_written
    client.write_values(thing.id, prop.id, data, start_row=stopped.rows_written, prop=prop)
    assert client.count_values(thing.id, prop.id) == 20_000


def test_token_expiring_mid_upload_is_refreshed(make_sandbox):
    server = make_sandbox(access_token_ttl=1, rate_limit_per_minute=10**6)
    stored = []
    client = BucketClient(
        token=issue_token(server.app, DEMO_EMAIL),
        settings=settings_for(server),
        on_token=stored.append,
    )
    thing = client.create_thing("Long upload", "x")
    prop = client.create_property(thing.id, "acc", "ACCELEROMETER")
    data = frame(200_000)
    client.write_values(thing.id, prop.id, data, prop=prop)
    assert client.transport.refreshes >= 1
    assert stored and stored[-1]["access_token"] == client.token["access_token"]
    assert client.count_values(thing.id, prop.id) == 200_000


def test_refused_token_refreshes_once_and_retries(sandbox):
    token = issue_token(sandbox.app, DEMO_EMAIL, expires_in=1)
    deadline = time.monotonic() + 10
    probe = BucketClient(
        token={"access_token": token["access_token"]}, settings=settings_for(sandbox)
    )
    while True:  # wait on the condition: the server sees the token expired
        try:
            probe.list_things()
        except AuthError:
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    believed_valid = {**token, "expires_in": 3600, "expires_at": time.time() + 3600}
    client = BucketClient(token=believed_valid, settings=settings_for(sandbox))
    assert isinstance(client.list_things(), list)
    assert client.transport.refreshes == 1


def test_two_threads_refresh_once(sandbox):
    token = issue_token(sandbox.app, DEMO_EMAIL)
    expired = {**token, "expires_at": time.time() - 10}
    client = BucketClient(token=expired, settings=settings_for(sandbox))
    barrier, results = threading.Barrier(4), []

    def work():
        barrier.wait()
        results.append(len(client.list_things()) >= 0)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [True] * 4
    assert client.transport.refreshes == 1
    assert isinstance(client.list_things(), list)  # the chain was not revoked


def test_two_clients_sharing_a_sign_in_refresh_once(sandbox):
    """Two browser tabs of one sign-in: one lock and one store, so one refresh."""
    token = issue_token(sandbox.app, DEMO_EMAIL)
    store = {"token": {**token, "expires_at": time.time() - 10}}
    lock = threading.Lock()

    def save(new):
        store["token"] = new

    clients = [
        BucketClient(
            token=store["token"],
            settings=settings_for(sandbox),
            on_token=save,
            refresh_lock=lock,
            token_source=lambda: store["token"],
        )
        for _ in range(2)
    ]
    for c in clients:
        c.list_things()
    assert sum(c.transport.refreshes for c in clients) == 1
    assert clients[0].token["access_token"] == clients[1].token["access_token"]


def test_rate_limit_is_waited_out(make_sandbox):
    server = make_sandbox(rate_limit_per_minute=5, rate_limit_window_seconds=1)
    waits = []
    client = BucketClient(
        token=issue_token(server.app, DEMO_EMAIL),
        settings=settings_for(server),
        on_wait=waits.append,
    )
    for _ in range(12):
        client.list_things()
    assert client.transport.budget.waited_seconds > 0
    assert waits and all(0 < w <= 1.0 for w in waits)  # told, and never more than the window
    assert client.transport.budget.limit == 5


ERROR_TABLE = [
    (
        403,
        {
            "status": 403,
            "message": "Access denied - Authentication information missing, malformed or invalid",
            "name": "DCD Hub Error",
            "hint": "The bearer token is not active",
            "requirements": "You must provide a valid bearer token.",
        },
        AuthError,
    ),
    (
        403,
        {
            "status": 403,
            "message": "Access denied - Authentication information missing, malformed or invalid",
            "name": "DCD Hub Error",
            "hint": "Request was not allowed",
            "requirements": "x",
        },
        Forbidden,
    ),
    (
        404,
        {
            "status": 404,
            "message": "Resource not found",
            "name": "DCD Hub Error",
            "hint": "Mismatch type of value for dimension acceleration-y",
            "requirements": "",
        },
        BadRequest,
    ),
    (
        404,
        {
            "status": 404,
            "message": "Resource not found",
            "name": "DCD Hub Error",
            "hint": "Property not found.",
            "requirements": "",
        },
        NotFound,
    ),
    (
        400,
        {
            "status": 400,
            "message": "Thing information missing or malformed",
            "name": "DCD Hub Error",
            "hint": "Add field name.",
            "requirements": "...",
        },
        BadRequest,
    ),
    (
        500,
        {"status": 500, "message": "request entity too large", "name": "PayloadTooLargeError"},
        PayloadTooLarge,
    ),
    (
        500,
        {
            "status": 500,
            "message": "Unexpected token } in JSON at position 10",
            "name": "SyntaxError",
        },
        BadRequest,
    ),
    (
        500,
        {
            "status": 500,
            "message": 'Could not find any entity of type "PropertyType"',
            "name": "EntityNotFound",
        },
        NotFound,
    ),
    (
        500,
        {
            "status": 500,
            "message": "Server error",
            "name": "DCD Hub Error",
            "hint": "x",
            "requirements": "",
        },
        ServerError,
    ),
    (429, None, RateLimited),
    (503, None, ServerError),
]


@pytest.mark.parametrize(("status", "body", "expected"), ERROR_TABLE)
def test_error_mapping(status, body, expected):
    error = api_error(
        status, "GET", "https://dwd.tudelft.nl/bucket/api/things?authorization=SECRET", body
    )
    assert type(error) is expected
    assert error.status == status and "SECRET" not in str(error) and "SECRET" not in error.url
    if body and body.get("hint"):
        assert body["hint"] in str(error)


def test_errors_never_carry_the_token(sandbox, other_token, acc, client):
    thing, _prop = acc
    other = BucketClient(token=other_token, settings=settings_for(sandbox))
    with pytest.raises(Forbidden) as caught:
        other.get_thing(thing.id)
    assert other_token["access_token"] not in str(caught.value) + repr(caught.value.__dict__)
    assert "Request was not allowed" in str(caught.value)


def test_transport_errors_are_their_own_branch():
    from bucket_client import TransportError

    settings = BucketSettings(api_url="http://127.0.0.1:9/bucket/api")
    client = BucketClient(token={"access_token": "x"}, settings=settings, sleep=lambda s: None)
    with pytest.raises(TransportError):
        client.list_things()


def test_pkce_authorization_request_and_state_check(sandbox):
    settings = settings_for(sandbox)
    request = bucket_auth.authorization_request(settings)
    assert "code_challenge_method=S256" in request.url and f"state={request.state}" in request.url
    with pytest.raises(AuthError):
        bucket_auth.exchange_code(settings, "code", "forged", request.state, request.code_verifier)


def test_plain_http_only_for_loopback():
    from oauthlib.oauth2 import InsecureTransportError

    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ
    remote = BucketSettings(client_id="c", auth_url="http://bucket.example.org/oauth2/auth")
    with pytest.raises(InsecureTransportError):
        bucket_auth.authorization_request(remote)
    assert bucket_auth.secure_or_loopback("http://127.0.0.1:8080/x")
    assert not bucket_auth.secure_or_loopback("http://10.0.0.1/x")


def test_from_env_reads_dotenv(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("OAUTH2_CLIENT_ID=abc\nOAUTH2_CLIENT_SECRET=s3cret\nBUCKET_ACCESS_TOKEN=tok\n")
    client = BucketClient.from_env(dotenv_path=str(env))
    assert client.settings.client_id == "abc"
    assert client.settings.api_url == "https://dwd.tudelft.nl/bucket/api"
    assert "dcd:types" in client.settings.scope and "offline" in client.settings.scope
    assert "s3cret" not in repr(client.settings)
    for name in ("OAUTH2_CLIENT_ID", "OAUTH2_CLIENT_SECRET", "BUCKET_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_other_user_cannot_read(client, acc, sandbox):
    thing, prop = acc
    other = BucketClient(
        token=issue_token(sandbox.app, OTHER_EMAIL), settings=settings_for(sandbox)
    )
    with pytest.raises(Forbidden):
        other.read_values(thing.id, prop.id, 0, 10)
