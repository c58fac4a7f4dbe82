"""Load the chart library in the browser before a chart needs it.

Explore's chart element draws with Plotly.js, a 4.8 MB script: the first chart of a visit
would wait for its download and compilation. The sidebar, drawn before every signed-in
page runs, adds it to the app's own document from a hidden same-origin frame: it is
compiled while the person reads Things, or while Explore's data is fetched when a link
opens Explore directly. The promise is kept on the app's window under ``LOADING``, where
the chart element looks before loading it itself, so it is never loaded twice. The script
is served with a year's cache life under a name that carries its version
(``dashboard/shared/chart_library.py``).

The same frame imports Streamlit's own module for custom elements (which the chart element
is), which Streamlit otherwise loads lazily at the first chart: with a function made in the
parent's realm, resolved beside Streamlit's entry script, so it lands in the page's module
map where Streamlit's lazy import finds it. Only the browser works; the server sends a few
bytes.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

from dashboard.shared.chart_library import plotly_js_url

LOADING = "bucketChartLibrary"
PHONE_WIDTH = 640  # Streamlit's own breakpoint: below it the sidebar opens over the page


@functools.cache
def element_module() -> str:
    """The file name of Streamlit's custom element module (it carries a content hash)."""
    static = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(static.glob("BidiComponent.*.js"))
    return found[0].name if found else ""


# Run in the frame: add the script to the parent document, once per document, and import
# Streamlit's element module there (a module is evaluated once however often it is imported).
LOAD_IN_PARENT = """<script>
try {
  const app = window.parent;
  const url = new URL(%(url)s, app.location.href).href;
  if (!app.Plotly && !(app[%(key)s] && app[%(key)s][url])) {
    const loading = (app[%(key)s] = app[%(key)s] || {});
    loading[url] = new app.Promise((resolve, reject) => {
      const script = app.document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => resolve(app.Plotly);
      script.onerror = () => { delete loading[url]; reject(new app.Error("not loaded: " + url)); };
      app.document.head.appendChild(script);
    });
    loading[url].catch(() => {});
  }
  const entry = app.document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (entry && %(module)s) {
    const module = new URL(%(module)s, entry.src).href;
    new app.Function("url", "return import(url)")(module).catch(() => {});
  }
  // On a phone the sidebar covers the page: a choice in its menu closes it, as an app's
  // menu does (Streamlit closes it for its own navigation, not for page links)
  if (!app.bucketMenuCloses) {
    app.bucketMenuCloses = true;
    app.document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] a');
      if (!link || app.innerWidth >= %(narrow)s) return;
      const close = app.document.querySelector(
        '[data-testid="stSidebar"] [data-testid="stSidebarCollapseButton"] button, '
        + '[data-testid="stSidebar"] [data-testid="stBaseButton-headerNoPadding"]'
      );
      if (close) app.setTimeout(() => close.click(), 0);
    }, true);
  }
} catch (error) {}
</script>"""


def preload_chart_library() -> None:
    script = LOAD_IN_PARENT % {
        "url": json.dumps(plotly_js_url()),
        "key": json.dumps(LOADING),
        "module": json.dumps(element_module()),
        "narrow": PHONE_WIDTH,
    }
    # the same frame on every run: the browser keeps it, nothing is loaded twice;
    # one pixel high: Streamlit does not draw a frame of height 0
    st.iframe(script, height=1, tab_index=-1)
