"""Shared with me: every property someone shared with this user or a group of theirs, with
its owner, how it is shared, and (where Bucket lets it be read) its count and last value;
each readable one opens in Explore, beside the user's own properties.

Everything here is other people's text (thing and property names, ids): shown as text.
"""

from __future__ import annotations

import streamlit as st

from bucket_client import BucketError, sharing
from dashboard.explore.controls import SHARED_PARAM
from dashboard.shared import shared_data
from dashboard.shared.config import app_config
from dashboard.shared.errors import show_error
from dashboard.shared.text import ago, count_of, plain, short_number
from dashboard.shared.zones import browser_tz
from dashboard.signin import people
from dashboard.things.sharing import has_sharing_scope

NOT_READABLE = (
    "listed only: shared with you as a person, which Bucket lists but does not open; ask the "
    "owner to share it with a group you are both in"
)


def shared_with_me_page() -> None:
    st.title("Shared with me")
    if not has_sharing_scope():
        st.info(
            "Seeing what is shared with you needs Bucket's dcd:consents permission, which this "
            "sign-in does not include. Sign out and sign in again.",
            icon=":material/key_off:",
        )
        return
    try:
        shared = shared_data.shared_with_me(fresh=True)
    except BucketError as error:
        show_error(error, "list what is shared with you")
        return
    if not shared:
        st.info(
            "Nothing is shared with you yet. A teammate shares a property from its card on "
            "their Things page (with a group you are both in, or with your person id, shown "
            "on your Account page)."
        )
        return
    st.caption(
        f"{count_of(len(shared), 'property', 'properties')} · times in {plain(browser_tz())}"
    )
    for choice in shared:
        with st.container(border=True):
            _draw(choice)


def _draw(choice: shared_data.SharedChoice) -> None:
    prop = choice.prop
    st.markdown(f"**{plain(choice.shared.thing_name)} · {plain(prop.name)}**")
    st.caption(f"{plain(prop.type.name)} · {plain(prop.type.id)}")
    owner = choice.shared.owner
    name = people.name_of(app_config(), owner)
    # as text: no markup, no links, copyable; Bucket itself names people by id only
    st.text(f"Owner: {name} ({owner})" if name else f"Owner: {owner} (not seen by this app)")
    groups = [s for s in choice.shared.shared_with if sharing.is_group(s)]
    if choice.via is None:
        st.write(NOT_READABLE if not groups else "listed only: shared with a group you are not in")
        return
    st.text(f"Shared through the group {choice.via}")
    try:
        last = shared_data.client_for(choice.via).last_values(prop.thing_id, prop.id, prop=prop)
    except BucketError:
        last = None
    if last is not None:
        shown = ", ".join(f"{plain(k)} {plain(short_number(v))}" for k, v in last.values.items())
        st.write(f"Last: {shown} · {ago(last.timestamp)}")
    st.caption(count_of(choice.count or 0, "data point"))
    st.page_link(
        "pages/explore.py",
        label="Explore",
        icon=":material/monitoring:",
        query_params={"thing": prop.thing_id or "", "property": prop.id, SHARED_PARAM: "1"},
    )
