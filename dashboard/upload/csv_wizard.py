"""Upload's CSV tab: read the file, map its columns, check every row before anything is
written, then write in order with progress, say exactly what is stored if it stops,
resume from the journal, and verify what was written."""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import replace
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, SessionEnded, WriteStopped, codec
from dashboard.hosting.store import StoreUnavailable
from dashboard.shared import data, memory
from dashboard.shared.errors import describe, show_error
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.text import count_of, duration, plain, plain_label
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate
from dashboard.upload import csv_batches
from dashboard.upload.csv_check import check
from dashboard.upload.csv_import import (
    TimeFormat,
    detect_time_format,
    guess_mapping,
    template_csv,
    with_date_and_time,
)
from dashboard.upload.csv_reading import CsvError
from dashboard.upload.journal import digest, journal
from dashboard.upload.other_files import FILE_TYPES, other_file_ui
from dashboard.upload.time_checks import times_confirmed
from dashboard.upload.undo_upload import record_upload, upload_written
from dashboard.upload.uploaded_bytes import taken
from dashboard.upload.verify import compare, last_matches

MEASURED_ROWS_PER_S = 150_000  # bench/client_bench.py against the sandbox, limits raised


MAX_UPLOAD_MB = 200  # .streamlit/config.toml server.maxUploadSize: said on the page too


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
        f"CSV file (comma, semicolon or tab separated), spreadsheet (.xlsx, .xls, .ods) or "
        f"phyphox export (.zip, .xls); up to {MAX_UPLOAD_MB} MB",
        type=FILE_TYPES,
        key=f"upload_file_{prop.id}",
    )
    if upload is None:
        return
    upload = taken(upload)  # the stored bytes; this run's copy of them goes here
    upload = other_file_ui(upload, prop, confirm_and_write)
    if upload is None:
        return
    try:
        table = parsed(upload)
    except CsvError as error:
        st.error(f"{plain(upload.name)} cannot be read: {plain(str(error))}")
        return
    st.caption(
        f"{count_of(table.row_count, 'row')} · separator {plain(repr(table.delimiter))} · "
        f"{'with a header' if table.has_header else 'no header'} · {table.encoding_name}"
        + (" · decimal comma" if table.decimal == "," else "")
    )
    if table.skipped:
        with st.expander(
            f"{count_of(len(table.skipped), 'line')} above the table skipped (comments, metadata)"
        ):
            st.text("\n".join(f"{n}: {line}" for n, line in table.skipped[:50]))
    st.dataframe(table.frame.head(10), width="stretch", hide_index=True)
    mapping = mapping_ui(table, prop)
    if mapping is None:
        return
    fmt = time_format_ui(table, mapping["timestamp"])
    if fmt is None:
        return
    tz = "UTC"
    if fmt.kind in ("iso", "format") and not fmt.has_offset:
        zones = sorted(available_timezones())
        local = browser_tz()
        tz = st.selectbox(
            "The times carry no time zone; they are in",
            zones,
            index=zones.index(local) if local in zones else zones.index("UTC"),
            key="upload_tz",
        )
    try:
        checked = checked_rows(table, mapping, prop.dimensions, fmt, tz)
    except CsvError as error:
        st.error(plain(str(error)))
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
            key="upload_bad_rows",
        )
        if choice.startswith("Fix"):
            return
    confirm_and_write(prop, rows, upload.name)


def mapping_ui(table, prop: Property) -> dict | None:
    """A select per dimension, filled only where a column's name says which; the person
    chooses the rest (never by position, unless the file has no header and the type's
    width). None until every dimension has a column."""
    columns = list(table.frame.columns)
    guessed = guess_mapping(columns, prop.dimensions, table.has_header)
    st.markdown("**Which column is what?**")
    cols = st.columns(len(prop.dimensions) + 1)
    mapping = {
        "timestamp": cols[0].selectbox(
            "Time",
            columns,
            index=columns.index(guessed["timestamp"]) if guessed["timestamp"] else None,
            placeholder="Choose a column",
            key="upload_map_time",
        )
    }
    for i, dim in enumerate(prop.dimensions, start=1):
        default = guessed.get(dim.name)
        mapping[dim.name] = cols[i].selectbox(
            plain_label(dim.label),
            columns,
            index=columns.index(default) if default else None,
            placeholder="Choose a column",
            key=f"upload_map_{dim.id}",
        )
    unnamed = [k if k != "timestamp" else "the time" for k, v in mapping.items() if v is None]
    if unnamed:
        st.info(
            "No column's name says which holds "
            + plain(", ".join(unnamed))
            + ": choose it above (columns are never matched by their position)."
        )
        return None
    return mapping


def time_format_ui(table, column: str) -> TimeFormat | None:
    """The time column's reading: detected, explained, or asked (day or month first; a
    counter since the start of a recording, with its start). None until it is known."""
    try:
        guess = detect_time_format(table.frame[column], table.decimal, column)
    except CsvError as error:
        st.error(f"Column {plain(repr(column))}: {plain(str(error))}")
        return None
    if guess.question:
        day_first, month_first = guess.question
        example = guess.example
        shown = {
            day_first: f"Day first: {example} is {_words(example, day_first)}",
            month_first: f"Month first: {example} is {_words(example, month_first)}",
        }
        chosen = st.radio(
            "Every date reads both ways. Which is it?",
            list(shown),
            format_func=lambda f: shown[f],
            index=None,
            key="upload_day_month",
        )
        if chosen is None:
            st.info("Choose day first or month first: nothing is written until you do.")
            return None
        return chosen
    if guess.reason:
        st.caption(plain(guess.reason))
    if guess.counter:
        st.warning(
            f"{plain(repr(column))} starts near 0 (or would land before 2000 as UNIX time): it "
            "looks like time since the start of the recording. Choose its unit and when the "
            "recording started.",
            icon=":material/timer:",
        )
    fmt = st.selectbox(
        "Time format",
        guess.options,
        format_func=lambda f: f.describe(),
        key="upload_time_format",
    )
    if fmt.kind == "relative":
        tz = browser_tz()
        now = dt.datetime.now(ZoneInfo(tz)).replace(second=0, microsecond=0)
        cols = st.columns(2)
        day = cols[0].date_input(
            "Recording started on",
            now.date(),
            min_value=dt.date(1970, 1, 1),
            max_value=dt.date(2099, 12, 31),
            key="upload_start_day",
        )
        clock = cols[1].time_input("at", now.time(), key="upload_start_time", step=60)
        st.caption(
            f"In {plain(tz)}. The browser does not pass on the file's date: "
            "enter when the recording started (the default is now)."
        )
        start = dt.datetime.combine(day, clock, ZoneInfo(tz))
        fmt = replace(fmt, start_ms=int(start.timestamp() * 1000))
    return fmt


def _words(cell: str, fmt: TimeFormat) -> str:
    try:
        return dt.datetime.strptime(cell, fmt.format).strftime("%-d %B %Y")
    except ValueError:
        return "not a date"


def parsed(upload):
    """The file's table, parsed once per file and kept as Arrow text (a large file's first
    rows only). Kept without the file's bytes: a run hands the table the stored bytes it
    took (``uploaded_bytes``), and a session that ends leaves nothing of the file behind."""
    key = ("upload_parsed", upload.file_id, upload.size)
    raw = upload.data
    cache = st.session_state.get("upload_parsed_cache")
    if not (cache and cache[0] == key):
        st.session_state.pop("upload_parsed_cache", None)  # the previous file's table, first
        st.session_state.pop("upload_checked_cache", None)
        memory.give_back(collect=False)  # what the upload arrived in, before it is read
        table = with_date_and_time(csv_batches.read(raw))
        cache = (key, replace(table, source=None), table.source is not None)
        st.session_state["upload_parsed_cache"] = cache
    _key, table, sliced = cache
    return replace(table, source=raw) if sliced else table


def checked_rows(table, mapping: dict, dimensions, fmt, tz: str):
    """``check``'s answer, kept for this file and these choices: a click elsewhere on the
    page reruns it, and 5 million rows took 4 s and 400 MB to check again."""
    key = (
        st.session_state["upload_parsed_cache"][0],
        tuple(mapping.items()),
        fmt,
        tz,
    )
    cache = st.session_state.get("upload_checked_cache")
    if cache and cache[0] == key:
        return cache[1]
    st.session_state.pop("upload_checked_cache", None)  # the last answer goes first
    checked = check(table, mapping, dimensions, fmt, tz)
    st.session_state["upload_checked_cache"] = (key, checked)
    return checked


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
    """Requests it takes (counted exactly up to 5,000 rows, else from their bodies' size),
    seconds at the server's rate limit, seconds at measured speed."""
    sample = rows.head(5000)
    batch = codec.validate(*codec.from_frame(sample, prop.dimensions), prop.dimensions)
    sizes = [stop - start for start, stop, _body in codec.chunks(batch)]
    if len(rows) <= len(sample):
        requests = len(sizes)
    else:
        requests = math.ceil(len(rows) / max(sizes[:-1] or sizes))
    at_limit = gate.client().transport.budget.seconds_for(requests)
    return requests, at_limit, len(rows) / MEASURED_ROWS_PER_S


def span_in_words(index: pd.DatetimeIndex, tz: str) -> str:
    """``2 Mar 2026 09:00 to 09:05 (5 minutes)`` in the person's zone."""
    first, last = index.min().tz_convert(tz), index.max().tz_convert(tz)
    clock = "%H:%M:%S" if (first.second or last.second) else "%H:%M"
    start = first.strftime(f"%-d %b %Y {clock}")
    end = last.strftime(clock if first.date() == last.date() else f"%-d %b %Y {clock}")
    return f"{start} to {end} ({duration((last - first).total_seconds())})"


def existing_values(prop: Property, rows: pd.DataFrame) -> pd.DataFrame:
    """The values Bucket already holds at these rows' times (one read of the range, kept
    for this file until something changes): what an overwrite replaces, and an undo
    writes back."""
    key = ("upload_existing", prop.id, digest(rows), data.version())
    cache = st.session_state.get("upload_existing_cache")
    if cache and cache[0] == key:
        return cache[1]
    with st.spinner("Looking for values already stored at these times..."):
        stored = gate.client().read_values(
            prop.thing_id, prop.id, rows.index.min(), rows.index.max(), prop=prop
        )
    found = stored[stored.index.isin(rows.index)]
    st.session_state["upload_existing_cache"] = (key, found)
    return found


def confirm_and_write(prop: Property, rows: pd.DataFrame, file_name: str) -> None:
    user = data.user_key()
    tz = browser_tz()
    st.markdown(
        f"**Will store {count_of(len(rows), 'row')} from {span_in_words(rows.index, tz)}**, "
        f"times shown in {plain(tz)}."
    )
    if not times_confirmed(rows.index, tz):
        return
    key = digest(rows)
    done_before = journal().written(user, prop.id, key)
    start_row = done_before[0] if done_before and 0 < done_before[0] < len(rows) else 0
    note = ""
    try:
        before = existing_values(prop, rows.iloc[start_row:])
        clashes = before.index
    except BucketError as error:
        show_error(error, "look for values already stored at these times")
        return
    if len(clashes):
        choice = st.radio(
            f"{count_of(len(clashes), 'of the file’s times', 'of the file’s times')} already "
            f"hold values in Bucket (the first at {clashes[0].tz_convert(tz):%-d %b %Y %H:%M:%S}). "
            "What should happen to them?",
            ["overwrite", "skip"],
            format_func=lambda c: {
                "overwrite": "Overwrite them with the file's values",
                "skip": "Skip those rows and keep what Bucket has",
            }[c],
            index=None,
            key="upload_existing_choice",
        )
        if choice is None:
            st.info("Choose what happens to the existing values: nothing is written until you do.")
            return
        if choice == "skip":
            # what is left to send: after the rows an earlier upload stored, minus the times
            # Bucket already holds (e.g. the slice in flight when a server died)
            earlier = start_row
            rows = rows.iloc[start_row:]
            rows = rows[~rows.index.isin(clashes)]
            before = before.iloc[:0]  # nothing is overwritten
            note = f" {count_of(len(clashes), 'row')} skipped: their times already held values."
            if earlier:
                note += f" Rows 1 to {earlier:,} were stored by the earlier upload."
            if rows.empty:
                st.success("Every row's time already holds a value: nothing to write.")
                return
            key = digest(rows)
            done_before = journal().written(user, prop.id, key)
            start_row = done_before[0] if done_before and 0 < done_before[0] < len(rows) else 0
        else:
            note = f" {count_of(len(clashes), 'existing value')} overwritten."
    requests, at_limit, fast = estimate(rows, prop)
    st.info(
        f"{count_of(len(rows), 'row')} in "
        + ("one request" if requests == 1 else f"{requests:,} requests")
        + " (each under Bucket's 100 KB limit). "
        + (
            f"At this server's request budget that takes about {duration(at_limit)}."
            if at_limit > 1
            else (
                "That takes under a second." if fast < 1 else f"That takes about {duration(fast)}."
            )
        )
    )
    if start_row:
        st.warning(
            f"This file was partly uploaded before: rows 1 to {start_row:,} of {len(rows):,} "
            "are stored. Resume writes the rest."
        )
    label = (
        f"Resume: write the remaining {len(rows) - start_row:,} rows"
        if start_row
        else f"Write {len(rows):,} row{'s' if len(rows) != 1 else ''} to {plain(prop.name)}"
    )
    if not st.button(label, type="primary", key="upload_go"):
        return
    # a resumed file keeps the record its first rows made; a new one reads what it changes
    record = record_upload(
        prop,
        f"the file {file_name}",
        rows.index[start_row:],
        before,
        resumed=key if start_row else None,
    )
    if run_upload(prop, rows, key, start_row, note):
        upload_written(record)


def run_upload(
    prop: Property, rows: pd.DataFrame, key: str, start_row: int, note: str = ""
) -> bool:
    """Write the rows from ``start_row`` on, recording progress; True once all are stored
    and verified."""
    user = data.user_key()
    bar = st.progress(0.0, text="Starting...")
    started = time.perf_counter()
    unsaved: list[StoreUnavailable] = []

    def save(done: int, total: int) -> None:
        """Record progress; a store that is down does not stop Bucket's writes, it is said
        at the end (an interruption would then restart from row 1, rewriting equal values)."""
        try:
            journal().record(user, prop.id, key, done, total)
        except StoreUnavailable as error:
            unsaved.append(error)

    def progress(done: int, total: int) -> None:
        # every slice Bucket accepted is recorded before the next is sent: a replica that
        # dies now leaves at most the slice in flight to be sent again (Bucket keeps one
        # value per time, so a resent slice rewrites equal values, never adds rows)
        save(done, total)
        elapsed = max(1e-6, time.perf_counter() - started)
        rate = (done - start_row) / elapsed
        bar.progress(done / max(1, total), text=f"{done:,} of {total:,} rows · {rate:,.0f} rows/s")

    try:
        gate.client().write_values(
            prop.thing_id, prop.id, rows, progress=progress, start_row=start_row, prop=prop
        )
    except WriteStopped as stopped:
        save(stopped.rows_written, stopped.total_rows)
        data.changed()
        if isinstance(stopped.cause, SessionEnded):
            show_error(stopped)  # to the sign-in page; the journal keeps the stored rows
            return False
        cause = stopped.cause
        reason = describe(cause) if isinstance(cause, BucketError) else str(cause)
        st.error(
            f"The upload stopped. Rows 1 to {stopped.rows_written:,} of {stopped.total_rows:,} are stored "
            f"(up to {rows.index[stopped.rows_written - 1]:%Y-%m-%d %H:%M:%S} UTC); "
            f"nothing after them. {reason} Press the button again to resume."
            if stopped.rows_written
            else f"The upload stopped before any row was stored. {reason}"
        )
        return False
    except BucketError as error:
        show_error(error, "write the values")
        return False
    data.changed()
    seconds = time.perf_counter() - started
    if unsaved:
        st.warning(
            f"Every row was sent to Bucket, but {unsaved[-1].where} could not be reached to "
            "record the progress on the way (had the upload been interrupted, it would have "
            "started again from row 1). Nothing is missing because of it.",
            icon=":material/cloud_off:",
        )
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
            return False
        result = compare(rows, stored)
        if fields_ok is False:
            status.update(label="Written, but in the wrong fields", state="error")
            st.error(
                "Bucket's newest point does not hold the sent values under their dimension "
                "names (checked through /last): the values may sit in the wrong fields. "
                "Tell the lab; do not rely on this upload."
            )
            return False
        status.update(label=result.message(), state="complete" if result.ok else "error")
    if result.ok:
        try:
            journal().finish(user, prop.id, key)
        except StoreUnavailable:
            pass  # the record expires on its own; a resume would find every row stored
        st.success(f"{result.message()} ({len(rows) / max(seconds, 1e-6):,.0f} rows/s).{note}")
        return True
    else:
        st.error(result.message())
        if len(result.missing):
            st.write("Missing times (first 20):", [t.isoformat() for t in result.missing[:20]])
        if not result.different.empty:
            st.dataframe(result.different.head(20))
