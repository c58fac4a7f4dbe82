"""Memory of a large CSV (issue 16): a 200 MB file parsed and checked as the wizard does,
then dropped as a session ending drops it. Prints JSON: resident memory at the start, at
the peak, with the table held, and after it is dropped.

Goal: after the file, memory back within 200 MB of the start. Run in a fresh process:
    python -m bench.csv_memory_bench [megabytes, default 200]
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from bucket_client import Dimension
from dashboard.upload import csv_batches
from dashboard.upload.column_mapping import guess_mapping  # noqa: E402
from dashboard.upload.csv_check import check
from dashboard.upload.csv_import import detect_time_format, with_date_and_time

ACC = tuple(Dimension("acceleration-" + a, a, unit="m/s2") for a in "xyz")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def csv_of(megabytes: int, exact_bytes: int | None = None) -> bytes:
    """A phone-app style file: epoch ms and three numbers, about ``megabytes`` MiB big, or
    the whole rows that fit in ``exact_bytes`` (the page's largest: 200,000,000 bytes)."""
    # rows are 31 to 40 bytes: 1 in 38 bytes (as before), or enough for the exact size, then cut
    rows = exact_bytes // 30 if exact_bytes else megabytes * 1024 * 1024 // 38
    rng = np.random.default_rng(16)
    stamps = 1_700_000_000_000 + np.arange(rows, dtype=np.int64) * 10
    values = np.round(rng.normal(0, 3, (rows, 3)), 5)
    body = np.char.add(stamps.astype(str), ",")
    for i in range(3):
        body = np.char.add(np.char.add(body, values[:, i].astype(str)), "," if i < 2 else "")
    text = ("time,x,y,z\n" + "\n".join(body.tolist()) + "\n").encode()
    if exact_bytes is None:
        return text
    return text[: text.rindex(b"\n", 0, exact_bytes) + 1]


def main() -> None:
    if sys.argv[1:2] == ["--write"]:  # the child: make the file, so its cost is not counted
        Path(sys.argv[3]).write_bytes(csv_of(int(sys.argv[2])))
        return
    if sys.argv[1:2] == ["--write-bytes"]:
        Path(sys.argv[3]).write_bytes(csv_of(0, exact_bytes=int(sys.argv[2])))
        return
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        subprocess.run(
            [sys.executable, "-m", "bench.csv_memory_bench", "--write", str(megabytes), str(path)],
            check=True,
        )
        raw = path.read_bytes()
    gc.collect()
    start = rss_mb()  # the file's bytes are held, as Streamlit holds an uploaded file
    t0 = time.perf_counter()
    table = with_date_and_time(csv_batches.read(raw))  # as the Upload page reads it
    parsed_s = time.perf_counter() - t0
    mapping = guess_mapping(list(table.frame.columns), ACC, table.has_header)
    fmt = detect_time_format(table.frame["time"], table.decimal, "time").options[0]
    checked = check(table, mapping, ACC, fmt)
    checked_s = time.perf_counter() - t0
    held = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process only
    rows = len(checked.good)
    del table, checked
    gc.collect()
    pa.default_memory_pool().release_unused()
    after = rss_mb()
    print(
        json.dumps(
            {
                "bench": "csv_memory",
                "csv_mb": round(len(raw) / 2**20, 1),
                "rows": rows,
                "parse_s": round(parsed_s, 2),
                "parse_and_check_s": round(checked_s, 2),
                "rss_start_mb": round(start),
                "rss_peak_mb": round(peak),
                "rss_with_table_mb": round(held),
                "rss_after_drop_mb": round(after),
                "after_minus_start_mb": round(after - start),
                "goal": "after_minus_start_mb <= 200",
                "met": after - start <= 200,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
