"""Load the chart library in the browser while the person reads another page.

Streamlit loads its Plotly element, a 4.7 MB module, the first time a page shows a chart:
the first chart of a visit waited for its download and compilation (about 1 s of the
2.7 s measured cold in Chromium). The Things page, where a visit starts, imports it in a
hidden same-origin frame, so the browser's caches hold it when Explore is opened. Only
the browser works; the server sends a few bytes. The file name carries a content hash, so
it is looked up in Streamlit's own static folder (nothing happens if there is none).
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components


@functools.cache
def chart_module() -> str | None:
    static = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(static.glob("PlotlyChart.*.js"))
    return f"static/js/{found[0].name}" if found else None


def preload_chart_module() -> None:
    module = chart_module()
    if module:  # the same frame on every run: the browser keeps it, nothing is loaded twice
        components.html(
            "<script type='module'>"
            f"import(new URL('{module}', window.parent.location.origin + '/').href)"
            ".catch(() => {});</script>",
            height=0,
        )
