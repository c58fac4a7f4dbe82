"""The owner's tools on a board: add a panel, move or remove one, rename, share with a
group, undo the last change, delete. Each change is saved at once as the board's new
version in Bucket, so every change can be undone (the version before is written again)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from bucket_client import BucketError, sharing
from dashboard.boards import board_store
from dashboard.boards.board_document import (
    KINDS,
    MAX_PANELS,
    SIZE_WORDS,
    Board,
    NotABoard,
    Panel,
    PropertyRef,
    read_board,
)
from dashboard.boards.board_store import StoredBoard
from dashboard.explore.charts import kind_for
from dashboard.explore.data import PRESETS
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.text import a_or_an, count_of, plain
from dashboard.signin import gate

SAID = "boards_said"


def when(at, tz: str) -> str:
    """A saved time on the person's clock, with the zone named."""
    return f"{pd.Timestamp(at).tz_convert(tz):%Y-%m-%d %H:%M:%S} ({tz})"


def said(text: str) -> None:
    """A message for the next run (the page reruns after every change), wherever it lands."""
    st.session_state[SAID] = text


def said_here() -> None:
    """What the last change did, in a slot drawn on every run: the parts below keep their
    place (an expander that moved would close under the person's hands)."""
    slot = st.container(key="boards_said_slot")
    note = st.session_state.pop(SAID, None)
    if note:  # Markdown: the titles in it were escaped where they were put in (``plain``)
        slot.success(note, icon=":material/check:")


def _save(stored: StoredBoard, board: Board, done: str) -> None:
    try:
        board_store.save_next(gate.client(), stored, board)
    except (BucketError, NotABoard) as error:
        if isinstance(error, NotABoard):
            st.error(f"Nothing was saved: the board {error}.")
        else:
            show_error(error, "save the board")
        return
    data.changed()
    said(done)
    st.rerun()


def panel_tools(stored: StoredBoard, i: int) -> None:
    board = stored.board
    panel = board.panels[i]
    name = f"“{plain(panel.title)}”" if panel.title else f"panel {i + 1}"
    tools = st.container(horizontal=True)
    if tools.button("Earlier", key=f"boards_earlier_{i}", disabled=i == 0,
                    help=f"Move {name} one place earlier"):  # fmt: skip
        order = list(board.panels)
        order[i - 1], order[i] = order[i], order[i - 1]
        _save(stored, replace(board, panels=tuple(order)), f"Moved {name} earlier.")
    if tools.button("Later", key=f"boards_later_{i}", disabled=i == len(board.panels) - 1,
                    help=f"Move {name} one place later"):  # fmt: skip
        order = list(board.panels)
        order[i + 1], order[i] = order[i], order[i + 1]
        _save(stored, replace(board, panels=tuple(order)), f"Moved {name} later.")
    if tools.button("Remove", key=f"boards_remove_{i}", help=f"Remove {name} from the board"):
        kept = board.panels[:i] + board.panels[i + 1 :]
        _save(
            stored,
            replace(board, panels=kept),
            f"Removed {name}. “Undo the last change” puts it back.",
        )


def _choices(props: dict) -> dict[tuple[str, str], str]:
    """(property id, dimension) → "Thing · Property · dimension", from the type catalogue
    (one cached request) rather than a read per property."""
    types = {t.id: t for t in data.load_types()}
    out = {}
    for pid, r in props.items():
        ptype = types.get(r.prop.type.id) if r.prop.type else None
        for d in (ptype.dimensions if ptype else ()) or ():
            if d.type == "number":
                unit = f" ({d.unit})" if d.unit else ""
                out[(pid, d.name)] = f"{r.label} · {d.name}{unit}"
    return out


def add_panel_ui(stored: StoredBoard, props: dict) -> None:
    board = stored.board
    if len(board.panels) >= MAX_PANELS:
        st.caption(f"A board holds up to {MAX_PANELS} panels.")
        return
    with st.expander("Add a panel", icon=":material/add:", key="boards_add_panel"):
        kind = st.pills(
            "Kind of panel", list(KINDS), format_func=KINDS.get, key="boards_kind"
        )  # six kinds side by side (wrapping on a phone): seen at once, one click
        if kind is None:
            return
        panel = _panel_form(kind, props)
    if panel is not None:
        what = f"“{plain(panel.title)}”" if panel.title else a_or_an(KINDS[panel.kind].lower())
        _save(stored, replace(board, panels=board.panels + (panel,)), f"Added {what}.")


def _panel_form(kind: str, props: dict) -> Panel | None:
    labels = {pid: r.label for pid, r in props.items()}
    with st.form(f"boards_add_{kind}", clear_on_submit=True, border=False):
        title = st.text_input("Panel title", max_chars=200)
        size = st.selectbox("Size", list(SIZE_WORDS), index=1, format_func=SIZE_WORDS.get)
        picked, extra = [], {}
        if kind == "chart":
            picked = st.multiselect("Properties", list(labels), format_func=labels.get,
                                    max_selections=6)  # fmt: skip
            extra["range"] = st.selectbox(
                "Window", list(PRESETS), index=2, format_func=lambda k: PRESETS[k][0]
            )
        elif kind in ("last", "gauge"):
            options = _choices(props)
            chosen = st.selectbox("Property and dimension", list(options), index=None,
                                  format_func=options.get)  # fmt: skip
            picked = [chosen[0]] if chosen else []
            extra["dimension"] = chosen[1] if chosen else ""
            if kind == "last":
                extra["above"] = st.number_input("Warn above (optional)", value=None)
            else:
                extra["low"] = st.number_input("Bar starts at", value=0.0)
                extra["high"] = st.number_input("Bar ends at", value=100.0)
        elif kind == "map":
            maps = {p: t for p, t in labels.items()
                    if props[p].prop.type and kind_for(props[p].prop.type) == "map"}  # fmt: skip
            chosen = st.selectbox("Location property", list(maps), index=None,
                                  format_func=maps.get)  # fmt: skip
            picked = [chosen] if chosen else []
        elif kind == "table":
            chosen = st.selectbox("Property", list(labels), index=None, format_func=labels.get)
            picked = [chosen] if chosen else []
            extra["rows"] = int(st.number_input("Rows", 1, 100, 10))
        else:
            extra["text"] = st.text_area("Text", max_chars=5000)
        added = st.form_submit_button("Add panel", type="primary")
    if not added:
        return None
    if kind != "note" and not picked:
        st.error("Nothing was added: choose what the panel shows (the property field).")
        return None
    if kind == "gauge" and extra["high"] <= extra["low"]:
        st.error("Nothing was added: the bar must end above where it starts.")
        return None
    refs = tuple(PropertyRef(props[p].prop.thing_id or "", p) for p in picked)
    return Panel(kind, title.strip(), size, refs, **extra)


def board_tools(stored: StoredBoard, tz: str) -> None:
    cols = st.columns(2)
    with cols[0].expander("Rename", icon=":material/edit:"), st.form("boards_rename", border=False):
        title = st.text_input("Board's name", stored.board.title, max_chars=120)
        if st.form_submit_button("Rename board") and title.strip():
            try:
                board_store.rename(gate.client(), stored, title.strip())
            except BucketError as error:
                show_error(error, "rename the board")
            else:
                data.changed()
                said(f"Renamed to “{plain(title.strip())}”.")
                st.rerun()
    with cols[1].expander("Share with a group", icon=":material/share:"):
        _share_ui(stored)
    cols = st.columns(2)
    with cols[0].expander("Undo the last change", icon=":material/undo:"):
        _undo_ui(stored, tz)
    with cols[1].expander("Delete this board", icon=":material/delete:"):
        delete_ui(stored)


def _share_ui(stored: StoredBoard) -> None:
    st.caption(
        "The board and every property of yours it shows are shared with the group, read "
        "only, as the Share panel of a property does. Members find it on their Boards page."
    )
    with st.form("boards_share", clear_on_submit=True, border=False):
        group = st.text_input("Group id", placeholder="dcd:groups:design-class")
        sent = st.form_submit_button("Share board", type="primary")
    if not sent:
        return
    try:
        checked = sharing.check_subject(group)
        if not sharing.is_group(checked):
            raise ValueError(f"{checked!r} is not a group id (it starts with dcd:groups:)")
    except ValueError as error:
        st.error(f"Nothing was shared: {plain(str(error))}.")
        return
    own = {c.prop.id for c in data.property_choices().values()}
    try:
        done = board_store.share(gate.client(), stored, checked, own)
    except BucketError as error:
        show_error(error, "share the board")
        return
    st.success(
        f"Shared with {plain(checked)}: "
        + (
            f"{len(done)} newly shared (the board and its properties)."
            if done
            else "it was shared already, nothing changed."
        )  # fmt: skip
    )


def _undo_ui(stored: StoredBoard, tz: str) -> None:
    try:
        kept = board_store.versions(gate.client(), stored)
    except BucketError as error:
        show_error(error, "read the board's versions")
        return
    if len(kept) < 2:
        st.caption("Nothing to undo: this is the board's first version.")
        return
    try:
        before = read_board(kept[1][1])
    except NotABoard as error:
        st.caption(f"The version before cannot be read: {plain(str(error))}.")
        return
    st.caption(
        f"Puts back the version saved at {when(kept[1][0], tz)}: "
        f"{count_of(len(before.panels), 'panel')}, named “{plain(before.title)}”. The "
        "version it replaces is kept too: undo again to return to it."
    )
    if st.button("Undo the last change", key="boards_undo"):
        _save(stored, before, "Undone: the version before is back.")


def delete_ui(stored: StoredBoard) -> None:
    title = stored.board.title if stored.board else stored.name
    st.caption(
        f"Deletes “{plain(title)}” from your boards. It stays in your Bucket as a deleted "
        "board until you delete it for good from the Boards page, and can be restored there."
    )
    if st.button("Delete board", key="boards_delete", type="primary"):
        if stored.board is None:
            board = Board(stored.name or "Board", (), deleted=True)
        else:
            board = replace(stored.board, deleted=True)
        try:
            board_store.save_next(gate.client(), stored, board)
        except BucketError as error:
            show_error(error, "delete the board")
            return
        data.changed()
        said(f"Deleted “{plain(title)}”: restore it under Deleted boards.")
        del st.query_params["board"]
        st.rerun()
