"""Explore's "Delete the values in this range", for one property: a wrong CSV (a shifted
clock, the wrong property) undone without deleting everything.

What it will do is shown first (how many values, the first and last time). The values are
saved before anything is removed, as a CSV the person downloads (and the app keeps for an
hour, for "Restore"). A typed confirmation (the property's name) arms the button. Bucket
deletes by exact time (``DELETE .../timestamps``; about 2 ms a time on the real server), so
the saved times are sent in chunks under the 100 KB body limit, with progress and a time
estimate; each chunk done is recorded in the shared store, so a reload or a failure part way
resumes where it stopped. Afterwards the range is read again: nothing may be left.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore.exports import saved_values
from dashboard.shared import data, export_files
from dashboard.shared.bulk_pace import paced
from dashboard.shared.errors import show_error
from dashboard.shared.text import about, count_of, plain, sentence
from dashboard.signin import gate
from dashboard.upload.journal import journal

CHUNK = 5_000  # times per request: about 75 KB of JSON, under Bucket's 100 KB body limit
SECONDS_PER_TIME = 0.002  # the real server's code: 3,000 times took 6 s


def _sid() -> str:
    return str((st.session_state.get(gate.AUTH_KEY) or {}).get("sid") or "")


def delete_range_ui(prop: Property, start: int, end: int, total: int, tz: str) -> None:
    key = f"explore_delete_{prop.id}_{start}_{end}"
    record = f"delete:{start}:{end}"  # this range's deletion, found again after a reload
    user = data.user_key()
    nothing_here = total == 0 and key + "_saved" not in st.session_state
    if nothing_here and not journal().details(user, prop.id, record):
        return  # no values, and no deletion of this range to report or restore
    if not st.toggle("Delete the values in this range", key=key + "_open"):
        return
    sid = _sid()
    saved = st.session_state.get(key + "_saved")  # (the CSV's link, the exact copy's)
    if saved is None:
        earlier = journal().details(user, prop.id, record)
        if earlier.get("csv") and earlier.get("exact"):
            saved = (earlier["csv"], earlier["exact"])
    if saved is None or not all(export_files.exists(sid, link) for link in saved):
        if total == 0:
            st.caption("There are no values in this range.")
            return
        with st.spinner("Saving the values before anything is removed..."):
            try:
                with paced(gate.client()) as client:
                    saved = saved_values(client, sid, prop, start, end, tz)
            except BucketError as error:
                show_error(error, "save the values")
                return
        journal().record(user, prop.id, record, 0, total, csv=saved[0], exact=saved[1])
    st.session_state[key + "_saved"] = saved
    csv_link, exact = saved
    values = pd.read_parquet(export_files.path_of(sid, exact))
    stamps = [int(t) for t in values.index.as_unit("ms").asi8]
    progress = journal().written(user, prop.id, record)
    done = progress[0] if progress else 0
    restored = st.session_state.get(key + "_restored")
    if stamps and done < len(stamps):
        first, last = (pd.Timestamp(stamps[i], unit="ms", tz="UTC").tz_convert(tz) for i in (0, -1))
        st.warning(
            f"**{count_of(len(stamps), 'value')}** of {plain(prop.name)} from "
            f"{first:%Y-%m-%d %H:%M:%S} to {last:%Y-%m-%d %H:%M:%S} ({plain(tz)}) will be deleted "
            f"from Bucket. {sentence(about(len(stamps) * SECONDS_PER_TIME))}."
        )
    export_files.show_download_links([("Download the values first (CSV)", csv_link)])
    st.caption("Saved before anything is removed; the app keeps this copy for an hour.")
    if done and done < len(stamps):
        st.info(
            f"A deletion stopped after {done:,} of {len(stamps):,} values: it resumes there "
            "(the part in flight when it stopped may be gone already; deleting it again is "
            "harmless)."
        )
    if stamps and done < len(stamps):
        typed = st.text_input(
            f"Type the property's name ({prop.name}) to confirm", key=key + "_typed"
        )
        if st.button(
            f"Delete {count_of(len(stamps) - done, 'value')}",
            type="primary",
            disabled=typed.strip() != prop.name.strip(),
            key=key + "_go",
        ):
            _delete(prop, stamps, done, user, record, saved)
            st.rerun()
        return
    if not restored:
        left = _left_in_range(prop, start, end)
        if left is None:
            return
        st.success(
            f"Deleted {count_of(len(stamps), 'value')}; verified: "
            f"{'nothing is left in this range' if left == 0 else f'{left:,} values are still there'}."
        )
        if st.button("Restore them (write the saved values back)", key=key + "_restore"):
            _restore(prop, values)
            st.session_state[key + "_restored"] = True
            st.rerun()
    else:
        st.success(f"Restored {count_of(len(stamps), 'value')} from the saved copy.")


def _delete(prop: Property, stamps, done: int, user: str, record: str, saved) -> None:
    client, progress = gate.client(), journal()  # recorded without a page call between
    bar = st.progress(done / len(stamps), text="Deleting...")
    began = time.monotonic()
    for i in range(done, len(stamps), CHUNK):
        chunk = stamps[i : i + CHUNK]
        try:
            with paced(client):
                client.delete_values(prop.thing_id, prop.id, chunk)
        except BucketError as error:
            show_error(error, "delete the values (what was deleted so far is recorded)")
            st.stop()
        progress.record(
            user, prop.id, record, i + len(chunk), len(stamps), csv=saved[0], exact=saved[1]
        )
        sent = i + len(chunk) - done
        left_s = (time.monotonic() - began) / sent * (len(stamps) - i - len(chunk))
        bar.progress(
            (i + len(chunk)) / len(stamps),
            text=f"{i + len(chunk):,} of {len(stamps):,} deleted, {about(left_s)} left",
        )
    data.changed()


def _left_in_range(prop: Property, start: int, end: int) -> int | None:
    try:
        return len(gate.client().read_values(prop.thing_id, prop.id, start, end, prop=prop))
    except BucketError as error:
        show_error(error, "check what is left in the range")
        return None


def _restore(prop: Property, frame: pd.DataFrame) -> None:
    with st.spinner("Writing the saved values back..."):
        try:
            gate.client().write_values(prop.thing_id, prop.id, frame, prop=prop)
        except BucketError as error:
            show_error(error, "write the values back")
            st.stop()
    data.changed()
