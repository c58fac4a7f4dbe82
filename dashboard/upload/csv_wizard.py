"""Upload's CSV tab: read the file, map its columns, check every row before anything is
written, then write in order with progress, say exactly what is stored if it stops,
resume from the journal, and verify what was written."""

from __future__ import annotations

import math
import time
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, SessionEnded, WriteStopped, codec
from dashboard.shared import data
from dashboard.shared.config import app_config
from dashboard.shared.errors import describe, show_error
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.text import count_of, duration, plain
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate
from dashboard.upload.csv_import import (
    COMMON_FORMATS,
    TimeFormat,
    check,
    detect_time_format,
    guess_mapping,
    template_csv,
)
from dashboard.upload.csv_reading import CsvError, read_table
from dashboard.upload.journal import UploadJournal, digest
from dashboard.upload.verify import compare, last_matches

MEASURED_ROWS_PER_S = 150_000  # bench/client_bench.py against the sandbox, limits raised


def journal() -> UploadJournal:
    config = app_config()
    return UploadJournal(config.data_dir / "uploads.db")


def format_choices(detected: TimeFormat) -> list[TimeFormat]:
    out = [detected]
    for option in [
        TimeFormat("epoch", "s"),
        TimeFormat("epoch", "ms"),
        TimeFormat("epoch", "us"),
        TimeFormat("iso", has_offset=True),
        TimeFormat("iso"),
    ] + [TimeFormat("format", format=f) for f in COMMON_FORMATS]:
        if option != detected:
            out.append(option)
    return out


def csv_ui(prop: Property) -> None:
    st.download_button(
        "Template CSV for this type",
        template_csv(prop.type),
        f"{prop.type.id.lower()}-template.csv",
        "text/csv",
        icon=":material/download:",
        key="upload_template",
    )
    upload = st.file_uploader(
        "CSV file (comma, semicolon or tab separated)",
        type=["csv", "txt", "tsv"],
        key=f"upload_file_{prop.id}",
    )
    if upload is None:
        return
    try:
        table = parsed(upload.getvalue(), upload.name)
    except CsvError as error:
        st.error(f"{plain(upload.name)} cannot be read: {plain(str(error))}")
        return
    st.caption(
        f"{count_of(len(table.frame), 'row')} · separator {repr(table.delimiter)} · "
        f"{'with a header' if table.has_header else 'no header'}"
        + (" · UTF-8 BOM" if table.had_bom else "")
    )
    st.dataframe(table.frame.head(10), width="stretch", hide_index=True)
    columns = list(table.frame.columns)
    guessed = guess_mapping(columns, prop.dimensions)
    st.markdown("**Which column is what?**")
    cols = st.columns(len(prop.dimensions) + 1)
    mapping = {
        "timestamp": cols[0].selectbox(
            "Time",
            columns,
            index=columns.index(guessed["timestamp"]) if guessed["timestamp"] else 0,
            key="upload_map_time",
        )
    }
    for i, dim in enumerate(prop.dimensions, start=1):
        label = dim.label
        default = guessed.get(dim.name)
        mapping[dim.name] = cols[i].selectbox(
            label,
            columns,
            index=columns.index(default) if default else 0,
            key=f"upload_map_{dim.id}",
        )
    try:
        detected = detect_time_format(table.frame[mapping["timestamp"]])
    except CsvError as error:
        st.error(f"Column {mapping['timestamp']!r}: {error}")
        return
    cols = st.columns(2)
    choices = format_choices(detected)
    fmt = cols[0].selectbox(
        "Time format",
        choices,
        format_func=lambda f: f.describe() + (" (detected)" if f == detected else ""),
        key="upload_time_format",
    )
    tz = "UTC"
    if fmt.kind != "epoch" and not fmt.has_offset:
        zones = sorted(available_timezones())
        local = browser_tz()
        tz = cols[1].selectbox(
            "The times carry no time zone; they are in",
            zones,
            index=zones.index(local) if local in zones else zones.index("UTC"),
            key="upload_tz",
        )
    try:
        checked = check(table, mapping, prop.dimensions, fmt, tz)
    except CsvError as error:
        st.error(str(error))
        return
    draw_check(checked)
    rows = checked.good
    if rows.empty:
        return
    if checked.problems:
        choice = st.radio(
            "What to do with the bad rows?",
            [
                f"Skip them and write the {len(rows):,} good rows",
                "Fix the file and upload it again",
            ],
            key="upload_skip",
        )
        if choice.startswith("Fix"):
            return
    confirm_and_write(prop, rows)


def parsed(raw: bytes, name: str):
    key = ("upload_parsed", name, len(raw), hash(raw[:4096]), hash(raw[-4096:]))
    cache = st.session_state.get("upload_parsed_cache")
    if cache and cache[0] == key:
        return cache[1]
    table = read_table(raw)
    st.session_state["upload_parsed_cache"] = (key, table)
    return table


def draw_check(checked) -> None:
    cols = st.columns(3)
    cols[0].metric("Rows in file", f"{checked.total:,}")
    cols[1].metric("Ready to write", f"{len(checked.good):,}")
    cols[2].metric("Rows with problems", f"{checked.bad_rows:,}")
    if checked.problems:
        problems = pd.DataFrame(
            [{"Line": p.row, "Column": p.column, "Problem": p.reason} for p in checked.problems]
        )
        st.dataframe(problems.head(1000), hide_index=True, width="stretch")
        st.download_button(
            "All problems as CSV",
            neutralised(problems).to_csv(index=False),
            "problems.csv",
            "text/csv",
            key="upload_problems",
        )


def estimate(rows: pd.DataFrame, prop: Property) -> tuple[int, float, float]:
    """Requests it takes, seconds at the server's rate limit, seconds at measured speed."""
    sample = rows.head(5000)
    batch = codec.validate(*codec.from_frame(sample, prop.dimensions), prop.dimensions)
    sizes = [stop - start for start, stop, _body in codec.chunks(batch)]
    per_request = max(sizes[:-1] or sizes)  # the last chunk is a remainder
    requests = math.ceil(len(rows) / per_request)
    at_limit = gate.client().transport.budget.seconds_for(requests)
    return requests, at_limit, len(rows) / MEASURED_ROWS_PER_S


def confirm_and_write(prop: Property, rows: pd.DataFrame) -> None:
    user = data.user_key()
    key = digest(rows)
    done_before = journal().written(user, prop.id, key)
    requests, at_limit, fast = estimate(rows, prop)
    st.info(
        f"{count_of(len(rows), 'row')} in {'one request' if requests == 1 else f'about {requests:,} requests'} (each under Bucket's 100 KB limit). "
        + (
            f"At this server's request budget that takes about {duration(at_limit)}."
            if at_limit > 1
            else f"That takes a few seconds (about {duration(max(fast, 1))})."
        )
    )
    start_row = 0
    if done_before and 0 < done_before[0] < len(rows):
        st.warning(
            f"This file was partly uploaded before: rows 1 to {done_before[0]:,} of {len(rows):,} "
            "are stored. Resume writes the rest."
        )
        start_row = done_before[0]
    label = (
        f"Resume: write the remaining {len(rows) - start_row:,} rows"
        if start_row
        else f"Write {len(rows):,} row{'s' if len(rows) != 1 else ''} to {plain(prop.name)}"
    )
    if not st.button(label, type="primary", key="upload_go"):
        return
    run_upload(prop, rows, key, start_row)


def run_upload(prop: Property, rows: pd.DataFrame, key: str, start_row: int) -> None:
    user = data.user_key()
    bar = st.progress(0.0, text="Starting...")
    started = time.perf_counter()
    last_saved = [0.0]

    def progress(done: int, total: int) -> None:
        elapsed = max(1e-6, time.perf_counter() - started)
        rate = (done - start_row) / elapsed
        bar.progress(done / max(1, total), text=f"{done:,} of {total:,} rows · {rate:,.0f} rows/s")
        if time.perf_counter() - last_saved[0] > 0.5 or done == total:
            journal().record(user, prop.id, key, done, total)
            last_saved[0] = time.perf_counter()

    try:
        gate.client().write_values(
            prop.thing_id, prop.id, rows, progress=progress, start_row=start_row, prop=prop
        )
    except WriteStopped as stopped:
        journal().record(user, prop.id, key, stopped.rows_written, stopped.total_rows)
        data.changed()
        if isinstance(stopped.cause, SessionEnded):
            show_error(stopped)  # to the sign-in page; the journal keeps the stored rows
            return
        cause = stopped.cause
        reason = describe(cause) if isinstance(cause, BucketError) else str(cause)
        st.error(
            f"The upload stopped. Rows 1 to {stopped.rows_written:,} of {stopped.total_rows:,} are stored "
            f"(up to {rows.index[stopped.rows_written - 1]:%Y-%m-%d %H:%M:%S} UTC); "
            f"nothing after them. {reason} Press the button again to resume."
            if stopped.rows_written
            else f"The upload stopped before any row was stored. {reason}"
        )
        return
    except BucketError as error:
        show_error(error, "write the values")
        return
    data.changed()
    seconds = time.perf_counter() - started
    with st.status("Reading the values back to verify...", expanded=False) as status:
        try:
            stored = gate.client().read_values(
                prop.thing_id, prop.id, rows.index.min(), rows.index.max(), prop=prop
            )
            fields_ok = last_matches(
                rows, gate.client().last_values(prop.thing_id, prop.id, prop=prop)
            )
        except BucketError as error:
            status.update(label="Written, but not verified", state="error")
            st.warning(f"{len(rows):,} rows written; reading them back failed: {describe(error)}")
            return
        result = compare(rows, stored)
        if fields_ok is False:
            status.update(label="Written, but in the wrong fields", state="error")
            st.error(
                "Bucket's newest point does not hold the sent values under their dimension "
                "names (checked through /last): the values may sit in the wrong fields. "
                "Tell the lab; do not rely on this upload."
            )
            return
        status.update(label=result.message(), state="complete" if result.ok else "error")
    if result.ok:
        journal().finish(user, prop.id, key)
        st.success(f"{result.message()} ({len(rows) / max(seconds, 1e-6):,.0f} rows/s).")
    else:
        st.error(result.message())
        if len(result.missing):
            st.write("Missing times (first 20):", [t.isoformat() for t in result.missing[:20]])
        if not result.different.empty:
            st.dataframe(result.different.head(20))
