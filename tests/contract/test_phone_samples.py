"""A phone's samples, taken through a link, written by the app's flush the way it writes them
(the PUT's dimension order read once, when the link is made), on both servers: what each
server stores, read back by name, is exactly what the phone sent, at each sample's time,
for a three-axis type and for LOCATION (whose dimensions the real server lists in an order
of its own)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bucket_client import BucketClient, BucketSettings
from dashboard.phone import streaming
from dashboard.phone.grants import Target, grant_store
from dashboard.shared.config import AppConfig
from dashboard.signin.session_store import session_store


@pytest.mark.parametrize(
    "type_id, rows",
    [
        ("GYROSCOPE", [[0, 0.25, -0.5, 1.125], [100, 0.5, -0.75, 1.25], [200, 1.0, 0.0, -2.5]]),
        ("LOCATION", [[0, 4.3571, 52.0116], [1500, 4.3574, 52.0118]]),
    ],
)
def test_a_links_samples_are_stored_exactly(server, api, thing, tmp_path, type_id, rows):
    settings = replace(
        BucketSettings.at_host(server.provider.url, "client", "secret"), api_url=server.api_url
    )
    config = AppConfig(
        sandbox=False, settings=settings, data_dir=tmp_path, cookie_secret="contract-phone"
    )
    token = server.token()
    client = BucketClient(server.api_url, token)
    prop = client.create_property(thing["id"], "Phone " + type_id.lower(), type_id)
    wire = client.write_order(thing["id"], prop.id)
    target = Target(
        type_id,
        thing["id"],
        prop.id,
        prop.name,
        tuple({"id": d.id, "name": d.name, "unit": d.unit, "type": d.type} for d in wire),
    )
    sid = session_store(config).create(token, {"email": "demo"})
    grant, code = grant_store(config).create("demo", sid, [target])
    grant, _key = grant_store(config).claim(code)
    start = int(time.time() * 1000) - 5_000
    sent = [[start + r[0], *r[1:]] for r in rows]
    streaming.accept(config, grant, "one", {type_id: sent})
    streaming.flush_due(config, grant, force=True)
    assert streaming.status(config, grant).problem is None
    stored = client.read_values(thing["id"], prop.id, start - 1, start + 10_000)
    assert [int(t.value // 1_000_000) for t in stored.index] == [r[0] for r in sent]
    by_id = {d.id: d.name for d in prop.dimensions}
    columns = [by_id[f] for f in streaming.SENSOR_FIELDS[type_id]]
    assert stored[columns].values.tolist() == [r[1:] for r in sent]
