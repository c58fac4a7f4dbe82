"""Other people's strings, in Chromium: thing, property and dimension names (types are
anyone's to create on Bucket) and text values made to inject Markdown, HTML and
spreadsheet formulas. Every page shows them as typed: no link, image or request to a
foreign host, in Streamlit's Markdown or in Plotly's legend and axes; the CSV export keeps
formula-like text as text."""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import pytest
import requests

from ..app_server import embedded_sandbox_client
from ..browser import settle, sign_in, signed_in

EVIL = "evil.example"
THING_NAME = f"[click](http://{EVIL}/a) <a href='http://{EVIL}/b'>b</a> ![i](http://{EVIL}/i.png)"
PROPERTY_NAME = f"<img src=http://{EVIL}/p.png> **bold**"
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1:A2)", "-2+3"]
LAST_TEXT = f"![last](http://{EVIL}/last.png)"  # the newest value: the card shows it
# a blank line inside a name once ended the Things table's HTML and the rest became Markdown
BROKEN_NAME = f"Two\n\nlines ![n](http://{EVIL}/n.png) <img src=http://{EVIL}/m.png>"
FOREIGN = f'[href*="{EVIL}"], [src*="{EVIL}"], [*|href*="{EVIL}"]'  # HTML and SVG (xlink:href)


def as_typed(text: str) -> re.Pattern:
    """The text as shown: the same characters, with the invisible word joiners the app puts
    before ``:``, ``@`` and ``.`` to keep addresses from becoming links."""
    return re.compile(
        "".join("\u2060?" + re.escape(c) if c in ":@." else re.escape(c) for c in text)
    )


def make_evil_data(app) -> tuple[str, str]:
    client = embedded_sandbox_client(app)
    type_id = "EVIL_" + uuid.uuid4().hex[:8].upper()
    api = app.url + "/sandbox/bucket/api"
    headers = {"Authorization": "Bearer " + client.token["access_token"]}
    made = requests.post(
        api + "/types",
        headers=headers,
        timeout=30,
        json={
            "id": type_id,
            "name": "Evil",
            "description": f"[desc](http://{EVIL}/d)",
            "dimensions": [
                {
                    "id": "note",
                    "name": f'=HYPERLINK("http://{EVIL}/x","open")',
                    "description": "",
                    "unit": "",
                    "type": "string",
                }
            ],
        },
    )
    assert made.status_code == 200, made.text
    thing = client.create_thing(THING_NAME, "Evil")
    prop = client.create_property(thing.id, PROPERTY_NAME, type_id)
    client.create_thing(BROKEN_NAME, "Evil")
    texts = [*FORMULAS, LAST_TEXT]
    rows = [[1_700_000_000_000 + i * 1000, text] for i, text in enumerate(texts)]
    put = requests.put(
        f"{api}/things/{thing.id}/properties/{prop.id}",
        headers=headers,
        json={"values": rows},
        timeout=30,
    )
    assert put.status_code == 200, put.text
    return thing.id, prop.id


def no_foreign_links(page) -> None:
    assert page.locator(FOREIGN).count() == 0, page.locator(FOREIGN).evaluate_all(
        "es => es.map(e => (e.closest('[data-testid]') || e.parentElement).getAttribute('data-testid') + ':' + e.outerHTML.slice(0, 80))"
    )


def test_names_and_values_are_shown_as_typed_everywhere(browser, zero_config_app, tmp_path):
    thing_id, prop_id = make_evil_data(zero_config_app)
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    foreign_requests: list[str] = []
    page.on("request", lambda r: foreign_requests.append(r.url) if EVIL in r.url else None)
    signed_in(page, zero_config_app.url)

    page.get_by_text(as_typed(THING_NAME)).first.wait_for()  # the Things list, as typed
    page.get_by_text(as_typed(" ".join(BROKEN_NAME.split()))).first.wait_for()  # one line
    no_foreign_links(page)
    page.goto(f"{zero_config_app.url}/things?thing={thing_id}")
    page.get_by_text(as_typed(PROPERTY_NAME)).first.wait_for()
    settle(page)
    page.get_by_text(as_typed(LAST_TEXT)).first.wait_for()  # the card's last value, as typed
    no_foreign_links(page)

    # a range with no values: the hint names the property, as typed
    page.goto(f"{zero_config_app.url}/explore?p={thing_id}~{prop_id}&range=15m")
    page.get_by_text("the newest value is from").first.wait_for(timeout=30_000)
    settle(page)
    no_foreign_links(page)

    page.goto(f"{zero_config_app.url}/explore?p={thing_id}~{prop_id}&range=all")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    axis = page.locator(".js-plotly-plot .ytitle").first.text_content()
    assert axis == f'=HYPERLINK("http://{EVIL}/x","open")'  # Plotly's own HTML, as typed
    no_foreign_links(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^CSV of")).first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], table[1:]
    assert header[-1] == "'" + f'=HYPERLINK("http://{EVIL}/x","open")'
    assert [r[-1] for r in rows] == ["'" + f for f in FORMULAS] + [LAST_TEXT]
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row)

    page.goto(f"{zero_config_app.url}/upload?thing={thing_id}&property={prop_id}")
    page.get_by_role("tab", name="CSV file").wait_for()
    settle(page)
    no_foreign_links(page)
    assert foreign_requests == []
    context.close()


def test_a_range_outside_1970_to_2100_is_a_message(browser, zero_config_app):
    """The review's address ``from=-99999999999999999999`` was a traceback with paths."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from ..explore.test_explore_page import CHAIR

    page.goto(
        f"{zero_config_app.url}/explore?p={CHAIR}&range=custom"
        "&from=-99999999999999999999&to=99999999999999999999"
    )
    page.get_by_text("is not a time between 1970 and 2100").wait_for()
    page.get_by_text("showing the last 24 hours instead").wait_for()
    settle(page)
    assert "Traceback" not in page.content() and ".py" not in page.inner_text("body")
    context.close()


HOSTILE_PERSON = f"[Mal](http://{EVIL}/who) <img src=http://{EVIL}/who.png> **Mal**"
HOSTILE_EMAIL = "mallory@class.test"


def hostile_person(app) -> None:
    """A person whose display name is made to inject, in the app's own sandbox (the name is
    what a person types into their account: the sidebar, Account and the next person's
    sign-in page show it)."""
    import sqlite3

    from bucket_sandbox import users

    conn = sqlite3.connect(app.data_dir / "sandbox.db")
    conn.row_factory = sqlite3.Row
    users.add_user(conn, HOSTILE_EMAIL, HOSTILE_PERSON, "mal-password")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "viewport, zone",
    [
        ({"width": 1300, "height": 1000}, "Europe/Amsterdam"),  # a laptop
        ({"width": 390, "height": 844}, "America/New_York"),  # a phone: a second visit, too
    ],
    ids=["laptop-Amsterdam", "phone-New_York"],
)
def test_every_page_and_progress_text_shows_hostile_strings_as_text(
    browser, zero_config_app, viewport, zone
):
    """Every page of a person whose own name and whose things' names are hostile, the
    progress text of "Download everything" (it names each property as it reads it), and the
    sign-in page after they sign out ("Last signed in on this browser: <name>"): nothing
    becomes a link, an image or a request to the trap's host. The progress text and the
    sign-in page rendered names as Markdown before."""
    hostile_person(zero_config_app)
    from bucket_client import BucketClient
    from bucket_sandbox import create_app
    from bucket_sandbox.tokens import issue_token

    sandbox = create_app(
        {
            "db_path": str(zero_config_app.data_dir / "sandbox.db"),
            "demo_data": False,
            "register_client": False,
        }
    )
    mal = BucketClient(
        zero_config_app.url + "/sandbox/bucket/api", issue_token(sandbox, HOSTILE_EMAIL)
    )
    thing = mal.create_thing(THING_NAME, "Evil")
    prop = mal.create_property(thing.id, PROPERTY_NAME, "TEMPERATURE")
    put = requests.put(
        f"{zero_config_app.url}/sandbox/bucket/api/things/{thing.id}/properties/{prop.id}",
        headers={"Authorization": "Bearer " + mal.token["access_token"]},
        json={"values": [[1_700_000_000_000, 21.5]]},
        timeout=30,
    )
    assert put.status_code == 200, put.text

    context = browser.new_context(
        viewport=viewport, timezone_id=zone, is_mobile=viewport["width"] < 500
    )
    page = context.new_page()
    trapped: list[str] = []
    page.on("request", lambda r: trapped.append(r.url) if EVIL in r.url else None)
    sign_in(page, zero_config_app.url, HOSTILE_EMAIL, "mal-password")  # signs out, below
    page.get_by_text(as_typed(THING_NAME)).first.wait_for()
    for path in [
        "/things",
        f"/things?thing={thing.id}",
        f"/explore?p={thing.id}~{prop.id}&range=all",
        f"/upload?thing={thing.id}&property={prop.id}",
        "/shared",
        "/phone-sensor",
        "/account",
    ]:
        page.goto(zero_config_app.url + path)
        page.get_by_text(as_typed(" ".join(HOSTILE_PERSON.split()))).first.wait_for()
        settle(page)
        no_foreign_links(page)
    page.get_by_role("button", name="Download everything").click()
    page.get_by_role("link", name="Download the zip").wait_for(timeout=60_000)
    no_foreign_links(page)
    # Account's own Sign out (the page's, not the sidebar's): its link once did nothing
    page.get_by_role("button", name="Sign out").last.click()
    page.get_by_text("Last signed in on this browser").wait_for()
    page.get_by_text(as_typed(HOSTILE_PERSON)).first.wait_for()
    no_foreign_links(page)
    assert trapped == []
    context.close()
