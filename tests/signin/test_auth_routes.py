"""The sign-in routes over plain HTTP: a callback finishes in another server process, state
is single use, and ``next`` never leaves the app."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import requests

from dashboard.signin.routes import safe_next

from ..app_server import AppServer


def consent(session: requests.Session, app_url: str, next_path: str = "/") -> str:
    """Log in and consent on the app's mounted sandbox; return the callback URL it sends back."""
    start = session.get(app_url + "/auth/login", params={"next": next_path}, allow_redirects=False)
    assert start.status_code == 303
    page = session.get(start.headers["location"])
    page = session.post(
        page.url,
        data={"action": "login", "email": "demo@bucket.sandbox", "password": "demo-password"},
    )
    done = session.post(
        page.url, data={"action": "consent", "decision": "allow"}, allow_redirects=False
    )
    return done.headers["location"]


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    """Two app processes sharing one data folder, as behind a load balancer."""
    data = tmp_path_factory.mktemp("shared-data")
    first = AppServer(data)
    second = AppServer(data)
    yield first, second
    first.stop()
    second.stop()


def test_the_callback_finishes_in_another_process(two_processes):
    first, second = two_processes
    browser = requests.Session()
    callback = consent(browser, first.url, "/explore?range=7d")
    path = urlsplit(callback)
    on_second = f"{second.url}{path.path}?{path.query}"
    cookies = {"bucket_signin": browser.cookies.get("bucket_signin")}
    landed = requests.get(on_second, cookies=cookies, allow_redirects=False, timeout=30)
    assert landed.status_code == 303
    assert (
        landed.headers["location"] == "/explore?range=7d"
    )  # back to the copied link, no code or state
    assert "bucket_session" in landed.cookies
    replay = requests.get(on_second, cookies=cookies, allow_redirects=False, timeout=30)
    assert "bucket_session" not in replay.cookies  # state is single use


def test_a_forged_state_is_refused(two_processes):
    first, _second = two_processes
    browser = requests.Session()
    callback = consent(browser, first.url)
    forged = callback.replace("state=", "state=forged")
    response = browser.get(forged, allow_redirects=False)
    # home: the app's root relative to /auth/callback, whatever prefix the browser used
    assert response.status_code == 303 and response.headers["location"] == "../"
    assert "bucket_session" not in response.cookies


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/explore?p=a", "/explore?p=a"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
        ("", "/"),
    ],
)
def test_next_stays_on_this_app(value, expected):
    assert safe_next(value) == expected


def test_a_forged_host_never_becomes_a_redirect_uri(two_processes):
    """The review's attack: ``Host: attacker.example`` on /auth/login registered the
    attacker's callback for the public demo client. Now nothing is learnt from a request:
    the sign-in refuses with a message, and the provider refuses that callback."""
    first, _ = two_processes
    forged = requests.get(
        first.url + "/auth/login",
        headers={"Host": "attacker.example"},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 303
    assert "attacker.example" not in forged.headers["location"]
    assert not forged.headers["location"].startswith("http")  # back home, not to the provider
    authorize = requests.get(
        first.url + "/sandbox/oauth2/auth",
        params={
            "response_type": "code",
            "client_id": "clients:bucket-dashboard",
            "redirect_uri": "http://attacker.example/auth/callback",
            "scope": "openid",
            "state": "x" * 20,
        },
        timeout=30,
    )
    assert authorize.status_code == 400
    import sqlite3

    stored = sqlite3.connect(first.data_dir / "sandbox.db").execute("SELECT metadata FROM clients")
    assert all("attacker" not in row[0] for row in stored)


def test_the_data_folder_is_private(two_processes):
    """Sessions, the cookie key and the sandbox's tokens: the app's own user only."""
    first, _ = two_processes
    with requests.Session() as session:
        session.get(first.url + "/auth/callback?" + urlsplit(consent(session, first.url)).query)
    import stat

    created = [p for p in first.data_dir.iterdir() if p.name != "streamlit.log"]  # the test's
    assert created, "the app wrote nothing to its data folder"
    for path in created:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path.name, oct(path.stat().st_mode))


def signed_in_session(app) -> tuple[requests.Session, str]:
    """A browser-like session signed in to ``app``, and its session id."""
    from dashboard.signin import cookies

    browser = requests.Session()
    browser.get(app.url + "/auth/callback?" + urlsplit(consent(browser, app.url)).query)
    secret = (app.data_dir / "cookie-secret").read_text().strip()
    sid = cookies.unsign(secret, "session", browser.cookies.get("bucket_session"), 10**9)
    assert sid
    return browser, sid


def session_exists(app, sid: str) -> bool:
    from dashboard.hosting.file_store import FileStore
    from dashboard.signin.session_store import SessionStore

    secret = (app.data_dir / "cookie-secret").read_text().strip()
    return SessionStore(FileStore(app.data_dir), secret).get(sid) is not None


def test_sign_out_needs_the_apps_own_form(two_processes):
    """A link, an image or another site's form cannot sign anyone out (the review's
    finding 7): a GET changes nothing, a POST needs the token only the app's page holds and,
    when the browser names an Origin, this app's."""
    from dashboard.signin import cookies

    first, _ = two_processes
    browser, sid = signed_in_session(first)
    logout = first.url + "/auth/logout"
    assert browser.get(logout, allow_redirects=False).status_code == 303
    assert session_exists(first, sid)  # a GET signs nobody out
    browser.post(logout, data={}, allow_redirects=False)
    assert session_exists(first, sid)  # no token
    browser.post(logout, data={"csrf": "forged"}, allow_redirects=False)
    assert session_exists(first, sid)  # a wrong token
    secret = (first.data_dir / "cookie-secret").read_text().strip()
    token = cookies.sign(secret, cookies.SIGN_OUT_PURPOSE, sid)
    foreign = browser.post(
        logout,
        data={"csrf": token},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
    )
    assert foreign.status_code == 303 and session_exists(first, sid)  # another site
    done = browser.post(
        logout, data={"csrf": token}, headers={"Origin": first.url}, allow_redirects=False
    )
    assert done.status_code == 200 and not session_exists(first, sid)
    # the provider's logout follows as a form the page posts: the id token (a JWT with the
    # person's name and e-mail) in its body, never in an address
    assert "location" not in done.headers
    action = re.search(r'<form method="post" action="([^"]+)"', done.text).group(1)
    assert "/oauth2/sessions/logout" in action and "id_token" not in action
    assert 'name="id_token_hint"' in done.text
    back = browser.post(
        html.unescape(action),
        data=dict(re.findall(r'name="([^"]+)" value="([^"]*)"', done.text)),
        allow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == first.url + "/"


def test_cookies_are_secure_when_the_public_address_is_https(tmp_path):
    """Behind a TLS proxy the app itself sees http; the configured public URL says https."""
    from bucket_sandbox import start_sandbox
    from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    from ..app_server import provider_env

    callback = "https://class.example/auth/callback"
    bucket = start_sandbox(str(tmp_path / "b.db"), redirect_uris=(callback,))
    env = provider_env(bucket.url, bucket.api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback)
    app = AppServer(tmp_path / "app", env)
    try:
        start = requests.get(app.url + "/auth/login", allow_redirects=False, timeout=30)
        set_cookie = start.headers["set-cookie"]
        assert "bucket_signin=" in set_cookie and "Secure" in set_cookie
        assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    finally:
        app.stop()
        bucket.stop()


def test_the_network_url_says_why_it_cannot_sign_in(browser, zero_config_app):
    """Opened by another name than this machine's (Streamlit prints a "Network URL"), the
    zero-config app cannot sign in (its demo client is public): the page says so and how."""
    from ..browser import CHROMIUM, FLAGS

    lan = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*FLAGS, "--host-resolver-rules=MAP lab-laptop.example 127.0.0.1"],
        headless=True,
    )
    try:
        page = lan.new_page()
        page.goto(zero_config_app.url.replace("localhost", "lab-laptop.example"))
        page.get_by_text("Sign in with Bucket").click()
        page.get_by_text("signs in on this machine's own address only").wait_for()
        page.get_by_text("(same port), or configure a real Bucket client").wait_for()
        page.get_by_text("For a demo on a hosted server, set BUCKET_PUBLIC_URL").wait_for()
        assert "lab-laptop.example" in page.url and "oauth2" not in page.url
    finally:
        lan.close()
