"""A phone's link, on the shared store and a real sandbox: its code works once; its key
writes only the properties it names; revoked or expired, it writes nothing more; what it
took reaches Bucket (read back by name through the API, the way a person would) exactly,
once, whatever the retries; signing out stops it."""

from __future__ import annotations

import time

import pytest

from bucket_client import BucketClient, BucketSettings
from bucket_sandbox.tokens import issue_token
from dashboard.hosting.store import shared_store
from dashboard.phone import capacity, streaming
from dashboard.phone.grants import Target, grant_store
from dashboard.shared.config import AppConfig
from dashboard.signin.session_store import session_store

from ..conftest import DEMO_EMAIL, ROOT


@pytest.fixture
def world(tmp_path, sandbox):
    config = AppConfig(
        sandbox=False,
        settings=BucketSettings.at_host(sandbox.url, "client", "secret"),
        data_dir=tmp_path,
        cookie_secret="phone-test-secret",
    )
    token = issue_token(sandbox.app, DEMO_EMAIL)
    client = BucketClient(sandbox.api_url, token)
    sid = session_store(config).create(token, {"email": DEMO_EMAIL})
    thing = client.create_thing("Phone", "Phone")
    acc = client.create_property(thing.id, "Accelerometer", "ACCELEROMETER")
    loc = client.create_property(thing.id, "Location", "LOCATION")
    return config, client, sid, thing, acc, loc


def target(client, thing, prop) -> Target:
    wire = client.write_order(thing.id, prop.id)
    return Target(
        prop.type.id,
        thing.id,
        prop.id,
        f"Phone · {prop.name}",
        tuple({"id": d.id, "name": d.name, "unit": d.unit, "type": d.type} for d in wire),
    )


def now_ms() -> int:
    return int(time.time() * 1000)


def test_a_code_works_once_and_its_key_writes_only_its_property(world):
    config, client, sid, thing, acc, loc = world
    grants = grant_store(config)
    grant, code = grants.create("demo", sid, [target(client, thing, acc)])
    claimed = grants.claim(code.lower()[:5] + "-" + code[5:])  # as typed: case, separators
    assert claimed is not None
    assert grants.claim(code) is None  # a second phone, or the link replayed
    grant, key = claimed
    assert grants.for_key(key).id == grant.id
    t = now_ms()
    rows = [[t + i * 100, 0.5 + i, -1.25, 9.81] for i in range(5)]
    streaming.accept(config, grant, "b1", {"ACCELEROMETER": rows})
    streaming.accept(config, grant, "b1", {"ACCELEROMETER": rows})  # a retry: taken once
    with pytest.raises(streaming.Refused) as refused:
        streaming.accept(config, grant, "b2", {"LOCATION": [[t, 4.37, 52.0]]})
    assert refused.value.status == 403 and "LOCATION" in str(refused.value)
    streaming.flush_due(config, grant, force=True)
    stored = client.read_values(thing.id, acc.id, t - 1, t + 1000)
    assert stored.values.tolist() == [r[1:] for r in rows]
    assert [int(i.value // 1_000_000) for i in stored.index] == [r[0] for r in rows]
    assert client.count_values(thing.id, loc.id) == 0
    done = streaming.status(config, grant)
    assert (done.taken, done.stored, done.pending, done.problem) == (5, 5, 0, None)


def test_revoked_expired_or_signed_out_it_writes_nothing_more(world):
    config, client, sid, thing, acc, _loc = world
    grants = grant_store(config)
    grant, code = grants.create("demo", sid, [target(client, thing, acc)])
    grant, _key = grants.claim(code)
    assert grants.revoke(grant.id, "someone-else") is False  # only its owner
    assert grants.revoke(grant.id, "demo") is True
    with pytest.raises(streaming.Refused) as refused:
        streaming.accept(config, grants.get(grant.id), "b", {"ACCELEROMETER": []})
    assert refused.value.status == 410
    short, code = grants.create("demo", sid, [target(client, thing, acc)], minutes=0)
    assert grants.claim(code) is None  # expired before it was scanned
    later, code = grants.create("demo", sid, [target(client, thing, acc)])
    grants.end_sign_in(sid)
    assert grants.claim(code) is None
    assert [g.state() for g in grants.of_owner("demo")] == ["revoked", "expired", "revoked"]


def test_samples_taken_before_a_stop_are_written_by_the_background_pass(world):
    config, client, sid, thing, acc, _loc = world
    grants = grant_store(config)
    grant, code = grants.create("demo", sid, [target(client, thing, acc)])
    grant, _key = grants.claim(code)
    t = now_ms()
    streaming.accept(config, grant, "first", {"ACCELEROMETER": [[t, 1.0, 2.0, 3.0]]})
    streaming.accept(config, grant, "second", {"ACCELEROMETER": [[t + 100, 4.0, 5.0, 6.0]]})
    assert streaming.status(config, grant).pending == 1  # within FLUSH_S of the first write
    streaming.flush_everything_due(config)  # too early: waits for FLUSH_S
    assert client.count_values(thing.id, acc.id) == 1
    streaming.flush_due(config, grant, force=True)
    assert client.count_values(thing.id, acc.id) == 2


def test_bad_rows_are_refused_saying_which(world):
    config, client, sid, thing, acc, _loc = world
    grant, code = grant_store(config).create("demo", sid, [target(client, thing, acc)])
    grant, _key = grant_store(config).claim(code)
    t = now_ms()
    for rows, words in (
        ([[t, 1.0, 2.0]], "row 1: 4 finite numbers"),
        ([[t, 1.0, 2.0, float("nan")]], "row 1: 4 finite numbers"),
        ([[t, 1, 2, 3], [t - 86_400_000, 1, 2, 3]], "row 2: its time is outside"),
    ):
        with pytest.raises(streaming.Refused) as refused:
            streaming.accept(config, grant, str(words), {"ACCELEROMETER": rows})
        assert words in str(refused.value)
    assert streaming.status(config, grant).taken == 0


def test_the_phones_that_fit_follow_from_the_batching():
    per_phone = capacity.requests_per_minute(1, max(capacity.RATES_HZ))
    assert per_phone == 60 / capacity.FLUSH_S  # one body a flush, even at the top rate
    fit = capacity.phones_that_fit(1)
    share = capacity.BUCKET_REQUESTS_PER_MINUTE * capacity.PHONE_SHARE
    assert fit * per_phone <= share < (fit + 1) * per_phone
    assert max(capacity.RATES_HZ) * capacity.FLUSH_S * capacity.SAMPLE_BYTES < 100_000


def test_the_teachers_guide_says_how_many_phones_fit():
    guide = (ROOT / "docs" / "teachers.md").read_text()
    assert capacity.capacity_sentence() in " ".join(guide.split())


def test_more_phones_than_writes_take_turns_and_every_sample_is_stored_once(world, monkeypatch):
    """Three phones, room for two writes a minute: the third phone's samples wait (taken,
    kept, not written) while the minute's writes are spent, and are written in the next."""
    config, client, sid, thing, _acc, _loc = world
    monkeypatch.setattr(capacity, "PHONE_WRITES_PER_MINUTE", 2)
    props = [client.create_property(thing.id, f"Phone {n}", "ACCELEROMETER") for n in range(3)]
    grants = []
    for prop in props:
        grant, code = grant_store(config).create("demo", sid, [target(client, thing, prop)])
        grants.append(grant_store(config).claim(code)[0])
    t = now_ms()
    for n, grant in enumerate(grants):  # each batch flushes when due: two fit this minute
        streaming.accept(config, grant, "a", {"ACCELEROMETER": [[t + n, 1.0, 2.0, 3.0]]})
    done = [streaming.status(config, g) for g in grants]
    assert [d.stored for d in done] == [1, 1, 0] and done[2].pending == 1
    assert client.count_values(thing.id, props[2].id) == 0
    shared_store(config).delete(streaming.WRITES_KEY)  # the next minute
    streaming.flush_everything_due(config)
    assert [client.count_values(thing.id, p.id) for p in props] == [1, 1, 1]
    assert streaming.status(config, grants[2]).pending == 0
