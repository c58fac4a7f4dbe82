"""Sandbox throughput: ingest 1M rows in bodies under the 100 KB limit, then read them back.

Prints one JSON object. Goals (issue 3): ingest >= 200k rows/s, read >= 1M rows/s served.
Run: python bench/sandbox_bench.py [--rows 1000000] [--dims 1] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import orjson
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bucket_sandbox import start_sandbox  # noqa: E402
from bucket_sandbox.tokens import issue_token  # noqa: E402

TYPES = {1: "TEMPERATURE", 2: "LOCATION", 3: "ACCELEROMETER"}


def body_chunks(ts: np.ndarray, vals: np.ndarray, limit: int) -> list[bytes]:
    """Split rows into JSON bodies that each stay under ``limit`` bytes."""
    probe = orjson.dumps({"values": [[int(ts[0]), *vals[0].tolist()]]})
    step = max(1, int(limit * 0.9) // len(probe))
    bodies, start = [], 0
    while start < len(ts):
        stop = min(len(ts), start + step)
        rows = [[t, *v] for t, v in zip(ts[start:stop].tolist(), vals[start:stop].tolist())]
        body = orjson.dumps({"values": rows})
        if len(body) > limit:
            step = max(1, step * 3 // 4)
            continue
        bodies.append(body)
        start = stop
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dims", type=int, default=1, choices=sorted(TYPES))
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = start_sandbox(f"{tmp}/bench.db", demo_data=False, rate_limit_per_minute=10**9)
        try:
            token = issue_token(server.app, "demo@bucket.sandbox")["access_token"]
            session = requests.Session()
            session.trust_env = False
            session.headers["Authorization"] = "Bearer " + token
            api = server.api_url
            thing = session.post(api + "/things", json={"name": "bench", "type": "bench"}).json()
            prop = session.post(
                f"{api}/things/{thing['id']}/properties", json={"typeId": TYPES[args.dims]}
            ).json()
            path = f"{api}/things/{thing['id']}/properties/{prop['id']}"

            rng = np.random.default_rng(1)
            ts = 1_600_000_000_000 + np.arange(args.rows, dtype=np.int64) * 100
            vals = np.round(rng.normal(0, 1, (args.rows, args.dims)), 6)
            t0 = time.perf_counter()
            bodies = body_chunks(ts, vals, server.config.body_limit_bytes)
            encode_s = time.perf_counter() - t0

            def put(body: bytes) -> int:
                return session.put(
                    path, data=body, headers={"Content-Type": "application/json"}
                ).status_code

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                statuses = list(pool.map(put, bodies))
            ingest_s = time.perf_counter() - t0
            assert set(statuses) == {200}, set(statuses)

            t0 = time.perf_counter()
            response = session.get(
                path, params={"from": int(ts[0]), "to": int(ts[-1])}, stream=True
            )
            content = response.raw.read()
            read_s = time.perf_counter() - t0
            got = len(orjson.loads(content)["values"])
            assert got == args.rows, got
            print(
                json.dumps(
                    {
                        "bench": "sandbox",
                        "rows": args.rows,
                        "dimensions": args.dims,
                        "requests": len(bodies),
                        "max_body_bytes": max(map(len, bodies)),
                        "encode_s": round(encode_s, 3),
                        "ingest_s": round(ingest_s, 3),
                        "ingest_rows_per_s": round(args.rows / ingest_s),
                        "read_s": round(read_s, 3),
                        "read_rows_per_s": round(args.rows / read_s),
                        "read_bytes": len(content),
                        "goals": {"ingest_rows_per_s": 200_000, "read_rows_per_s": 1_000_000},
                    },
                    indent=2,
                )
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
