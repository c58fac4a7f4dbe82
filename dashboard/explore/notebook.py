"""Explore's view as a Jupyter notebook: the same properties and range, read with
``bucket_client`` (or plain ``requests`` where it is not installed) and drawn with Plotly.

Students analyse in notebooks; "Show the code" was the only hand-off. The notebook says how
to get a token and never holds one: it reads ``BUCKET_ACCESS_TOKEN`` (and ``BUCKET_API_URL``)
from the environment or asks for the token when run. Every name a person wrote (a property's
name) goes into the notebook as data (``json.dumps``), never as code.
"""

from __future__ import annotations

import json

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from bucket_client import Property

READ_HELPERS = """import os
from getpass import getpass

import pandas as pd

API_URL = os.environ.get("BUCKET_API_URL") or {api_url}
TOKEN = os.environ.get("BUCKET_ACCESS_TOKEN") or getpass("Bucket access token: ")

try:  # the dashboard's own client: slices long ranges, knows Bucket's quirks
    from bucket_client import BucketClient

    _client = BucketClient(API_URL, {{"access_token": TOKEN, "token_type": "Bearer"}})

    def read_values(thing_id, property_id, start_ms, end_ms):
        return _client.read_values(thing_id, property_id, start_ms, end_ms)

except ImportError:  # plain requests, a day at a time
    import time

    import requests

    def _get(url, params, headers):
        # Bucket limits requests a minute: on 429, wait as it says (RateLimit-Reset, or
        # Retry-After when sooner), then ask again
        for _attempt in range(10):
            answer = requests.get(url, params=params, headers=headers, timeout=60)
            if answer.status_code != 429:
                answer.raise_for_status()
                return answer
            waits = [float(answer.headers[h]) for h in ("Retry-After", "RateLimit-Reset")
                     if answer.headers.get(h, "").replace(".", "", 1).isdigit()]
            time.sleep(min(waits) if waits else 5)
        answer.raise_for_status()

    def read_values(thing_id, property_id, start_ms, end_ms):
        url = f"{{API_URL}}/things/{{thing_id}}/properties/{{property_id}}"
        headers = {{"Authorization": f"Bearer {{TOKEN}}"}}
        frames = []
        for first in range(start_ms, end_ms + 1, 86_400_000):
            last = min(first + 86_400_000 - 1, end_ms)
            answer = _get(url, {{"from": first, "to": last}}, headers)
            body = answer.json()
            # this route lists the dimensions in the reverse of its values' columns
            names = [d["name"] for d in reversed(body["type"]["dimensions"])]
            rows = body.get("values") or []
            frames.append(pd.DataFrame([r[1:] for r in rows], columns=names,
                                       index=pd.to_datetime([r[0] for r in rows], unit="ms", utc=True)))
        frame = pd.concat(frames) if frames else pd.DataFrame()
        frame.index.name = "timestamp"
        return frame
"""


def notebook_json(props: list[Property], start: int, end: int, api_url: str, tz: str) -> str:
    """The notebook, as the text of an ``.ipynb`` file (nbformat 4, validated)."""
    span = pd.to_datetime([start, end], unit="ms", utc=True).tz_convert(tz)
    names = ", ".join(p.name for p in props)
    intro = (
        f"# {_markdown_text(names)}\n\n"
        f"From {span[0]:%Y-%m-%d %H:%M} to {span[1]:%Y-%m-%d %H:%M} ({_markdown_text(tz)}), "
        "as Bucket Dashboard's Explore showed it. Every value in the range is read "
        "(the chart may have drawn means of many).\n\n"
        "**A token**: set `BUCKET_ACCESS_TOKEN` (and `BUCKET_API_URL`) before starting "
        "Jupyter, or paste the token when asked. On the embedded sandbox, "
        "`python -m bucket_sandbox token --user you@example.org` prints one; on the lab's "
        "Bucket, use your own client's token. Never save a token in the notebook.\n\n"
        f"**The address**: `{_markdown_code(api_url)}` (where this dashboard reached Bucket; "
        "it answers as long as the dashboard runs there). Both `bucket_client` and the "
        "plain reader wait and ask again when Bucket says too many requests (429)."
    )
    cells = [
        new_markdown_cell(intro),
        new_code_cell(READ_HELPERS.format(api_url=json.dumps(api_url))),
    ]
    reads = ["START_MS, END_MS = " + f"{start}, {end}", "PROPERTIES = {"]
    for p in props:
        reads.append(f"    {json.dumps(p.name)}: ({json.dumps(p.thing_id)}, {json.dumps(p.id)}),")
    reads += [
        "}",
        "frames = {",
        "    name: read_values(thing_id, property_id, START_MS, END_MS)",
        "    for name, (thing_id, property_id) in PROPERTIES.items()",
        "}",
        "{name: len(frame) for name, frame in frames.items()}",
    ]
    cells.append(new_code_cell("\n".join(reads)))
    cells.append(
        new_code_cell(
            "import plotly.graph_objects as go\n\n"
            "figure = go.Figure()\n"
            "for name, frame in frames.items():\n"
            "    for column in frame.columns:\n"
            "        figure.add_scatter(x=frame.index.tz_convert("
            f'{json.dumps(tz)}), y=frame[column], name=f"{{name}} · {{column}}", '
            'mode="lines")\n'
            f'figure.update_layout(xaxis_title="Time ({_code_text(tz)})")\n'
            "figure"
        )
    )
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return nbformat.writes(notebook)


def _markdown_text(text: str) -> str:
    """A person's string shown as text in a Markdown cell: nothing of it read as markup."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$&" else c for c in text)


def _markdown_code(text: str) -> str:
    """An address inside Markdown backticks: no backtick can end the span early."""
    return text.replace("`", "%60")


def _code_text(text: str) -> str:
    """A zone name inside a Python string literal written with double quotes."""
    return json.dumps(text)[1:-1]
