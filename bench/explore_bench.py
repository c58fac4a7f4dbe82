"""Explore: time from request to figure for a 1M-row property, and what the browser gets.

Prints JSON. Goals (issue 7): under 1.5 s from request to figure, under 1 MB sent.
Run: python bench/explore_bench.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._sandbox import bench_sandbox  # noqa: E402
from dashboard.explore.charts import points_in, timeseries_figure  # noqa: E402
from dashboard.explore.data import fetch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench_sandbox() as (server, client):
        thing = client.create_thing("bench", "bench")
        prop = client.create_property(thing.id, "acc", "ACCELEROMETER")
        index = pd.date_range("2026-01-01", periods=args.rows, freq="100ms", tz="UTC")
        values = np.random.default_rng(5).normal(0, 1, (args.rows, 3))
        client.write_values(
            thing.id,
            prop.id,
            pd.DataFrame(values, index=index, columns=["x", "y", "z"]),
            prop=prop,
        )
        start, end = int(index[0].value // 10**6), int(index[-1].value // 10**6)
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            fetched = fetch(client, prop, "acc", start, end)
            fig = timeseries_figure([fetched.view], "overlay", "Europe/Amsterdam")
            payload = fig.to_json()
            timings.append(time.perf_counter() - t0)
        print(
            json.dumps(
                {
                    "bench": "explore",
                    "rows": args.rows,
                    "request_to_figure_s": round(min(timings), 3),
                    "request_to_figure_runs_s": [round(t, 3) for t in timings],
                    "requests": fetched.requests,
                    "shown_as": fetched.view.note,
                    "figure_json_bytes": len(payload),
                    "max_points_per_trace": max(points_in(fig).values()),
                    "goals": {"request_to_figure_s": 1.5, "figure_json_bytes": 1_000_000},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
