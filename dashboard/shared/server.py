"""The ASGI side of the app: sign-in routes, and the sandbox mounted under ``/sandbox``."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from starlette.routing import BaseRoute, Mount, Route

from dashboard.phone.routes import phone_routes
from dashboard.shared.chart_library import chart_library_routes
from dashboard.shared.config import app_config
from dashboard.shared.embedded import MOUNT_PATH, embedded_sandbox
from dashboard.shared.export_files import export_routes
from dashboard.shared.host_routes import reachable_routes
from dashboard.shared.page_addresses import page_routes
from dashboard.shared.public_address import base_path
from dashboard.signin.routes import auth_routes


def app_routes() -> list[BaseRoute]:
    """The app's own routes, under ``server.baseUrlPath`` when it is set (Streamlit mounts
    only its own routes there)."""
    routes: list[BaseRoute] = [
        *reachable_routes(),  # first: /exports/{name} would take /exports/reachable
        *auth_routes(),
        *chart_library_routes(),
        *export_routes(),
        *phone_routes(),
        *page_routes(),
    ]
    config = app_config()
    if config.sandbox and not config.problems:
        sandbox = embedded_sandbox(config)
        routes.append(Mount(MOUNT_PATH, app=WSGIMiddleware(sandbox.app)))
    base = base_path()
    return [_under(base, r) for r in routes] if base else routes


def _under(base: str, route: BaseRoute) -> BaseRoute:
    """``route`` at ``base`` + its path. One by one, not one ``Mount(base)``: the app's
    routes are tried before Streamlit's, and a mount would answer 404 for every path under
    ``base`` it does not know (Streamlit's own ``/_stcore/*`` among them)."""
    if isinstance(route, Mount):
        return Mount(base + route.path, app=route.app)
    assert isinstance(route, Route)
    return Route(base + route.path, route.endpoint, methods=route.methods, name=route.name)
