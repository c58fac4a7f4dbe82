"""Explore's gestures where they once did nothing or went wrong, in Chromium: a drag on the
lower chart of a stacked pair, an empty range that keeps its chart (so a box and a double
click still work on it, and Back and Forward), and Raw points keeping the range a zoom chose."""

from __future__ import annotations

import re

from ..browser import open_explore, settle
from ..explore.test_explore_browser import url_range
from ..explore.test_explore_page import CHAIR, PLANT_H, PLANT_T


def drag(page, area_index: int, start: float, end: float) -> None:
    """A box across the ``area_index``-th chart, from ``start`` to ``end`` of its width."""
    box = page.locator(".js-plotly-plot .nsewdrag").nth(area_index).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y, steps=8)
    page.mouse.up()


def test_a_drag_on_the_lower_chart_of_a_stack_narrows_the_range(browser, zero_config_app):
    context, page = open_explore(
        browser, zero_config_app.url, f"p={PLANT_T},{PLANT_H}&range=7d&layout=stacked", height=1200
    )
    assert page.locator(".js-plotly-plot .nsewdrag").count() == 2  # one area per chart
    drag(page, 1, 0.4, 0.6)  # the humidity, below
    page.wait_for_url(re.compile("range=custom"), timeout=30_000)
    settle(page)
    first, last = url_range(page)
    assert 1.0 * 86_400_000 < last - first < 1.8 * 86_400_000  # a fifth of 7 days
    page.get_by_text("Raw points").first.click()  # Raw points keeps the range the box chose
    settle(page)
    page.get_by_text("every one drawn").first.wait_for(timeout=30_000)
    assert url_range(page) == (first, last)
    context.close()


def test_an_empty_range_keeps_its_chart_to_zoom_and_return(browser, zero_config_app):
    quiet = (1_600_000_000_000, 1_600_086_400_000)  # a day in 2020: the demo has nothing
    context, page = open_explore(  # the chart frame is still there
        browser, zero_config_app.url, f"p={CHAIR}&range=custom&from={quiet[0]}&to={quiet[1]}"
    )
    page.get_by_text("No values between").first.wait_for()
    drag(page, 0, 0.25, 0.5)
    page.wait_for_function(f"() => !location.search.includes('from={quiet[0]}')")
    settle(page)
    first, last = url_range(page)
    assert quiet[0] < first < last < quiet[1]
    page.get_by_text("No values between").first.wait_for()
    page.go_back()  # the browser's Back: the day again, its frame still drawn
    page.wait_for_function(f"() => location.search.includes('from={quiet[0]}')")
    settle(page)
    assert url_range(page) == quiet
    page.get_by_text("No values between").first.wait_for()
    page.locator(".js-plotly-plot .nsewdrag").first.wait_for()
    page.go_forward()  # and Forward to the box again
    page.wait_for_function(f"() => location.search.includes('from={first}')")
    settle(page)
    assert url_range(page) == (first, last)
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.dblclick(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    page.wait_for_function(f"() => location.search.includes('from={quiet[0]}')")
    settle(page)
    assert url_range(page) == quiet
    context.close()


def test_the_widest_zoom_bucket_holds_shows_on_any_clock(browser, zero_config_app):
    """A far zoom-out is clamped to 1970-2100 (UTC); on an Amsterdam clock its end is
    2100-01-01 01:00 and on a New York clock its start 1969-12-31 19:00. Both were past the
    From and To fields' days (StreamlitValueAboveMaxError / BelowMin: the page crashed)."""
    from dashboard.explore.controls import EARLIEST_MS, LATEST_MS

    for zone in ("Europe/Amsterdam", "America/New_York"):
        context, page = open_explore(
            browser,
            zero_config_app.url,
            f"p={CHAIR}&range=custom&from={EARLIEST_MS}&to={LATEST_MS}",
            timezone_id=zone,
        )
        body = page.inner_text("body")
        assert "Error" not in body and "Traceback" not in body, body[-1500:]
        page.get_by_label("From").first.wait_for()
        assert url_range(page) == (EARLIEST_MS, LATEST_MS)
        context.close()
