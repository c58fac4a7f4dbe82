"""Account's "Download everything" in Chromium (Amsterdam): the zip a person downloads holds
every thing and property, and every value as the API answers it by name (read back by
another path than the one that wrote the zip), times on the person's clock and in ms."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from ..app_server import SECOND_STUDENT, embedded_sandbox_client, new_property
from ..browser import from_menu, settle, signed_in


def test_download_everything_is_every_value_of_every_property(browser, zero_config_app):
    client, thing, prop = new_property(
        zero_config_app, "Take-home rig", 'Odd "name"/x', "ACCELEROMETER"
    )
    times = range(1_790_000_000_000, 1_790_000_000_000 + 3 * 86_400_000, 30_000)  # 3 days
    client.write_values(thing.id, prop.id, [[t, t % 7, 1.5, -2] for t in times], prop=prop)
    direct = embedded_sandbox_client(zero_config_app)

    context = browser.new_context(
        viewport={"width": 1280, "height": 1000},
        timezone_id="Europe/Amsterdam",
        accept_downloads=True,
    )
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from_menu(page, "Account")
    page.get_by_role("button", name="Download everything").click()
    link = page.get_by_role("link", name="Download the zip")
    link.wait_for(timeout=120_000)
    settle(page)
    with page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(download.value.path())

    things = direct.list_things()
    for listed in things:
        folder = next(n.split("/")[0] for n in archive.namelist() if listed.id.split(":")[-1] in n)
        meta = json.loads(archive.read(f"{folder}/thing.json"))
        assert meta["id"] == listed.id and meta["name"] == listed.name
        for p in listed.properties:
            full = direct.get_property(listed.id, p.id)
            csv_name = next(
                n
                for n in archive.namelist()
                if n.startswith(folder + "/")
                and n.endswith(".csv")
                and json.loads(archive.read(n[:-4] + ".json"))["id"] == p.id
            )
            table = pd.read_csv(io.BytesIO(archive.read(csv_name)))
            stored = direct.read_values(listed.id, p.id, 0, "2100-01-01", prop=full)  # by name
            assert table["time_ms"].tolist() == list(stored.index.as_unit("ms").asi8), csv_name
            assert table["time"].tolist() == [
                t.tz_convert("Europe/Amsterdam").strftime("%Y-%m-%dT%H:%M:%S.%f%z")
                for t in stored.index
            ]
            for column in stored.columns:
                assert table[column].tolist() == stored[column].tolist(), (csv_name, column)
    assert any(n.endswith("Odd _name__x.csv") for n in archive.namelist())
    context.close()


def test_on_a_phone_a_second_student_takes_home_only_their_own(browser, class_app):
    """Sam, on a phone in New York, downloads everything: his thing is in the zip and
    nothing of the demo user's; the page fits the phone's width."""
    sams = embedded_sandbox_client(class_app, SECOND_STUDENT[0])
    thing = sams.create_thing("Sam's bike", "Logger")
    prop = sams.create_property(thing.id, "Speed <b>x</b>", "TEMPERATURE")
    sams.write_values(thing.id, prop.id, [[1_790_000_000_000 + i * 1000, i] for i in range(50)])
    demo = embedded_sandbox_client(class_app)
    demo.create_thing("Demo's secret rig", "Logger")

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        timezone_id="America/New_York",
        is_mobile=True,
        accept_downloads=True,
    )
    page = context.new_page()
    signed_in(page, class_app.url, "", *SECOND_STUDENT)
    from_menu(page, "Account")
    page.get_by_role("button", name="Download everything").click()
    link = page.get_by_role("link", name="Download the zip")
    link.wait_for(timeout=120_000)
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(download.value.path())
    things = [json.loads(archive.read(n)) for n in archive.namelist() if n.endswith("thing.json")]
    assert sorted(t["name"] for t in things) == sorted(t.name for t in sams.list_things())
    assert "Sam's bike" in [t["name"] for t in things]
    assert "Demo's secret rig" not in [t["name"] for t in things]
    csv_name = next(n for n in archive.namelist() if n.endswith(".csv"))
    table = pd.read_csv(io.BytesIO(archive.read(csv_name)))
    assert table["time"].iloc[0].endswith("-0400")  # New York's clock (EDT in September)
    assert table["Temperature"].tolist() == [float(i) for i in range(50)]
    context.close()
