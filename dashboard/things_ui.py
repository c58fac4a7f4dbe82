"""The Things page: a searchable table of things, one thing's view with property cards,
and the forms that create, edit and delete. ``*_ui`` draw widgets and return choices;
``draw_*`` only render."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property, PropertyType, Thing

from . import data
from .errors_ui import show_error
from .gate import client
from .text import ago, count_of, dimensions_line, plain, short_number

THING_PARAM, PROPERTY_PARAM = "thing", "property"


def things_table(things: list[Thing], counts: dict[str, int], search: str) -> pd.DataFrame:
    """The table's rows, filtered by ``search`` over name, type, description and id."""
    rows = [
        {
            "Name": t.name,
            "Type": t.type,
            "Description": t.description,
            "Properties": len(t.properties),
            "Data points": sum(counts.get(p.id, 0) for p in t.properties),
            "Created": t.created_at,
            "Updated": t.updated_at,
            "Id": t.id,
        }
        for t in things
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "Name",
            "Type",
            "Description",
            "Properties",
            "Data points",
            "Created",
            "Updated",
            "Id",
        ],
    )
    if search:
        needle = search.lower()
        mask = (
            table[["Name", "Type", "Description", "Id"]]
            .apply(lambda col: col.str.lower().str.contains(needle, regex=False))
            .any(axis=1)
        )
        table = table[mask]
    return table.reset_index(drop=True)


def list_view() -> None:
    st.title("Things")
    try:
        things, counts = data.load_things()
    except BucketError as error:
        show_error(error, "load your things")
        st.stop()
    top = st.columns([3, 1])
    search = top[0].text_input(
        "Search",
        key="things_search",
        placeholder="Name, type, description or id",
        label_visibility="collapsed",
    )
    with top[1].popover("New thing", icon=":material/add:", width="stretch"):
        create_thing_ui()
    if not things:
        st.info(
            "You have no things yet. Create one with **New thing**: a thing is a device or "
            "prototype that sends data to Bucket."
        )
        return
    table = things_table(things, counts, search)
    st.caption(
        f"{len(table)} of {count_of(len(things), 'thing')}. Click a row to open it; "
        "times are in your browser's time zone."
    )
    st.markdown(things_links_html(table), unsafe_allow_html=True)


def things_links_html(table: pd.DataFrame) -> str:
    """The things as a plain HTML table whose every cell is a link to the thing, so a click
    anywhere in a row opens it (and Back returns). Every user string is escaped."""
    head = "".join(
        f"<th>{h}</th>" for h in ("Name", "Type", "Properties", "Data points", "Updated")
    )
    body = []
    for row in table.itertuples(index=False):
        href = html.escape("?" + urlencode({THING_PARAM: row.Id}), quote=True)
        cells = (
            html.escape(row.Name),
            html.escape(row.Type),
            f"{row.Properties:,}",
            f"{row._4:,}",
            html.escape("" if pd.isna(row.Updated) else ago(row.Updated)),
        )
        body.append(
            "<tr>"
            + "".join(f'<td><a href="{href}" target="_self">{c}</a></td>' for c in cells)
            + "</tr>"
        )
    return (
        '<table class="things-list" style="width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "<style>.things-list td a{display:block;color:inherit;text-decoration:none}"
        ".things-list tr:hover td{background:rgba(128,128,128,.12)}</style>"
    )


def open_thing(thing_id: str, property_id: str | None = None) -> None:
    target = {THING_PARAM: thing_id} | ({PROPERTY_PARAM: property_id} if property_id else {})
    st.query_params.from_dict(target)  # one update: one history entry
    st.rerun()


def create_thing_ui() -> None:
    with st.form("things_new", clear_on_submit=True, border=False):
        name = st.text_input("Name", max_chars=120, placeholder="Plant monitor")
        kind = st.text_input(
            "Type", max_chars=120, placeholder="What kind of device, e.g. Raspberry Pi"
        )
        description = st.text_area("Description", max_chars=1000)
        if st.form_submit_button("Create thing", type="primary"):
            if not name.strip():
                st.error("Give the thing a name.")
                return
            try:
                thing = client().create_thing(
                    name.strip(), kind.strip() or "Thing", description.strip()
                )
            except BucketError as error:
                show_error(error, "create the thing")
                return
            data.changed()
            st.toast(f"Created {thing.name}")
            open_thing(thing.id)


def thing_view(thing_id: str) -> None:
    if st.button("All things", icon=":material/arrow_back:", key="things_back"):
        st.query_params.clear()
        st.rerun()
    try:
        thing = data.load_thing(thing_id)
        _things, counts = data.load_things()
    except BucketError as error:
        show_error(error, "open this thing")
        st.stop()
    st.title(plain(thing.name))
    st.caption(plain(thing.type) + (" — " + plain(thing.description) if thing.description else ""))
    st.code(thing.id, language=None)
    total = sum(counts.get(p.id, 0) for p in thing.properties)
    manage = st.columns(2)
    with manage[0].expander("Edit name and description", icon=":material/edit:"):
        edit_thing_ui(thing)
    with manage[1].expander("Delete this thing", icon=":material/delete:"):
        delete_thing_ui(thing, total)
    st.subheader(f"Properties ({len(thing.properties)})")
    selected = st.query_params.get(PROPERTY_PARAM)
    cards = st.columns(2)
    for i, prop in enumerate(thing.properties):
        with cards[i % 2].container(border=True):
            draw_property_card(thing, prop, counts.get(prop.id, 0), prop.id == selected)
    with st.expander("New property", icon=":material/add:", expanded=not thing.properties):
        create_property_ui(thing)


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


def edit_thing_ui(thing: Thing) -> None:
    rename_form(
        f"things_edit_{thing.id}",
        thing.name,
        thing.description,
        lambda name, text: client().update_thing(thing.id, name, text),
        "thing",
    )


def delete_thing_ui(thing: Thing, data_points: int) -> None:
    st.warning(
        f"This deletes **{plain(thing.name)}**, {count_of(len(thing.properties), 'property')} "
        f"and {count_of(data_points, 'data point')}: each property first, with its values "
        "(Bucket would otherwise keep them, out of anyone's reach), then the thing. "
        "It cannot be undone."
    )
    typed = st.text_input("Type the thing's name to confirm", key=f"things_confirm_{thing.id}")
    if st.button(
        "Delete thing",
        type="primary",
        disabled=typed != thing.name,
        key=f"things_delete_{thing.id}",
    ):
        try:
            client().delete_thing(thing.id)
        except BucketError as error:
            show_error(error, "delete the thing")
            return
        data.changed()
        st.query_params.clear()
        st.toast(f"Deleted {thing.name}")
        st.rerun()


def draw_property_card(thing: Thing, prop: Property, count: int, highlighted: bool) -> None:
    st.markdown(f"**{plain(prop.name)}**" + ("  :blue-badge[selected]" if highlighted else ""))
    st.caption(f"{plain(prop.type.name)} · `{prop.type.id}`")
    dims = dimensions_line(prop.dimensions)
    st.write(dims or "no dimensions")
    try:
        last = data.load_last(prop, count)
    except BucketError:
        last = None
    if last is not None:
        shown = ", ".join(f"{plain(k)} {short_number(v)}" for k, v in last.values.items())
        st.write(f"Last: {shown} · {ago(last.timestamp)}")
    st.caption(count_of(count, "data point"))
    links = st.columns([3, 3, 2, 2])  # room for "Explore" and "Upload" in a half-width card
    params = {THING_PARAM: thing.id, PROPERTY_PARAM: prop.id}
    links[0].page_link(
        "pages/explore.py", label="Explore", icon=":material/monitoring:", query_params=params
    )
    links[1].page_link(
        "pages/upload.py", label="Upload", icon=":material/upload:", query_params=params
    )
    with links[2].popover("", icon=":material/edit:", help="Rename or describe this property"):
        edit_property_ui(thing, prop)
    with links[3].popover("", icon=":material/delete:", help="Delete this property and its values"):
        delete_property_ui(thing, prop, count)


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
        st.rerun()


def type_label(t: PropertyType) -> str:
    dims = ", ".join(d.name + (f" {d.unit_text}" if d.unit else "") for d in t.dimensions)
    return f"{t.name} ({t.id}) — {dims}"


def draw_type_preview(t: PropertyType) -> None:
    st.caption(t.description)
    preview = pd.DataFrame(
        [
            {"Dimension": d.name, "Unit": d.unit_text, "Kind": d.type, "Id": d.id}
            for d in t.dimensions
        ]
    )
    st.table(preview.set_index("Dimension"))


def create_property_ui(thing: Thing) -> None:
    try:
        types = [t for t in data.load_types() if not any(d.is_media for d in t.dimensions)]
    except BucketError as error:
        show_error(error, "load the property types")
        return
    by_id = {t.id: t for t in types}
    type_id = st.selectbox(
        "Type (type to search)",
        options=list(by_id),
        index=None,
        format_func=lambda i: type_label(by_id[i]),
        key=f"things_type_{thing.id}",
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
            st.toast(f"Created {prop.name}")
            st.rerun()
