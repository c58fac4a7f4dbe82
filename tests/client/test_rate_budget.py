"""The client's share of Bucket's budget against a real sandbox's limit: bulk requests
(``BucketClient.paced``) stop at half of a window and wait for the next one, while an
ordinary request made meanwhile still gets through at once."""

from __future__ import annotations

import threading

from bucket_client import BucketClient
from bucket_sandbox.tokens import issue_token

from ..conftest import DEMO_EMAIL


def test_paced_requests_leave_half_of_each_window(make_sandbox):
    limited = make_sandbox(rate_limit_per_minute=10, rate_limit_window_seconds=4)
    client = BucketClient(limited.api_url, issue_token(limited.app, DEMO_EMAIL))
    client.list_things()  # Bucket's first answer says the window
    waits: list[float] = []
    with client.paced(0.5, waits.append):
        for _ in range(6):
            client.list_things()
    assert waits, "six paced requests in a window of ten, five kept: a wait was due"
    remaining, limit, _ = client.transport.budget.snapshot()
    assert limit == 10
    assert remaining >= 5  # what others have, after the last paced request
    assert client.transport.keep_share == 0.0  # the block is over: ordinary again


def test_a_persons_request_is_not_held_by_a_paced_wait(make_sandbox):
    limited = make_sandbox(rate_limit_per_minute=10, rate_limit_window_seconds=4)
    token = issue_token(limited.app, DEMO_EMAIL)
    bulk = BucketClient(limited.api_url, token)
    person_waits: list[float] = []
    person = BucketClient(  # the same address, so the same budget
        limited.api_url, token, budget=bulk.transport.budget, on_wait=person_waits.append
    )
    bulk.list_things()
    paused = threading.Event()
    done = threading.Event()

    def download() -> None:
        with bulk.paced(0.5, lambda _s: paused.set()):
            while not done.is_set():
                bulk.list_things()

    worker = threading.Thread(target=download)
    worker.start()
    try:
        assert paused.wait(10)
        person.list_things()
        assert person_waits == []  # half the window was left for it
    finally:
        done.set()
        worker.join()
