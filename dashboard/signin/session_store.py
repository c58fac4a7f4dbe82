"""Server-side sign-in sessions: a random id in an HttpOnly cookie names a record here.

The records live in the shared store (files on one machine, Redis across replicas), so
any server process can finish a sign-in or serve a reload. Tokens are encrypted at rest
(Fernet, key derived from the cookie secret) and keyed by a digest of the id, so the
store never holds a usable session id either. Used ``state`` values are recorded so
each is single use.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass

from dashboard.hosting.sealed import Sealed
from dashboard.hosting.store import SharedStore, shared_store

SESSION_DAYS = 30
# A refresh may retry the provider for up to ~170 s (bucket_client.auth); the lock outlives
# that, and a replica that dies holding it frees it after this long.
REFRESH_LOCK_S = 180.0
PREFIX = "session:"


@dataclass(frozen=True)
class SignIn:
    """One signed-in browser: its token and who it is (from userinfo)."""

    sid: str
    token: dict
    user: dict


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


class SessionStore:
    def __init__(self, store: SharedStore, secret: str):
        self.store = store
        self._sealed = Sealed(secret, "store")

    def create(self, token: dict, user: dict) -> str:
        sid = secrets.token_urlsafe(32)
        self._write(sid, token, user)
        return sid

    def _write(self, sid: str, token: dict, user: dict) -> None:
        key = PREFIX + _digest(sid)
        # the record names its own key inside the seal (``hosting/sealed.py``)
        record = {"token": token, "user": user}
        self.store.put(key, self._sealed.seal(key, record), SESSION_DAYS * 86400)

    def _read(self, blob: bytes | None, key: str | None = None) -> dict | None:
        """The record, if it opens and (``key`` given) was written for that key."""
        return self._sealed.open(blob, key)

    def get(self, sid: str | None) -> SignIn | None:
        if not sid:
            return None
        key = PREFIX + _digest(sid)
        data = self._read(self.store.get(key), key)
        return SignIn(sid, data["token"], data["user"]) if data else None

    def update_token(self, sid: str, token: dict) -> None:
        current = self.get(sid)
        if current is not None:
            self._write(sid, token, current.user)

    def delete(self, sid: str) -> None:
        self.store.delete(PREFIX + _digest(sid))

    def records(self) -> list[dict]:
        """Every live sign-in's ``token`` and ``user`` (tests and the load bench count them)."""
        return [d for d in map(self._read, self.store.scan(PREFIX)) if d]

    def tokens(self) -> list[dict]:
        return [d["token"] for d in self.records()]

    def consume_state(self, state: str) -> bool:
        """True the first time a ``state`` is seen, False ever after (single use)."""
        return self.store.add("used-state:" + _digest(state), b"1", 86400)

    def lock_for(self, sid: str) -> AbstractContextManager:
        """One refresh lock per sign-in, across tabs and replicas."""
        return self.store.lock("refresh:" + _digest(sid), REFRESH_LOCK_S, REFRESH_LOCK_S + 10)


def session_store(config) -> SessionStore:
    """The store of sign-ins for this app's config (shared by all visitors)."""
    return SessionStore(shared_store(config), config.cookie_secret)
