"""WCAG 2.1 A and AA checks in the browser with axe-core (the engine ``axe-playwright-python``
ships, 4.12): what a page breaks, as axe names it, for serious and critical impact."""

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
