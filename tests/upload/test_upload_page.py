"""AppTest of the Upload page (form and CSV wizard) against a live sandbox."""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bucket_client import BucketClient
from bucket_sandbox.tokens import issue_token

from ..app.test_app_gate import HOME, app_env, configured  # noqa: F401 (fixture)
from ..client.test_client import settings_for
from ..conftest import DEMO_EMAIL


@pytest.fixture
def upload(app_env, sandbox):  # noqa: F811
    configured(app_env, sandbox)
    token = issue_token(sandbox.app, DEMO_EMAIL)
    direct = BucketClient(token=token, settings=settings_for(sandbox))
    thing = direct.create_thing("Upload " + uuid.uuid4().hex[:6], "x")
    prop = direct.create_property(thing.id, "Frame", "ACCELEROMETER")
    at = AppTest.from_file(HOME, default_timeout=120)
    at.session_state["auth"] = {
        "sid": None,
        "token": token,
        "user": {"name": "Demo", "sub": "up-" + uuid.uuid4().hex},
    }
    at.switch_page("pages/upload.py")
    at.query_params["thing"], at.query_params["property"] = thing.id, prop.id
    at.run()
    assert not at.exception, at.exception
    yield at, direct, thing, prop
    direct.delete_thing(thing.id)


def button(at, prefix):
    return next(b for b in at.button if b.label.startswith(prefix))


def test_one_value_by_form_shows_the_stored_row(upload):
    at, direct, thing, prop = upload
    for label, value in (("x (m/s²)", 1.25), ("y (m/s²)", -2.0), ("z (m/s²)", 9.81)):
        next(n for n in at.number_input if n.label.replace("\\", "") == label).set_value(value)
    button(at, "Write value").click()
    at.run()
    assert not at.exception
    assert any("Stored 1 row" in s.value for s in at.success)
    assert direct.count_values(thing.id, prop.id) == 1
    stored = direct.read_values(thing.id, prop.id, 0, 4_000_000_000_000)
    assert stored.iloc[0].tolist() == [1.25, -2.0, 9.81]


def test_csv_wizard_skips_bad_rows_and_verifies(upload):
    at, direct, thing, prop = upload
    n = 5000
    ts = 1_700_000_000_000 + np.arange(n) * 10
    lines = ["time;x;y;z"] + [f"{t};{i * 0.5};{-i};{i % 7}" for i, t in enumerate(ts)]
    lines[101] = f"{ts[100]};oops;1;1"  # line 102 of the file
    at.file_uploader[0].set_value(("log.csv", ("\n".join(lines) + "\n").encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Rows in file": "5,000",
        "Ready to write": "4,999",
        "Rows with problems": "1",
    }
    problems = at.dataframe[-1].value
    assert problems.iloc[0].tolist() == [102, "x", "not a number"]
    button(at, "Write 4,999 rows").click()
    at.run()
    assert not at.exception, at.exception
    assert any("4,999 rows written and verified" in s.value for s in at.success)
    assert direct.count_values(thing.id, prop.id) == 4_999


def test_fix_the_file_writes_nothing(upload):
    at, direct, thing, prop = upload
    at.file_uploader[0].set_value(
        ("bad.csv", b"time,x,y,z\n1700000000000,1,2,3\n1700000000001,a,2,3\n", "text/csv")
    )
    at.run()
    assert [b for b in at.button if b.label.startswith("Write 1 row")]  # skipping is offered
    next(r for r in at.radio if r.label.startswith("What to do")).set_value(
        "Fix the file and upload it again"
    )
    at.run()
    assert not [b for b in at.button if b.label.startswith(("Write 1 row", "Resume"))]
    assert not any("written and verified" in s.value for s in at.success)
    assert direct.count_values(thing.id, prop.id) == 0


def test_unreadable_file_is_a_message_not_a_traceback(upload):
    at, _direct, _thing, _prop = upload
    at.file_uploader[0].set_value(("one.csv", b"1700000000000\n1700000000001\n", "text/csv"))
    at.run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any("one.csv cannot be read" in e and "single column" in e for e in shown)


def test_template_download_is_offered(upload):
    at, *_ = upload
    assert any(d.label == "Template CSV for this type" for d in at.get("download_button"))


def test_grid_rows_become_values_or_say_what_is_wrong():
    from bucket_client import Dimension
    from dashboard.upload.few_rows import grid_to_frame

    dims = (Dimension("t", "Temperature", unit="°C"),)
    rows = pd.DataFrame(
        {
            "time (Europe/Amsterdam)": pd.to_datetime(
                ["2026-07-01 12:00:00", "2026-07-01 12:00:01"]
            ),
            "Temperature": ["21.5", 22],
        }
    )
    frame, problems = grid_to_frame(rows, "time (Europe/Amsterdam)", "Europe/Amsterdam", dims)
    assert problems == []
    assert list(frame.index) == [
        pd.Timestamp("2026-07-01T10:00:00Z"),
        pd.Timestamp("2026-07-01T10:00:01Z"),
    ]
    assert frame["Temperature"].tolist() == [21.5, 22.0]
    bad = pd.DataFrame(
        {
            "time (Europe/Amsterdam)": pd.to_datetime(
                ["2026-03-29 02:30:00", "2026-07-01 12:00:00", "2026-07-01 12:00:00"]
            ),
            "Temperature": [1.0, 2.0, 3.0],
        }
    )
    _frame, problems = grid_to_frame(bad, "time (Europe/Amsterdam)", "Europe/Amsterdam", dims)
    assert problems == [
        "row 1, time (Europe/Amsterdam): impossible in Europe/Amsterdam (clock change)",
        "row 3, time (Europe/Amsterdam): same time as an earlier row",
    ]
    _frame, problems = grid_to_frame(
        pd.DataFrame({"time (UTC)": [pd.NaT], "Temperature": ["warm"]}), "time (UTC)", "UTC", dims
    )
    assert problems == ["row 1, time (UTC): missing", "row 1, Temperature: not a number"]


def test_an_upload_that_stops_says_what_is_stored_and_resumes(app_env, sandbox):  # noqa: F811
    from ..faults import FaultProxy

    configured(app_env, sandbox)
    failing = {"on": True, "puts": 0}

    def plan(_n, method, _path):
        if method != "PUT":
            return "pass"
        failing["puts"] += 1
        return "503" if failing["on"] and failing["puts"] > 2 else "pass"

    proxy = FaultProxy(sandbox.port, plan)
    app_env.setenv("BUCKET_API_URL", proxy.url + sandbox.config.base_path)
    token = issue_token(sandbox.app, DEMO_EMAIL)
    direct = BucketClient(token=token, settings=settings_for(sandbox))
    thing = direct.create_thing("Stops " + uuid.uuid4().hex[:6], "x")
    prop = direct.create_property(thing.id, "Soil", "TEMPERATURE")
    try:
        at = AppTest.from_file(HOME, default_timeout=120)
        at.session_state["auth"] = {
            "sid": None,
            "token": token,
            "user": {"sub": "stop-" + uuid.uuid4().hex},
        }
        at.switch_page("pages/upload.py")
        at.query_params["thing"], at.query_params["property"] = thing.id, prop.id
        at.run()
        rows = "".join(f"{1_700_000_000_000 + i * 1000},{20 + i / 1000}\n" for i in range(20_000))
        at.file_uploader[0].set_value(
            ("soil.csv", ("time,Temperature\n" + rows).encode(), "text/csv")
        )
        at.run()
        button(at, "Write 20,000 rows").click()
        at.run()
        assert not at.exception, at.exception
        stored = direct.count_values(thing.id, prop.id)
        assert 0 < stored < 20_000
        message = next(e.value for e in at.error if "The upload stopped" in e.value)
        assert f"Rows 1 to {stored:,} of 20,000 are stored" in message  # exactly what Bucket holds
        failing["on"] = False
        at.run()  # the journal offers to resume from the first row not stored
        assert any(f"rows 1 to {stored:,} of 20,000 are stored" in w.value for w in at.warning)
        button(at, f"Resume: write the remaining {20_000 - stored:,} rows").click()
        at.run()
        assert any("20,000 rows written and verified" in s.value for s in at.success)
        assert direct.count_values(thing.id, prop.id) == 20_000
    finally:
        proxy.stop()
        direct.delete_thing(thing.id)
