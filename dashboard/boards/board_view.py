"""One board: its panels on a grid of four columns that stacks on a phone (Streamlit's
columns do below 640 px), the owner's tools to change it, and screen mode for a projector
(no menu, large type, the panels read again on a pace the request budget allows)."""

from __future__ import annotations

import streamlit as st

from dashboard.boards import board_editor, panels
from dashboard.boards.board_document import SIZES, Panel
from dashboard.boards.board_store import StoredBoard
from dashboard.shared import budget
from dashboard.shared.text import count_of, plain
from dashboard.shared.zones import browser_tz

SCREEN_PARAM = "screen"
SCREEN_STYLE = """<style>
section[data-testid="stSidebar"], header[data-testid="stHeader"],
[data-testid="stSidebarCollapsedControl"] { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
.stMain { font-size: 1.35rem; }
.stMain h1 { font-size: 3rem !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
</style>"""
SCREEN_EVERY_S = (15, 30, 60, 120, 300, 600)  # the pace chosen: the fastest the budget allows


def all_boards() -> None:
    """Back to the list: the board leaves the address (a link to the same page would keep
    it, and the next rerun would open the board again)."""
    for name in ("board", SCREEN_PARAM):
        st.query_params.pop(name, None)
    st.rerun()


def rows(board_panels: tuple[Panel, ...]) -> list[list[tuple[int, Panel]]]:
    """Panels in order, filling rows of four columns; a panel that does not fit starts the
    next row."""
    out: list[list[tuple[int, Panel]]] = [[]]
    used = 0
    for i, panel in enumerate(board_panels):
        width = SIZES.get(panel.size, 2)
        if used + width > 4:
            out.append([])
            used = 0
        out[-1].append((i, panel))
        used += width
    return [row for row in out if row]


def requests_per_read(board_panels: tuple[Panel, ...]) -> int:
    """Bucket requests one reading of the board costs at most (cached reads cost none)."""
    cost = {"chart": None, "last": 1, "gauge": 1, "map": 2, "table": 3, "note": 0}
    return sum(
        len(p.properties) * 2 if cost[p.kind] is None else cost[p.kind]
        for p in board_panels
        if not p.problem
    )


def screen_pace(per_read: int, limit: int | None) -> int:
    """Seconds between readings: the fastest of ``SCREEN_EVERY_S`` that leaves three
    quarters of Bucket's budget (``limit`` requests a minute, when known) to people's
    clicks; the slowest when even that would take more."""
    if not limit or per_read == 0:
        return SCREEN_EVERY_S[1]
    for every in SCREEN_EVERY_S:
        if per_read * 60 / every <= limit * budget.LOW_SHARE:
            return every
    return SCREEN_EVERY_S[-1]


def draw_panels(stored: StoredBoard, tz: str, editing: bool) -> None:
    props = panels.reachable()
    board = stored.board
    for row in rows(board.panels):
        widths = [SIZES.get(p.size, 2) for _, p in row]
        if sum(widths) < 4:
            widths.append(4 - sum(widths))  # an empty cell keeps the sizes as chosen
        cols = st.columns(widths)
        for col, (i, panel) in zip(cols, row):
            with col:
                panels.draw_panel(panel, i + 1, props, tz, stored.owner)
                if editing:
                    board_editor.panel_tools(stored, i)


def board_view(stored: StoredBoard, own: list[StoredBoard]) -> None:
    screen = st.query_params.get(SCREEN_PARAM) == "1"
    if stored.board is None:
        st.title(plain(stored.name))
        st.warning(f"This board cannot be read: {plain(stored.problem)}.", icon=":material/error:")
        if not stored.owner:
            board_editor.delete_ui(stored)
        return
    board = stored.board
    tz = browser_tz()
    if screen:
        _screen(stored, tz)
        return
    st.title(plain(board.title))
    if stored.owner:
        st.caption(f"Shared with you through {plain(stored.via)}.")
    if board.deleted:
        st.info("This board is deleted: restore it from the Boards page.", icon=":material/delete:")
    links = st.container(horizontal=True)
    if links.button("All boards", icon=":material/arrow_back:", key="boards_back"):
        all_boards()
    links.page_link(
        "pages/boards.py",
        label="Screen mode",
        query_params={"board": stored.key, SCREEN_PARAM: "1"},
        icon=":material/tv:",
        help="For a projector or a TV: no menu, large type, the panels read again on a pace",
    )
    editing = not stored.owner and links.toggle("Change this board", key="boards_editing")
    board_editor.said_here()
    if not board.panels:
        st.info(
            "No panels yet: turn on “Change this board” and add one.", icon=":material/dashboard:"
        )
    draw_panels(stored, tz, editing)
    if editing:
        board_editor.add_panel_ui(stored, panels.reachable())
        board_editor.board_tools(stored, tz)


def _screen(stored: StoredBoard, tz: str) -> None:
    st.html(SCREEN_STYLE)
    per_read = requests_per_read(stored.board.panels)
    every = screen_pace(per_read, budget.current().snapshot()[1])

    @st.fragment(run_every=every)
    def live():
        st.title(plain(stored.board.title))
        draw_panels(stored, tz, editing=False)
        st.caption(
            f"Read again every {every} s: at most {count_of(per_read * 60 // every, 'request')} "
            "a minute of Bucket's shared budget."
        )

    live()
