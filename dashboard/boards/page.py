"""The Boards page: the person's boards in their order (made, renamed, moved, deleted and
restored here), the boards others share with them, and one board when the address names
it (``?board=<id>``, with ``&screen=1`` for a projector)."""

from __future__ import annotations

import json
from dataclasses import replace

import streamlit as st

from bucket_client import BucketClient, BucketError
from dashboard.boards import board_store
from dashboard.boards.board_document import Board
from dashboard.boards.board_editor import said, said_here
from dashboard.boards.board_store import StoredBoard
from dashboard.boards.board_view import all_boards, board_view
from dashboard.shared import data, shared_data
from dashboard.shared.errors import show_error
from dashboard.shared.focus_moves import panel_that_opens
from dashboard.shared.text import ago, count_of, plain
from dashboard.shared.value_tables import file_name
from dashboard.signin import gate

BOARD_PARAM = "board"


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def _own(_client: BucketClient, user: str, version: int) -> tuple[str | None, list[StoredBoard]]:
    things = _client.list_things()
    thing = board_store.boards_thing(things)
    return (thing.id if thing else None), board_store.own_boards(_client, things)


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def _shared(_client: BucketClient, user: str, version: int) -> list[StoredBoard]:
    found = []
    for c in shared_data.shared_with_me():
        if (
            c.via
            and board_store.is_board_property(c.prop)
            and c.shared.thing_name == (board_store.THING_NAME)
        ):
            reader = _client.shared_through(c.via)
            found.append(
                board_store.read_stored(reader, c.prop.thing_id, c.prop, c.shared.owner, c.via)
            )
    return sorted(found, key=lambda s: ((s.board.title if s.board else s.name).casefold(), s.key))


def own_boards() -> tuple[str | None, list[StoredBoard]]:
    return _own(gate.client(), data.user_key(), data.version())


def shared_boards() -> list[StoredBoard]:
    return _shared(gate.client(), data.user_key(), data.version())


def _lists() -> tuple[str | None, list[StoredBoard], list[StoredBoard]]:
    """The person's boards and those shared with them; a failure stops the page, said."""
    try:
        thing_id, mine = own_boards()
        return thing_id, mine, shared_boards()
    except BucketError as error:
        show_error(error, "read your boards")
        st.stop()


def boards_page() -> None:
    thing_id, mine, others = _lists()
    wanted = st.query_params.get(BOARD_PARAM)
    unseen = wanted and not any(b.key == wanted for b in mine + others)
    if unseen and st.session_state.get("_boards_read_for") != wanted:
        # made moments ago on another copy of the app (the lists are kept 30 s): read
        # them again, once per link
        st.session_state["_boards_read_for"] = wanted
        data.changed()
        thing_id, mine, others = _lists()
    if wanted:
        found = next((b for b in mine + others if b.key == wanted), None)
        if found is None:
            st.warning(
                "This link names a board you cannot see: it was deleted for good, or it "
                "is someone else's and not shared with a group you are in.",
                icon=":material/link_off:",
            )
            if st.button("All your boards", icon=":material/dashboard:"):
                all_boards()
            return
        board_view(found, [b for b in mine if b.board and not b.board.deleted])
        return
    st.title("Boards")
    said_here()
    st.caption(
        "A board keeps panels side by side: charts, last values, bars, maps, tables and "
        "notes. It is saved in your Bucket (the thing “"
        + board_store.THING_NAME
        + "”), so it opens on any copy of this app and can be shared with a group."
    )
    live = [b for b in mine if b.board is None or not b.board.deleted]
    gone = [b for b in mine if b.board is not None and b.board.deleted]
    for i, stored in enumerate(live):
        _board_row(stored, i, live)
    if not live:
        st.info("No boards yet: make one below.", icon=":material/dashboard:")
    _new_board(thing_id, live)
    if others:
        st.subheader(f"Shared with me ({len(others)})")
        for stored in others:
            _shared_row(stored)
    if gone:
        with st.expander(f"Deleted boards ({len(gone)})", icon=":material/delete:"):
            for stored in gone:
                _deleted_row(stored)


def _open_link(stored: StoredBoard, label: str) -> None:
    st.page_link(
        "pages/boards.py",
        label=label,
        query_params={BOARD_PARAM: stored.key},
        icon=":material/open_in_new:",
    )


def _board_row(stored: StoredBoard, i: int, live: list[StoredBoard]) -> None:
    with st.container(border=True):
        cols = st.columns([5, 2, 2], vertical_alignment="center")
        with cols[0]:
            if stored.board is None:
                st.markdown(f"**{plain(stored.name)}**")
                st.warning(f"This board cannot be read: {plain(stored.problem)}.")
            else:
                st.markdown(f"**{plain(stored.board.title)}**")
                st.caption(
                    f"{count_of(len(stored.board.panels), 'panel')} · saved {ago(stored.saved_at)}"
                )
        with cols[1]:
            _open_link(stored, "Open")
        with cols[2].container(horizontal=True):
            if st.button("Up", key=f"boards_up_{stored.key}", disabled=i == 0 or not stored.board,
                         help="Move this board up the list"):  # fmt: skip
                _swap(live, i, i - 1)
            if st.button("Down", key=f"boards_down_{stored.key}",
                         disabled=i == len(live) - 1 or not stored.board,
                         help="Move this board down the list"):  # fmt: skip
                _swap(live, i, i + 1)


def _swap(live: list[StoredBoard], i: int, j: int) -> None:
    """Move board ``i`` to ``j``'s place: every readable board is given its place again
    (older boards may share a position), written only where it changes."""
    order = list(live)
    order[i], order[j] = order[j], order[i]
    client = gate.client()
    try:
        for position, stored in enumerate(order):
            if stored.board is not None and stored.board.position != position:
                board = replace(stored.board, position=position)
                board_store.save_next(client, stored, board)
    except BucketError as error:
        show_error(error, "move the board")
        return
    data.changed()
    st.rerun()


def _new_board(thing_id: str | None, live: list[StoredBoard]) -> None:
    with st.form("boards_new", clear_on_submit=True, border=True):
        title = st.text_input("New board's name", max_chars=120, placeholder="Our prototype")
        made = st.form_submit_button("Make board", type="primary", icon=":material/add:")
    if not made:
        return
    if not title.strip():
        st.error("Nothing was made: a board needs a name (the field “New board's name”).")
        return
    client = gate.client()
    try:
        thing = client.get_thing(thing_id) if thing_id else board_store.make_thing(client)
        position = max((b.board.position for b in live if b.board), default=-1) + 1
        key = board_store.create(client, thing, Board(title.strip(), (), position))
    except BucketError as error:
        show_error(error, "make the board")
        return
    data.changed()
    said(f"Made the board “{plain(title.strip())}”: add its panels.")
    st.query_params[BOARD_PARAM] = key
    st.rerun()


def _shared_row(stored: StoredBoard) -> None:
    with st.container(border=True):
        cols = st.columns([5, 2], vertical_alignment="center")
        title = stored.board.title if stored.board else stored.name
        cols[0].markdown(f"**{plain(title)}**")
        cols[0].caption(f"Shared through {plain(stored.via)}")
        if stored.board is None:
            cols[0].warning(f"This board cannot be read: {plain(stored.problem)}.")
        with cols[1]:
            _open_link(stored, "Open")


def _deleted_row(stored: StoredBoard) -> None:
    cols = st.columns([5, 2, 2], vertical_alignment="center")
    cols[0].markdown(f"{plain(stored.board.title)} · deleted {ago(stored.saved_at)}")
    if cols[1].button("Restore", key=f"boards_restore_{stored.key}"):
        try:
            board_store.save_next(gate.client(), stored, replace(stored.board, deleted=False))
        except BucketError as error:
            show_error(error, "restore the board")
            return
        data.changed()
        said(f"Restored “{plain(stored.board.title)}”.")
        st.rerun()
    asked = st.session_state.get(PURGE) == stored.key
    if cols[2].button("Delete for good", key=f"boards_purge_{stored.key}", disabled=asked):
        st.session_state[PURGE] = stored.key
        st.rerun()
    if asked:
        _purge_ui(stored)


PURGE = "boards_purge_asked"


def _purge_ui(stored: StoredBoard) -> None:
    """What deleting for good removes, its versions offered for download first."""
    client = gate.client()
    try:
        kept = board_store.versions(client, stored)
    except BucketError as error:
        show_error(error, "read the board's versions")
        return
    with panel_that_opens("purge " + stored.key, border=True):
        st.warning(
            f"**Delete “{plain(stored.board.title)}” for good?** Its property goes from your "
            f"Bucket with its {count_of(len(kept), 'saved version')}: this cannot be undone. "
            "Download them first to keep a copy."
        )
        st.download_button(
            "Download its versions (JSON)",
            json.dumps([{"saved": t.isoformat(), "board": text} for t, text in kept], indent=1),
            file_name=file_name(stored.board.title) + "-versions.json",
            mime="application/json",
            on_click="ignore",
            key=f"boards_purge_copy_{stored.key}",
        )
        yes, no = st.columns(2)
        if yes.button("Yes, delete for good", type="primary", key=f"boards_purge_yes_{stored.key}"):
            st.session_state.pop(PURGE, None)
            try:
                board_store.delete_for_good(client, stored)
            except BucketError as error:
                show_error(error, "delete the board")
                return
            data.changed()
            said(
                f"Deleted “{plain(stored.board.title)}” for good (its property is gone from "
                "Bucket)."
            )
            st.rerun()
        if no.button("Cancel", key=f"boards_purge_no_{stored.key}"):
            st.session_state.pop(PURGE, None)
            st.rerun()
