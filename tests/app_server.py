"""Start the real app (``streamlit run app.py``) on a free port, for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(
    url: str, process: subprocess.Popen, log: Path, timeout: float, verify: bool | str = True
) -> None:
    """Return once ``url`` answers 200; raise with ``log`` if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n" + log.read_text(errors="replace"))
        try:
            if requests.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered at {url}:\n" + log.read_text(errors="replace"))


class AppServer:
    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        tls: tuple[Path, Path] | None = None,
        base_path: str = "",
    ):
        """``tls``: a certificate and its key: the app is served over https with them.
        ``base_path``: ``server.baseUrlPath`` (``url`` then ends with it)."""
        self.port = port or free_port()
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://localhost:{self.port}"
        if base_path:
            self.url += "/" + base_path.strip("/")
        self.data_dir = data_dir
        self.log = data_dir / "streamlit.log"
        full_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OAUTH2_", "BUCKET_")) and not k.lower().endswith("_proxy")
        }
        full_env.update({"BUCKET_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
        full_env.update(env or {})
        if base_path:
            full_env["STREAMLIT_SERVER_BASE_URL_PATH"] = base_path.strip("/")
        if tls:
            full_env["STREAMLIT_SERVER_SSL_CERT_FILE"] = str(tls[0])
            full_env["STREAMLIT_SERVER_SSL_KEY_FILE"] = str(tls[1])
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        verify = str(self.tls[0]) if self.tls else True
        wait_until_answers(self.url + "/_stcore/health", self.process, self.log, timeout, verify)

    def stop(self) -> None:
        from .browser import forget_sessions

        forget_sessions(self.url)
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log_file.close()


def provider_env(
    hub_url: str, api_url: str, client_id: str, secret: str, redirect: str, **more: str
) -> dict[str, str]:
    """The settings of an app configured for a Bucket API at ``api_url`` whose sign-in
    provider (a sandbox, or the real server's stand-in) is at ``hub_url``."""
    return {
        "OAUTH2_CLIENT_ID": client_id,
        "OAUTH2_CLIENT_SECRET": secret,
        "OAUTH2_REDIRECT_URL": redirect,
        "BUCKET_API_URL": api_url,
        "OAUTH2_AUTH_URL": hub_url + "/oauth2/auth",
        "OAUTH2_TOKEN_URL": hub_url + "/oauth2/token",
        "OAUTH2_REVOKE_URL": hub_url + "/oauth2/revoke",
        "OAUTH2_PROFILE_URL": hub_url + "/userinfo",
        "OAUTH2_INTROSPECT_URL": hub_url + "/oauth2/introspect",
        **more,
    }


SECOND_STUDENT = ("sam@class.test", "sam-password")  # email, password: the class_app fixture


def embedded_sandbox_client(app: AppServer, email: str = "demo@bucket.sandbox"):
    """A ``BucketClient`` straight to a zero-config app's own sandbox (through its port),
    to set up data or check what is stored by another path than the page. Opens the
    sandbox's database as it is, so its client stays as the app made it."""
    from bucket_client import BucketClient
    from bucket_sandbox import create_app
    from bucket_sandbox.tokens import issue_token

    sandbox = create_app(
        {"db_path": str(app.data_dir / "sandbox.db"), "demo_data": False, "register_client": False}
    )
    return BucketClient(app.url + "/sandbox/bucket/api", issue_token(sandbox, email))


def app_on_own_sandbox(folder: Path, api_through=None, **sandbox_config):
    """An app configured for a sandbox of its own (high rate limit), started on a free port:
    ``(app, sandbox)``. ``api_through(sandbox)`` gives the API address the app uses (a proxy
    in front of it); the sign-in stays direct."""
    from bucket_sandbox import start_sandbox
    from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    port = free_port()
    callback = f"http://localhost:{port}/auth/callback"
    config = {"rate_limit_per_minute": 10**6, **sandbox_config}
    bucket = start_sandbox(str(folder / "bucket.db"), redirect_uris=(callback,), **config)
    api_url = api_through(bucket) if api_through else bucket.api_url
    env = provider_env(bucket.url, api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback)
    return AppServer(folder / "app", env, port=port), bucket


def new_property(app: AppServer, thing_name: str, property_name: str, type_id: str):
    """A fresh thing with one property on a zero-config app's own sandbox: ``(client, thing,
    property)``, the client to check what is stored by another path than the page."""
    client = embedded_sandbox_client(app)
    thing = client.create_thing(thing_name, "Logger")
    return client, thing, client.create_property(thing.id, property_name, type_id)
