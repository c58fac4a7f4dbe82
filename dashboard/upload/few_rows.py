"""Upload's first two tabs: one value by form, a few rows in a grid.

Bucket overwrites a timestamp that already holds a value, without a word. So the form
stamps each value with the moment it is written (unless the user picks a time), the
grid keeps the times it proposed across reruns, and a write onto a timestamp that holds
a value is shown and asked about before anything is sent.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, ValidationError
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.text import count_of, plain, plain_label, short_number
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate
from dashboard.upload.undo_upload import record_upload, upload_written

PENDING_KEY = "upload_pending_overwrite"
SOURCES = {"one": "the form", "grid": "the grid"}  # as the recent uploads name them
GRID_ROWS = 3


def write_small(
    prop: Property, frame: pd.DataFrame, replace: bool = False, where: str = "one"
) -> bool:
    """Write a handful of rows and show what is stored. Unless ``replace``, first look
    for values already at those times and, if there are any, ask instead of writing.
    True when the rows were written."""
    client = gate.client()
    first, last = frame.index.min(), frame.index.max()
    try:
        # read before writing: the values these times hold now are what an undo restores
        existing = client.read_values(prop.thing_id, prop.id, first, last, prop=prop)
        before = existing[existing.index.isin(frame.index)]
        if len(before) and not replace:
            st.session_state[PENDING_KEY] = {"prop": prop.id, "frame": frame, "where": where}
            return False
        record = record_upload(prop, SOURCES[where], frame.index, before)
        client.write_values(prop.thing_id, prop.id, frame, prop=prop)
        stored = client.read_values(prop.thing_id, prop.id, first, last, prop=prop)
    except ValidationError as error:
        st.error("Nothing was written. " + "; ".join(str(p) for p in error.problems[:10]))
        return False
    except BucketError as error:
        show_error(error, "write the values")
        return False
    data.changed()
    upload_written(record)
    stored = stored[stored.index.isin(frame.index)]
    tz = browser_tz()
    if len(stored) == 1:  # say what is stored, by name, so one write is told from the next
        when = stored.index[0].tz_convert(tz).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        units = {d.name: d.unit_text for d in prop.dimensions}
        shown = ", ".join(
            plain(f"{name} {short_number(v)}" + (f" {units[name]}" if units.get(name) else ""))
            for name, v in stored.iloc[0].items()
        )
        st.success(f"Stored 1 row: {shown} at {when} ({tz}).")
    else:
        st.success(f"Stored {count_of(len(stored), 'row')}:")
        st.dataframe(stored.tz_convert(tz), width="stretch")
    return True


def pending_overwrite_ui(prop: Property, where: str) -> None:
    """The question a write onto existing timestamps raises, in the tab it came from:
    replace, or write nothing. Shown on every run until answered."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending["prop"] != prop.id or pending["where"] != where:
        return
    frame: pd.DataFrame = pending["frame"]
    tz = browser_tz()
    times = ", ".join(t.tz_convert(tz).strftime("%Y-%m-%d %H:%M:%S") for t in frame.index[:5])
    st.warning(
        f"{count_of(len(frame), 'row')} would land on times that already hold a value "
        f"({times}{', ...' if len(frame) > 5 else ''}, {tz}). Bucket keeps one value per "
        "time: writing replaces the stored one."
    )
    cols = st.columns(2)
    if cols[0].button("Replace the stored values", type="primary", key=f"upload_replace_{where}"):
        del st.session_state[PENDING_KEY]
        write_small(prop, frame, replace=True, where=where)
    if cols[1].button("Cancel, write nothing", key=f"upload_keep_{where}"):
        del st.session_state[PENDING_KEY]
        st.info("Nothing was written.")


def one_value_ui(prop: Property) -> None:
    """One value, stamped with the moment it is written unless the user picks a time: a
    time frozen at page load would make the next write land on the same timestamp."""
    tz = browser_tz()
    chosen_time = st.toggle("Choose the time", key="upload_one_choose_time")
    with st.form("upload_one", border=False):
        if chosen_time:
            # proposed once, when the toggle is turned on: a default that moved with the
            # clock would reset the inputs on every run
            now = st.session_state.setdefault(
                "upload_one_proposed", dt.datetime.now(ZoneInfo(tz)).replace(microsecond=0)
            )
            cols = st.columns(2)
            day = cols[0].date_input("Date", now.date(), key="upload_one_date")
            clock = cols[1].time_input("Time", now.time(), step=1, key="upload_one_time")
            st.caption(f"Time zone: {tz}")
        else:
            st.session_state.pop("upload_one_proposed", None)
            st.caption(f"Stamped with the time you press Write value ({tz}).")
        values = {}
        for dim in prop.dimensions:
            if dim.is_number:
                values[dim.name] = st.number_input(
                    plain_label(dim.label), value=0.0, format="%.6g", key=f"upload_one_{dim.id}"
                )
            elif dim.type == "boolean":
                values[dim.name] = st.checkbox(plain_label(dim.label), key=f"upload_one_{dim.id}")
            else:
                values[dim.name] = st.text_input(plain_label(dim.label), key=f"upload_one_{dim.id}")
        submitted = st.form_submit_button("Write value", type="primary")
    if submitted:
        stamp = (
            pd.Timestamp(dt.datetime.combine(day, clock), tz=tz).tz_convert("UTC")
            if chosen_time
            else pd.Timestamp.now(tz="UTC").floor("ms")
        )
        frame = pd.DataFrame(
            {k: [v] for k, v in values.items()}, index=pd.DatetimeIndex([stamp], name="timestamp")
        )
        write_small(prop, frame)
    pending_overwrite_ui(prop, "one")


def grid_to_frame(
    rows: pd.DataFrame, time_column: str, tz: str, dimensions
) -> tuple[pd.DataFrame | None, list[str]]:
    """The grid's rows as values to write, or what is wrong (row number, column, why).
    Rows with no value at all are left out: the grid offers more rows than most need."""
    rows = rows.reset_index(drop=True)
    rows = rows.astype(object).where(rows.notna(), None)  # pandas' NA as a plain None
    names = [d.name for d in dimensions]
    blank = rows[names].apply(lambda col: col.isna() | (col == "")).all(axis=1)
    rows = rows[~blank]
    problems = []
    for i, row in rows.iterrows():
        for column in rows.columns:
            if pd.isna(row[column]) or row[column] == "":
                problems.append(f"row {i + 1}, {column}: missing")
    for dim in dimensions:
        if dim.is_number:
            numbers = pd.to_numeric(rows[dim.name], errors="coerce")
            for i in rows.index[numbers.isna() & rows[dim.name].notna() & (rows[dim.name] != "")]:
                problems.append(f"row {i + 1}, {dim.name}: not a number")
            rows[dim.name] = numbers
    if rows.empty and not problems:
        return None, ["no row has a value yet: type values into the grid's cells"]
    if problems:
        return None, problems
    index = pd.DatetimeIndex(pd.to_datetime(rows[time_column])).tz_localize(
        tz, nonexistent="NaT", ambiguous="NaT"
    )
    problems += [
        f"row {rows.index[i] + 1}, {time_column}: impossible in {tz} (clock change)"
        for i in range(len(index))
        if pd.isna(index[i])
    ]
    problems += [
        f"row {rows.index[i] + 1}, {time_column}: same time as an earlier row"
        for i in range(len(index))
        if index.duplicated()[i] and not pd.isna(index[i])
    ]
    if problems:
        return None, problems
    frame = rows.drop(columns=[time_column]).set_index(index.tz_convert("UTC").rename("timestamp"))
    return frame, []


def grid_ui(prop: Property) -> None:
    """A few rows typed in a grid. Its proposed times (a second apart, from when the grid
    was first shown) stay the same across reruns: new data would make the editor drop
    every edit."""
    tz = browser_tz()
    time_column = f"time ({tz})"
    round_key = f"upload_grid_round_{prop.id}"
    start_key = f"upload_grid_start_{prop.id}"
    if start_key not in st.session_state:
        st.session_state[start_key] = pd.Timestamp.now(tz=tz).floor("s").tz_localize(None)
    start = st.session_state[start_key]
    rows = pd.DataFrame(
        {time_column: [start + pd.Timedelta(seconds=i) for i in range(GRID_ROWS)]}
        | {
            d.name: pd.Series([None] * GRID_ROWS, dtype=float if d.is_number else object)
            for d in prop.dimensions
        }
    )
    st.caption(f"Type values into the cells; rows left empty are not written. Times in {tz}.")
    edited = st.data_editor(
        rows,
        num_rows="dynamic",
        key=f"upload_grid_{prop.id}_{st.session_state.get(round_key, 0)}",
        width="stretch",
        hide_index=True,
        placeholder="",  # an empty cell reads empty (Streamlit writes "None" in it)
        column_config={
            time_column: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss", step=1)
        },
    )
    if st.button("Check and write rows", key="upload_grid_write"):
        frame, problems = grid_to_frame(edited, time_column, tz, prop.dimensions)
        if problems:
            st.error("Nothing was written. " + "; ".join(problems[:10]))
        elif write_small(prop, frame, where="grid"):
            # a fresh grid for the next rows, starting now
            st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
            del st.session_state[start_key]
    pending_overwrite_ui(prop, "grid")
