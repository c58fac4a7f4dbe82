"""WCAG 2.1 A and AA checks in the browser with axe-core (the engine ``axe-playwright-python``
ships, 4.12): what a page breaks, as axe names it, for serious and critical impact; and
the keyboard user's steps (Tab to a control, what has the focus, whether it is seen)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE = Axe()


def serious_violations(page) -> list[str]:
    """Each serious or critical violation on the page: rule, what it says, where."""
    results = _AXE.run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in ("serious", "critical"):
            for node in v["nodes"]:
                where = node.get("html", "")[:200]
                found.append(f"{v['id']}: {v['help']} at {node['target']}: {where}")
    return found


FOCUSED = """el => {
  const active = document.activeElement;
  return active !== document.body && (el === active || el.contains(active));
}"""


def focus_is_seen(page) -> bool:
    """What a sighted keyboard user sees: the focused control's surroundings look different
    with the focus than without it (a ring, a border, a shadow: whatever draws it)."""
    handle = page.evaluate_handle("document.activeElement")
    box = handle.bounding_box()
    if not box:
        return False
    clip = {
        "x": max(box["x"] - 6, 0),
        "y": max(box["y"] - 6, 0),
        "width": box["width"] + 12,
        "height": box["height"] + 12,
    }
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("el => el.blur()", handle)
    page.wait_for_timeout(150)
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("el => el.focus({focusVisible: true})", handle)
    page.wait_for_timeout(150)
    return focused != unfocused


def tab_to(page, target, limit: int = 90, shift: bool = False) -> None:
    """Press Tab (Shift+Tab) until ``target`` has the focus, as a keyboard user does; say
    where the focus went instead if it never gets there. Focus must be visible there."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        if target.evaluate(FOCUSED):
            assert focus_is_seen(page), page.evaluate("document.activeElement.outerHTML")[:300]
            return
    raise AssertionError(
        "never focused: " + page.evaluate("document.activeElement.outerHTML")[:300]
    )


def focused_name(page) -> str:
    """What the focused element is called (its label, name or text)."""
    return page.evaluate(
        """() => { const el = document.activeElement;
        if (!el || el === document.body) return "(the page)";
        const box = el.closest('[data-testid]'); const label = box && box.querySelector('label');
        return (el.getAttribute('aria-label') || (label && label.innerText) || el.innerText
                || '').trim(); }"""
    )
