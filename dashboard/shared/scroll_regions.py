"""Tables that scroll sideways (a statistics table on a phone) can be reached and scrolled
with the keyboard (WCAG 2.1.1; axe's "scrollable-region-focusable"): each such box is made a
focusable, named region while it overflows. A component with no HTML of its own whose
script, mounted once per page, watches the page for tables (Streamlit's own ``st.table``
gives its scrolling box no tab stop)."""

from __future__ import annotations

import streamlit as st

JS = """
export default function () {
  if (window.__bucketScrollRegions) return;
  window.__bucketScrollRegions = true;
  const mark = () => {
    for (const box of document.querySelectorAll("[data-testid=stTable] > div")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table, scrolls sideways");
      }
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  }).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", mark);
  mark();
}
"""


def scroll_regions() -> None:
    element = st.components.v2.component("bucket_scroll_regions", js=JS, isolate_styles=False)
    element(key="bucket_scroll_regions")
