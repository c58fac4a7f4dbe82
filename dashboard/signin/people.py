"""Names for person ids: Bucket answers a shared property's owner as ``dcd:persons:...``
only (it has no route to look a person up), which told a student nothing. The app learns
the name of each person who signs in to it (from their user info, as the sidebar shows
it) and says it beside the id where that person shared something. Only the name is kept,
for as long as a sign-in lasts plus a term; a person never seen here stays an id."""

from __future__ import annotations

from dashboard.hosting.store import shared_store
from dashboard.shared.config import AppConfig

KEEP_S = 120 * 86_400  # a term
PREFIX = "person-name:"


def remember(config: AppConfig, user: dict) -> None:
    """After a sign-in: this person's id and the name they gave Bucket."""
    person, name = str(user.get("sub") or ""), str(user.get("name") or "").strip()
    if person.startswith("dcd:persons:") and name:
        shared_store(config).put(PREFIX + person, name[:120].encode("utf-8"), ttl_s=KEEP_S)


def name_of(config: AppConfig, person: str) -> str | None:
    """The name a person signed in here with, or None when the app never saw them."""
    raw = shared_store(config).get(PREFIX + person)
    return raw.decode("utf-8") if raw else None
