"""Upload's CSV tab: read the file, map its columns, check every row before anything is
written, then write in order with progress, say exactly what is stored if it stops,
resume from the journal, and verify what was written."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd
import streamlit as st

from bucket_client import Property
from dashboard.shared import memory
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.text import count_of, plain, plain_label
from dashboard.shared.zones import browser_tz
from dashboard.upload import csv_batches
from dashboard.upload.column_mapping import guess_mapping
from dashboard.upload.csv_check import check
from dashboard.upload.csv_import import (
    TimeFormat,
    detect_time_format,
    template_csv,
    with_date_and_time,
)
from dashboard.upload.csv_reading import CsvError
from dashboard.upload.file_write import confirm_and_write
from dashboard.upload.other_files import FILE_TYPES, other_file_ui
from dashboard.upload.uploaded_bytes import taken

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
    if upload.read_from:  # a spreadsheet's sheet: no separator or encoding of its own
        st.caption(f"Read from the {upload.read_from}")
    else:
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
