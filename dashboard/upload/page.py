"""The Upload page: choose a property, then one value by form, a few rows in a grid, or
a CSV file."""

from __future__ import annotations

import streamlit as st

from bucket_client import Property
from dashboard.shared import data
from dashboard.shared.data import PropertyChoice
from dashboard.shared.text import count_of, dimensions_line, plain
from dashboard.upload.csv_wizard import csv_ui
from dashboard.upload.few_rows import grid_ui, one_value_ui
from dashboard.upload.undo_upload import undo_ui


def choose_property() -> tuple[Property, PropertyChoice] | None:
    options = data.choices_for_page()
    if not options:
        return None
    wanted = data.linked_key()
    keys = list(options)
    labels = data.option_labels(options)
    key = st.selectbox(
        "Property",
        keys,
        index=keys.index(wanted) if wanted in options else None,
        format_func=labels.__getitem__,
        key="upload_property",
        placeholder="Choose the property to write to",
    )
    if key is None:
        return None
    chosen = options[key]
    target = {"thing": chosen.thing.id, "property": chosen.prop.id}
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)  # one update: one history entry
    full = data.full_property(chosen.prop)
    if any(d.is_media for d in full.dimensions):
        st.warning("This property holds media files, which this app does not upload.")
        return None
    return full, chosen


def upload_page() -> None:
    st.title("Upload")
    chosen = choose_property()
    if chosen is None:
        return
    prop, choice = chosen
    summary = st.empty()  # filled last: a write below changes the count it states
    before = data.version()
    one, grid, csv_tab = st.tabs(["One value", "A few rows", "CSV file or spreadsheet"])
    with one:
        one_value_ui(prop)
    with grid:
        grid_ui(prop)
    with csv_tab:
        csv_ui(prop)
    undo_ui(prop)
    count = choice.count
    if data.version() != before:  # written in this run: the count as Bucket has it now
        fresh = data.property_choices().get(data.choice_key(prop.thing_id, prop.id))
        count = fresh.count if fresh else count
    dims = dimensions_line(prop.dimensions)
    summary.caption(f"{plain(prop.type.name)} · {dims} · {count_of(count, 'data point')} stored")
