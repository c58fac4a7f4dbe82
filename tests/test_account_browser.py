"""Account's "Download everything" in Chromium (Amsterdam): the zip a person downloads holds
every thing and property, and every value as the API answers it by name (read back by
another path than the one that wrote the zip), times on the person's clock and in ms."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

from .app_server import embedded_sandbox_client, new_property
from .browser import from_menu, settle, sign_in


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
    sign_in(page, zero_config_app.url)
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
