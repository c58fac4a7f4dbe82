"""The sandbox's memory under heavy reads at once: 8 clients read a 300,000-row property at the
same moment (4 raw reads of every row, 4 aggregated reads of about 990,000 one-second buckets, every one listed (fill null),
just under the bucket cap), with the sandbox in its own process, its RSS sampled every 20 ms.
Run with heavy reads unbounded, two at a time, and as the sandbox ships (one at a time).

Prints one JSON object. Goal (issue 27): 8 at once stay under 500 MB over the start.
Run: python bench/sandbox_memory_bench.py [--rows 300000] [--clients 8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bucket_client import BucketClient  # noqa: E402
from tests.app_server import free_port, wait_until_answers  # noqa: E402


def one_run(rows: int, clients: int, at_once: int, folder: Path) -> dict:
    port = free_port()
    db = folder / f"sandbox-{at_once}.db"
    env = {
        **os.environ,
        "BUCKET_SANDBOX_HEAVY_READS_AT_ONCE": str(at_once),
        "BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "1000000",
    }
    log = folder / f"sandbox-{at_once}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bucket_sandbox", "--port", str(port), "--db", str(db), "--empty"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(base + "/.well-known/openid-configuration", process, log, 30)
        token = subprocess.run(
            [sys.executable, "-m", "bucket_sandbox", "token", "--user", "demo@bucket.sandbox"]
            + ["--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        client = BucketClient(base + "/bucket/api", {"access_token": token})
        thing = client.create_thing("Memory", "Bench")
        prop = client.create_property(thing.id, "Load", "TEMPERATURE")
        start = 1_700_000_000_000
        client.write_values(
            thing.id, prop.id, [[start + i * 1000, float(i % 1000)] for i in range(rows)], prop=prop
        )
        url = f"{base}/bucket/api/things/{thing.id}/properties/{prop.id}"
        headers = {"Authorization": "Bearer " + token}
        end = start + 990_000 * 1000 - 1  # just under the cap of one-second buckets
        reads = [
            {"from": start, "to": end}
            if i % 2 == 0
            else {
                "from": start,
                "to": end,
                "timeInterval": "1s",
                "fctInterval": "mean",
                "fill": "null",
            }
            for i in range(clients)
        ]
        watched = psutil.Process(process.pid)
        baseline = watched.memory_info().rss
        peak, done = baseline, threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, watched.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            answers = list(
                pool.map(
                    lambda params: requests.get(url, params=params, headers=headers, timeout=600),
                    reads,
                )
            )
        seconds = time.perf_counter() - began
        done.set()
        sampler.join()
        assert all(a.status_code == 200 for a in answers), [a.status_code for a in answers]
        return {
            "heavy_reads_at_once": at_once or "unbounded",
            "baseline_mb": round(baseline / 2**20),
            "peak_mb": round(peak / 2**20),
            "peak_over_start_mb": round((peak - baseline) / 2**20),
            "all_answered_s": round(seconds, 2),
        }
    finally:
        process.terminate()
        process.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_run(args.rows, args.clients, n, Path(tmp)) for n in (0, 2, 1)]
    print(json.dumps({"rows": args.rows, "clients": args.clients, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
