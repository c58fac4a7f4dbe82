"""Fixtures that build on each other: a real sandbox on a free port -> tokens -> clients.

Every server a test needs is started here and stopped after; nothing is mocked.
"""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest
import requests

from bucket_client import Dimension
from bucket_sandbox import start_sandbox
from bucket_sandbox.tokens import issue_token

from .browser import browser, chromium  # noqa: F401 (fixtures for every browser test)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ACC = tuple(Dimension("acceleration-" + axis, axis, unit="m/s2") for axis in "xyz")
TEMP = (Dimension("temperature", "Temperature", unit="°C"),)
DEMO_EMAIL = "demo@bucket.sandbox"
OTHER_EMAIL = "alex@bucket.sandbox"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (loadgroup)
def pytest_collection_modifyitems(config, items):
    """A browser test that times out waiting for the page gets one more try: on a loaded
    2-core machine Streamlit's websocket can lag a person's click by many seconds. The
    rerun is reported (R), never hidden; any other failure fails at once.

    The run is split over two workers (pytest-xdist, ``--dist loadgroup``). Three were
    faster (856-913 s against 933-975 s) but typed into the upload grid's cells while it
    was drawn again (a value in the wrong cell) and timed out on phones: the cores are
    Chromium's, busy with page loads. A browser module runs whole on one worker, its tests
    in their written order: its app server (module-scoped) starts once, and a test that
    makes a board or a thing never runs before the one that finds the list empty. The contract suite runs on one worker (the real
    Bucket server, PostgreSQL, InfluxDB and Node, is started once); a module that names a
    group of its own (the network layouts) keeps it; the fast tests go wherever there is
    room."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)  # -m "not browser": the fast tests alone
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["TimeoutError"]))
            if item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group(item.path.stem))
        elif "tests/contract/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("real-bucket"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """No proxies (tests talk to 127.0.0.1 only) and no Bucket settings leak in."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name.startswith(("OAUTH2_", "BUCKET_")):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """An empty sandbox with its limits raised (tests that need limits start their own)."""
    server = start_sandbox(
        str(tmp_path_factory.mktemp("sandbox") / "bucket.db"),
        demo_data=False,
        rate_limit_per_minute=1_000_000,
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_sandbox(tmp_path_factory):
    """A sandbox with the demo things, as the app's zero-config mode starts it."""
    server = start_sandbox(
        str(tmp_path_factory.mktemp("demo") / "bucket.db"), rate_limit_per_minute=1_000_000
    )
    yield server
    server.stop()


@pytest.fixture
def make_sandbox(tmp_path):
    """Start fresh empty sandboxes with the settings a test needs; all stopped afterwards."""
    servers = []

    def make(**config):
        db = str(tmp_path / f"bucket-{len(servers)}.db")
        servers.append(start_sandbox(db, **{"demo_data": False, **config}))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def limited_sandbox(make_sandbox):
    """A fresh sandbox with the default (real-server-like) limits."""
    return make_sandbox()


@pytest.fixture
def token(sandbox):
    """A fresh token for the demo user, with every scope the client asks for."""
    return issue_token(sandbox.app, DEMO_EMAIL)


@pytest.fixture
def other_token(sandbox):
    return issue_token(sandbox.app, OTHER_EMAIL)


class Api:
    """requests against one sandbox's REST base with one bearer token."""

    def __init__(self, base: str, access_token: str | None):
        self.base = base
        self.session = requests.Session()
        self.session.trust_env = False
        if access_token:
            self.session.headers["Authorization"] = "Bearer " + access_token

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)


@pytest.fixture
def api(sandbox, token):
    return Api(sandbox.api_url, token["access_token"])


@pytest.fixture
def other_api(sandbox, other_token):
    return Api(sandbox.api_url, other_token["access_token"])


@pytest.fixture
def thing(api):
    """A thing of the demo user, deleted afterwards."""
    created = api("POST", "/things", json={"name": "Test thing", "type": "Test Thing"}).json()
    yield created
    api("DELETE", f"/things/{created['id']}")


@pytest.fixture
def accelerometer(api, thing):
    """An ACCELEROMETER property on ``thing``."""
    return api("POST", f"/things/{thing['id']}/properties", json={"typeId": "ACCELEROMETER"}).json()


@pytest.fixture(scope="module")
def zero_config_app(tmp_path_factory):
    """The app as ``streamlit run app.py`` starts it with no settings (embedded sandbox, demo
    data), fresh for each test module. Several users' worth of clicks in a few seconds: the
    sandbox's budget is raised."""
    from .app_server import AppServer

    server = AppServer(
        tmp_path_factory.mktemp("app-zero"), {"BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000"}
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    """The zero-config app with a second student in its sandbox (``SECOND_STUDENT``)."""
    from .app_server import SECOND_STUDENT, AppServer

    server = AppServer(
        tmp_path_factory.mktemp("app-class"),
        {
            "BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000",
            "BUCKET_SANDBOX_USERS": ":".join(SECOND_STUDENT),
        },
    )
    yield server
    server.stop()


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    return path


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """Debian's redis-server on a free port, with a password, for one test module."""
    from .hosting_tools import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(params=["files", "redis"])
def store(request, tmp_path):
    """The shared store, both kinds: files (the default) and a real redis-server."""
    from dashboard.hosting.file_store import FileStore
    from dashboard.hosting.redis_store import RedisStore

    if request.param == "files":
        return FileStore(tmp_path / "data")
    return RedisStore(request.getfixturevalue("redis_server").url)
