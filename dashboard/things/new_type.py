"""A property type of one's own, from the Things page's "New property": an id, a name, a
description and dimensions (id, name, unit, kind), with the CSV template it will have.

What Bucket's server would do harmfully or silently (overwrite a type for everyone, rename
another type's dimension for everyone, stop on a type without dimensions, break counts on a
``-``) is refused with its reason before anything is sent (``bucket_client.property_types``).
Bucket keeps no owner for a type and lets anyone delete any: the app remembers the types each
person made here, and offers to delete only those, once none of their properties uses them.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from bucket_client import BucketError, PropertyType
from bucket_client import property_types as types
from dashboard.hosting.store import shared_store
from dashboard.shared import data
from dashboard.shared.config import app_config
from dashboard.shared.errors import show_error
from dashboard.shared.notice import tell_after_rerun
from dashboard.shared.text import plain, sentence
from dashboard.signin.gate import client
from dashboard.upload.csv_import import template_csv

ROWS = pd.DataFrame(
    {"id": ["", ""], "name": ["", ""], "unit": ["", ""], "kind": ["number", "number"]}
)


def _key() -> str:
    return "types-made:" + hashlib.sha256(data.user_key().encode()).hexdigest()[:40]


def made_by_me() -> list[str]:
    raw = shared_store(app_config()).get(_key())
    try:
        found = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(t) for t in found] if isinstance(found, list) else []


def _remember(type_id: str, keep: bool) -> None:
    mine = [t for t in made_by_me() if t != type_id] + ([type_id] if keep else [])
    shared_store(app_config()).put(_key(), json.dumps(mine).encode())


def proposed(type_id: str, name: str, description: str, rows: pd.DataFrame) -> PropertyType:
    """The type as typed; rows left empty are not dimensions."""
    rows = rows.fillna("")
    dims = tuple(
        types.dimension(str(r["id"]).strip(), str(r["name"]).strip(), str(r["unit"]), r["kind"])
        for _, r in rows.iterrows()
        if str(r["id"]).strip() or str(r["name"]).strip()
    )
    return PropertyType(type_id.strip(), name, description, dimensions=dims)


# the new type's fields, emptied once it is made (a filled form after "Create" read as if
# nothing had happened)
FIELDS = ("things_new_type", "things_new_type_id", "things_new_type_name", "things_new_type_text")
MADE_KEY = "things_new_type_made"  # what the last "Check and create type" made, said here


def new_type_ui(catalogue: list[PropertyType]) -> None:
    made = st.session_state.pop(MADE_KEY, None)
    if made:
        st.success(made, icon=":material/check_circle:")
    if not st.toggle("My sensor's type is not listed: define a new type", key=FIELDS[0]):
        return
    cols = st.columns(2)
    type_id = cols[0].text_input("Type id", placeholder="STUDIO_NOISE", max_chars=60, key=FIELDS[1])
    name = cols[1].text_input("Type name", placeholder="Studio noise", max_chars=120, key=FIELDS[2])
    description = st.text_input("Type description", max_chars=1000, key=FIELDS[3])
    st.caption("Dimensions: one row each (id in small letters, e.g. noise_level).")
    rows = st.data_editor(
        ROWS,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key="things_new_type_dims",
        column_config={
            "kind": st.column_config.SelectboxColumn("kind", options=["number", "text"])
        },
    )
    new = proposed(type_id, name, description, rows)
    if new.dimensions:
        st.caption("Its CSV template:")
        st.code(template_csv(new), language=None, wrap_lines=True)
    if not st.button("Check and create type", key="things_new_type_go"):
        return
    try:
        # read at the click, not from the cache: a type someone made since must not be
        # overwritten (Bucket's POST /types replaces a type of the same id for everyone)
        fresh = client().list_property_types()
    except BucketError as error:
        show_error(error, "read the list of types")
        return
    wrong = types.problems(new, fresh)
    if wrong:
        data.property_types.clear()  # the list on the page was stale: show the new one
        st.error(
            "Nothing was sent to Bucket. " + sentence("; ".join(plain(w) for w in wrong)) + "."
        )
        return
    try:
        made = types.create(client(), new, fresh)
    except BucketError as error:
        show_error(error, "create the type")
        return
    _remember(made.id, keep=True)
    data.property_types.clear()  # the catalogue is cached per replica: read it again
    for key in (*FIELDS, "things_new_type_dims"):
        st.session_state.pop(key, None)
    st.session_state[MADE_KEY] = (
        f"Created the type {plain(made.name)} ({plain(made.id)}): choose it as the type of a "
        "new property above."
    )
    st.rerun()


def own_types_ui(catalogue: list[PropertyType]) -> None:
    """The types this person made here, each deletable once none of their properties uses it."""
    mine = [t for t in catalogue if t.id in made_by_me()]
    if not mine:
        return
    things, _counts = data.load_things()
    in_use = {p.type.id for t in things for p in t.properties}
    with st.expander(f"Types you made ({len(mine)})"):
        for t in mine:
            row = st.columns([4, 2], vertical_alignment="center")
            row[0].markdown(f"{plain(t.name)} · `{t.id}`")
            if t.id in in_use:
                row[1].caption("in use by a property")
            elif row[1].button("Delete type", key=f"things_type_del_{t.id}"):
                try:
                    types.delete(client(), t.id)
                except BucketError as error:
                    show_error(error, "delete the type")
                    return
                _remember(t.id, keep=False)
                data.property_types.clear()
                tell_after_rerun(f"Deleted the type {plain(t.id)}")
                st.rerun()
