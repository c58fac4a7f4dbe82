"""The embedded default: SQLite and lock files in the data folder.

Any process on this machine that uses the same data folder shares it (a second
``streamlit run`` on another port, the tests' two processes). Locks are ``flock`` on
one file per name: the operating system frees them when their holder dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path

from dashboard.hosting.store_interface import LockTimeout


class FileStore:
    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = str(data_dir / "shared-state.db")
        self.lock_dir = data_dir / "locks"
        self.lock_dir.mkdir(exist_ok=True)
        self.where = f"files in {data_dir}"
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
                " expires REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def get(self, key: str) -> bytes | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT value FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, time.time()),
            ).fetchone()
        return bytes(row[0]) if row else None

    def put(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        expires = time.time() + ttl_s if ttl_s else None
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", (key, value, expires))

    def add(self, key: str, value: bytes, ttl_s: float) -> bool:
        now = time.time()
        with self._connect() as conn:
            conn.execute("DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?", (now,))
            try:
                conn.execute("INSERT INTO kv VALUES (?, ?, ?)", (key, value, now + ttl_s))
            except sqlite3.IntegrityError:
                return False
        return True

    def count(self, key: str, ttl_s: float, by: int = 1) -> int:
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")  # one writer at a time: the read and the write
            row = conn.execute(
                "SELECT value, expires FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, now),
            ).fetchone()
            value = (int(bytes(row[0])) if row else 0) + by
            expires = row[1] if row else now + ttl_s
            conn.execute(
                "INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", (key, str(value).encode(), expires)
            )
        return value

    def delete(self, key: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM kv WHERE key = ?", (key,))

    def scan(self, prefix: str) -> list[bytes]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT value FROM kv WHERE substr(key, 1, ?) = ?"
                " AND (expires IS NULL OR expires > ?)",
                (len(prefix), prefix, time.time()),
            ).fetchall()
        return [bytes(r[0]) for r in rows]

    def lock(self, name: str, timeout_s: float, wait_s: float) -> FileLock:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        return FileLock(self.lock_dir / f"{digest}.lock", wait_s)


class FileLock:
    """``flock`` on a file, one descriptor per thread (so threads exclude each other too).
    A holder that dies releases it with its descriptors: no timeout is needed for that."""

    def __init__(self, path: Path, wait_s: float):
        self.path = path
        self.wait_s = wait_s
        self._local = threading.local()

    def __enter__(self) -> FileLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeout(f"held for over {self.wait_s:.0f} s") from None
                time.sleep(0.05)
        self._local.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        fd = self._local.fd
        self._local.fd = None
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
