"""A phone's samples on their way into Bucket: checked, acknowledged, relayed to live
views at once, and written to Bucket every ``FLUSH_S`` seconds per property.

Why batch on the server: Bucket limits requests per client address (everyone behind one
hosted app shares it), so a phone that sent its own PUT twice a second would spend the
class's budget alone. The phone sends small batches here often (latency), Bucket gets one
PUT per property every ``FLUSH_S`` (budget). A batch is acknowledged once it is in the
shared store (it survives this process), never before; a batch sent twice (a retry after
a lost answer) is taken once. Samples not yet in Bucket are written by whichever replica
flushes next (``flush_due``, also from a background loop when the phone has gone).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

import pandas as pd

from bucket_client import BucketError, Dimension
from dashboard.hosting.store import SharedStore, shared_store
from dashboard.phone import capacity
from dashboard.phone.grants import Grant, Target, grant_store
from dashboard.shared.config import AppConfig
from dashboard.signin.session_store import session_store
from dashboard.signin.sign_in_client import sign_in_client

# what a phone sends per sensor, after the sample's time: the dimension ids they fill
SENSOR_FIELDS = {
    "ACCELEROMETER": ("acceleration-x", "acceleration-y", "acceleration-z"),
    "GYROSCOPE": ("rotation-acc-x", "rotation-acc-y", "rotation-acc-z"),
    "LOCATION": ("longitude", "latitude"),
}
MAX_SAMPLES = 5_000  # per batch: a phone that was offline sends its backlog in pieces
EARLIEST_SKEW_MS = 60_000  # a sample may be this much older than its grant (clock skew)
LATEST_SKEW_MS = 60_000  # or ahead of this server's clock
LIVE_KEEP_MS = 120_000  # what live views can catch up on
WRITES_KEY = "phone-bucket-writes"  # the phones' Bucket writes in the current minute


class Refused(Exception):
    """A batch that cannot be taken: the reason, for the phone to show; nothing was kept."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Status:
    """What the phone shows: samples acknowledged, confirmed in Bucket, waiting, and the
    last problem writing them (None when the last write went through)."""

    taken: int
    stored: int
    pending: int
    problem: str | None

    def as_json(self) -> dict:
        return {
            "taken": self.taken,
            "stored": self.stored,
            "pending": self.pending,
            "problem": self.problem,
        }


def _load(store: SharedStore, key: str, default):
    blob = store.get(key)
    return json.loads(blob) if blob else default


def _save(store: SharedStore, key: str, value, ttl_s: float = 86_400) -> None:
    store.put(key, json.dumps(value).encode(), ttl_s)


def check_batch(grant: Grant, samples: object, now_ms: int) -> dict[str, list[list[float]]]:
    """The batch's rows per sensor, checked: a sensor this grant writes, a time in range,
    finite numbers of the right count. Anything else refuses the whole batch, saying what."""
    if not isinstance(samples, dict):
        raise Refused(400, "samples must be an object of sensor -> rows")
    checked, total = {}, 0
    for sensor, rows in samples.items():
        if grant.target(sensor) is None:
            raise Refused(403, f"this link does not write {sensor!s:.40}")
        width = 1 + len(SENSOR_FIELDS[sensor])
        if not isinstance(rows, list):
            raise Refused(400, f"{sensor}: rows must be a list")
        total += len(rows)
        good = []
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != width or not all(map(_number, row)):
                raise Refused(400, f"{sensor} row {i + 1}: {width} finite numbers expected")
            t = int(row[0])
            if not grant.created_ms - EARLIEST_SKEW_MS <= t <= now_ms + LATEST_SKEW_MS:
                raise Refused(400, f"{sensor} row {i + 1}: its time is outside this link's life")
            good.append([t, *(float(c) for c in row[1:])])
        checked[sensor] = good
    if total > MAX_SAMPLES:
        raise Refused(413, f"at most {MAX_SAMPLES} samples a batch")
    return checked


def _number(cell: object) -> bool:
    """A finite number a float holds: not a boolean (JSON's true is no reading), not a
    400-digit integer (float() of it overflows)."""
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return abs(cell) < 1e300 if isinstance(cell, int) else math.isfinite(cell)


def accept(config: AppConfig, grant: Grant, batch_id: str, samples: object) -> Status:
    """Take a batch (once, whatever the retries), relay it, and flush what is due."""
    now = int(time.time() * 1000)
    if not grant.live(now):
        raise Refused(410, "this link has " + ("been revoked" if grant.revoked else "expired"))
    checked = check_batch(grant, samples, now)
    store = shared_store(config)
    with store.lock("phone:" + grant.id, 60, 60):
        if store.add(f"phone-batch:{grant.id}:{str(batch_id)[:64]}", b"1", 86_400):
            pending = _load(store, "phone-pending:" + grant.id, {})
            for sensor, rows in checked.items():
                pending.setdefault(sensor, []).extend(rows)
            _save(store, "phone-pending:" + grant.id, pending)
            store.put("phone-pending-index:" + grant.id, grant.id.encode(), 86_400)
            taken = _load(store, "phone-taken:" + grant.id, 0) + sum(map(len, checked.values()))
            _save(store, "phone-taken:" + grant.id, taken)
            for sensor, rows in checked.items():
                relay(store, grant.target(sensor), rows, now)
    flush_due(config, grant)
    return status(config, grant)


def relay(store: SharedStore, target: Target, rows: list[list[float]], now_ms: int) -> None:
    """Recent samples for live views, by property (kept ``LIVE_KEEP_MS``)."""
    key = "phone-live:" + target.property_id
    with store.lock(key, 10, 10):
        kept = [r for r in _load(store, key, []) if r[0] >= now_ms - LIVE_KEEP_MS]
        kept.extend(rows)
        kept.sort(key=lambda r: r[0])
        _save(store, key, kept, LIVE_KEEP_MS / 1000 + 60)


def live_rows(config: AppConfig, property_id: str, after_ms: int) -> list[list[float]]:
    """Samples relayed for the property after ``after_ms`` (the phone's values, in the
    order its sensor fields are listed in ``SENSOR_FIELDS``)."""
    rows = _load(shared_store(config), "phone-live:" + property_id, [])
    return [r for r in rows if r[0] > after_ms]


def status(config: AppConfig, grant: Grant) -> Status:
    store = shared_store(config)
    pending = _load(store, "phone-pending:" + grant.id, {})
    state = _load(store, "phone-stored:" + grant.id, {"stored": 0, "problem": None})
    return Status(
        _load(store, "phone-taken:" + grant.id, 0),
        state["stored"],
        sum(map(len, pending.values())),
        state["problem"],
    )


def flush_due(config: AppConfig, grant: Grant, force: bool = False) -> None:
    """Write what waits to Bucket when the last write is ``FLUSH_S`` old (or ``force``)."""
    store = shared_store(config)
    with store.lock("phone:" + grant.id, 120, 120):
        state = _load(store, "phone-stored:" + grant.id, {"stored": 0, "problem": None, "at": 0})
        pending = _load(store, "phone-pending:" + grant.id, {})
        now = time.time()
        if not any(pending.values()) or (not force and now - state.get("at", 0) < capacity.FLUSH_S):
            return
        writes = sum(capacity.writes_for(len(rows)) for rows in pending.values() if rows)
        if not force and not _writes_allowed(store, writes):
            return  # the phones' share of this minute is spent: kept, written in a later one
        state["at"] = now
        sign_in = session_store(config).get(grant.sid)
        if sign_in is None:
            state["problem"] = "the sign-in that made this link has ended; sign in and scan again"
            _save(store, "phone-stored:" + grant.id, state)
            return
        client = sign_in_client(config, grant.sid, sign_in.token)
        for sensor in list(pending):
            rows, target = pending[sensor], grant.target(sensor)
            if not rows or target is None:
                continue
            try:
                client.write_values(
                    target.thing_id, target.property_id, frame(target, rows), wire=_wire(target)
                )
            except BucketError as error:
                state["problem"] = f"Bucket did not take {target.label}: {error}"[:300]
                continue  # kept: written at the next flush
            state["stored"] += len(rows)
            state["problem"] = None
            pending[sensor] = []
        _save(store, "phone-pending:" + grant.id, pending)
        _save(store, "phone-stored:" + grant.id, state)
        if not any(pending.values()):
            store.delete("phone-pending-index:" + grant.id)


def _writes_allowed(store: SharedStore, writes: int) -> bool:
    """Take ``writes`` of the phones' Bucket writes this minute, counted across replicas;
    none taken when they do not fit."""
    if store.count(WRITES_KEY, 60, writes) <= capacity.PHONE_WRITES_PER_MINUTE:
        return True
    store.count(WRITES_KEY, 60, -writes)
    return False


def frame(target: Target, rows: list[list[float]]) -> pd.DataFrame:
    """The rows as a table by dimension name (the client orders cells by id for the PUT);
    two samples in one millisecond keep the later one, as Bucket would."""
    names = {d["id"]: d["name"] for d in target.wire}
    columns = [names[f] for f in SENSOR_FIELDS[target.sensor]]
    table = pd.DataFrame([r[1:] for r in rows], columns=columns)
    table.index = pd.to_datetime([int(r[0]) for r in rows], unit="ms", utc=True)
    return table[~table.index.duplicated(keep="last")].sort_index()


def _wire(target: Target) -> tuple[Dimension, ...]:
    return tuple(
        Dimension(d["id"], d["name"], unit=d.get("unit", ""), type=d.get("type", "number"))
        for d in target.wire
    )


def flush_everything_due(config: AppConfig) -> None:
    """The background loop's pass: every live or recently ended grant with samples waiting
    (a phone that left the page, or lost its network, still gets its samples stored)."""
    grants = grant_store(config)
    for key_blob in shared_store(config).scan("phone-pending-index:"):
        grant = grants.get(key_blob.decode())
        if grant is not None:
            flush_due(config, grant)
