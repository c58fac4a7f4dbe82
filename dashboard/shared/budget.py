"""Bucket's request budget as this app sees it: shown in the sidebar, and the reason the
app's own background work (live refresh, optional extra reads) slows down first.

The real Bucket counts requests per client address; behind a lab's proxy that is one
budget for every user, so what one student's live chart spends, another's click waits for.
"""

from __future__ import annotations

from bucket_client import RateBudget
from dashboard.shared.config import app_config
from dashboard.shared.embedded import server_settings

LOW_SHARE = 0.25  # under a quarter of the window left: background work backs off
LOW_FLOOR = 10  # and never below this many requests kept for people's own clicks


def current() -> RateBudget:
    from dashboard.signin.sign_in_client import shared_budget

    return shared_budget(server_settings(app_config()).api_url)


def is_low(budget: RateBudget | None = None) -> bool:
    """Whether background work should wait: little is left of a window that is known."""
    remaining, limit, _ = (budget or current()).snapshot()
    if remaining is None or not limit:
        return False
    return remaining < max(LOW_FLOOR, limit * LOW_SHARE)


def words(budget: RateBudget | None = None) -> str | None:
    """ "87 of 100 Bucket requests left, new budget in 42 s", or None before Bucket said."""
    remaining, limit, reset_s = (budget or current()).snapshot()
    if remaining is None:
        return None
    of = f" of {limit:,}" if limit else ""
    return f"{max(0, remaining):,}{of} Bucket requests left, new budget in {reset_s:.0f} s"


def draw(where) -> None:
    """Fill a placeholder with the budget (after the page ran, so it is up to date)."""
    said = words()
    if said is None:
        return
    where.caption(
        said + (" (low: background refresh slowed)" if is_low() else ""),
        help="Bucket limits requests per server address; everyone using this app shares it.",
    )
