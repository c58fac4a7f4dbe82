"""Share a property, from its card on the Things page: who has access (as Bucket stores it,
read again after every change), share with a group or a person, revoke.

Bucket opens a property's values only through a group's consent (its members read with
``?sharedWith=<group>``); a consent to a person lists the property for them but its values
answer 403. So the page offers the group way first, and says plainly what a person's
consent will and will not do before it is made. Subjects are checked before anything is
sent: the server stores whatever it gets (``{}`` becomes a consent with nothing in it).
The panel's requests are made only while it is open.
"""

from __future__ import annotations

import streamlit as st

from bucket_client import BucketError, Property, Thing, sharing
from dashboard.shared.errors import show_error
from dashboard.shared.focus_moves import panel_that_opens
from dashboard.shared.text import plain
from dashboard.signin.gate import client
from dashboard.signin.scopes import has_scope

OPEN = "things_sharing_open"  # the property whose sharing panel is open
SAID = "things_sharing_said"  # (property id, what the last share did), said once
SCOPE = "dcd:consents"
PERSON_LIMIT = (
    "On Bucket today a consent to a person lists this property for them, but Bucket does not "
    "let them read its values. Share with a group you are both in instead (the lab makes "
    "groups: ask for one for your team)."
)


def has_sharing_scope() -> bool:
    """Whether this sign-in may share (its token was granted ``dcd:consents``)."""
    return has_scope(SCOPE)


def share_button(column, prop: Property) -> None:
    if column.button(
        "Share", icon=":material/share:", help="Share this property", key=f"things_share_{prop.id}"
    ):
        st.session_state[OPEN] = None if st.session_state.get(OPEN) == prop.id else prop.id
        st.rerun()


def sharing_panel(thing: Thing, prop: Property) -> None:
    """Drawn in the card when its sharing is open."""
    if st.session_state.get(OPEN) != prop.id:
        return
    with panel_that_opens("sharing " + prop.id):
        st.markdown("**Sharing**")
        if not has_sharing_scope():
            st.info(
                "Sharing needs Bucket's dcd:consents permission, which this sign-in does not "
                "include (it was made before the app asked for it, or the app's OAUTH2_SCOPE "
                "leaves it out). Sign out and sign in again to share.",
                icon=":material/key_off:",
            )
            return
        try:
            consents = sharing.consents(client(), thing.id, prop.id)
        except BucketError as error:
            show_error(error, "read who has access")
            return
        _access_list(thing, prop, consents)
        _share_form(thing, prop, consents)
        if st.button("Close sharing", key=f"things_share_close_{prop.id}"):
            st.session_state[OPEN] = None
            st.rerun()


def _access_list(thing: Thing, prop: Property, consents: list[sharing.Consent]) -> None:
    if not consents:
        st.caption("Not shared: only you can see it.")
        return
    st.caption("Who has access (as Bucket stores it):")
    for consent in sorted(consents, key=_access_order):
        row = st.columns([5, 2], vertical_alignment="center")
        subjects = ", ".join(consent.subjects) or "nobody (an empty consent)"
        kind = (
            "group, can read"
            if _readable(consent)
            else "listed only: Bucket does not open the values to a person"
        )
        row[0].text(f"{subjects} · {kind}")  # ids as text: no markup, no links, copyable
        if row[1].button("Revoke", key=f"things_share_revoke_{consent.id}"):
            try:
                sharing.revoke(client(), thing.id, prop.id, consent.id)
            except BucketError as error:
                show_error(error, "revoke the access")
                return
            st.rerun()


def _access_order(consent: sharing.Consent) -> tuple:
    """Groups (who can read) before persons (listed only), then by id: Keto answers in the
    order it stores, which changes when a consent is revoked and made again."""
    return (not _readable(consent), [s.casefold() for s in consent.subjects], consent.id)


def _readable(consent: sharing.Consent) -> bool:
    """Only a group's members can read the values (with ``?sharedWith=<group>``)."""
    return bool(consent.subjects) and all(sharing.is_group(s) for s in consent.subjects)


def _share_form(thing: Thing, prop: Property, consents: list[sharing.Consent]) -> None:
    said = st.session_state.pop(SAID, None)
    if said and said[0] == prop.id:
        st.success(said[1], icon=":material/check:")
    way = st.radio(
        "Share with",
        ["group", "person"],
        format_func={"group": "A group (can read the values)", "person": "A person"}.get,
        horizontal=True,
        key=f"things_share_way_{prop.id}",
    )
    if way == "person":
        st.warning(PERSON_LIMIT, icon=":material/info:")
    # emptied when sent: Enter shares, and the id left in the field was shared again by the
    # button (two identical grants, two Revokes)
    with st.form(f"things_share_form_{prop.id}", border=False, clear_on_submit=True):
        subject = st.text_input(
            "Group id" if way == "group" else "Person id",
            placeholder="dcd:groups:design-class" if way == "group" else "dcd:persons:...",
            help="A teammate finds their person id on their Account page.",
        )
        label = "Share, read only" if way == "group" else "Share with this person (listed only)"
        sent = st.form_submit_button(label, type="primary")
    if not sent:
        return
    expected = "dcd:groups:" if way == "group" else "dcd:persons:"
    if "@" in subject and not subject.strip().startswith("dcd:"):
        st.error(
            "Nothing was shared: Bucket cannot find a person by e-mail. Ask them for their "
            "person id (dcd:persons:..., shown on their Account page)."
        )
        return
    try:
        checked = sharing.check_subject(subject)
        if not checked.startswith(expected):
            raise ValueError(f"{checked!r} is not a {way} id (it starts with {expected})")
    except ValueError as error:
        st.error(f"Nothing was shared: {plain(str(error))}.")
        return
    if any(tuple(c.subjects) == (checked,) for c in consents):
        st.info(f"Already shared with {plain(checked)}: nothing changed.", icon=":material/info:")
        return
    try:
        sharing.grant(client(), thing.id, prop.id, checked)
    except BucketError as error:
        show_error(error, "share the property")
        return
    what = "can read its values" if way == "group" else "is listed (cannot read the values)"
    st.session_state[SAID] = (prop.id, f"Shared: {plain(checked)} {what}.")
    st.rerun()
