"""The ASGI side of the app: sign-in routes, and the sandbox mounted under ``/sandbox``."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from starlette.routing import BaseRoute, Mount

from dashboard.phone.routes import phone_routes
from dashboard.shared.chart_library import chart_library_routes
from dashboard.shared.config import app_config
from dashboard.shared.embedded import MOUNT_PATH, embedded_sandbox
from dashboard.shared.export_files import export_routes
from dashboard.shared.public_address import base_path
from dashboard.signin.routes import auth_routes


def app_routes() -> list[BaseRoute]:
    """The app's own routes, under ``server.baseUrlPath`` when it is set (Streamlit mounts
    only its own routes there)."""
    routes: list[BaseRoute] = [
        *auth_routes(),
        *chart_library_routes(),
        *export_routes(),
        *phone_routes(),
    ]
    config = app_config()
    if config.sandbox and not config.problems:
        sandbox = embedded_sandbox(config)
        routes.append(Mount(MOUNT_PATH, app=WSGIMiddleware(sandbox.app)))
    base = base_path()
    return [Mount(base, routes=routes)] if base else routes
