"""What this sign-in's token was granted (its ``scope``, a string or a list as providers
give it): said on the Account page, and asked before a page offers what needs a scope."""

from __future__ import annotations

import streamlit as st

from dashboard.signin import gate


def granted_scopes(token: dict) -> list[str] | None:
    """The token's scopes; None when the token does not say."""
    scope = token.get("scope")
    if scope is None:
        return None
    return scope.split() if isinstance(scope, str) else [str(s) for s in scope]


def has_scope(scope: str) -> bool:
    """Whether this sign-in was granted ``scope`` (not said: let the server answer)."""
    token = (st.session_state.get(gate.AUTH_KEY) or {}).get("token") or {}
    granted = granted_scopes(token)
    return granted is None or scope in granted
