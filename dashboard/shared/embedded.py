"""The zero-config Bucket: one sandbox per process, its data in the local data folder.

The browser reaches it through the app's own port (mounted at ``/sandbox``), so it
works on a hosted server or behind a single port forward; the app's server side
talks to the same sandbox on a loopback port.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from bucket_client import BucketSettings
from bucket_sandbox import SandboxServer, start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.oauth_models import is_loopback_callback
from dashboard.shared.config import AppConfig

MOUNT_PATH = "/sandbox"
_lock = threading.Lock()
_server: SandboxServer | None = None


def embedded_sandbox(config: AppConfig) -> SandboxServer:
    """Start the sandbox once per process (with demo data on its first start)."""
    global _server
    with _lock:
        if _server is None:
            config.data_dir.mkdir(parents=True, exist_ok=True)
            _server = start_sandbox(
                str(config.data_dir / "sandbox.db"),
                port=0,
                client_id=DEMO_CLIENT_ID,
                client_secret=DEMO_CLIENT_SECRET,
                loopback_redirects=True,
                # a demo on a hosted server: its one public callback (BUCKET_PUBLIC_URL)
                redirect_uris=(config.public_url + "/auth/callback",) if config.public_url else (),
            )
        return _server


def server_settings(config: AppConfig) -> BucketSettings:
    """Settings for the app's server side: the real Bucket, or the sandbox on loopback."""
    if not config.sandbox:
        return config.settings
    sandbox = embedded_sandbox(config)
    return BucketSettings.at_host(
        sandbox.url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, scope=config.settings.scope
    )


class NotLoopback(ValueError):
    """Zero-config sign-in works on this machine's own addresses only."""


def browser_settings(config: AppConfig, origin: str) -> BucketSettings:
    """Settings as the visitor's browser sees them (``origin``: this app's address, from
    the request, with the prefix the browser uses, if any). In zero-config mode only a loopback origin may sign in: the sandbox's
    demo client is public, so a callback on any other host (a forged Host header) could
    carry a code away. ``NotLoopback`` says so."""
    settings = server_settings(config)
    if not config.sandbox:
        return settings
    if config.public_url:  # named by the operator: no Host header can move the callback
        origin = config.public_url
    elif not is_loopback_callback(origin + "/auth/callback"):
        raise NotLoopback(origin)
    return replace(
        settings,
        auth_url=origin + MOUNT_PATH + "/oauth2/auth",
        logout_url=origin + MOUNT_PATH + "/oauth2/sessions/logout",
        redirect_url=origin + "/auth/callback",
    )
