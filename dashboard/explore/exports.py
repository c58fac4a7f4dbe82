"""Explore's files: what the chart shows (CSV, Parquet), every raw value of the range
(fetched a day at a time into a file), and the code that reads the same values."""

from __future__ import annotations

import io
import os
import time

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore.charts import SeriesView
from dashboard.shared.config import app_config
from dashboard.shared.errors import show_error
from dashboard.shared.spreadsheet import neutralised
from dashboard.signin import gate


def export_frame(view: SeriesView, tz: str) -> pd.DataFrame:
    """What the chart shows, as a table. Aggregated, each row is a bucket: its start, and per
    dimension the mean, min and max over it, named so (``x mean per 2-minute``)."""
    frame = view.frame
    aggregated = view.low is not None and view.high is not None
    out = pd.DataFrame(
        {
            ("bucket start" if aggregated else "time"): frame.index.tz_convert(tz).strftime(
                "%Y-%m-%dT%H:%M:%S.%f%z"
            ),
            ("bucket start ms" if aggregated else "time_ms"): frame.index.as_unit("ms").asi8,
        }
    )
    for column in frame.columns:
        if aggregated and column in view.low:
            every = f"per {view.bucket} bucket"
            out[f"{column} mean {every}"] = frame[column].to_numpy()
            out[f"{column} min {every}"] = view.low[column].reindex(frame.index).to_numpy()
            out[f"{column} max {every}"] = view.high[column].reindex(frame.index).to_numpy()
        else:
            out[column] = frame[column].to_numpy()
    return out


def span_name(start: int, end: int, tz: str) -> str:
    """A range for a file name, as the person's clock reads it: 2026-12-06_0315-2026-12-06_0415."""
    ends = pd.to_datetime([start, end], unit="ms", utc=True).tz_convert(tz)
    return "-".join(t.strftime("%Y-%m-%d_%H%M") for t in ends)


def file_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:120]


def draw_exports(fetched, prop: Property, start: int, end: int, tz: str) -> None:
    """Files are made when asked (a download's data is a function, run on the click):
    "what you see" (the chart's points, aggregates named so) and every raw value in the
    range, written in slices to a file with progress."""
    view, resolution = fetched.view, fetched.resolution
    aggregated = resolution.kind == "buckets"
    name = file_name(
        f"{prop.name}-{span_name(start, end, tz)}"
        + (f"-{view.bucket}-mean-min-max" if aggregated else "")
    )
    what = "what you see" + (f" ({view.bucket} means, min, max)" if aggregated else "")
    cols = st.columns(3)
    cols[0].download_button(
        f"CSV of {what}",
        lambda: neutralised(export_frame(view, tz)).to_csv(index=False),
        f"{name}.csv",
        "text/csv",
        key=f"explore_csv_{prop.id}",
        icon=":material/download:",
        on_click="ignore",
    )

    def parquet() -> bytes:
        buffer = io.BytesIO()
        export_frame(view, tz).to_parquet(buffer, index=False)
        return buffer.getvalue()

    cols[1].download_button(
        f"Parquet of {what}",
        parquet,
        f"{name}.parquet",
        "application/octet-stream",
        key=f"explore_parquet_{prop.id}",
        icon=":material/download:",
        on_click="ignore",
    )
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
        )


RAW_SLICE_MS = 86_400_000  # one request (or a few) per day of data
EXPORT_KEEP_S = 3600  # a raw export's file is removed an hour after it was made


def raw_export(column, prop: Property, start: int, end: int, total: int, tz: str) -> None:
    """Every raw value in the range, fetched a day at a time into a file on disk (so its
    size is not held in memory twice), then offered for download."""
    key = f"explore_raw_{prop.id}_{start}_{end}"
    ready = st.session_state.get(key)
    if ready is None or not os.path.exists(ready):  # not made yet, or cleaned up since
        if not column.button(
            f"Raw values in this range ({total:,} rows)",
            key=key + "_go",
            icon=":material/dataset:",
        ):
            return
        bar = st.progress(0.0, text="Fetching raw values...")
        folder = app_config().data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.csv"):  # exports are for the moment they are asked for
            if time.time() - old.stat().st_mtime > EXPORT_KEEP_S:
                old.unlink(missing_ok=True)
        path = folder / f"{file_name(prop.id)}-{start}-{end}.csv"
        edges = list(range(start, end, RAW_SLICE_MS)) + [end + 1]
        written = 0
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                for i, (a, b) in enumerate(zip(edges, edges[1:])):
                    part = gate.client().read_values(prop.thing_id, prop.id, a, b - 1, prop=prop)
                    table = neutralised(export_frame(SeriesView("", prop.dimensions, part), tz))
                    table.to_csv(out, index=False, header=(i == 0))
                    written += len(part)
                    bar.progress(
                        (i + 1) / (len(edges) - 1), text=f"{written:,} of about {total:,} rows"
                    )
        except BucketError as error:
            show_error(error, "fetch the raw values")
            return
        st.session_state[key] = str(path)
        ready = str(path)
    column.download_button(
        "Download the raw values (CSV)",
        lambda: open(ready, "rb"),  # noqa: SIM115 (Streamlit reads and closes it)
        file_name(f"{prop.name}-{span_name(start, end, tz)}-raw") + ".csv",
        "text/csv",
        key=key + "_file",
        icon=":material/download:",
        on_click="ignore",
    )
