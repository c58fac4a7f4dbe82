"""Probes of the bodies a stranger sends to the app's own routes (issue 35): each is refused
with 413 and a reason before it is read, whether it declares its length or is chunked, and
four 50 MB bodies at once do not move the app's memory. The phone's samples refuse what a
float cannot hold. Each failed before its fix (the phone routes read the whole body)."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit

import psutil
import pytest
import requests

from dashboard.phone.streaming import Refused, check_batch
from dashboard.shared.body_limits import limit_for

MB = 1_000_000
OWN_ROUTES = ["/phone/claim", "/phone/samples", "/auth/logout", "/sandbox/bucket/api/things"]


def _chunked_post(
    url: str, total: int, piece: int = 1 << 16, token: str = "", chunked: bool = True
) -> tuple[int, bytes]:
    """POST ``total`` bytes without a length (Transfer-Encoding: chunked) or with one; the
    answer (a server that refuses early closes before the rest is sent)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Type", "application/json")
    if chunked:
        connection.putheader("Transfer-Encoding", "chunked")
    else:
        connection.putheader("Content-Length", str(total))
    if token:  # the sandbox reads a body only for a signed-in caller: be one
        connection.putheader("Authorization", "Bearer " + token)
    connection.endheaders()
    sent = 0
    block = b"[" + b"1," * (piece // 2 - 1) + b"1"
    try:
        while sent < total:
            connection.send(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
            sent += len(block)
        if chunked:
            connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed: the rest was never read
    answer = connection.getresponse()
    return answer.status, answer.read()


@pytest.fixture(scope="module")
def demo_token(zero_config_app) -> str:
    from bucket_sandbox import create_app
    from bucket_sandbox.tokens import issue_token

    sandbox = create_app(
        {
            "db_path": str(zero_config_app.data_dir / "sandbox.db"),
            "demo_data": False,
            "register_client": False,
        }
    )
    return issue_token(sandbox, "demo@bucket.sandbox")["access_token"]


def test_each_own_route_has_a_small_limit_and_streamlits_have_none():
    assert limit_for("/phone/claim") == 1024
    assert limit_for("/phone/samples") == 512 * 1024
    assert limit_for("/sandbox/api/things/x/properties/y") == 100 * 1024
    assert limit_for("/auth/callback") == 8 * 1024
    assert limit_for("/_stcore/upload_file/abc") is None  # server.maxUploadSize's
    assert limit_for("/phonebook") is None


@pytest.mark.parametrize("path", OWN_ROUTES)
def test_a_declared_length_over_the_limit_is_refused_unread(zero_config_app, path):
    answer = requests.post(
        zero_config_app.url + path,
        data=b"x" * (2 * MB),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 413
    assert "limit" in answer.json()["message"]


@pytest.mark.parametrize("path", OWN_ROUTES)
def test_a_chunked_body_is_cut_off_at_the_limit(zero_config_app, demo_token, path):
    status, body = _chunked_post(zero_config_app.url + path, 4 * MB, token=demo_token)
    assert status == 413, body[:200]
    assert b"limit" in body


def test_a_body_within_the_limit_still_reaches_the_route(zero_config_app):
    answer = requests.post(
        zero_config_app.url + "/phone/claim", json={"code": "NOTACODE23"}, timeout=30
    )
    assert answer.status_code == 404  # read and answered: that code is not a link
    assert "does not work" in answer.json()["message"]


def test_four_50_mb_bodies_at_once_leave_the_apps_memory_alone(zero_config_app, demo_token):
    for path in ("/phone/claim", "/phone/samples", "/sandbox/bucket/api/things"):
        _chunked_post(zero_config_app.url + path, 10, token=demo_token)  # each route warmed
    process = psutil.Process(zero_config_app.process.pid)
    before = process.memory_info().rss
    answers: list[int] = []

    def send(path: str, chunked: bool) -> None:
        url = zero_config_app.url + path
        answers.append(_chunked_post(url, 50 * MB, token=demo_token, chunked=chunked)[0])

    senders = [
        threading.Thread(target=send, args=(path, chunked))
        for path, chunked in [
            ("/phone/claim", True),
            ("/phone/samples", True),
            ("/phone/claim", False),
            ("/sandbox/bucket/api/things", True),
        ]
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(120)
    grown = process.memory_info().rss - before
    assert answers == [413] * 4
    assert grown < 150 * MB, f"+{grown / MB:.0f} MB"


class _Grant:
    created_ms = 0

    def target(self, sensor):
        return object()


@pytest.mark.parametrize(
    "row, problem",
    [
        ([1_000, 10**400, 0.0, 0.0], "finite numbers"),  # was a 500: OverflowError
        ([1_000, True, False, 1.0], "finite numbers"),  # was stored as 1 and 0
        ([1_000, "1.0", 0.0, 0.0], "finite numbers"),
    ],
)
def test_a_phone_sample_a_float_cannot_hold_is_refused_with_a_reason(row, problem):
    with pytest.raises(Refused) as refused:
        check_batch(_Grant(), {"ACCELEROMETER": [row]}, 2_000)
    assert refused.value.status == 400
    assert problem in str(refused.value)


@pytest.mark.parametrize("path", ["/auth/reachable", "/exports/reachable", "/things", "/shared"])
def test_the_routes_that_answer_fixed_text_refuse_a_large_body_unread(zero_config_app, path):
    """The host-routes check and the pages' own addresses read no body: a 50 MB chunked POST
    is refused (405: GET only, or 413 by the route's limit) and the app still answers."""
    status, _body = _chunked_post(zero_config_app.url + path, 50 * MB)
    assert status in (405, 413)
    assert requests.get(zero_config_app.url + path, timeout=30).status_code == 200
