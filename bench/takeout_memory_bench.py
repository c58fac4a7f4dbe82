"""Memory of Account's "Download everything" with a million rows: one accelerometer property
holding 1,000,000 values (a 100 Hz phone for 2.8 hours, spread here over 12 days so the zip is
read a day at a time), written into the zip as the page does (``write_takeout``: a day at a
time, straight to the file). The sandbox runs in the same process; the figure is this
process's resident memory over its start, sampled every 20 ms.

Prints one JSON object. Goal (issue 25): the peak stays bounded by a day's read (far under
what the million rows would take at once, about 180 MB as a DataFrame and its CSV text).
Run: python -m bench.takeout_memory_bench
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import psutil

from bench._sandbox import bench_sandbox
from dashboard.account.takeout import write_takeout

ROWS = 1_000_000
START = 1_780_000_000_000
STEP_MS = 1_000  # 12 days of one value a second


def main() -> None:
    process = psutil.Process()
    with bench_sandbox() as (_server, client), tempfile.TemporaryDirectory() as folder:
        thing = client.create_thing("Takeout phone", "Phone")
        prop = client.create_property(thing.id, "Motion", "ACCELEROMETER")
        times = START + np.arange(ROWS, dtype=np.int64) * STEP_MS
        for chunk in range(0, ROWS, 100_000):
            part = times[chunk : chunk + 100_000]
            client.write_values(
                thing.id, prop.id, [[int(t), 0.5, -1.25, 9.81] for t in part], prop=prop
            )
        thing = client.get_thing(thing.id)
        full = [client.get_property(thing.id, p.id) for p in thing.properties]
        thing = type(thing)(**{**thing.__dict__, "properties": tuple(full)})
        start = process.memory_info().rss
        peak, done = start, threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, process.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        began = time.perf_counter()
        path = Path(folder) / "takeout.zip"
        with path.open("wb") as out:
            written = write_takeout(
                out,
                [thing],
                lambda p, a, b: client.read_values(p.thing_id, p.id, a, b, prop=p),
                lambda p: (START, int(times[-1])),
                "Europe/Amsterdam",
            )
        seconds = time.perf_counter() - began
        done.set()
        sampler.join()
        with zipfile.ZipFile(path) as archive:
            lines = (
                sum(
                    1
                    for _ in archive.open(next(n for n in archive.namelist() if n.endswith(".csv")))
                )
                - 1
            )
        mb = 2**20
        print(
            json.dumps(
                {
                    "bench": "takeout_memory",
                    "rows": ROWS,
                    "rows_written": sum(written.values()),
                    "csv_lines": lines,
                    "zip_mb": round(path.stat().st_size / mb, 1),
                    "seconds": round(seconds, 1),
                    "peak_over_start_mb": round((peak - start) / mb),
                    "goal": "peak_over_start_mb < 180 (all rows at once)",
                    "met": (peak - start) / mb < 180,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
