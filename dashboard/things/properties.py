"""A thing's properties on the Things page: cards with the last value and links, and
the forms that create, rename and delete a property (and the shared rename form)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, PropertyType, Thing
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.notice import tell_after_rerun
from dashboard.shared.text import ago, count_of, dimensions_line, plain, plain_table, short_number
from dashboard.signin.gate import client
from dashboard.things.listing import PROPERTY_PARAM, THING_PARAM
from dashboard.things.new_type import new_type_ui, own_types_ui
from dashboard.things.phone_link import phone_button, phone_panel
from dashboard.things.sharing import share_button, sharing_panel


def rename_form(key: str, name: str, description: str, save, what: str) -> None:
    """Name and description in a form; ``save(name, description)`` calls the API."""
    with st.form(key, border=False):
        new_name = st.text_input("Name", value=name, max_chars=120)
        new_description = st.text_area("Description", value=description, max_chars=1000)
        if st.form_submit_button("Save"):
            if not new_name.strip():
                st.error("The name cannot be empty.")
                return
            try:
                save(new_name.strip(), new_description.strip())
            except BucketError as error:
                show_error(error, f"save the {what}")
                return
            data.changed()
            st.rerun()


def draw_property_card(thing: Thing, prop: Property, count: int, highlighted: bool) -> None:
    st.markdown(f"**{plain(prop.name)}**" + ("  :blue-badge[selected]" if highlighted else ""))
    st.caption(f"{plain(prop.type.name)} · {plain(prop.type.id)}")
    dims = dimensions_line(prop.dimensions)
    st.write(dims or "no dimensions")
    try:
        last = data.load_last(prop, count)
    except BucketError:
        last = None
    if last is not None:
        shown = ", ".join(f"{plain(k)} {plain(short_number(v))}" for k, v in last.values.items())
        st.write(f"Last: {shown} · {ago(last.timestamp)}")
    st.caption(count_of(count, "data point"))
    # a row that wraps: fixed columns cut "Explore" to "Explor" in a half-width card at
    # 1400 px; every action is named in words (an icon alone was read out as its icon's name)
    links = st.container(horizontal=True, gap="small", vertical_alignment="center")
    params = {THING_PARAM: thing.id, PROPERTY_PARAM: prop.id}
    links.page_link(
        "pages/explore.py", label="Explore", icon=":material/monitoring:", query_params=params
    )
    links.page_link(
        "pages/upload.py", label="Upload", icon=":material/upload:", query_params=params
    )
    # keyed by the property: an open popover belongs to it, and does not reopen on the card
    # that takes its place after a delete
    with links.popover(
        "Rename",
        icon=":material/edit:",
        help="Rename or describe this property",
        key=f"things_prop_rename_{prop.id}",
    ):
        edit_property_ui(thing, prop)
    with links.popover(
        "Delete",
        icon=":material/delete:",
        help="Delete this property and its values",
        key=f"things_prop_remove_{prop.id}",
    ):
        delete_property_ui(thing, prop, count)
    share_button(links, prop)
    phone_button(links, prop)
    sharing_panel(thing, prop)
    phone_panel(thing, prop)


def edit_property_ui(thing: Thing, prop: Property) -> None:
    rename_form(
        f"things_prop_edit_{prop.id}",
        prop.name,
        prop.description,
        lambda name, text: client().update_property(thing.id, prop.id, name, text),
        "property",
    )


def delete_property_ui(thing: Thing, prop: Property, count: int) -> None:
    st.write(f"Delete **{plain(prop.name)}** and its {count_of(count, 'data point')}?")
    sure = st.checkbox("Yes, delete it for good", key=f"things_prop_sure_{prop.id}")
    if st.button(
        "Delete property", type="primary", disabled=not sure, key=f"things_prop_del_{prop.id}"
    ):
        try:
            client().delete_property(thing.id, prop.id)
        except BucketError as error:
            show_error(error, "delete the property")
            return
        data.changed()
        tell_after_rerun(f"Deleted {plain(prop.name)} and its {count_of(count, 'data point')}")
        st.rerun()


def type_label(t: PropertyType) -> str:
    dims = ", ".join(d.name + (f" {d.unit_text}" if d.unit else "") for d in t.dimensions)
    return f"{t.name} ({t.id}) — {dims}"


def draw_type_preview(t: PropertyType) -> None:
    st.caption(plain(t.description))
    preview = pd.DataFrame(
        [
            {"Dimension": d.name, "Unit": d.unit_text, "Kind": d.type, "Id": d.id}
            for d in t.dimensions
        ]
    )
    st.table(plain_table(preview.set_index("Dimension")))


CREATED_KEY = "things_props_created"  # a new chooser after each property made (cleared)


def new_property_round() -> int:
    """How many properties this session made: the chooser and its form are new widgets
    after each, so nothing of the last one (its type) stays chosen."""
    return st.session_state.get(CREATED_KEY, 0)


def create_property_ui(thing: Thing) -> None:
    try:
        catalogue = data.load_types()
    except BucketError as error:
        show_error(error, "load the property types")
        return
    types = [t for t in catalogue if not any(d.is_media for d in t.dimensions)]
    new_type_ui(catalogue)
    own_types_ui(catalogue)
    by_id = {t.id: t for t in types}
    type_id = st.selectbox(
        "Type (type to search)",
        options=list(by_id),
        index=None,
        format_func=lambda i: type_label(by_id[i]),
        key=f"things_type_{thing.id}_{new_property_round()}",
        placeholder="Accelerometer, temperature, location...",
    )
    if type_id is None:
        return
    draw_type_preview(by_id[type_id])
    with st.form(f"things_prop_new_{thing.id}", clear_on_submit=True, border=False):
        name = st.text_input("Property name", placeholder=by_id[type_id].name, max_chars=120)
        description = st.text_input("Property description", max_chars=1000)
        if st.form_submit_button("Create property", type="primary"):
            try:
                prop = client().create_property(
                    thing.id, name.strip(), type_id, description.strip()
                )
            except BucketError as error:
                show_error(error, "create the property")
                return
            data.changed()
            st.session_state[CREATED_KEY] = new_property_round() + 1
            tell_after_rerun(f"Created {plain(prop.name)}")
            st.rerun()
