"""Explore's "Download as a notebook", executed: nbclient runs the notebook in a real Jupyter
kernel against a sandbox, once with ``bucket_client`` importable and once without (plain
``requests``), and its DataFrames are compared with the values the chart is built from
(the client's read of the same range). A property's hostile name stays data."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from bucket_client import BucketClient
from dashboard.explore.notebook import notebook_json

ROOT = Path(__file__).resolve().parents[2]
START = 1_790_000_000_000  # two days and a bit of values a minute apart
END = START + 2 * 86_400_000 + 3_600_000


@pytest.fixture
def two_properties(sandbox, token, api, thing):
    client = BucketClient(sandbox.api_url, token)
    arm = client.create_property(thing["id"], 'Arm "left"\n{x}', "ACCELEROMETER")
    room = client.create_property(thing["id"], "Room", "TEMPERATURE")
    times = list(range(START, END + 1, 60_000))
    client.write_values(thing["id"], arm.id, [[t, t % 7, -(t % 5), 9.81] for t in times])
    client.write_values(thing["id"], room.id, [[t, 20 + (t % 11) / 10] for t in times[::3]])
    return client, [arm, room]


@pytest.mark.parametrize("with_client", [True, False], ids=["bucket_client", "requests"])
def test_the_notebook_reads_what_the_chart_is_built_from(
    sandbox, token, two_properties, tmp_path, monkeypatch, with_client
):
    from nbclient import NotebookClient

    client, props = two_properties
    text = notebook_json(props, START, END, "http://wrong.example/api", "Europe/Amsterdam")
    notebook = nbformat.reads(text, as_version=4)
    assert token["access_token"] not in text and "BUCKET_ACCESS_TOKEN" in text  # never a token
    out = tmp_path / "frames.pickle"
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            f"import pickle, pathlib\npathlib.Path({str(out)!r}).write_bytes(pickle.dumps(frames))"
        )
    )
    monkeypatch.setenv("BUCKET_API_URL", sandbox.api_url)  # as the notebook says to
    monkeypatch.setenv("BUCKET_ACCESS_TOKEN", token["access_token"])
    if with_client:
        monkeypatch.setenv("PYTHONPATH", str(ROOT))
    else:
        monkeypatch.delenv("PYTHONPATH", raising=False)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    frames = pickle.loads(out.read_bytes())
    assert list(frames) == [p.name for p in props]
    for prop in props:
        chart = client.read_values(prop.thing_id, prop.id, START, END)  # what Explore draws
        pd.testing.assert_frame_equal(
            frames[prop.name], chart, check_freq=False, check_index_type=False
        )
    assert len(frames[props[0].name]) == (END - START) // 60_000 + 1


def run_notebook(notebook, tmp_path, env: dict[str, str], with_client: bool) -> dict:
    """Executed in a Jupyter kernel with ``env``: the frames it read."""
    import os

    from nbclient import NotebookClient

    out = tmp_path / "frames.pickle"
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            f"import pickle, pathlib\npathlib.Path({str(out)!r}).write_bytes(pickle.dumps(frames))"
        )
    )
    saved = dict(os.environ)
    os.environ.update(env)
    if "BUCKET_API_URL" not in env:
        os.environ.pop("BUCKET_API_URL", None)
    if with_client:
        os.environ["PYTHONPATH"] = str(ROOT)
    else:
        os.environ.pop("PYTHONPATH", None)
    try:
        NotebookClient(
            notebook, timeout=180, kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        ).execute()  # fmt: skip
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return pickle.loads(out.read_bytes())


def test_a_downloaded_notebook_still_reads_after_the_app_restarts(browser, tmp_path):
    """Downloaded from Explore on the embedded sandbox (a laptop in Amsterdam), the app
    restarted (its sandbox's own port is new): run with only a token from
    ``python -m bucket_sandbox token``, the notebook reads the same values at the address
    it names, the app's own."""
    import subprocess
    import sys

    from ..app_server import AppServer, new_property
    from ..browser import sign_in

    app = AppServer(tmp_path / "app")
    try:
        client, thing, prop = new_property(app, "Bench", "Arm", "ACCELEROMETER")
        times = list(range(START, START + 3 * 3_600_000, 60_000))
        client.write_values(thing.id, prop.id, [[t, t % 7, -(t % 5), 9.81] for t in times])
        context = browser.new_context(timezone_id="Europe/Amsterdam")
        page = context.new_page()
        sign_in(page, app.url)
        page.goto(f"{app.url}/explore?thing={thing.id}&property={prop.id}&range=all")
        page.get_by_text("Show the code").first.click(timeout=30_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as a notebook").first.click()
        notebook = nbformat.read(download.value.path(), as_version=4)
        context.close()
        assert f"{app.url}/sandbox/bucket/api" in notebook.cells[1].source
        app.stop()
        app = AppServer(tmp_path / "app", port=app.port)  # a restart: a new sandbox port
        token = subprocess.run(
            [sys.executable, "-m", "bucket_sandbox", "token", "--user", "demo@bucket.sandbox"],
            env={"PATH": "/usr/bin:/bin", "BUCKET_DATA_DIR": str(tmp_path / "app")},
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        frames = run_notebook(notebook, tmp_path, {"BUCKET_ACCESS_TOKEN": token}, False)
        stored = client.read_values(thing.id, prop.id, START, times[-1])
        pd.testing.assert_frame_equal(
            frames["Arm"], stored, check_freq=False, check_index_type=False
        )
    finally:
        app.stop()


@pytest.mark.parametrize("with_client", [True, False], ids=["bucket_client", "requests"])
def test_the_notebook_waits_when_bucket_says_too_many_requests(make_sandbox, tmp_path, with_client):
    """Two requests per 5-second window: a cell put before the reading spends the window
    (its third request is answered 429); the notebook's read then waits as Bucket says and
    reads everything."""
    from bucket_sandbox.tokens import issue_token

    limited = make_sandbox(rate_limit_per_minute=2, rate_limit_window_seconds=5)
    token = issue_token(limited.app, "demo@bucket.sandbox")
    setup = BucketClient(limited.api_url, token)  # waits for windows itself
    thing = setup.create_thing("Bench", "Logger")
    prop = setup.create_property(thing.id, "Room", "TEMPERATURE")
    ends = START + 3 * 86_400_000 - 1
    setup.write_values(thing.id, prop.id, [[t, 20.5] for t in range(START, ends, 3_600_000)])
    time.sleep(5.5)  # a fresh window
    notebook = nbformat.reads(
        notebook_json([prop], START, ends, limited.api_url, "Europe/Amsterdam"), as_version=4
    )
    spend = (
        "import requests as _r\n"
        "_seen = [_r.get(API_URL + '/things', headers={'Authorization': 'Bearer ' + TOKEN})"
        ".status_code for _ in range(3)]\n"
        "assert _seen == [200, 200, 429], _seen"
    )
    notebook.cells.insert(2, nbformat.v4.new_code_cell(spend))
    frames = run_notebook(
        notebook, tmp_path, {"BUCKET_ACCESS_TOKEN": token["access_token"]}, with_client
    )
    assert len(frames["Room"]) == 72
