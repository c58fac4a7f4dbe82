"""Load the chart library in the browser before a chart needs it.

Streamlit loads its Plotly element, a 4.7 MB module, the first time a page shows a chart:
the first chart of a visit waited for its download, compilation and evaluation (about 1 s
of the 2.7 s measured cold in Chromium, and 0.3 s even from the browser's caches). The
sidebar, drawn before every signed-in page runs, imports it into the app's own document
from a hidden same-origin frame: the module is evaluated while the person reads Things, or
while Explore's data is fetched when a link opens Explore directly, and is held in the
document's module map, where Streamlit's own lazy import finds it. Only the browser works;
the server sends a few bytes. The file name carries a content hash, so it is looked up in
Streamlit's own static folder (nothing happens if there is none), and resolved beside
Streamlit's entry script, as Streamlit resolves it (so a ``baseUrlPath`` or a proxy prefix
changes nothing).
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st


@functools.cache
def chart_module() -> str | None:
    static = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(static.glob("PlotlyChart.*.js"))
    return found[0].name if found else None


# Run in the frame: find the app's entry script in the parent document, and import the
# module with a function made in the parent's realm, so it lands in the parent's module map.
IMPORT_IN_PARENT = """<script>
try {
  const app = window.parent;
  const entry = app.document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (entry) {
    const url = new URL("%s", entry.src).href;
    new app.Function("url", "return import(url)")(url).catch(() => {});
  }
} catch (error) {}
</script>"""


def preload_chart_module() -> None:
    module = chart_module()
    if module:  # the same frame on every run: the browser keeps it, nothing is loaded twice
        # one pixel high: Streamlit does not draw a frame of height 0
        st.iframe(IMPORT_IN_PARENT % module, height=1, tab_index=-1)
