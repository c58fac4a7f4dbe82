"""Explore's "Download as a notebook", executed: nbclient runs the notebook in a real Jupyter
kernel against a sandbox, once with ``bucket_client`` importable and once without (plain
``requests``), and its DataFrames are compared with the values the chart is built from
(the client's read of the same range). A property's hostile name stays data."""

from __future__ import annotations

import pickle
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from bucket_client import BucketClient
from dashboard.explore.notebook import notebook_json

ROOT = Path(__file__).resolve().parent.parent
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
