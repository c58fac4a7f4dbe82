"""The Account page's "Download everything": the zip built with progress, then linked for
this sign-in only (``export_files``), like Explore's exports. Everything is asked of Bucket
at the click, never from the pages' caches: a thing made a moment ago in another tab, or by
a device, is taken home too."""

from __future__ import annotations

import time

import streamlit as st

from bucket_client import BucketError
from dashboard.account.takeout import write_takeout
from dashboard.explore.spans import find_span
from dashboard.shared import data, export_files
from dashboard.shared.bulk_pace import paced
from dashboard.shared.errors import show_error
from dashboard.shared.text import count_of, plain
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate

READY_KEY = "account_takeout"


def download_everything_ui() -> None:
    st.subheader("Take your data home")
    st.caption(
        "Every thing and property as one zip: a folder per thing, its description as JSON, "
        "and per property a CSV of every value (the time on your clock and in ms since 1970, "
        "a column per dimension). Read a day at a time, leaving half of Bucket's requests to "
        "everyone else using this app: a large account takes a while."
    )
    sid = str((st.session_state.get(gate.AUTH_KEY) or {}).get("sid") or "")
    ready = st.session_state.get(READY_KEY)
    if ready and export_files.exists(sid, ready[0]):
        link, rows, seconds = ready
        export_files.show_download_links([("Download the zip", link)])
        st.caption(f"{count_of(rows, 'value')} in {seconds:.0f} s. The link works for an hour.")
    if not st.button("Download everything", icon=":material/download:", key="account_takeout_go"):
        return
    client = gate.client()
    try:
        # each thing with its properties' dimensions (the list of things leaves them out)
        things = sorted(
            (data.in_name_order(client.get_thing(t.id)) for t in client.list_things()),
            key=lambda t: (t.name.casefold(), t.id),
        )
    except BucketError as error:
        show_error(error, "list your things")
        return
    tz = browser_tz()
    bar = st.progress(0.0, text="Reading your things...")

    def progress(done: int, total: int, what: str) -> None:
        text = f"{done} of {count_of(total, 'property')}" + (f": {plain(what)}" if what else "")
        bar.progress(done / total if total else 1.0, text=text)

    started = time.monotonic()

    def write(out) -> None:
        nonlocal rows
        written = write_takeout(
            out,
            things,
            lambda p, a, b: client.read_values(p.thing_id, p.id, a, b, prop=p),
            lambda p: find_span(client, p),
            tz,
            progress,
        )
        rows = sum(written.values())

    rows = 0
    try:
        with paced(client):
            link = export_files.write_export(sid, "bucket-takeout.zip", write)
    except BucketError as error:
        show_error(error, "read your values")
        return
    st.session_state[READY_KEY] = (link, rows, time.monotonic() - started)
    st.rerun()
