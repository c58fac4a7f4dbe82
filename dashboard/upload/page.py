"""The Upload page: choose a property, then one value by form, a few rows in a grid, or
a CSV file."""

from __future__ import annotations

import streamlit as st

from bucket_client import Property
from dashboard.shared import data
from dashboard.shared.text import count_of, dimensions_line, plain
from dashboard.upload.csv_wizard import csv_ui
from dashboard.upload.few_rows import grid_ui, one_value_ui


def choose_property() -> Property | None:
    options = data.choices_for_page()
    if not options:
        return None
    wanted = data.linked_key()
    keys = list(options)
    key = st.selectbox(
        "Property",
        keys,
        index=keys.index(wanted) if wanted in options else None,
        format_func=lambda k: f"{options[k].label} ({options[k].prop.type.id})",
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
    dims = dimensions_line(full.dimensions)
    st.caption(f"{plain(full.type.name)} · {dims} · {count_of(chosen.count, 'data point')} stored")
    return full


def upload_page() -> None:
    st.title("Upload")
    prop = choose_property()
    if prop is None:
        return
    one, grid, csv_tab = st.tabs(["One value", "A few rows", "CSV file"])
    with one:
        one_value_ui(prop)
    with grid:
        grid_ui(prop)
    with csv_tab:
        csv_ui(prop)
