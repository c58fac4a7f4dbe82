"""Run a sandbox in a background thread on a free port: for tests and the app."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app
from .oauth_models import save_client


class QuietHandler(WSGIRequestHandler):
    """No access log: request lines may carry ``?authorization=<token>``."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@dataclass
class SandboxServer:
    """A running sandbox. ``url`` is its root; the API is at ``api_url``."""

    app: Flask
    host: str
    port: int
    _server: BaseWSGIServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + self.config.base_path

    @property
    def config(self):
        return self.app.extensions["bucket_sandbox"].config

    def register_client(
        self,
        client_id: str,
        client_secret: str = "",
        redirect_uris=(),
        auth_method: str = "client_secret_basic",
        grant_types: tuple[str, ...] = ("authorization_code", "refresh_token"),
    ) -> None:
        """Register one more OAuth client, as the lab registers them at Hydra: one auth
        method each (``client_secret_basic``, ``client_secret_post`` or ``none``)."""
        state = self.app.extensions["bucket_sandbox"]
        save_client(
            state.db.connect(), client_id, client_secret, redirect_uris, auth_method, grant_types
        )

    def reset_rate_limit(self) -> None:
        self.app.extensions["bucket_sandbox"].limiter.reset()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self.app.extensions["bucket_sandbox"].db.close()


def start_sandbox(
    db_path: str | None = None, port: int = 0, host: str = "127.0.0.1", **config
) -> SandboxServer:
    """Start a sandbox (``db_path=None``: a temporary database) and return once it listens."""
    app = create_app({"db_path": db_path or "", **config})
    server = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bucket-sandbox", daemon=True)
    thread.start()
    return SandboxServer(app, host, server.server_port, server, thread)
