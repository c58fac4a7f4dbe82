"""The Things page list: every thing of the user as rows that open on a click, search,
and the form that creates a thing."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Thing
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.notice import show_done, tell_after_rerun
from dashboard.shared.page_style import SCROLL_CUE
from dashboard.shared.text import ago, count_of, plain
from dashboard.signin.gate import client

THING_PARAM, PROPERTY_PARAM = "thing", "property"


SORTS = {
    "Name": ("Name", True),
    "Newest change": ("Updated", False),
    "Most data": ("Data points", False),
}


def things_table(
    things: list[Thing], counts: dict[str, int], search: str, sort: str = "Name"
) -> pd.DataFrame:
    """The table's rows, filtered by ``search`` over name, type, description and id, in the
    order chosen (by name unless asked: the same order on every visit)."""
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
    column, ascending = SORTS.get(sort, SORTS["Name"])
    key = (lambda col: col.str.casefold()) if column == "Name" else None
    table = table.sort_values([column, "Id"], ascending=[ascending, True], key=key, kind="stable")
    return table.reset_index(drop=True)


def list_view() -> None:
    st.title("Things")
    show_done()
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
    sort = st.segmented_control(
        "Sort by", list(SORTS), default="Name", key="things_sort", required=True
    )
    table = things_table(things, counts, search, sort or "Name")
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
            one_line(row.Name),
            one_line(row.Type),
            f"{row.Properties:,}",
            f"{row._4:,}",
            one_line("" if pd.isna(row.Updated) else ago(row.Updated)),
        )
        body.append(
            "<tr>"
            + "".join(f'<td><a href="{href}" target="_self">{c}</a></td>' for c in cells)
            + "</tr>"
        )
    # a narrow screen (a phone) scrolls the table sideways, and its edge fades to say so;
    # long names wrap within their cell
    return (
        '<div class="things-scroll" role="region" aria-label="Things" tabindex="0">'
        '<table class="things-list">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        f"<style>.things-scroll{{overflow-x:auto;max-width:100%;{SCROLL_CUE}}}"
        ".things-list{width:100%;min-width:34rem}"
        ".things-list td{overflow-wrap:break-word}"
        ".things-list td a{display:block;color:inherit;text-decoration:none}"
        ".things-list tr:hover td{background:rgba(128,128,128,.12)}"
        # the name stays put while the rest scrolls under it (which thing a row is)
        ".things-list td:first-child,.things-list th:first-child{position:sticky;left:0;"
        "z-index:1;background:var(--background-color,#fff);max-width:10rem}</style>"
    )


def one_line(text: str) -> str:
    """A user's string for the HTML table: escaped, and its line breaks made spaces (a blank
    line inside the table's markdown ended the HTML block and broke out of the table)."""
    return html.escape(" ".join(str(text).split()))


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
            tell_after_rerun(f"Created {plain(thing.name)}")
            open_thing(thing.id)
