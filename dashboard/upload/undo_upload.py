"""Undo an upload: the Upload page's "Undo this upload" and the user's recent uploads.

Every write from the form, the grid or the CSV wizard is recorded before it is sent
(``upload_history``): the times it writes and the values it overwrote. Undo shows what it
will do, saves the values it is about to remove (a CSV the person downloads), deletes the
times that were new (``DELETE .../timestamps`` in chunks under the body limit), writes the
overwritten values back, then reads the range again to verify both. Deleting and writing
are idempotent, so an undo stopped part way (a reload, a lost connection) is simply run
again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.shared import data, export_files
from dashboard.shared.bulk_pace import paced
from dashboard.shared.errors import show_error
from dashboard.shared.focus_moves import panel_that_opens
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.text import count_of, plain
from dashboard.shared.value_tables import file_name, values_table
from dashboard.shared.zones import browser_tz
from dashboard.signin import gate
from dashboard.upload.upload_history import UploadRecord, upload_history
from dashboard.upload.verify import compare

JUST_WRITTEN = "upload_just_written"  # the record of this tab's last write
ASKED = "upload_undo_asked"  # the record whose undo is shown, waiting for "Yes"
DONE = "upload_undo_done"  # (record id, ok, what the undo verified): said until the next act
CHUNK = 5_000  # times per DELETE: about 75 KB of JSON, under Bucket's 100 KB body limit
STATES = {
    "writing": "stopped part way",
    "written": "written",
    "undoing": "undo stopped part way",
    "undone": "undone",
}


def record_upload(
    prop: Property,
    source: str,
    times: pd.DatetimeIndex,
    before: pd.DataFrame,
    resumed: str | None = None,
) -> str:
    """Before a write: keep what it will change (the caller read ``before`` from Bucket).
    A resumed CSV upload passes its journal key (``resumed``) and keeps its first record,
    which saw the values before any of its rows were written."""
    history, user = upload_history(), data.user_key()
    earlier = history.get(user, resumed) if resumed else None
    if earlier and earlier.state == "writing":
        return earlier.id
    choice = data.property_choices().get(data.choice_key(prop.thing_id, prop.id))
    label = f"{choice.thing.name} / {prop.name}" if choice else prop.name
    return history.start(user, prop, label, source, times, before, resumed)


def upload_written(record_id: str) -> None:
    """After a write: the record is complete, and it is this tab's "last upload"."""
    upload_history().mark(data.user_key(), record_id, "written")
    st.session_state[JUST_WRITTEN] = record_id
    st.session_state.pop(DONE, None)


def _when(record: UploadRecord, tz: str) -> str:
    stamp = pd.Timestamp(record.at, unit="s", tz="UTC").tz_convert(tz)
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


def _summary(record: UploadRecord, tz: str) -> str:
    """One upload in words; the label is the person's own text, shown as text."""
    return (
        f"{count_of(record.written, 'row')} to {plain(record.label)} by {plain(record.source)}, "
        f"{_when(record, tz)} ({plain(tz)}): {count_of(record.new, 'new value')}, "
        f"{count_of(record.overwritten, 'value')} overwritten"
    )


def undo_ui(prop: Property) -> None:
    """Below the tabs: the outcome of an undo, the undo being asked, this tab's last upload
    to this property, and the user's recent uploads."""
    tz, user = browser_tz(), data.user_key()
    history = upload_history()
    done = st.session_state.get(DONE)  # kept across reruns: a late widget update must not
    undone = history.get(user, done[0]) if done else None  # take it away before it is read
    if done and undone is not None:
        # said whichever property the page shows: an upload undone from the recent list
        # is often another property's, and the panel closed with nothing said
        where = "" if undone.property_id == prop.id else f"{plain(undone.label)}: "
        (st.success if done[1] else st.error)(where + done[2], icon=":material/undo:")
    asked = st.session_state.get(ASKED)
    if asked:
        record = history.get(user, asked)
        if record is None:
            st.session_state.pop(ASKED, None)
            st.warning(
                "That upload's record is gone (records are kept a week): nothing was undone."
            )
        else:
            _confirm_ui(record, tz)
            return
    last = st.session_state.get(JUST_WRITTEN)
    record = history.get(user, last) if last else None
    if record and record.property_id == prop.id and record.state == "written":
        with st.container(border=True):
            st.markdown(f"**Last upload:** {_summary(record, tz)}.")
            if st.button("Undo this upload", icon=":material/undo:", key="upload_undo_last"):
                ask(record.id)
    recent = history.recent(user)
    if recent:
        with st.expander(f"Your recent uploads ({len(recent)})"):
            for record in recent:
                cols = st.columns([5, 1], vertical_alignment="center")
                cols[0].markdown(f"{_summary(record, tz)} · **{STATES.get(record.state, '?')}**")
                if record.state != "undone" and cols[1].button(
                    "Undo", key=f"upload_undo_{record.id}", help="Undo this upload"
                ):
                    ask(record.id)


def ask(record_id: str) -> None:
    """Show what undoing this upload will do (the last outcome goes)."""
    st.session_state[ASKED] = record_id
    st.session_state.pop(DONE, None)
    st.rerun()


def _confirm_ui(record: UploadRecord, tz: str) -> None:
    """What the undo will do, the values it removes saved first, then "Yes" or "Cancel"."""
    user = data.user_key()
    parts = upload_history().parts(user, record.id)
    if parts is None:
        st.session_state.pop(ASKED, None)
        st.error("This upload's saved parts are gone or changed: it cannot be undone here.")
        return
    times, before = parts
    new_times = times[~times.isin(before.index)]
    with panel_that_opens("undo", border=True):
        st.warning(
            f"**Undo this upload?** {_summary(record, tz)}. Undo deletes the "
            f"{count_of(len(new_times), 'value')} it added and writes back the "
            f"{count_of(len(before), 'value')} it replaced."
        )
        newer = [
            r
            for r in upload_history().recent(user)
            if r.property_id == record.property_id and r.at > record.at and r.state != "undone"
        ]
        if newer:
            st.caption(
                f"{count_of(len(newer), 'later upload')} to the same property "
                "(if it wrote the same times, undo it first)."
            )
        link = _saved_now(record, times, tz)
        if link is None:
            return
        export_files.show_download_links([("Download the values it removes (CSV)", link)])
        st.caption("Saved before anything changes; the app keeps this copy for an hour.")
        cols = st.columns(2)
        if cols[0].button("Yes, undo it", type="primary", key="upload_undo_yes"):
            outcome = _undo(record, times, before, new_times)
            st.session_state.pop(ASKED, None)
            st.session_state.pop(JUST_WRITTEN, None)
            if outcome is not None:
                st.session_state[DONE] = (record.id, *outcome)
            st.rerun()
        if cols[1].button("Cancel", key="upload_undo_no"):
            st.session_state.pop(ASKED, None)
            st.rerun()


def _saved_now(record: UploadRecord, times: pd.DatetimeIndex, tz: str) -> str | None:
    """The values now at the upload's times, as a CSV for this sign-in (made once)."""
    key = f"upload_undo_saved_{record.id}"
    sid = str((st.session_state.get(gate.AUTH_KEY) or {}).get("sid") or "")
    link = st.session_state.get(key)
    if link and export_files.exists(sid, link):
        return link
    try:
        prop = _property(record)
        stored = gate.client().read_values(
            prop.thing_id, prop.id, times.min(), times.max(), prop=prop
        )
        table = values_table(stored[stored.index.isin(times)], tz)
        link = export_files.write_export(
            sid,
            file_name(f"{record.label}-before-undo") + ".csv",
            lambda out: out.write(neutralised(table).to_csv(index=False).encode("utf-8")),
        )
    except BucketError as error:
        show_error(error, "save the values before undoing")
        return None
    st.session_state[key] = link
    return link


def _property(record: UploadRecord) -> Property:
    """The upload's property, with its dimensions (``Gone`` when it was deleted since)."""
    choice = data.property_choices().get(data.choice_key(record.thing_id, record.property_id))
    if choice is None:
        raise PropertyGone(record.label)
    return data.full_property(choice.prop)


def _undo_requests(client, prop: Property, stamps: list[int], before: pd.DataFrame, bar) -> None:
    """Delete the upload's new times in chunks, then write the earlier values back."""
    for i in range(0, len(stamps), CHUNK):
        client.delete_values(prop.thing_id, prop.id, stamps[i : i + CHUNK])
        deleted = min(i + CHUNK, len(stamps))
        bar.progress(
            deleted / (len(stamps) + len(before)),
            text=f"{deleted:,} of {len(stamps):,} added values deleted",
        )
    if len(before):
        client.write_values(prop.thing_id, prop.id, before, prop=prop)


class PropertyGone(BucketError):
    """The property an upload wrote to no longer exists: there is nothing to undo."""

    def __init__(self, label: str):
        super().__init__(f"{label} no longer exists: there is nothing to undo.")


def _undo(
    record: UploadRecord,
    times: pd.DatetimeIndex,
    before: pd.DataFrame,
    new_times: pd.DatetimeIndex,
) -> tuple[bool, str] | None:
    """Delete the new times, write the old values back, verify by reading the range."""
    client, user, history = gate.client(), data.user_key(), upload_history()
    prop = _property(record)
    history.mark(user, record.id, "undoing")
    stamps = [int(t) for t in new_times.as_unit("ms").asi8]
    bar = st.progress(0.0, text="Undoing...")
    try:
        with paced(client):
            _undo_requests(client, prop, stamps, before, bar)
        data.changed()
        stored = client.read_values(prop.thing_id, prop.id, times.min(), times.max(), prop=prop)
    except BucketError as error:
        data.changed()
        show_error(error, "undo the upload (press Undo again: it continues safely)")
        return None
    left = int(stored.index.isin(new_times).sum())
    check = compare(before, stored) if len(before) else None
    ok = left == 0 and (check is None or check.ok)
    if ok:
        history.mark(user, record.id, "undone")
        return True, (
            f"Undone: {count_of(len(stamps), 'added value')} deleted and "
            f"{count_of(len(before), 'earlier value')} written back; verified by reading "
            "the range again."
        )
    parts = []
    if left:
        parts.append(f"{left:,} added values are still there")
    if check is not None and not check.ok:
        parts.append(check.message())
    return False, "The undo did not verify: " + "; ".join(parts) + ". Press Undo again."
