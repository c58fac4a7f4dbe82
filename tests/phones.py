"""Phones as a class's phones talk to the app, over HTTP, without a browser each: claim a
link's code, take ACCELEROMETER samples at a rate, send them every 500 ms in batches that
stay in an outbox until the app acknowledges them (as ``sensor_page.js`` does), and read
their status. For benches and tests with many phones, where 30 Chromiums would be the load.

Links are made as the teacher's page makes them (``GrantStore.create``) for a signed-in
person's session, found from the session cookie the app set."""

from __future__ import annotations

import math
import os
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from bucket_client import BucketClient, Property
from dashboard.phone.grants import Target, grant_store
from dashboard.shared.config import app_config, reset_config
from dashboard.signin import cookies

SEND_EVERY_S = 0.5  # the phone page's SEND_EVERY_MS


def session_id(cookie_secret: str, session_cookie: str) -> str:
    """The sign-in's id inside the app's signed session cookie."""
    sid = cookies.unsign(cookie_secret, "session", session_cookie, cookies.SESSION_MAX_AGE)
    assert sid, "the session cookie did not open with this secret"
    return sid


def make_links(
    env: dict[str, str], sid: str, client: BucketClient, props: list[Property]
) -> list[str]:
    """A link code per property (each writing that property alone), made in the app's store
    (``env``: the app's settings, for its data folder or Redis and its cookie secret)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    reset_config()
    try:
        grants = grant_store(app_config())
        codes = []
        for prop in props:
            wire = client.write_order(prop.thing_id, prop.id)
            target = Target(
                sensor=prop.type.id,
                thing_id=prop.thing_id or "",
                property_id=prop.id,
                label=prop.name,
                wire=tuple(
                    {"id": d.id, "name": d.name, "unit": d.unit, "type": d.type} for d in wire
                ),
            )
            codes.append(grants.create("teacher", sid, [target], rate_hz=10)[1])
        return codes
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_config()


@dataclass
class HttpPhone:
    """One phone streaming ACCELEROMETER samples at ``rate_hz`` to ``url`` (an app, or nginx)."""

    url: str
    code: str
    rate_hz: float = 10
    verify: str | bool = True
    key: str = ""
    acknowledged: list[int] = field(default_factory=list)  # sample times the app took
    refusals: list[int] = field(default_factory=list)  # statuses of batches sent again later
    send_seconds: list[float] = field(default_factory=list)

    def claim(self) -> None:
        answer = requests.post(
            self.url + "/phone/claim", json={"code": self.code}, verify=self.verify, timeout=30
        )
        answer.raise_for_status()
        self.key = answer.json()["key"]

    def stream(self, seconds: float) -> None:
        """Sample and send for ``seconds``, then send what is left until it is taken."""
        session = requests.Session()
        session.verify = self.verify
        outbox: list[tuple[str, list[list[float]]]] = []
        queue: list[list[float]] = []
        started = time.time()
        next_sample = started
        next_send = started + SEND_EVERY_S
        while True:
            now = time.time()
            while now - started < seconds and now >= next_sample:  # a send held it: catch up
                t = int(next_sample * 1000)  # the sensor's own time for each sample
                queue.append([t, math.sin(t / 300), 0.5, 9.81])
                next_sample += 1 / self.rate_hz
            if now >= next_send:
                next_send += SEND_EVERY_S
                if queue:
                    outbox.append((uuid.uuid4().hex, queue))
                    queue = []
                self._send(session, outbox)
                if now - started >= seconds and not outbox and not queue:
                    return
                if now - started > seconds + 120:
                    raise RuntimeError(f"{len(outbox)} batches never taken: {self.refusals}")
            time.sleep(max(0.0, min(next_sample, next_send) - time.time()))

    def _send(self, session: requests.Session, outbox: list) -> None:
        while outbox:
            batch, rows = outbox[0]
            started = time.perf_counter()
            try:
                answer = session.post(
                    self.url + "/phone/samples",
                    json={"batch": batch, "samples": {"ACCELEROMETER": rows}},
                    headers={"X-Phone-Key": self.key},
                    timeout=30,
                )
            except requests.RequestException:
                self.refusals.append(0)
                return
            self.send_seconds.append(time.perf_counter() - started)
            if answer.status_code != 200:
                self.refusals.append(answer.status_code)
                return
            self.acknowledged.extend(int(r[0]) for r in rows)
            outbox.pop(0)

    def status(self) -> dict:
        answer = requests.get(
            self.url + "/phone/status",
            headers={"X-Phone-Key": self.key},
            verify=self.verify,
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()


def stream_all(phones: list[HttpPhone], seconds: float) -> None:
    """Every phone at once, each in its own thread, until each has its samples taken."""
    errors: list[BaseException] = []

    def run(phone: HttpPhone) -> None:
        try:
            phone.stream(seconds)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(p,)) for p in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def wait_until_stored(phones: list[HttpPhone], timeout_s: float) -> float:
    """Seconds until every phone's status says nothing waits for Bucket."""
    started = time.time()
    while time.time() - started < timeout_s:
        if all(p.status()["pending"] == 0 for p in phones):
            return time.time() - started
        time.sleep(2)
    raise AssertionError([p.status() for p in phones if p.status()["pending"]])
