"""DEMO DATA: a few things with realistic series, made once on first start.

Deterministic (fixed seeds and ids); timestamps end at the hour of the first start
so the app's "last 24 hours" shows something. Written straight to SQLite.
"""

from __future__ import annotations

import time
import uuid

import numpy as np

from . import catalogue, keto, resources, users, values

HOUR_MS = 3_600_000


def _id(kind: str, name: str) -> str:
    return f"dcd:{kind}:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "bucket-sandbox-demo:" + name))


def _thing(conn, owner: str, key: str, name: str, type_: str, description: str) -> str:
    thing_id = _id("things", key)
    stamp = resources.now_iso()
    conn.execute(
        "INSERT INTO things (id, name, description, type, person_id, pem, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, '', ?, ?)",
        (thing_id, name, description, type_, owner, stamp, stamp),
    )
    conn.execute("INSERT OR IGNORE INTO policies VALUES (?, ?)", (owner, thing_id))
    return thing_id


def _property(conn, thing_id: str, key: str, type_id: str, name: str, rows: np.ndarray) -> None:
    ptype = catalogue.get_type(conn, type_id)
    conn.execute(
        "INSERT INTO properties (id, thing_id, name, description, type_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            _id("properties", key),
            thing_id,
            name,
            ptype["description"],
            type_id,
            resources.now_iso(),
        ),
    )
    pk = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
    values.write(conn, pk, ptype["dimensions"], rows.tolist())


def _rows(ts: np.ndarray, *columns: np.ndarray) -> np.ndarray:
    out = np.empty((len(ts), 1 + len(columns)), dtype=object)
    out[:, 0] = ts.astype(np.int64)
    for i, col in enumerate(columns, start=1):
        out[:, i] = np.round(col, 4)
    return out


DEMO_GROUP = "dcd:groups:design-class"  # a Keto role: both demo users are its members


def create_demo_group(conn) -> None:
    """The class the demo users are in, as the lab's profile app keeps a group: a role in
    Keto's ``exact`` flavour (what the real server asks before a ``sharedWith`` read)."""
    if keto.get_role(conn, "exact", DEMO_GROUP) is None:
        keto.put_role(conn, "exact", DEMO_GROUP, [users.person_id(u[0]) for u in users.DEMO_USERS])


def create_demo_data(conn, owner_email: str = users.DEMO_USERS[0][0]) -> None:
    """Create the demo things once; a second call finds them and does nothing."""
    create_demo_group(conn)
    owner = users.person_id(owner_email)
    if conn.execute("SELECT 1 FROM things WHERE person_id = ?", (owner,)).fetchone():
        return
    rng = np.random.default_rng(42)
    end = (int(time.time() * 1000) // HOUR_MS) * HOUR_MS

    chair = _thing(
        conn,
        owner,
        "wheelchair",
        "Wheelchair prototype",
        "Wheelchair",
        "Instrumented wheelchair: how does it move in a day of use?",
    )
    ts = np.arange(end - 3 * HOUR_MS, end, 100)  # 10 Hz for three hours
    t = (ts - ts[0]) / 1000.0
    push = np.sin(2 * np.pi * t / 1.6) * (np.sin(2 * np.pi * t / 900) > -0.3)
    _property(
        conn,
        chair,
        "wheelchair-acc",
        "ACCELEROMETER",
        "Frame accelerometer",
        _rows(
            ts,
            1.2 * push + rng.normal(0, 0.15, len(ts)),
            0.4 * push + rng.normal(0, 0.1, len(ts)),
            9.81 + rng.normal(0, 0.08, len(ts)),
        ),
    )

    plant = _thing(
        conn, owner, "plant", "Plant monitor", "Plant", "A basil plant on the studio window sill."
    )
    ts = np.arange(end - 30 * 24 * HOUR_MS, end, 60_000)  # every minute for 30 days
    day = 2 * np.pi * ((ts / HOUR_MS) % 24) / 24
    temp = 20 + 4 * np.sin(day - 2) + rng.normal(0, 0.3, len(ts))
    _property(conn, plant, "plant-temp", "TEMPERATURE", "Soil temperature", _rows(ts, temp))
    drift = np.convolve(rng.normal(0, 1, len(ts)), np.ones(240) / 240, mode="same") * 30
    humid = 55 - 10 * np.sin(day - 2) + drift
    _property(conn, plant, "plant-humid", "RELATIVE_HUMIDITY", "Air humidity", _rows(ts, humid))

    bike = _thing(conn, owner, "bike", "Cargo bike tracker", "Bike", "GPS on a cargo bike.")
    ts = np.arange(end - 2 * HOUR_MS, end, 10_000)  # every 10 s for two hours
    angle = np.linspace(0, 4 * np.pi, len(ts))
    _property(
        conn,
        bike,
        "bike-location",
        "LOCATION",
        "Route",
        _rows(
            ts,
            4.3707 + 0.01 * np.cos(angle) + rng.normal(0, 0.0002, len(ts)),
            51.9990 + 0.006 * np.sin(angle) + rng.normal(0, 0.0002, len(ts)),
        ),
    )
    conn.commit()
