"""Where keyboard focus goes when part of the page opens, closes or is drawn again, as the
WAI-ARIA Authoring Practices ask for a dialog or a disclosure:

- a popover that opens moves focus to its first field or button (Streamlit leaves it on
  the button, and the popover's fields were 28-37 Tabs away, after the whole page);
- a popover that closes (Escape, or a click outside) gives focus back to its button;
- a panel a button opens in the page (``panel_that_opens``: a property's sharing, "Undo
  this upload?") takes focus to its first field, or its first button or link, and gives
  it back to that button when it closes; an expander opened from its summary ("New
  property", "Edit name and description") moves focus to its first field the same way;
- an element that had focus and is drawn again by a rerun (a form's button, a field)
  hands focus to its new copy, found by its role and name; when the rerun closed the part
  it sat in (the "New property" expander after "Create property"), to that part's
  summary; never to the page's top (where the browser puts it when the focused node goes).

A component with no HTML of its own, mounted once per page (beside ``scroll_regions``),
selecting by Streamlit's stable test ids only."""

from __future__ import annotations

import re

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
  // panels that open in the page: their class, and the key of what opened them
  const PANEL = "[class*='st-key-bucket_opens_']";
  const panelName = (el) => [...el.classList].find((c) => c.startsWith("st-key-bucket_opens_"));
  const panels = new Map();
  let actionKey = null;   // what a click or key last acted on (the opener of a new panel)
  let toFocus = null;     // a panel just opened, until it has a field or the person acts
  let placed = null;      // where focus was put in it, while no field has been drawn yet
  // drawn and current: not an element left from the run before (Streamlit marks those
  // stale until the new run replaces them; the button that opened a panel can still sit
  // in its place for a moment)
  const current = (el) => el.offsetParent !== null && !el.closest("[data-stale=true]");
  const shown = (box, skip) => [...box.querySelectorAll(FOCUSABLE)].filter(
    (el) => current(el) && !(skip && skip.contains(el)));
  const firstIn = (box, skip) => {
    const all = shown(box, skip);
    return all.find((el) => el.matches("input, textarea, select")) || all[0] || null;
  };
  const acted = (event) => {
    toFocus = null;
    const target = event.target;
    if (target && target.nodeType === 1) actionKey = keyOf(target) + "|" + labelOf(target);
  };
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    const summary = details.querySelector(":scope > summary");
    if (!summary || document.activeElement !== summary) return;
    let tries = 0;
    const into = () => {
      if (document.activeElement !== summary) return;  // the person moved on
      const first = firstIn(details, summary);
      if (first) first.focus({ preventScroll: false });
      else if (tries++ < 40) setTimeout(into, 50);
    };
    setTimeout(into, 0);
  }, true);
  document.addEventListener("focusin", (event) => {
    last = event.target;
    lastKey = keyOf(last) + "|" + labelOf(last);
    const details = last.closest && last.closest("details");
    const summary = details && details.querySelector("summary");
    lastOuter = summary && summary !== last ? (summary.innerText || "").trim() : null;
  }, true);
  document.addEventListener("click", acted, true);
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-testid=stPopover] button");
    if (button) opener = button;
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Tab" || event.key === "Shift") toFocus = null;
    if (event.key !== "Enter" && event.key !== " ") return;
    acted(event);
    const button = event.target.closest && event.target.closest("[data-testid=stPopover] button");
    if (button) opener = button;
  }, true);
  const lost = () => !document.activeElement || document.activeElement === document.body;
  const again = () => {
    for (const el of document.querySelectorAll(FOCUSABLE)) {
      if (current(el) && keyOf(el) + "|" + labelOf(el) === lastKey) return el;
    }
    return null;
  };
  // a panel that opened takes focus; one that closed gives it back to what opened it
  const panelMoves = () => {
    const now = new Map();
    for (const el of document.querySelectorAll(PANEL)) now.set(panelName(el), el);
    for (const [name, key] of panels) {
      if (now.has(name)) continue;
      panels.delete(name);
      if (toFocus === name) toFocus = null;
      if (!lost()) continue;
      for (const el of document.querySelectorAll(FOCUSABLE)) {
        if (el.offsetParent !== null && keyOf(el) + "|" + labelOf(el) === key) {
          el.focus({ preventScroll: true });
          return true;
        }
      }
    }
    for (const [name, el] of now) {
      if (panels.has(name)) continue;
      panels.set(name, actionKey);
      if (actionKey) { toFocus = name; placed = null; }
    }
    if (!toFocus || !now.has(toFocus)) return false;
    const box = now.get(toFocus);
    // moved on by something else (a person's key or click has cleared toFocus already);
    // a placed element redrawn away leaves the focus lost, and it is placed again
    if (placed && document.activeElement !== placed && !lost()) { toFocus = null; return false; }
    const first = firstIn(box);
    if (!first || first === document.activeElement) return false;
    first.focus({ preventScroll: false });
    if (first.matches("input, textarea, select")) toFocus = null; else placed = first;
    return true;
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
    if (panelMoves()) return;
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


def panel_that_opens(name: str, **container_args):
    """A container for a panel a button opens in the page: when it appears after a click or
    key, focus moves into it; when it goes, back to the button (found again by its name).
    ``name`` tells panels apart on one page."""
    return st.container(key="bucket_opens_" + re.sub(r"[^A-Za-z0-9_]", "_", name), **container_args)


def focus_moves() -> None:
    element = st.components.v2.component("bucket_focus_moves", js=JS, isolate_styles=False)
    element(key="bucket_focus_moves")
