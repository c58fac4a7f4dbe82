"""``python -m bucket_sandbox`` serves on the given port, with demo data, and logs no tokens."""

from __future__ import annotations

import subprocess
import sys
import time

import requests

from .app_server import ROOT, free_port


def test_cli_serves_and_keeps_tokens_out_of_its_log(tmp_path):
    port = free_port()
    log = tmp_path / "sandbox.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bucket_sandbox",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "s.db"),
                "--rate-limit",
                "500",
                "--token-ttl",
                "60",
                "--user",
                "kim@lab.example:pw-kim:Kim Lab",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}/bucket/api"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(base + "/", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            probe = requests.get(
                base + "/things", params={"authorization": "SECRET-TOKEN-TEXT"}, timeout=5
            )
            assert probe.status_code == 403 and probe.headers["RateLimit-Limit"] == "500"
            token = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bucket_sandbox",
                    "token",
                    "--user",
                    "demo@bucket.sandbox",
                    "--db",
                    str(tmp_path / "s.db"),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            things = requests.get(
                base + "/things", headers={"Authorization": "Bearer " + token}, timeout=5
            ).json()
            assert {t["name"] for t in things} == {
                "Wheelchair prototype",
                "Plant monitor",
                "Cargo bike tracker",
            }
            kim = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bucket_sandbox",
                    "token",
                    "--user",
                    "kim@lab.example",
                    "--db",
                    str(tmp_path / "s.db"),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            assert kim.returncode == 0 and kim.stdout.startswith("ory_at_"), kim.stderr
        finally:
            process.terminate()
            process.wait(10)
    assert "SECRET-TOKEN-TEXT" not in log.read_text() and token not in log.read_text()
