"""Probes of the hosted surfaces, as the outside review ran them: a session value copied onto
another session's key in Redis, forged hosts that start with "127.", a tampered upload
journal, a zoom out past anything Bucket can hold. Each failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bucket_sandbox.oauth_models import is_loopback_callback
from dashboard.explore.controls import narrowed_range
from dashboard.hosting.file_store import FileStore
from dashboard.signin.session_store import PREFIX, SessionStore, _digest


def test_a_session_value_copied_onto_another_key_is_no_session(store):
    """``SET <alex key> <demo value>``: whoever can write the store but not read the cookie
    secret cannot make alex's browser the demo user's."""
    sessions = SessionStore(store, "a-long-cookie-secret")
    demo = sessions.create({"access_token": "demo-token"}, {"name": "Demo"})
    alex = sessions.create({"access_token": "alex-token"}, {"name": "Alex"})
    store.put(PREFIX + _digest(alex), store.get(PREFIX + _digest(demo)), 60)
    assert sessions.get(alex) is None  # signed out, not someone else
    assert sessions.get(demo).user == {"name": "Demo"}


@pytest.mark.parametrize(
    "uri, loopback",
    [
        ("http://localhost:8601/auth/callback", True),
        ("http://127.0.0.1:8601/auth/callback", True),
        ("http://127.1.2.3:8601/auth/callback", True),
        ("http://[::1]:8601/auth/callback", True),
        ("http://127.evil.com:8601/auth/callback", False),
        ("http://127.0.0.1.nip.io:8601/auth/callback", False),
        ("http://localhost.evil.com/auth/callback", False),
        ("http://127.0.0.1:99999/auth/callback", False),
        ("https://127.0.0.1/auth/callback", True),  # served over TLS, still this machine
        ("https://127.evil.com/auth/callback", False),
        ("ftp://127.0.0.1/auth/callback", False),
        ("http://127.0.0.1/elsewhere", False),
        ("http://localhost:8601/dashboard/auth/callback", True),  # under baseUrlPath
        ("http://localhost:8601/~/+/auth/callback", True),  # a frame's prefix
        ("http://localhost:8601//evil.example/auth/callback", False),
        ("http://localhost:8601/a/../auth/callback", True),  # plain segments, same host
        ("http://localhost:8601/%2F%2Fevil/auth/callback", False),
    ],
)
def test_loopback_means_this_machines_addresses(uri, loopback):
    assert is_loopback_callback(uri) is loopback


@pytest.mark.parametrize(
    "box",
    [
        ("1500-01-01 00:00", "2600-01-01 00:00"),  # a relayout far out
        ("0001-01-01", "9999-12-31"),
        ("-000100-01-01", "2026-01-01"),
        ("not a date", "2026-01-01"),
    ],
)
def test_any_zoom_is_clamped_to_what_bucket_holds(box):
    """About 400 wheel notches outward once crashed the page (OverflowError)."""
    found = narrowed_range(box, "Europe/Amsterdam")
    if found is not None:
        first, last = found
        assert 0 <= first < last <= 4_102_444_800_000


def test_a_tampered_upload_journal_is_read_as_nothing_stored(tmp_path):
    """A journal entry that is not JSON, holds a word where a count goes, or was forged by
    someone who can write the store (not read the secret) is read as nothing stored: no
    crash, and no resume that would skip rows Bucket never got."""
    from dashboard.upload.journal import UploadJournal

    store = FileStore(tmp_path / "data")
    journal = UploadJournal(store, "the-apps-secret")
    journal.record("user", "prop", "digest", 10, 100)
    assert journal.written("user", "prop", "digest") == (10, 100)
    where = UploadJournal._key("user", "prop", "digest")
    genuine = json.loads(store.get(where))
    forged_body = json.dumps({"written": 99, "total": 100, "updated": 0})
    for forged in (
        b"not json",
        json.dumps({"written": "abc"}).encode(),
        json.dumps({"body": forged_body, "mac": genuine["mac"]}).encode(),
        json.dumps({"body": forged_body, "mac": "0" * 64}).encode(),
        json.dumps([1, 2]).encode(),
    ):
        store.put(where, forged, 60)
        assert journal.written("user", "prop", "digest") is None
    other = UploadJournal(store, "another-secret")  # a record signed by someone else
    other.record("user", "prop", "digest", 99, 100)
    assert journal.written("user", "prop", "digest") is None


def test_the_data_folder_is_made_private_on_every_start(tmp_path):
    """A data folder made earlier with 0755 (by hand, or by an older version) is 0700 once
    the app has started, before any file is written into it."""
    import stat

    from dashboard.shared.config import load_config

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    config = load_config({"BUCKET_DATA_DIR": str(folder)}, secret_files=[])
    assert not config.problems
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_hosted_app_refuses_a_redis_without_a_password(tmp_path):
    from dashboard.shared.config import load_config

    hosted = {
        "BUCKET_DATA_DIR": str(tmp_path / "data"),
        "OAUTH2_CLIENT_ID": "clients:dashboard",
        "OAUTH2_CLIENT_SECRET": "s3cret",
        "OAUTH2_REDIRECT_URL": "https://dashboard.example.org/auth/callback",
        "COOKIE_SECRET": "a-long-shared-secret",
    }
    bare = load_config({**hosted, "REDIS_URL": "redis://redis:6379/0"}, secret_files=[])
    assert any("REDIS_URL has no password" in p for p in bare.problems)
    guarded = load_config({**hosted, "REDIS_URL": "redis://:pw@redis:6379/0"}, secret_files=[])
    assert not any("password" in p for p in guarded.problems)
    empty = load_config({**hosted, "REDIS_URL": "redis://redis/0?password="}, secret_files=[])
    problem = next(p for p in empty.problems if "REDIS_URL has no password" in p)
    assert "redis.conf" not in problem  # it once cited a file the project does not have
    query = load_config({**hosted, "REDIS_URL": "redis://redis/0?password=pw"}, secret_files=[])
    assert not any("password" in p for p in query.problems)


@pytest.mark.parametrize(
    "url, loopback",
    [
        ("http://localhost:8000/bucket/api", True),
        ("http://127.0.0.1:8000/bucket/api", True),
        ("http://[::1]:8000/bucket/api", True),
        ("http://127.evil.com/bucket/api", False),
        ("http://127.0.0.1.nip.io/bucket/api", False),
    ],
)
def test_an_operators_plain_http_address_counts_as_local_only_by_its_address(url, loopback):
    """An operator's plain-http Bucket address is refused unless it is this machine: a host
    name that starts with "127." once passed for it."""
    from bucket_client.settings import is_loopback

    assert is_loopback(url) is loopback


def test_the_data_folder_is_beside_app_py_as_the_readme_says(monkeypatch):
    """No ``BUCKET_DATA_DIR``: the app keeps its files in ``.bucket-data`` beside ``app.py``
    (it was once ``dashboard/.bucket-data``), and the sandbox's token command, run from the
    project folder as the README says, opens that folder's database."""
    from bucket_sandbox.__main__ import app_database
    from dashboard.shared import config

    project = Path(__file__).resolve().parents[2]
    assert (project / "app.py").is_file()
    assert project == config.ROOT
    settings = {"COOKIE_SECRET": "s" * 40}  # nothing else set: no secret file written
    assert config.load_config(settings, secret_files=[]).data_dir == project / ".bucket-data"
    monkeypatch.chdir(project)
    monkeypatch.delenv("BUCKET_DATA_DIR", raising=False)
    assert app_database() == project / ".bucket-data" / "sandbox.db"


def test_the_address_phones_reach_is_read_from_the_setting_the_classroom_command_sets(tmp_path):
    """``python -m dashboard.classroom`` sets BUCKET_PHONE_URL; the settings reader once
    passed it over, so "Make a link" named the laptop's localhost, which no phone opens."""
    from dashboard.shared.config import load_config

    config = load_config(
        {"BUCKET_DATA_DIR": str(tmp_path), "BUCKET_PHONE_URL": "https://192.168.1.20:8501/"},
        secret_files=[],
    )
    assert config.phone_url == "https://192.168.1.20:8501"


@pytest.mark.parametrize(
    "named",
    ["//evil.example", "/x/../../y", "https://evil.example", "/a b", "/a\r\nSet-Cookie: x",
     "/" + "a" * 120, "/%2F%2Fevil"],
)  # fmt: skip
def test_a_prefix_a_request_names_is_plain_path_segments_or_nothing(named):
    """The ``root`` a sign-in or sign-out request names (a frame's prefix) goes into the
    sandbox's callback and the landing address: another host, a header, or a climb is none."""
    from dashboard.shared.public_address import safe_root

    assert safe_root(named) == ""
    assert safe_root("/~/+") == "/~/+" and safe_root("/dashboard/") == "/dashboard"
