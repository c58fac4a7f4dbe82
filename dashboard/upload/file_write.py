"""Upload's file write, after the check: what will be stored said in words, the values
already stored at those times found (overwrite or skip, asked), then written in order with
progress, resumed from the journal after a stop, recorded for undo, and verified by reading
it back. Used for CSV files, spreadsheets and phyphox exports alike."""

from __future__ import annotations

import math
import time

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, SessionEnded, WriteStopped, codec
from dashboard.hosting.store import StoreUnavailable
from dashboard.shared import data
from dashboard.shared.errors import describe, show_error
from dashboard.shared.text import about, count_of, duration, plain
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate
from dashboard.upload.journal import digest, journal
from dashboard.upload.time_checks import times_confirmed
from dashboard.upload.undo_upload import record_upload, upload_written
from dashboard.upload.verify import compare, last_matches

MEASURED_ROWS_PER_S = 150_000  # bench/client_bench.py against the sandbox, limits raised


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
            f"At this server's request budget that takes {about(at_limit)}."
            if at_limit > 1
            else (f"That takes {about(fast)}.")
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
