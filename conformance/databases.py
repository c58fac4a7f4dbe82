"""The real Bucket's two databases, each started on a free local port in a folder of its
own: Debian's PostgreSQL (as the ``postgres`` user when run as root: it refuses root) and
InfluxDB 1.x, with the waits that say what did not come up and why."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests


def postgres_bin() -> Path | None:
    for version in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (version / "initdb").exists():
            return version
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float, process: subprocess.Popen | None = None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail}")
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not come up in {timeout:.0f} s:\n{tail}")


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def start_postgres(work: Path, logs: Path) -> tuple[subprocess.Popen, int]:
    pg = postgres_bin()
    data = work / "postgres"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        as_postgres([str(pg / "initdb"), "-D", str(data), "-U", "bucket", "-A", "trust"]),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = free_port()
    log = (logs / "postgres.log").open("wb")
    process = subprocess.Popen(
        as_postgres(
            [
                str(pg / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-k",
                str(data),
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
            ]
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def ready() -> bool:
        return (
            subprocess.run(
                [str(pg / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL,
            ).returncode
            == 0
        )

    wait_for(ready, "PostgreSQL", 30, process, logs / "postgres.log")
    subprocess.run(
        [str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "bucket", "bucket"],
        check=True,
    )
    return process, port


def launch_influxdb(config: Path, http_port: int, logs: Path) -> subprocess.Popen:
    log = (logs / "influxdb.log").open("ab")
    process = subprocess.Popen(
        ["influxd", "-config", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    ping = f"http://127.0.0.1:{http_port}/ping"
    wait_for(lambda: requests.get(ping, timeout=1).status_code == 204, "InfluxDB", 30, process)
    return process


def start_influxdb(work: Path, logs: Path) -> tuple[subprocess.Popen, int]:
    data = work / "influxdb"
    http_port, rpc_port = free_port(), free_port()
    config = work / "influxdb.conf"
    config.write_text(
        f"""reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"
[meta]
  dir = "{data}/meta"
[data]
  dir = "{data}/data"
  wal-dir = "{data}/wal"
  query-log-enabled = false
[coordinator]
  max-select-buckets = 1000000
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:{http_port}"
  log-enabled = false
[ifql]
  enabled = false
[continuous_queries]
  enabled = false
"""
    )
    process = launch_influxdb(config, http_port, logs)
    # The server creates its database only if it already exists (a bug): create it first.
    requests.post(
        f"http://127.0.0.1:{http_port}/query", data={"q": "CREATE DATABASE bucket"}, timeout=10
    ).raise_for_status()
    return process, http_port
