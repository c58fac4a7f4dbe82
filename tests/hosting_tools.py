"""The real parts of a hosted class, started by tests on free ports: Debian's
``redis-server`` and ``nginx`` (configured from ``deploy/nginx.conf``), and app replicas.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from .app_server import ROOT, free_port, wait_until_answers

REPLICA_COOKIE = "bucket_replica"


def need(program: str) -> str:
    """The program's path, or a skip (a failure on CI, which installs it)."""
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{program} is missing: .ci/run installs it (apt-get install -y {program})")
    pytest.skip(f"hosting tests need Debian's {program} (apt-get install {program})")


class RedisServer:
    """redis-server on a free port, persisting every write (appendfsync always) to its own
    folder, so a stop and a start are an outage, not a wipe."""

    def __init__(self, folder: Path):
        self.program = need("redis-server")
        self.folder = folder
        self.port = free_port()
        self.password = secrets.token_urlsafe(24)  # as deploy/ runs it: never without one
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/0"
        folder.mkdir(parents=True, exist_ok=True)
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.program,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.folder),
                "--save", "",
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--requirepass", self.password,
            ],
            stdout=open(self.folder / "redis.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise TimeoutError("redis-server did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(20)


def nginx_config(
    port: int, replicas: list[int], folder: Path, tls: tuple[int, Path, Path] | None = None
) -> str:
    """``deploy/nginx.conf`` with this machine's addresses: our port, our replicas, files in
    ``folder`` (not run as root), and the replica's address in ``X-Replica`` for the test.
    ``tls``: a port, a certificate and its key, for ``deploy/tls.conf`` (compose.tls.yaml's)."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    (folder / "bucket-tls").mkdir(exist_ok=True)
    text = text.replace("/etc/nginx/bucket-tls/", f"{folder}/bucket-tls/")
    if tls:
        included = (ROOT / "deploy" / "tls.conf").read_text()
        included = included.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls[0]} ssl;")
        included = included.replace("/etc/nginx/certs/fullchain.pem", str(tls[1]))
        included = included.replace("/etc/nginx/certs/privkey.pem", str(tls[2]))
        (folder / "bucket-tls" / "tls.conf").write_text(included)
    servers = "".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in replicas
    )
    text = re.sub(r" *server app:8501[^\n]*\n", servers, text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace(
        "worker_processes auto;",
        f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;",
    )
    temp = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", "http {\n" + temp + f"    access_log {folder}/access.log;\n", 1)
    return text.replace(
        "add_header Set-Cookie $replica_set_cookie always;",
        "add_header Set-Cookie $replica_set_cookie always;\n"
        "        add_header X-Replica $upstream_addr always;",
    )


class Nginx:
    def __init__(
        self,
        folder: Path,
        replicas: list[int],
        port: int | None = None,
        tls: tuple[Path, Path] | None = None,
    ):
        self.program = need("nginx")
        folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.tls_url = None
        self.conf = folder / "nginx.conf"
        tls_port = free_port() if tls else None
        if tls:
            self.tls_url = f"https://localhost:{tls_port}"
        self.conf.write_text(
            nginx_config(self.port, replicas, folder, (tls_port, *tls) if tls else None)
        )
        self.process = subprocess.Popen(
            [self.program, "-p", str(folder), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=open(folder / "nginx.out", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_until_answers(self.url + "/_stcore/health", self.process, folder / "nginx.out", 20)

    def replica_keys(self) -> dict[str, str]:
        """A value of the sticky cookie for each replica address (found by asking)."""
        found: dict[str, str] = {}
        for n in range(200):
            key = f"k{n}"
            answer = requests.get(
                self.url + "/_stcore/health", cookies={REPLICA_COOKIE: key}, timeout=10
            )
            found.setdefault(answer.headers["X-Replica"], key)
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
