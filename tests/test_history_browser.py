"""Pages on a Bucket with history, in Chromium: a type's dimension renamed once (another type
reused its id, as happened to the real server's TEMPERATURE), so a property written before
the rename answers its newest row with a null under the new name. Things lists it with its
count, and its card says "no value" where the real server's code answers null (the contract
suite's ``test_client_history.py`` shows the same answers on the real server)."""

from __future__ import annotations

import requests

from .app_server import embedded_sandbox_client
from .browser import from_menu, settle, sign_in

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


def test_a_renamed_dimension_reads_as_no_value_never_a_crash(browser, zero_config_app):
    client = embedded_sandbox_client(zero_config_app)
    define(client, "TIDEGAUGE", "Height")
    thing = client.create_thing("Harbour gauge", "Logger")
    early = client.create_property(thing.id, "Quay", "TIDEGAUGE")
    client.write_values(thing.id, early.id, [[1_700_000_000_000, 1.25], [1_700_000_060_000, 1.5]])
    define(client, "TIDELEVEL", "Level")  # the dimension id again: renamed for both types
    late = client.create_property(thing.id, "Pier", "TIDEGAUGE")
    client.write_values(thing.id, late.id, [[1_700_000_120_000, 2.75]])
    # what the API holds, read by name: the quay's newest row has no Level
    assert client.last_values(thing.id, early.id).values == {"Level": None}
    assert client.last_values(thing.id, late.id).values == {"Level": 2.75}
    things, counts = client.list_things_with_counts()
    assert counts[late.id] == 1

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, zero_config_app.url)
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
