"""AppTest of the Explore page against the sandbox's demo data."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from bucket_sandbox.tokens import issue_token
from dashboard.explore.chart_element import unpack

from ..app.test_app_gate import HOME, app_env, configured  # noqa: F401 (fixture)
from ..conftest import DEMO_EMAIL


def demo_id(kind: str, key: str) -> str:
    return f"dcd:{kind}:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "bucket-sandbox-demo:" + key))


CHAIR = demo_id("things", "wheelchair") + "~" + demo_id("properties", "wheelchair-acc")
PLANT_T = demo_id("things", "plant") + "~" + demo_id("properties", "plant-temp")
PLANT_H = demo_id("things", "plant") + "~" + demo_id("properties", "plant-humid")


@pytest.fixture
def explore(app_env, demo_sandbox):  # noqa: F811
    configured(app_env, demo_sandbox)

    def open_(**params) -> AppTest:
        at = AppTest.from_file(HOME, default_timeout=60)
        at.session_state["auth"] = {
            "sid": None,
            "token": issue_token(demo_sandbox.app, DEMO_EMAIL),
            "user": {"name": "Demo", "sub": "explore-" + uuid.uuid4().hex},
        }
        at.switch_page("pages/explore.py")
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return open_


def charts(at: AppTest) -> list[dict]:
    """The figures Explore drew, read from its chart element's bytes."""
    # the page's other components (focus, host routes, scroll regions) carry no figure
    return [unpack(c.proto.bytes) for c in at.get("bidi_component") if c.proto.bytes]


def test_all_data_of_the_wheelchair(explore):
    at = explore(p=CHAIR, range="all")
    (fig,) = charts(at)
    names = [t["name"] for t in fig["data"]]
    assert names == [f"Wheelchair prototype · Frame accelerometer · {d}" for d in "xyz"]
    assert all(len(t["x"]) <= 4000 for t in fig["data"])
    assert any(
        "108,000 points, shown as 4,000 by MinMaxLTTB downsampling" in c.value for c in at.caption
    )
    assert "m/s²" in fig["layout"]["yaxis"]["title"]["text"]


def test_two_properties_stacked_and_the_url_keeps_the_view(explore):
    at = explore(p=f"{PLANT_T},{PLANT_H}", range="7d", layout="stacked")
    (fig,) = charts(at)
    assert {t["name"] for t in fig["data"]} == {
        "Plant monitor · Soil temperature · Temperature",
        "Plant monitor · Air humidity · Relative Humidity",
    }
    assert at.query_params["layout"] in ("stacked", ["stacked"])
    assert at.query_params["range"] in ("7d", ["7d"])
    links = " ".join(h.proto.body for h in at.get("html"))
    assert links.count("/exports/") == 4  # CSV and Parquet per property, this session's only
    assert not at.code  # drawn only when asked: its highlighter costs the browser 0.27 s
    at.toggle(key="explore_code_" + PLANT_T.split("~")[1]).set_value(True).run()
    assert any("read_values" in c.value for c in at.code)


def test_link_from_the_things_page(explore):
    thing, prop = PLANT_T.split("~")
    at = explore(thing=thing, property=prop, range="30d")
    (fig,) = charts(at)
    assert [t["name"] for t in fig["data"]] == ["Plant monitor · Soil temperature · Temperature"]


def test_an_empty_range_says_so_and_keeps_its_chart(explore):
    """Nothing in the range: said, and the chart frame stays (the window as its axis), so a
    zoom out or a double click on it still works."""
    at = explore(p=CHAIR, range="custom", **{"from": "0", "to": "1000"})
    (figure,) = charts(at)
    assert figure["data"] == [] and figure["layout"]["xaxis"]["range"] == [0.0, 1000.0]
    assert any("No values between" in w.value for w in at.warning)
    assert any("newest value" in i.value for i in at.info)


def test_nothing_chosen_asks_for_a_choice(explore):
    at = explore()
    assert any("Choose one or more properties" in i.value for i in at.info)


def test_a_box_drawn_on_the_chart_becomes_the_range(explore):
    at = explore(p=CHAIR, range="all")
    start = int(charts(at)[0]["data"][0]["x"][0])  # float64 ms of the (UTC) wall clock
    at.session_state["explore_narrow"] = (start, start + 59_999)  # what a box selection leaves
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["range"] in ("custom", ["custom"])
    assert any("600 points, all shown" in c.value for c in at.caption), (
        [c.value for c in at.caption] + [w.value for w in at.warning] + [str(dict(at.query_params))]
    )  # one minute at 10 Hz, raw


def test_live_mode_draws_the_last_minutes(explore):
    at = explore(p=CHAIR, range="24h")
    next(t for t in at.toggle if t.label == "Live").set_value(True)
    at.run()
    assert not at.exception, at.exception
    assert any("Live mode costs about 6 requests a minute" in c.value for c in at.caption)
    assert any(c.value.startswith("Updated ") for c in at.caption)


def test_a_link_to_a_property_made_elsewhere_a_moment_ago_opens_it(explore, demo_sandbox):
    """Explore's list of properties is cached for 30 s; a link (``p=``) to one a device or a
    notebook made since re-reads the list once, and the property is charted."""
    from bucket_client import BucketClient

    at = explore(p=CHAIR, range="24h")  # the list is cached now
    direct = BucketClient(demo_sandbox.api_url, issue_token(demo_sandbox.app, DEMO_EMAIL))
    thing = direct.create_thing("Made elsewhere " + uuid.uuid4().hex[:6], "Notebook")
    prop = direct.create_property(thing.id, "Fresh", "TEMPERATURE")
    direct.write_values(thing.id, prop.id, [[1_700_000_000_000, 21.0]], prop=prop)
    at.query_params.clear()
    at.query_params["p"] = f"{thing.id}~{prop.id}"
    at.query_params["range"] = "all"
    at.run()
    assert not at.exception, at.exception
    assert not any("cannot see" in w.value for w in at.warning)
    (fig,) = charts(at)
    assert [t["name"] for t in fig["data"]] == [f"{thing.name} · Fresh · Temperature"]
