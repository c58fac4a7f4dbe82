"""A class claiming phone links through Debian's nginx (``deploy/nginx.conf``) in front of
the app and a real redis-server (issue 35): each phone and each stranger has an address of
its own on this machine (127.0.0.x, as a room's Wi-Fi gives each phone its own), so the
limit on wrong codes must key on the client nginx saw, not on nginx. Before the fix, 30
wrong codes from one stranger told every phone in the room "too many tries", and 200 wrong
codes at once got 57 answers against a cap of 30."""

from __future__ import annotations

import http.client
import json
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest

from bucket_client import BucketSettings
from dashboard.phone.grants import Target, grant_store
from dashboard.phone.routes import WRONG_CLAIMS_PER_ADDRESS
from dashboard.shared.config import AppConfig

from ..app_server import AppServer
from ..hosting_tools import Nginx, RedisServer


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """``(nginx, grants)``: one app replica behind nginx, the grants of its shared store."""
    folder = tmp_path_factory.mktemp("room")
    redis = RedisServer(folder / "redis")
    secret = secrets.token_urlsafe(32)
    app = AppServer(folder / "app", env={"REDIS_URL": redis.url, "COOKIE_SECRET": secret})
    nginx = Nginx(folder / "nginx", [app.port])
    config = AppConfig(
        sandbox=False,
        settings=BucketSettings.at_host("http://127.0.0.1:9", "client", "secret"),
        data_dir=folder / "grants",
        cookie_secret=secret,
        redis_url=redis.url,
    )
    yield nginx, grant_store(config)
    nginx.stop()
    app.stop()
    redis.stop()


def claim(nginx: Nginx, code: str, address: str, forwarded: str = "") -> tuple[int, dict]:
    """POST /phone/claim from ``address`` (a loopback address of its own), through nginx;
    ``forwarded``: an X-Forwarded-For the client sends, hoping to be believed."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", nginx.port, timeout=30, source_address=(address, 0)
    )
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    connection.request("POST", "/phone/claim", json.dumps({"code": code}), headers)
    answer = connection.getresponse()
    body = json.loads(answer.read() or b"{}")
    connection.close()
    return answer.status, body


def links(grants, n: int) -> list[str]:
    target = Target("ACCELEROMETER", "dcd:things:t", "dcd:properties:p", "Phone", ())
    return [grants.create("teacher", "sid", [target])[1] for _ in range(n)]


def test_forty_phones_claim_while_a_strangers_guesses_lock_out_only_the_stranger(room):
    nginx, grants = room
    codes = links(grants, 40)
    stranger = "127.0.0.200"
    refused = [claim(nginx, "WRONGCODE2", stranger)[0] for _ in range(WRONG_CLAIMS_PER_ADDRESS)]
    assert refused == [404] * WRONG_CLAIMS_PER_ADDRESS
    status, body = claim(nginx, codes[0][:-1] + "X", stranger)
    assert status == 429 and "too many wrong codes" in body["message"]
    # the stranger's claimed addresses are not believed: nginx sends the one it saw
    assert claim(nginx, "WRONGCODE2", stranger, forwarded="10.9.8.7")[0] == 429

    with ThreadPoolExecutor(10) as pool:
        answers = list(
            pool.map(lambda n: claim(nginx, codes[n], f"127.0.1.{10 + n}"), range(len(codes)))
        )
    assert [status for status, _ in answers] == [200] * 40
    assert all(body["key"] for _, body in answers)


def test_a_class_behind_one_address_claims_every_link(room):
    """A room whose phones share one public address (a school's NAT): right codes are
    never counted, so 40 claims all succeed."""
    nginx, grants = room
    answers = [claim(nginx, code, "127.0.2.1")[0] for code in links(grants, 40)]
    assert answers == [200] * 40


def test_two_hundred_wrong_codes_at_once_get_exactly_the_allowed_answers(room):
    nginx, _ = room
    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(lambda _: claim(nginx, "WRONGCODE3", "127.0.3.1")[0], range(200)))
    assert statuses.count(404) == WRONG_CLAIMS_PER_ADDRESS
    assert statuses.count(429) == 200 - WRONG_CLAIMS_PER_ADDRESS


def test_nginx_refuses_a_large_claim_before_the_app(room):
    nginx, _ = room
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=30)
    connection.request("POST", "/phone/claim", b"{" * 20_000, {"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 413
    assert b"nginx" in answer.read()  # nginx's own page: the replica never saw it
