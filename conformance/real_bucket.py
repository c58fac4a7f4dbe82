"""The real Bucket REST API, started from its own source, as the oracle for our sandbox
and client.

Why: the sandbox and the client were written from one reading of the API, so where that
reading is wrong both agree and every test stays green. The real server's code (MIT,
datacentricdesign/bucket) runs here unmodified on Debian's PostgreSQL and InfluxDB 1.x,
each started on a free local port in a folder of its own, with a ``bucket_sandbox``
answering the calls it makes to Hydra (token, introspection) and Keto (policies), so that
tokens the sandbox issues are accepted by the real API. Everything started is stopped by
``RealBucket.stop``.

What it needs (``.ci/run`` installs them): ``postgresql``, ``influxdb``, ``nodejs`` and
``npm`` from Debian, and the server's source: ``BUCKET_SERVER_SOURCE`` or
``../shared/bucket-server``. Its npm modules are installed once into a cache folder
(``npm install --ignore-scripts``; ``npm ci`` refuses its lock file).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bucket_sandbox import SandboxServer, start_sandbox
from bucket_sandbox.tokens import issue_token
from conformance.databases import (
    free_port,
    launch_influxdb,
    postgres_bin,
    start_influxdb,
    start_postgres,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
PRELOAD = Path(__file__).resolve().parent / "influx_port.js"
# The real server's own client at Hydra: a lab-style id (a colon) and a secret that needs
# form-URL-encoding, so the stand-in sees the server encode them.
SERVICE_CLIENT_ID = "clients:bucket"
SERVICE_CLIENT_SECRET = "service+secret/for:real-bucket"
DEMO_EMAIL = "demo@bucket.sandbox"
APT_PACKAGES = "postgresql influxdb nodejs npm"


class Unavailable(RuntimeError):
    """The real server cannot run here; the message is one line saying what is missing."""


def source_folder() -> Path | None:
    """``BUCKET_SERVER_SOURCE``, else ``../shared/bucket-server`` beside the project."""
    configured = os.environ.get("BUCKET_SERVER_SOURCE")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "bucket-server"
    return folder if (folder / "package.json").is_file() else None


def check_available() -> Path:
    """The source folder, or ``Unavailable`` naming the first missing part."""
    source = source_folder()
    if source is None:
        raise Unavailable(
            "no Bucket server source: set BUCKET_SERVER_SOURCE to a clone of "
            "datacentricdesign/bucket (CI uses ../shared/bucket-server)"
        )
    missing = [
        name
        for name, found in (
            ("postgresql", postgres_bin()),
            ("influxdb", shutil.which("influxd")),
            ("nodejs", shutil.which("node")),
            ("npm", shutil.which("npm")),
        )
        if not found
    ]
    if missing:
        raise Unavailable(
            f"missing Debian packages: {' '.join(missing)} (apt-get install -y {APT_PACKAGES})"
        )
    return source


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bucket-dashboard" / "real-bucket"


def prepare(source: Path, log=print) -> Path:
    """A runnable copy of the server: its source, with npm modules installed once per
    lock file (about 85 s the first time, nothing after)."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        path = source / name
        digest.update(path.read_bytes() if path.exists() else b"")
    copy = _cache_root() / digest.hexdigest()[:16]
    shutil.copytree(
        source, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("node_modules", ".git")
    )
    marker = copy / "node_modules" / ".bucket-dashboard-installed"
    if not marker.exists():
        log(f"npm install --ignore-scripts in {copy} (once per lock file)")
        subprocess.run(
            ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=copy,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.write_text("ok\n")
    return copy


@dataclass
class RealBucket:
    """A running real Bucket API and everything it runs on."""

    api_url: str
    sandbox: SandboxServer
    workdir: Path
    start_seconds: float
    own_sandbox: bool = True
    influx_url: str = ""  # InfluxDB's HTTP API: stored points, read by field name
    processes: list[subprocess.Popen] = field(default_factory=list, repr=False)

    def influx_points(self, type_id: str, property_id: str) -> list[dict]:
        """Every point of a property as InfluxDB holds it, each a dict by field name."""
        query = f'SELECT * FROM "{type_id}" WHERE "propertyId" = \'{property_id}\''
        answer = requests.get(
            self.influx_url + "/query",
            params={"db": "bucket", "q": query, "epoch": "ms"},
            timeout=10,
        ).json()
        series = answer["results"][0].get("series") or [{"columns": [], "values": []}]
        return [dict(zip(series[0]["columns"], row)) for row in series[0]["values"]]

    @contextlib.contextmanager
    def influxdb_down(self):
        """InfluxDB stopped for the duration (a real outage), then started again on the
        same port and data: what the real server answers while its time series are gone."""
        index = next(i for i, p in enumerate(self.processes) if p.args[0] == "influxd")
        process = self.processes[index]
        process.terminate()
        process.wait(timeout=15)
        try:
            yield
        finally:
            port = int(self.influx_url.rsplit(":", 1)[1])
            self.processes[index] = launch_influxdb(
                self.workdir / "influxdb.conf", port, self.workdir / "logs"
            )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        if self.own_sandbox:
            self.sandbox.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_real_bucket(
    sandbox: SandboxServer | None = None,
    rate_limit_per_minute: int = 1_000_000,
    log=print,
) -> RealBucket:
    """Start PostgreSQL, InfluxDB, a stand-in sandbox (unless given) and the real API.

    Raises ``Unavailable`` (one line) when a part is missing. About 10 s once the npm
    modules are cached."""
    started = time.monotonic()
    source = check_available()
    copy = prepare(source, log)
    work = Path(tempfile.mkdtemp(prefix="real-bucket-"))
    work.chmod(0o755)  # the postgres user must reach its data folder inside
    logs = work / "logs"
    logs.mkdir()
    own = sandbox is None
    if sandbox is None:
        sandbox = start_sandbox(None, demo_data=False, rate_limit_per_minute=1_000_000)
    sandbox.register_client(
        SERVICE_CLIENT_ID,
        SERVICE_CLIENT_SECRET,
        auth_method="client_secret_basic",
        grant_types=("client_credentials",),
    )
    bucket = RealBucket("", sandbox, work, 0.0, own)
    try:
        postgres, pg_port = start_postgres(work, logs)
        bucket.processes.append(postgres)
        influx, influx_port = start_influxdb(work, logs)
        bucket.processes.append(influx)
        bucket.influx_url = f"http://127.0.0.1:{influx_port}"
        (work / "data").mkdir()
        hub = sandbox.url
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "NODE_ENV": "production",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": "",  # set for each attempt below
            "HTTP_SECURED": "false",
            "HTTP_BASE_URL": "/bucket/api",
            "HTTP_RATE_LIMIT_PER_MINUTE": str(rate_limit_per_minute),
            "HOST_DATA_FOLDER": str(work / "data"),
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(pg_port),
            "POSTGRES_USER": "bucket",
            "POSTGRES_PASSWORD": "unused-trust-auth",
            "POSTGRES_DB": "bucket",
            "POSTGRES_LOGGING": "false",
            "INFLUXDB_HOST": "127.0.0.1",
            "INFLUXDB_PORT": str(influx_port),
            "INFLUXDB_DB": "bucket",
            "MQTT_HOST": "127.0.0.1",
            "MQTT_PORT": "",
            "MQTT_CLIENT_ID": "bucket-mqtt-client",
            "MQTT_CLIENT_USER": "bucket",
            "MQTT_CLIENT_PASS": "bucket",
            "KEY_PATH": str(work / "none.key"),
            "CERT_PATH": str(work / "none.pem"),
            "OAUTH2_INTROSPECT_URL": hub + "/oauth2/introspect",
            "OAUTH2_TOKEN_URL": hub + "/oauth2/token",
            "OAUTH2_REVOKE_URL": hub + "/oauth2/revoke",
            "OAUTH2_AUTH_URL": hub + "/oauth2/auth",
            "OAUTH2_PROFILE_URL": hub + "/userinfo",
            "OAUTH2_REDIRECT_URL": hub + "/callback",
            "OAUTH2_CLIENT_ID": SERVICE_CLIENT_ID,
            "OAUTH2_CLIENT_SECRET": SERVICE_CLIENT_SECRET,
            "OAUTH2_SCOPE": "dcd:things dcd:properties dcd:types",
            "OAUTH2_HYDRA_ADMIN_URL": hub,
            "ACP_URL": hub,
            "GRAFANA_API_URL": "http://127.0.0.1:9/grafana/api",
            "GRAFANA_API_KEY": "none",
            "GRAFANA_USER": "none",
            "GRAFANA_PASS": "none",
            "DPI_URL": "",
            "DEV_USER": "dcd:persons:nobody",
            "DEV_TOKEN": "",
        }
        server_log = logs / "bucket.log"
        token = issue_token(sandbox.app, DEMO_EMAIL)["access_token"]
        # a free port can be taken by another test's server before node binds it (seen in CI:
        # EADDRINUSE on the MQTT port): then new ports, up to three times
        for attempt in range(3):
            port = free_port()
            env.update(HTTP_PORT=str(port), MQTT_PORT=str(free_port()))
            node = subprocess.Popen(
                [
                    "node",
                    "-r",
                    str(PRELOAD),
                    "-r",
                    "ts-node/register/transpile-only",
                    "src/index.ts",
                ],
                cwd=copy,
                env=env,
                stdout=server_log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            bucket.processes.append(node)
            bucket.api_url = f"http://127.0.0.1:{port}/bucket/api"

            def seeded() -> bool:  # up, and the migrations have seeded the 30 types
                answer = requests.get(
                    bucket.api_url + "/types",
                    headers={"Authorization": "Bearer " + token},
                    timeout=5,
                )
                return answer.status_code == 200 and len(answer.json()) >= 30

            try:
                wait_for(seeded, "the real Bucket server", 120, node, server_log)
                break
            except RuntimeError:
                taken = "EADDRINUSE" in server_log.read_text(errors="replace")
                if attempt == 2 or not taken:
                    raise
                bucket.processes.remove(node)
    except BaseException:
        bucket.stop()
        raise
    bucket.start_seconds = time.monotonic() - started
    return bucket
