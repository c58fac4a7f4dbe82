"""Upload: a 100k-row CSV through the import pipeline (parse, check, write, verify) against
the sandbox with its limits raised, and the peak memory of parsing a 1M-row file.

Prints JSON. Goals (issue 8): 100k rows in a few seconds; a 1M-row file does not exhaust memory.
Run: python bench/upload_bench.py
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._sandbox import bench_sandbox  # noqa: E402
from dashboard.upload.csv_check import check_file  # noqa: E402
from dashboard.upload.verify import compare  # noqa: E402


def csv_bytes(rows: int) -> bytes:
    rng = np.random.default_rng(8)
    ts = 1_700_000_000_000 + np.arange(rows) * 10
    values = np.round(rng.normal(0, 3, (rows, 3)), 5)
    lines = ["time;x;y;z"] + [
        f"{t};{a};{b};{c}" for t, (a, b, c) in zip(ts.tolist(), values.tolist())
    ]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    with bench_sandbox() as (server, client):
        thing = client.create_thing("bench", "bench")
        prop = client.create_property(thing.id, "acc", "ACCELEROMETER")
        raw = csv_bytes(100_000)
        times = {}
        t0 = time.perf_counter()
        _table, _fmt, checked = check_file(raw, prop.dimensions)
        times["parse_and_check_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        result = client.write_values(thing.id, prop.id, checked.good, prop=prop)
        times["write_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        stored = client.read_values(
            thing.id, prop.id, checked.good.index.min(), checked.good.index.max(), prop=prop
        )
        verification = compare(checked.good, stored)
        times["verify_s"] = time.perf_counter() - t2
        total = time.perf_counter() - t0
        assert verification.ok, verification.message()

        big = csv_bytes(1_000_000)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t3 = time.perf_counter()
        _table, _fmt, checked_big = check_file(big, prop.dimensions)
        parse_1m = time.perf_counter() - t3
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            json.dumps(
                {
                    "bench": "upload",
                    "rows": 100_000,
                    "csv_bytes": len(raw),
                    "requests": result.requests,
                    **{k: round(v, 3) for k, v in times.items()},
                    "total_s": round(total, 3),
                    "rows_per_s": round(100_000 / total),
                    "verified": verification.message(),
                    "parse_1M_rows_s": round(parse_1m, 2),
                    "rows_ok_1M": len(checked_big.good),
                    "peak_rss_mb": round(peak / 1024),
                    "rss_before_1M_parse_mb": round(before / 1024),
                    "csv_1M_bytes": len(big),
                    "goals": {"total_s": "a few seconds", "memory": "1M rows fit comfortably"},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
