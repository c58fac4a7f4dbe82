"""Upload's grid in Chromium set to Amsterdam and New York: the times it proposes are the
person's clock now, its empty cells read empty (not "None"), and the rows typed are stored at
the instants those times meant, read back by the API; "Undo this upload" removes them again."""

from __future__ import annotations

import pandas as pd
import pytest

from ..app.test_student_story_browser import type_grid_rows
from ..app_server import new_property
from ..browser import settle, signed_in

CELLS = "cells => cells.map(c => c.textContent)"


def grid_rows(page) -> list[list[str]]:
    """The grid's rows as a screen reader gets them: the table inside its canvas (a canvas's
    content is read out, not drawn, so Playwright counts it hidden)."""
    grid = page.get_by_role("grid", include_hidden=True).first
    grid.get_by_role("gridcell", include_hidden=True).first.wait_for(state="attached")
    return [
        row.get_by_role("gridcell", include_hidden=True).evaluate_all(CELLS)
        for row in grid.get_by_role("row", include_hidden=True).all()[1:]  # below the header row
    ]


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York"])
def test_the_grids_times_are_the_persons_clock_and_stored_as_meant(browser, zero_config_app, zone):
    client, thing, prop = new_property(zero_config_app, "Grid bench", "Arm", "ACCELEROMETER")
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, timezone_id=zone)
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/upload?thing={thing.id}&property={prop.id}")
    page.get_by_role("tab", name="A few rows").click()
    page.get_by_text(f"Times in {zone}.").wait_for()
    settle(page)
    rows = grid_rows(page)
    grid = page.get_by_role("grid", include_hidden=True).first
    headers = grid.get_by_role("columnheader", include_hidden=True).evaluate_all(CELLS)
    assert headers == [f"time ({zone})", "x", "y", "z"]
    proposed = [pd.Timestamp(row[0]).tz_localize(zone) for row in rows]
    now = pd.Timestamp.now(tz="UTC")
    assert abs(proposed[0] - now) < pd.Timedelta(minutes=2)  # the person's clock, not UTC's
    assert [t - proposed[0] for t in proposed] == [pd.Timedelta(seconds=i) for i in range(3)]
    assert [row[1:] for row in rows] == [["", "", ""]] * 3  # empty, never "None"

    type_grid_rows(page, [["1.5", "2.5", "3.5"], ["4", "5", "6"]])
    page.get_by_role("button", name="Check and write rows").click()
    page.get_by_text("Stored 2 rows").wait_for(timeout=30_000)
    stored = client.read_values(thing.id, prop.id, 0, "2100-01-01")  # by the API
    assert list(stored.index) == [t.tz_convert("UTC") for t in proposed[:2]]
    assert stored.values.tolist() == [[1.5, 2.5, 3.5], [4.0, 5.0, 6.0]]

    page.get_by_text("Last upload: 2 rows to Grid bench / Arm by the grid").wait_for()
    page.get_by_role("button", name="Undo this upload").click()
    page.get_by_role("button", name="Yes, undo it").click(timeout=30_000)
    try:
        page.get_by_text("Undone: 2 added values deleted").wait_for(timeout=30_000)
    except Exception as error:
        raise AssertionError(page.inner_text("body")[-2500:]) from error
    assert client.read_values(thing.id, prop.id, 0, "2100-01-01").empty  # by the API
    context.close()
