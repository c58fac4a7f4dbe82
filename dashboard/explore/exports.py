"""Explore's files: what the chart shows (CSV, Parquet), every raw value of the range
(fetched a day at a time into a file), and the code that reads the same values."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore.charts import SeriesView
from dashboard.explore.data import client_for
from dashboard.explore.notebook import notebook_json
from dashboard.shared import export_files
from dashboard.shared.config import app_config
from dashboard.shared.embedded import MOUNT_PATH
from dashboard.shared.errors import show_error
from dashboard.shared.host_routes import said_if_kept_back
from dashboard.shared.public_address import public_root
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.value_tables import file_name, values_table
from dashboard.signin import gate


def export_columns(view: SeriesView) -> tuple[pd.DataFrame, str]:
    """What the chart shows, as columns under its UTC time index, and the time column's
    name. Aggregated, each row is a bucket: per dimension the mean, min and max over it,
    named so (``x mean per 2-minute bucket``). No time is formatted here (that is the
    costly part, done when a file is asked for)."""
    frame = view.frame
    if view.low is None or view.high is None:
        return frame, "time"
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if column in view.low:
            every = f"per {view.bucket} bucket"
            out[f"{column} mean {every}"] = frame[column].to_numpy()
            out[f"{column} min {every}"] = view.low[column].reindex(frame.index).to_numpy()
            out[f"{column} max {every}"] = view.high[column].reindex(frame.index).to_numpy()
        else:
            out[column] = frame[column].to_numpy()
    return out, "bucket start"


def export_frame(view: SeriesView, tz: str) -> pd.DataFrame:
    """What the chart shows, as a table to save: the time on the person's clock first."""
    columns, time_column = export_columns(view)
    return values_table(columns, tz, time_column)


def span_name(start: int, end: int, tz: str) -> str:
    """A range for a file name, as the person's clock reads it: 2026-12-06_0315-2026-12-06_0415."""
    ends = pd.to_datetime([start, end], unit="ms", utc=True).tz_convert(tz)
    return "-".join(t.strftime("%Y-%m-%d_%H%M") for t in ends)


def draw_exports(fetched, prop: Property, start: int, end: int, tz: str) -> None:
    """ "What you see" (the chart's points, aggregates named so) as CSV and Parquet, written
    once per view for this sign-in and linked (served to this session only, see
    ``export_files``); every raw value in the range when asked, in slices with progress."""
    view, resolution = fetched.view, fetched.resolution
    aggregated = resolution.kind == "buckets"
    name = file_name(
        f"{prop.name}-{span_name(start, end, tz)}"
        + (f"-{view.bucket}-mean-min-max" if aggregated else "")
    )
    what = "what you see" + (f" ({view.bucket} means, min, max)" if aggregated else "")
    if said_if_kept_back("exports", "Downloading this view"):
        return
    cols = st.columns(3)
    links = seen_files(prop, start, end, tz, view, name, what)
    cols[0].html(export_files.download_links(links[:1]))
    cols[1].html(export_files.download_links(links[1:]))
    if aggregated or view.thinned:
        raw_export(cols[2], prop, start, end, fetched.total, tz)
    # a toggle, not an expander: a collapsed expander still draws its code block, and the
    # highlighter behind st.code cost the first chart 0.27 s of the browser's time (profiled)
    if st.toggle("Show the code", key=f"explore_code_{prop.id}"):
        agg = f', interval="{resolution.interval}", agg="mean"' if aggregated else ""
        st.code(
            "from bucket_client import BucketClient\n\n"
            "client = BucketClient.from_env()  # your .env, or BUCKET_ACCESS_TOKEN\n"
            f'df = client.read_values(\n    "{prop.thing_id}",\n    "{prop.id}",\n'
            f"    {start},  # {pd.Timestamp(start, unit='ms', tz='UTC').isoformat()}\n"
            f"    {end}{agg},\n)\n",
            language="python",
            wrap_lines=True,  # a code block that scrolls sideways cannot be reached by keyboard
        )
        st.html(
            export_files.download_links(
                [("Download as a notebook", notebook_file(prop, start, end, tz))]
            )
        )


RAW_SLICE_MS = 86_400_000  # one request (or a few) per day of data


def notebook_file(prop: Property, start: int, end: int, tz: str) -> str:
    """A Jupyter notebook that reads and draws the same values, written once per view and
    linked for this sign-in only, as the other exports."""
    sid = _sid()
    key = f"explore_notebook_{prop.id}_{start}_{end}_{tz}"
    link = st.session_state.get(key)
    if link is None or not export_files.exists(sid, link):
        api_url = notebook_api_url()
        text = notebook_json([prop], start, end, api_url, tz)
        name = file_name(f"{prop.name}-{span_name(start, end, tz)}") + ".ipynb"
        link = export_files.write_export(sid, name, lambda out: out.write(text.encode("utf-8")))
        st.session_state[key] = link
    return link


def notebook_api_url() -> str:
    """The API address a notebook keeps using: the real Bucket's, or for the embedded
    sandbox the app's own address (the sandbox answers there; its own port is new at every
    start, so a notebook naming it broke after a restart)."""
    config = app_config()
    if not config.sandbox:
        return config.settings.api_url
    return public_root() + MOUNT_PATH + "/bucket/api"


def seen_files(prop, start, end, tz, view: SeriesView, name: str, what: str) -> list:
    """``[(label, link)]`` of the CSV and Parquet of what the chart shows. Only the view's
    numbers are kept per view and sign-in (a few ms); each file is made when its link is
    first followed (``export_files.write_table_later``): formatting every time of a view as
    text for every student's first chart was a third of a class's server time."""
    sid = _sid()
    key = f"explore_seen_{prop.id}_{start}_{end}_{tz}_{name}"
    links = st.session_state.get(key)
    if links is None or not all(export_files.exists(sid, link) for _label, link in links):
        columns, time_column = export_columns(view)
        csv_link, parquet_link = (
            export_files.write_table_later(sid, f"{name}.{kind}", columns, tz, time_column, kind)
            for kind in ("csv", "parquet")
        )
        links = [(f"CSV of {what}", csv_link), (f"Parquet of {what}", parquet_link)]
        st.session_state[key] = links
    return links


def _sid() -> str:
    return str((st.session_state.get(gate.AUTH_KEY) or {}).get("sid") or "")


def write_raw_csv(out, client, prop: Property, start: int, end: int, tz: str, progress) -> None:
    """Every raw value in ``[start, end]`` as CSV into the binary file ``out``, a day at a
    time; ``progress(share done, rows written)`` after each day."""
    edges = list(range(start, end, RAW_SLICE_MS)) + [end + 1]
    written = 0
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    for i, (a, b) in enumerate(zip(edges, edges[1:])):
        part = client.read_values(prop.thing_id, prop.id, a, b - 1, prop=prop)
        table = neutralised(export_frame(SeriesView("", prop.dimensions, part), tz))
        table.to_csv(text, index=False, header=(i == 0))
        written += len(part)
        progress((i + 1) / (len(edges) - 1), written)
    text.flush()
    text.detach()


def saved_values(client, sid: str, prop: Property, start: int, end: int, tz: str):
    """The values of ``[start, end]`` saved before they are deleted: ``(csv link, exact
    link)``, the CSV for the person and an exact copy (Parquet, text untouched) to restore
    from, both kept for this sign-in."""
    stored = client.read_values(prop.thing_id, prop.id, start, end, prop=prop)
    label = file_name(f"{prop.name}-{span_name(start, end, tz)}-before-delete")
    table = export_frame(SeriesView("", prop.dimensions, stored), tz)
    csv_link = export_files.write_export(
        sid,
        label + ".csv",
        lambda out: out.write(neutralised(table).to_csv(index=False).encode("utf-8")),
    )
    exact = export_files.write_export(sid, label + ".parquet", lambda out: stored.to_parquet(out))
    return csv_link, exact


def raw_export(column, prop: Property, start: int, end: int, total: int, tz: str) -> None:
    """Every raw value in the range, fetched a day at a time into a file on disk (so its
    size is not held in memory twice), then linked for this sign-in only."""
    key = f"explore_raw_{prop.id}_{start}_{end}"
    sid = _sid()
    ready = st.session_state.get(key)
    if ready is None or not export_files.exists(sid, ready):  # not made yet, or removed
        if not column.button(
            f"Raw values in this range ({total:,} rows)",
            key=key + "_go",
            icon=":material/dataset:",
        ):
            return
        bar = st.progress(0.0, text="Fetching raw values...")

        def write(out) -> None:
            write_raw_csv(
                out,
                client_for(prop),
                prop,
                start,
                end,
                tz,
                lambda part, written: bar.progress(
                    part, text=f"{written:,} of about {total:,} rows"
                ),
            )

        label = file_name(f"{prop.name}-{span_name(start, end, tz)}-raw") + ".csv"
        try:
            ready = export_files.write_export(sid, label, write)
        except BucketError as error:
            show_error(error, "fetch the raw values")
            return
        st.session_state[key] = ready
    column.html(export_files.download_links([("Download the raw values (CSV)", ready)]))
