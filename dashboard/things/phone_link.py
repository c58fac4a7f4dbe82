"""Stream from a phone, from a property's card: for a property of a type a phone measures
(ACCELEROMETER, GYROSCOPE, LOCATION), a QR code that opens the phone's sensor page bound to
this property alone (``dashboard/phone``)."""

from __future__ import annotations

import streamlit as st

from bucket_client import Property, Thing
from dashboard.phone.capacity import DEFAULT_RATE_HZ
from dashboard.phone_sensor.link_panel import links_ui, make_link_ui
from dashboard.phone_sensor.phone_thing import SENSORS, target_for

OPEN = "things_phone_open"  # the property whose phone panel is open


def phone_button(column, prop: Property) -> None:
    if prop.type.id not in SENSORS:
        return
    if column.button(
        "Phone",
        icon=":material/qr_code_2:",
        help="Stream from a phone into this property",
        key=f"things_phone_{prop.id}",
    ):
        st.session_state[OPEN] = None if st.session_state.get(OPEN) == prop.id else prop.id
        st.rerun()


def phone_panel(thing: Thing, prop: Property) -> None:
    """Drawn in the card when its phone panel is open."""
    if st.session_state.get(OPEN) != prop.id:
        return
    st.markdown("**Stream from a phone**")
    st.caption(
        f"Scan the code with a phone: it streams its {SENSORS[prop.type.id][1].lower()} into "
        "this property only, without a password, until the link expires or you revoke it."
    )
    make_link_ui(
        lambda: [target_for(prop, thing.name)], DEFAULT_RATE_HZ, key=f"things_phone_link_{prop.id}"
    )
    links_ui(key=f"things_phone_links_{prop.id}")
    if st.button("Close", key=f"things_phone_close_{prop.id}"):
        st.session_state[OPEN] = None
        st.rerun()
