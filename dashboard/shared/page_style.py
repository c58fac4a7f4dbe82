"""The few rules of style every signed-in page shares, for narrow screens (a phone).

A chosen property's chip wraps its label instead of cutting it ("(TEMPERATURI"), and a table
wider than the screen, which scrolls sideways inside its box, shows a shadow at the edge
where more of it is. Selected by Streamlit's stable test ids and data attributes
(checked on Streamlit 1.67; the phone's browser test fails when they change), never by its
generated class names.
"""

from __future__ import annotations

import streamlit as st

from dashboard.shared.focus_moves import focus_moves
from dashboard.shared.host_routes import check_host_routes
from dashboard.shared.scroll_regions import scroll_regions

SCROLL_CUE = (
    "background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)),"
    "linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) 100% 0,"
    "radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.2),rgba(0,0,0,0)),"
    "radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.2),rgba(0,0,0,0)) 100% 0;"
    "background-repeat:no-repeat;background-size:40px 100%,40px 100%,14px 100%,14px 100%;"
    "background-attachment:local,local,scroll,scroll"
)

STYLE = (
    "<style>"
    ".stMultiSelect [data-tag]{height:auto;max-width:100%}"
    ".stMultiSelect [data-tag]>span[title]{white-space:normal;overflow:visible;"
    "text-overflow:clip;overflow-wrap:anywhere}"
    f"[data-testid=stTable]>div{{{SCROLL_CUE}}}"
    "</style>"
)


def shared_style() -> None:
    st.html(STYLE)
    scroll_regions()
    focus_moves()
    check_host_routes()
