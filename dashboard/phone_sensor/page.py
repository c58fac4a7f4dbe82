"""Phone as a sensor: make a link that lets a phone stream its motion (and, if chosen, its
location) into the person's properties, for a demo or an experiment. On a phone, the link
opens right there; on a laptop, it is a QR code to scan.

By default the samples go to a thing called "Phone" with an ACCELEROMETER, a GYROSCOPE and
a LOCATION property, made the first time; or to a property the person picks (of one of
those types).
"""

from __future__ import annotations

import streamlit as st

from bucket_client import BucketError, Property
from dashboard.phone import capacity
from dashboard.phone_sensor.link_panel import links_ui, make_link_ui
from dashboard.phone_sensor.phone_thing import SENSORS, phone_targets, target_for
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.text import plain


def phone_sensor_page() -> None:
    st.title("Phone as a sensor")
    st.write(
        "Every phone has an accelerometer, a gyroscope and GPS. Make a link, open it on a "
        "phone (scan its QR code), tap Start, and move the phone: its samples go into your "
        "Bucket properties, and Explore's Live view follows them within a second or two."
    )
    st.caption(capacity.capacity_sentence())
    try:
        things, _counts = data.load_things()
    except BucketError as error:
        show_error(error, "list your things")
        return
    where = st.radio(
        "Where the samples go",
        ["phone", "property"],
        format_func={
            "phone": 'A thing called "Phone" (made the first time)',
            "property": "A property of mine",
        }.get,
        horizontal=True,
        key="phone_where",
    )
    if where == "phone":
        chosen = st.multiselect(
            "Sensors",
            list(SENSORS),
            default=["ACCELEROMETER", "GYROSCOPE"],
            format_func=lambda s: SENSORS[s][1],
            key="phone_sensors",
            help="Location asks the phone for permission to use its position.",
        )
    else:
        fitting = [
            p for t in things for p in data.load_thing(t.id).properties if p.type.id in SENSORS
        ]
        if not fitting:
            st.info(
                "None of your properties is of a type a phone measures (ACCELEROMETER, "
                'GYROSCOPE, LOCATION). Choose "A thing called Phone" instead.'
            )
            return
        prop = st.selectbox(
            "Property",
            fitting,
            format_func=lambda p: f"{_thing_name(things, p)} · {p.name} ({p.type.id})",
            key="phone_property",
        )
    rate = st.select_slider(
        "Samples per second",
        list(capacity.RATES_HZ),
        value=capacity.DEFAULT_RATE_HZ,
        key="phone_rate",
        help="The phone can change it before it starts; it sends at most as fast as its sensors.",
    )
    if where == "phone" and not chosen:
        st.info("Choose at least one sensor.")
    elif where == "phone":
        make_link_ui(lambda: phone_targets(chosen), rate, key="phone_page_link")
    else:
        make_link_ui(lambda: [target_for(prop)], rate, key="phone_page_link")
    links_ui(key="phone_page")


def _thing_name(things, prop: Property) -> str:
    return plain(next((t.name for t in things if t.id == prop.thing_id), ""))
