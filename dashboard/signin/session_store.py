"""Server-side sign-in sessions: a random id in an HttpOnly cookie names a row here.

SQLite in the data folder, so any server process on the machine can finish a
sign-in or serve a reload. Tokens are encrypted at rest (Fernet, key derived from
the cookie secret). Used ``state`` values are recorded so each is single use.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

SESSION_DAYS = 30


@dataclass(frozen=True)
class SignIn:
    """One signed-in browser: its token and who it is (from userinfo)."""

    sid: str
    token: dict
    user: dict


class SessionStore:
    def __init__(self, path: Path, secret: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._fernet = Fernet(
            base64.urlsafe_b64encode(hashlib.sha256(("store:" + secret).encode()).digest())
        )
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        with self._connect() as conn:
            conn.executescript(
                "CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, blob BLOB NOT NULL,"
                " updated REAL NOT NULL);"
                "CREATE TABLE IF NOT EXISTS used_states (state TEXT PRIMARY KEY, used REAL NOT NULL);"
            )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def create(self, token: dict, user: dict) -> str:
        sid = secrets.token_urlsafe(32)
        self._write(sid, token, user)
        return sid

    def _write(self, sid: str, token: dict, user: dict) -> None:
        blob = self._fernet.encrypt(json.dumps({"token": token, "user": user}).encode())
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)", (sid, blob, time.time())
            )

    def get(self, sid: str | None) -> SignIn | None:
        if not sid:
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT blob, updated FROM sessions WHERE sid = ?", (sid,)
            ).fetchone()
        if row is None or time.time() - row[1] > SESSION_DAYS * 86400:
            return None
        try:
            data = json.loads(self._fernet.decrypt(row[0]))
        except InvalidToken:
            return None
        return SignIn(sid, data["token"], data["user"])

    def update_token(self, sid: str, token: dict) -> None:
        current = self.get(sid)
        if current is not None:
            self._write(sid, token, current.user)

    def delete(self, sid: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM sessions WHERE sid = ?", (sid,))

    def consume_state(self, state: str) -> bool:
        """True the first time a ``state`` is seen, False ever after (single use)."""
        try:
            with self._connect() as conn:
                conn.execute("DELETE FROM used_states WHERE used < ?", (time.time() - 86400,))
                conn.execute("INSERT INTO used_states VALUES (?, ?)", (state, time.time()))
            return True
        except sqlite3.IntegrityError:
            return False

    def lock_for(self, sid: str) -> threading.Lock:
        """One refresh lock per sign-in: tabs of one browser share it."""
        with self._locks_guard:
            return self._locks.setdefault(sid, threading.Lock())


_stores: dict[str, SessionStore] = {}


def session_store(data_dir: Path, secret: str) -> SessionStore:
    """The process's store for this data folder (shared by all visitors; rows are per user)."""
    key = str(data_dir)
    if key not in _stores:
        _stores[key] = SessionStore(data_dir / "sessions.db", secret)
    return _stores[key]
