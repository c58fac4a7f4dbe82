"""``create_app(config)``: wiring only. Each feature lives in its own module."""

from __future__ import annotations

import os
import tempfile

from flask import Flask

from . import (
    api,
    api_consents,
    api_properties,
    api_things,
    api_types,
    errors,
    oauth,
    oauth_views,
    ory_admin,
)
from .catalogue import ensure_catalogue
from .config import SandboxConfig
from .db import Database
from .demo import create_demo_data
from .limits import RateLimiter
from .oauth_models import save_client
from .state import SandboxState
from .users import add_user, ensure_demo_users


def create_app(config: SandboxConfig | dict | None = None) -> Flask:
    """Build a sandbox: defaults, then ``BUCKET_SANDBOX_*`` variables, then ``config``."""
    if not isinstance(config, SandboxConfig):
        config = SandboxConfig.from_env(config)
    if config.db_path in ("", ":memory:"):  # every thread needs the same file
        fd, path = tempfile.mkstemp(prefix="bucket-sandbox-", suffix=".db")
        os.close(fd)
        config = SandboxConfig(**{**config.__dict__, "db_path": path})
    db = Database(config.db_path)
    conn = db.connect()
    ensure_catalogue(conn, history=config.history)
    ensure_demo_users(conn)
    for entry in config.users:
        email, _, rest = entry.partition(":")
        password, _, name = rest.partition(":")
        if not email or not password:
            raise ValueError(f"a user is 'email:password[:name]', got {entry!r}")
        add_user(conn, email.strip().lower(), name or email, password)
    if config.register_client:
        save_client(
            conn,
            config.client_id,
            config.client_secret,
            config.redirect_uris,
            config.client_auth_method,
            loopback_redirects=config.loopback_redirects,
        )
    if config.demo_data:
        create_demo_data(conn)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_NAME="bucket_sandbox_session",
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.json.sort_keys = False
    app.extensions["bucket_sandbox"] = SandboxState(
        config, db, RateLimiter(config.rate_limit_per_minute, config.rate_limit_window_seconds)
    )
    server, protector = oauth.build_server(app)
    app.extensions["bucket_sandbox_oauth"] = server
    app.extensions["bucket_sandbox_protector"] = protector

    errors.init_app(app)
    api.init_app(app)
    for bp in (api.bp, api_things.bp, api_properties.bp, api_consents.bp, api_types.bp):
        app.register_blueprint(bp, url_prefix=config.base_path)
    app.register_blueprint(oauth_views.bp)
    app.register_blueprint(ory_admin.bp)
    return app
