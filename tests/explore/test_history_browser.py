"""Pages on a Bucket with history, in Chromium: a type's dimension renamed once (another type
reused its id, as happened to the real server's TEMPERATURE), so a property written before
the rename answers its newest row with a null under the new name. Things lists it with its
count, and its card says "no value" where the real server's code answers null (the contract
suite's ``test_client_history.py`` shows the same answers on the real server)."""

from __future__ import annotations

import requests

from bucket_client import BucketClient, sharing
from bucket_sandbox.demo import DEMO_GROUP

from ..app_server import embedded_sandbox_client
from ..browser import from_menu, settle, signed_in

ALEX = ("alex@bucket.sandbox", "alex-password")
DIMENSION = {"id": "histdim-tide", "description": "", "unit": "m", "type": "number"}


def define(client, type_id: str, dimension_name: str) -> None:
    """``POST /types`` as a notebook would: a type with one dimension of that name."""
    body = {
        "id": type_id,
        "name": type_id.title(),
        "description": "",
        "dimensions": [{**DIMENSION, "name": dimension_name}],
    }
    answer = requests.post(
        client.settings.api_url + "/types",
        json=body,
        headers={"Authorization": f"Bearer {client.token['access_token']}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def harbour_with_history(client, suffix: str = ""):
    """A thing with two properties of a type whose dimension was renamed between their
    writes: ``(thing, quay, pier)``; the quay's values are under the old name."""
    define(client, "TIDEGAUGE" + suffix, "Height")
    thing = client.create_thing("Harbour gauge" + suffix.lower(), "Logger")
    early = client.create_property(thing.id, "Quay", "TIDEGAUGE" + suffix)
    client.write_values(thing.id, early.id, [[1_700_000_000_000, 1.25], [1_700_000_060_000, 1.5]])
    define(client, "TIDELEVEL" + suffix, "Level")  # the dimension id again: renamed for both
    late = client.create_property(thing.id, "Pier", "TIDEGAUGE" + suffix)
    client.write_values(thing.id, late.id, [[1_700_000_120_000, 2.75]])
    return thing, early, late


def test_a_renamed_dimension_reads_as_no_value_never_a_crash(browser, zero_config_app):
    client = embedded_sandbox_client(zero_config_app)
    thing, early, late = harbour_with_history(client)
    # what the API holds, read by name: the quay's newest row has no Level
    assert client.last_values(thing.id, early.id).values == {"Level": None}
    assert client.last_values(thing.id, late.id).values == {"Level": 2.75}
    things, counts = client.list_things_with_counts()
    assert counts[late.id] == 1

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from_menu(page, "Things")
    page.get_by_text("Click a row to open it").wait_for()
    row = page.get_by_role("row").filter(has_text="Harbour gauge")
    cells: list[str] = []
    for _ in range(75):  # the table comes after its caption, and may be drawn again once
        cells = row.get_by_role("cell").all_inner_texts()
        if len(cells) >= 4:
            break
        page.wait_for_timeout(200)
    assert cells[:2] == ["Harbour gauge", "Logger"] and cells[2] == "2", cells
    assert int(cells[3].replace(",", "")) == counts[early.id] + counts[late.id], cells
    page.get_by_role("link", name="Harbour gauge", exact=True).first.click()
    page.get_by_role("heading", name="Harbour gauge").wait_for()
    settle(page)
    page.get_by_text("Last: Level 2.75 ·").wait_for()  # the pier's value, by its new name
    page.get_by_text("Last: Level no value ·").wait_for()  # the quay's null, said so
    # the quay's two points are still Bucket's (under the old name): counted, not hidden
    page.get_by_text("2 data points", exact=True).wait_for()
    assert page.get_by_text("This app has encountered an error").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    context.close()


def test_a_shared_property_with_history_reads_the_same_for_the_teammate(browser, zero_config_app):
    """Shared with the class, the quay reads for Alex (Amsterdam) as for its owner: its
    newest row has no Level, its two points are counted, and Explore says why it draws
    none (Bucket reads values by the dimension's new name), never that there are none."""
    owner = embedded_sandbox_client(zero_config_app)
    thing, early, _late = harbour_with_history(owner, "S")
    sharing.grant(owner, thing.id, early.id, DEMO_GROUP)
    alex = BucketClient.shared_through(
        embedded_sandbox_client(zero_config_app, ALEX[0]), DEMO_GROUP
    )
    assert alex.last_values(thing.id, early.id).values == {"Level": None}  # by the API
    assert owner.list_things_with_counts()[1][early.id] == 2  # as the owner's Things page counts

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    signed_in(page, zero_config_app.url, "", *ALEX)
    from_menu(page, "Shared with me")
    page.get_by_text("Harbour gauges · Quay").wait_for(timeout=30_000)
    page.get_by_text("Last: Level no value ·").wait_for(timeout=30_000)
    page.get_by_text("2 data points", exact=True).wait_for()  # as its owner's page says
    page.get_by_role("main").get_by_role("link", name="Explore").click()
    page.get_by_text("Harbour gauges · Quay (shared)").first.wait_for(timeout=30_000)
    settle(page)
    page.get_by_text("Quay holds 2 points Bucket no longer reads").wait_for()  # not "no values"
    assert page.get_by_text("This app has encountered an error").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    context.close()
