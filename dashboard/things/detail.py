"""One thing on the Things page: its name, id and description, its property cards, and
the forms that rename and delete it (its properties first)."""

from __future__ import annotations

import streamlit as st

from bucket_client import BucketError, Thing
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.notice import show_done, tell_after_rerun
from dashboard.shared.text import count_of, plain
from dashboard.signin.gate import client
from dashboard.things.listing import PROPERTY_PARAM
from dashboard.things.properties import (
    create_property_ui,
    draw_property_card,
    new_property_round,
    rename_form,
)


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
    st.code(thing.id, language=None, wrap_lines=True)  # no sideways scroll on a phone
    total = sum(counts.get(p.id, 0) for p in thing.properties)
    manage = st.columns(2)
    with manage[0].expander("Edit name and description", icon=":material/edit:"):
        edit_thing_ui(thing)
    with manage[1].expander("Delete this thing", icon=":material/delete:"):
        delete_thing_ui(thing, total)
    show_done()
    st.subheader(f"Properties ({len(thing.properties)})")
    selected = st.query_params.get(PROPERTY_PARAM)
    cards = st.columns(2)
    for i, prop in enumerate(thing.properties):
        with cards[i % 2].container(border=True):
            draw_property_card(thing, prop, counts.get(prop.id, 0), prop.id == selected)
    with st.expander(
        "New property",
        icon=":material/add:",
        expanded=not thing.properties,
        key=f"things_new_property_{thing.id}_{new_property_round()}",  # closed once used
    ):
        create_property_ui(thing)


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
        tell_after_rerun(f"Deleted {plain(thing.name)}")
        st.rerun()
