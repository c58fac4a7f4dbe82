"""What browser tests share: Debian's Chromium under Playwright, and signing in as a
person does (the provider's own pages, by label and role)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .browser_watch import WatchedBrowser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# a phone in New York, for ``browser.new_context(**PHONE_NEW_YORK)``
PHONE_NEW_YORK = {
    "viewport": {"width": 390, "height": 844},
    "timezone_id": "America/New_York",
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, one for the session (each test makes its own contexts)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def browser(chromium):
    """Chromium for one test, every context it makes watched (``browser_watch``): the test
    fails on a console error, an uncaught error, an outside request or a 404 of the app's."""
    watched = WatchedBrowser(chromium)
    yield watched
    watched.check()


def sign_in(
    page, app_url: str, email: str = "demo@bucket.sandbox", password: str = "demo-password"
) -> None:
    page.goto(app_url)
    page.get_by_text("Sign in with Bucket").click()
    answer_provider(page, email, password)


# The app's session cookie a person's browser holds after they signed in, by (app address,
# email). A test whose subject is not the sign-in comes back with it, as a person does on a
# second visit, instead of walking the provider's pages again (two page loads and a form:
# about 4 s each time on a loaded 2-core machine). The sign-in itself has tests of its own.
_SESSIONS: dict[tuple[str, str], list] = {}


def signed_in(
    page,
    app_url: str,
    path: str = "",
    email: str = "demo@bucket.sandbox",
    password: str = "demo-password",
) -> None:
    """``page`` opened on ``app_url + path`` signed in as ``email``: with the session cookie
    kept from their earlier sign-in to this app, else by signing in as a person does. A
    session that has ended since (signed out, the app restarted) is signed in again."""
    kept = _SESSIONS.get((app_url, email))
    if kept:
        page.context.add_cookies(kept)
        page.goto(app_url + path)
        asked = page.get_by_text("Sign in with Bucket")
        drawn = page.get_by_role("link", name="Things").or_(page.locator("[data-testid=stMain] h1"))
        asked.or_(drawn).first.wait_for(timeout=30_000)  # a page drawn (screen mode: no menu)
        page.wait_for_function(f"() => {SCRIPT_IDLE}", timeout=30_000)  # and its run over
        if not asked.is_visible():
            return
        page.context.clear_cookies()  # the session ended: sign in as on a first visit
        del _SESSIONS[(app_url, email)]
    sign_in(page, app_url, email, password)
    _SESSIONS[(app_url, email)] = [
        c for c in page.context.cookies(app_url) if c["name"] == "bucket_session"
    ]
    if path:
        page.goto(app_url + path)


def forget_sessions(app_url: str) -> None:
    """Drop the sessions kept for an app that stopped (its port may serve another next)."""
    for key in [k for k in _SESSIONS if k[0] == app_url]:
        del _SESSIONS[key]


def answer_provider(
    page, email: str = "demo@bucket.sandbox", password: str = "demo-password"
) -> None:
    """On the provider's pages (the sandbox's, as Bucket's): sign in, allow access, and
    wait for the app's menu (the person is back, signed in)."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    allow_if_asked(page)


def allow_if_asked(page, press=None) -> None:
    """Allow access when the provider asks (the first time only: it remembers the answer),
    by a click or by ``press(button)`` (the keyboard story's Tab and Enter); then wait for
    the app's menu."""
    allow = page.get_by_role("button", name="Allow access")
    back = page.get_by_role("link", name="Things").first
    allow.or_(back).first.wait_for(timeout=30_000)
    if allow.is_visible():
        (press or (lambda button: button.click()))(allow)
    back.wait_for(timeout=30_000)


# Streamlit's own word that no script is running (its app root's script state). The
# "Running..." badge is no such word: it shows only after a delay, so a short run, or the
# run an ``st.rerun()`` starts, passed for finished while its elements were still coming
# (seen: a selectbox's list closed under the typing by the rerun after "Create property").
SCRIPT_IDLE = (
    "(document.querySelector('[data-testid=stApp]') || {dataset: {}})"
    ".dataset.testScriptState === 'notRunning'"
)


SCRIPT_RUNNING = (
    "(document.querySelector('[data-testid=stApp]') || {dataset: {}})"
    ".dataset.testScriptState === 'running'"
)


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the page has finished running. A click's rerun starts within 300 ms:
    wait for it to start (at most that long: a click may start none, or one already over),
    then for it to end. Most runs start at once, so a fixed 300 ms was mostly idle time."""
    try:
        page.wait_for_function(f"() => {SCRIPT_RUNNING}", timeout=300)
    except PlaywrightTimeout:
        pass
    page.wait_for_function(f"() => {SCRIPT_IDLE}", timeout=timeout)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a select box by typing it, as a person does."""
    page.get_by_label(label).first.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    settle(page)


def create_thing(page, name: str, kind: str) -> None:
    """ "New thing", its name and type, "Create thing": the thing's page opens."""
    settle(page)
    page.get_by_role("button", name="New thing").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Type").fill(kind)
    page.get_by_role("button", name="Create thing").click()
    page.get_by_role("heading", name=name).wait_for()


def create_property(page, type_name: str, name: str) -> None:
    """On a thing's page: pick the type by typing it, name the property, create it. The
    page is idle first: a run that ends while the list is open shuts it under the typing."""
    settle(page)
    box = page.get_by_role("combobox").last
    box.click()
    page.keyboard.type(type_name)
    option = page.get_by_role("option").filter(has_text=type_name).first  # the one typed
    try:
        option.click(timeout=5_000)
    except PlaywrightTimeout:  # the list shut while typing, as a person sees: open it again
        box.click()
        option.click()
    settle(page)
    page.get_by_label("Property name").fill(name)
    page.get_by_role("button", name="Create property").click()
    page.get_by_text(f"Created {name}").wait_for()
    settle(page)


def open_csv(page, app_url: str, thing_id: str, property_id: str, csv_file) -> None:
    """Upload's page for one property, its CSV tab, and the file chosen, as a person does."""
    page.goto(f"{app_url}/upload?thing={thing_id}&property={property_id}")
    page.get_by_role("tab", name="CSV file").click()
    page.locator("input[type=file]").set_input_files(str(csv_file))


def soil_csv(path, rows: int):
    """A CSV of ``rows`` soil temperatures a second apart (UNIX seconds from 1,700,000,000)."""
    path.write_text(
        "time,Temperature\n"
        + "".join(f"{1_700_000_000 + i},{20 + i % 500 / 100}\n" for i in range(rows))
    )
    return path


def in_view(locator) -> bool:
    """Whether a person can see it now: laid out inside the window (a closed sidebar's
    links are laid out beside it, off screen, and count as visible to Playwright)."""
    box = locator.bounding_box()
    return bool(box) and box["x"] >= 0 and box["x"] + box["width"] > 0


def from_menu(page, name: str, role: str = "link") -> None:
    """Choose ``name`` in the sidebar's menu as a person does: on a phone the menu is closed,
    so it is opened first (its "Expand sidebar" button), and it closes after the choice."""
    item = page.get_by_role(role, name=name, exact=True).first
    opened = False
    if not in_view(item):
        page.get_by_role("button", name="Expand sidebar").click()
        page.wait_for_function(
            "() => { const s = document.querySelector('[data-testid=stSidebar]');"
            " return s && s.getBoundingClientRect().left >= 0; }"
        )
        opened = True
    item.click()
    if opened and role == "link":  # the menu gets out of the way of the page chosen
        page.wait_for_function(
            "() => { const s = document.querySelector('[data-testid=stSidebar]');"
            " return !s || s.getBoundingClientRect().right <= 0; }",
            timeout=5_000,
        )


def open_explore(
    browser, app_url: str, query: str, width: int = 1400, height: int = 1000, **options
):
    """A signed-in person on Explore at ``?query``, its chart drawn and the page's run over:
    ``(context, page)``. ``options`` go to the browser context (``timezone_id``...)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    signed_in(page, app_url, f"/explore?{query}")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    return context, page


def open_thing(browser, app_url: str, thing, width: int = 1300, height: int = 1100, **options):
    """A signed-in person on a thing's page, its run over: ``(context, page)``. ``options``
    go to the browser context (``timezone_id``...)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    signed_in(page, app_url, f"/things?thing={thing.id}")
    page.get_by_role("heading", name=thing.name).wait_for()
    settle(page)
    return context, page
