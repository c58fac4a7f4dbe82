"""A link for a phone: its QR code, its short address, and the person's links with what each
has done, each revocable. Drawn on the "Phone as a sensor" page and on a property's card.

The code in the link works once, for ``GRANT_MINUTES``; it is after the ``#`` so the
server's and proxies' logs never see it, and the phone's page takes it off the address bar
as soon as it has used it. A phone can reach the app only at an address other than
``localhost``, and gives motion only to a secure (https) page: both are said here, before
anyone scans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import segno
import streamlit as st

from bucket_client import BucketError
from dashboard.phone import streaming
from dashboard.phone.grants import GRANT_MINUTES, Target, grant_store
from dashboard.shared import data
from dashboard.shared.config import app_config
from dashboard.shared.errors import show_error
from dashboard.shared.host_routes import said_if_kept_back
from dashboard.shared.network import network_addresses
from dashboard.shared.public_address import public_root
from dashboard.shared.text import count_of, plain
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate

LINK_KEY = "phone_link"  # (grant id, link) of the link this session made last


def app_origin() -> str:
    """Where phones reach the app: ``BUCKET_PHONE_URL`` when set (the classroom set-up), else
    where the person's browser reached it."""
    if app_config().phone_url:
        return app_config().phone_url
    return public_root()


def reachability_warning(origin: str) -> str | None:
    """Why a phone could not use a link to this address, or None."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    if host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost"):
        if not network_addresses():
            return (
                "This laptop has no network address: no phone can reach it. Join the room's "
                "Wi-Fi or a phone's hotspot, then run the classroom set-up (docs/teachers.md, "
                '"A live demo with phones") and make the link again.'
            )
        return (
            "This app is open at localhost: another phone cannot reach that address. Run the "
            'classroom set-up (docs/teachers.md, "A live demo with phones"): its links name the address '
            "phones reach."
        )
    if parts.scheme != "https":
        return (
            "This app is served over plain http: a phone will not give motion or location to "
            "it (browsers give sensors to secure pages only). Serve it over https (docs/teachers.md, "
            '"A live demo with phones").'
        )
    return None


def qr_image(link: str) -> str:
    """The link's QR code as an image with its text alternative (the link itself is written
    under it as text); ``st.image`` gives an image no alternative text."""
    uri = segno.make(link, error="m").png_data_uri(scale=6, border=2)
    return f'<img src="{uri}" width="220" height="220" alt="QR code of the link written below">'


def make_link_ui(targets: Callable[[], list[Target]], rate_hz: int, key: str) -> None:
    """A button that makes a link for ``targets()`` (asked only then: it may make the
    properties); the link made, as a QR code."""
    if st.button("Make a link for a phone", icon=":material/qr_code_2:", key=key, type="primary"):
        try:
            targets = targets()
        except BucketError as error:
            show_error(error, "prepare the phone's properties")
            return
        auth = st.session_state[gate.AUTH_KEY]
        grant, code = grant_store(app_config()).create(
            data.user_key(), auth["sid"], targets, rate_hz=rate_hz
        )
        st.session_state[LINK_KEY] = (grant.id, f"{app_origin()}/phone#{code}", key)
    made = st.session_state.get(LINK_KEY)
    if made and made[2] == key:
        draw_link(made[0], made[1])


def draw_link(grant_id: str, link: str) -> None:
    grant = grant_store(app_config()).get(grant_id)
    if grant is None:
        return
    if not app_config().phone_url and said_if_kept_back("phone", "A phone link"):
        return  # phones reach the app where this browser does, and the host keeps /phone back
    warning = reachability_warning(link)
    if warning:
        st.warning(warning, icon=":material/phonelink_off:")
    st.html(qr_image(link))
    st.caption("Scan with the phone's camera")
    st.text(f"Or open: {link}")  # as text: copyable, and read aloud in a classroom
    st.link_button("Use this phone instead", link, icon=":material/smartphone:")
    tz = browser_tz()
    ends = dt.datetime.fromtimestamp(grant.expires_ms / 1000, ZoneInfo(tz))
    st.caption(
        f"Works once, on one phone, until {ends:%H:%M} ({tz}, {GRANT_MINUTES} minutes), for "
        + ", ".join(plain(t.label) for t in grant.targets)
        + " only. Revoke it below at any time."
    )


def links_ui(key: str) -> None:
    """The person's links, newest first, with what each phone did; revocable."""
    config = app_config()
    grants = grant_store(config).of_owner(data.user_key())
    if not grants:
        return
    st.markdown("**Your phone links**")
    for grant in grants[:10]:
        done = streaming.status(config, grant)
        row = st.columns([5, 2], vertical_alignment="center")
        what = ", ".join(t.label for t in grant.targets)
        row[0].text(
            f"{what} · {grant.state()} · {count_of(done.taken, 'sample')} sent, "
            f"{done.stored} stored in Bucket" + (f" · {done.problem}" if done.problem else "")
        )
        if grant.live() and row[1].button("Revoke", key=f"{key}_revoke_{grant.id}"):
            grant_store(config).revoke(grant.id, data.user_key())
            st.rerun()
