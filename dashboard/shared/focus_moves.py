"""Where keyboard focus goes when part of the page opens, closes or is drawn again, as the
WAI-ARIA Authoring Practices ask for a dialog or a disclosure:

- a popover that opens moves focus to its first field or button (Streamlit leaves it on
  the button, and the popover's fields were 28-37 Tabs away, after the whole page);
- a popover that closes (Escape, or a click outside) gives focus back to its button;
- an element that had focus and is drawn again by a rerun (a form's button, a field)
  hands focus to its new copy, found by its role and name; when the rerun closed the part
  it sat in (the "New property" expander after "Create property"), to that part's
  summary; never to the page's top (where the browser puts it when the focused node goes).

A component with no HTML of its own, mounted once per page (beside ``scroll_regions``),
selecting by Streamlit's stable test ids only."""

from __future__ import annotations

import streamlit as st

JS = """
export default function () {
  if (window.__bucketFocusMoves) return;
  window.__bucketFocusMoves = true;
  const FOCUSABLE = "input:not([type=hidden]):not([disabled]), textarea, select, " +
    "button:not([disabled]), [href], [tabindex]:not([tabindex='-1']), [role=spinbutton]";
  let opener = null;   // the popover button that opened the open popover
  let last = null;     // the element that last had focus, and how to find it again
  let lastKey = null;
  // what a person would call it: its kind, role, name and text (a field: its label)
  const keyOf = (el) => [
    el.tagName, el.getAttribute("role") || "", el.getAttribute("aria-label") || "",
    el.matches("input, textarea, select") ? "" : (el.innerText || "").trim().slice(0, 80),
    (el.closest("[data-testid]") || { dataset: {} }).dataset.testid || "",
  ].join("|");
  const labelOf = (el) => {
    const box = el.closest("[data-testid^=stText], [data-testid=stNumberInput], " +
      "[data-testid=stTextArea], [data-testid=stSelectbox], [data-testid=stMultiSelect]");
    const label = box && box.querySelector("label");
    return label ? label.innerText.trim() : "";
  };
  let lastOuter = null; // the expander's summary the focused element sat in
  document.addEventListener("focusin", (event) => {
    last = event.target;
    lastKey = keyOf(last) + "|" + labelOf(last);
    const details = last.closest && last.closest("details");
    const summary = details && details.querySelector("summary");
    lastOuter = summary && summary !== last ? (summary.innerText || "").trim() : null;
  }, true);
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-testid=stPopover] button");
    if (button) opener = button;
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const button = event.target.closest && event.target.closest("[data-testid=stPopover] button");
    if (button) opener = button;
  }, true);
  const lost = () => !document.activeElement || document.activeElement === document.body;
  const again = () => {
    for (const el of document.querySelectorAll(FOCUSABLE)) {
      if (el.offsetParent !== null && keyOf(el) + "|" + labelOf(el) === lastKey) return el;
    }
    return null;
  };
  let queued = false;
  const look = () => {
    queued = false;
    const body = document.querySelector("[data-testid=stPopoverBody]");
    if (body && opener && !body.contains(document.activeElement) && !body.dataset.bucketFocused) {
      body.dataset.bucketFocused = "1";
      const first = [...body.querySelectorAll(FOCUSABLE)].find((el) => el.offsetParent !== null);
      if (first) first.focus({ preventScroll: false });
      return;
    }
    if (!body && opener && lost()) {
      const back = opener.isConnected ? opener : null;
      opener = null;
      if (back) back.focus({ preventScroll: true });
      return;
    }
    if (!body) opener = null;
    if (last && !last.isConnected && lost()) {
      // its new copy; or, when the part it sat in was closed by the rerun (an expander
      // "closed once used"), that part's summary: what opened it
      let found = again();
      if (!found && lastOuter) {
        found = [...document.querySelectorAll("details > summary")].find(
          (el) => (el.innerText || "").trim() === lastOuter);
      }
      if (found) found.focus({ preventScroll: true });
    }
  };
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(look);
  }).observe(document.body, { childList: true, subtree: true });
}
"""


def focus_moves() -> None:
    element = st.components.v2.component("bucket_focus_moves", js=JS, isolate_styles=False)
    element(key="bucket_focus_moves")
