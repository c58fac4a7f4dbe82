"""Consent remembered per person and app, as Hydra remembers it when the consent page
accepts with ``remember: true``: a person who allowed an app is not asked again, from any
browser, while it asks for no more than they allowed. ``prompt=consent`` asks anyway."""

from __future__ import annotations

import sqlite3


def remember(conn: sqlite3.Connection, user_id: str, client_id: str, scopes: list[str]) -> None:
    """The scopes this person allowed this app, added to what they allowed before."""
    row = conn.execute(
        "SELECT scope FROM remembered_consents WHERE user_id = ? AND client_id = ?",
        (user_id, client_id),
    ).fetchone()
    allowed = set(row["scope"].split()) if row else set()
    conn.execute(
        "INSERT OR REPLACE INTO remembered_consents (user_id, client_id, scope) VALUES (?, ?, ?)",
        (user_id, client_id, " ".join(sorted(allowed | set(scopes)))),
    )
    conn.commit()


def covers(conn: sqlite3.Connection, user_id: str, client_id: str, scopes: list[str]) -> bool:
    """Whether this person already allowed this app every scope it asks for now."""
    row = conn.execute(
        "SELECT scope FROM remembered_consents WHERE user_id = ? AND client_id = ?",
        (user_id, client_id),
    ).fetchone()
    return row is not None and set(scopes) <= set(row["scope"].split())
