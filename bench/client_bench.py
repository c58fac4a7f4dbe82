"""bucket_client throughput against a local sandbox (limits raised), printed as JSON.

Reading: 1M rows x 3 dimensions into a DataFrame. The decode (response bytes to
DataFrame) is compared, on the same bytes, with two references: ``orjson.loads``
plus one numpy array, and a bytes-level numpy parse of the values array.
Writing: 100k rows, and the time the real server's limits (100 requests a minute)
would imply for the same number of requests.
Run: python bench/client_bench.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._sandbox import bench_sandbox  # noqa: E402
from bucket_client import codec  # noqa: E402


def best_of(n: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--upload-rows", type=int, default=100_000)
    args = parser.parse_args()
    with bench_sandbox() as (server, client):
        thing = client.create_thing("bench", "bench")
        prop = client.create_property(thing.id, "acc", "ACCELEROMETER")
        rng = np.random.default_rng(3)

        index = pd.date_range("2026-01-01", periods=args.upload_rows, freq="10ms", tz="UTC")
        upload = pd.DataFrame(
            rng.normal(0, 1, (args.upload_rows, 3)), index=index, columns=["x", "y", "z"]
        )
        t0 = time.perf_counter()
        result = client.write_values(thing.id, prop.id, upload, prop=prop)
        upload_s = time.perf_counter() - t0

        big = client.create_property(thing.id, "acc big", "ACCELEROMETER")
        index = pd.date_range("2025-01-01", periods=args.rows, freq="10ms", tz="UTC")
        data = pd.DataFrame(rng.normal(0, 1, (args.rows, 3)), index=index, columns=["x", "y", "z"])
        client.write_values(thing.id, big.id, data, prop=big)

        t0 = time.perf_counter()
        frame = client.read_values(thing.id, big.id, index[0], index[-1], prop=big)
        end_to_end_s = time.perf_counter() - t0
        assert len(frame) == args.rows

        url = client.transport.url("things", thing.id, "properties", big.id)
        params = {"from": int(index[0].value // 10**6), "to": int(index[-1].value // 10**6)}
        t0 = time.perf_counter()
        content = client.transport.request("GET", url, params=params).content
        fetch_s = time.perf_counter() - t0

        def client_decode():
            meta, raw = codec.split_values(content)
            return codec.decode_values(raw, big.dimensions)

        def orjson_numpy():
            return np.array(orjson.loads(content)["values"], dtype=np.float64)

        def bytes_numpy():
            start = content.index(b'"values":[') + len(b'"values":')
            end = content.rindex(b"]]") + 2
            return np.fromstring(content[start:end].translate(None, b"[]"), sep=",").reshape(-1, 4)

        decode_s, decoded = best_of(3, client_decode)
        ref_orjson_s, _ = best_of(3, orjson_numpy)
        ref_bytes_s, _ = best_of(3, bytes_numpy)
        assert np.array_equal(decoded.to_numpy(), data.to_numpy())
        real_requests = result.requests
        print(
            json.dumps(
                {
                    "bench": "client",
                    "read_rows": args.rows,
                    "read_bytes": len(content),
                    "read_end_to_end_s": round(end_to_end_s, 3),
                    "read_end_to_end_rows_per_s": round(args.rows / end_to_end_s),
                    "read_fetch_s": round(fetch_s, 3),
                    "read_server_and_transfer_share": round(fetch_s / end_to_end_s, 2),
                    "decode_s": round(decode_s, 3),
                    "ref_orjson_numpy_s": round(ref_orjson_s, 3),
                    "ref_bytes_numpy_s": round(ref_bytes_s, 3),
                    "decode_vs_bytes_ref": round(decode_s / ref_bytes_s, 2),
                    "decode_vs_orjson_ref": round(decode_s / ref_orjson_s, 2),
                    "upload_rows": args.upload_rows,
                    "upload_s": round(upload_s, 3),
                    "upload_rows_per_s": round(args.upload_rows / upload_s),
                    "upload_requests": real_requests,
                    "upload_at_real_limit_100_per_min_s": round(
                        max(0, real_requests - 100) / 100 * 60, 1
                    ),
                    "upload_1M_rows_requests": real_requests * 10,
                    "upload_1M_rows_at_real_limit_s": round(
                        max(0, real_requests * 10 - 100) / 100 * 60, 1
                    ),
                    "goals": {"decode_vs_bytes_ref": "<= 1.2", "upload_rows_per_s": ">= 50000"},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
