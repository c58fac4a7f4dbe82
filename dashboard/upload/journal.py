"""What part of an upload is stored, kept on disk so a closed tab or a restart can resume.

Rows are sent in order, so "rows 0 to n-1 are stored" is the whole truth; the key is
(user, property, a digest of the validated rows).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pandas as pd


def digest(frame: pd.DataFrame) -> str:
    """A fingerprint of exactly these rows (times and values)."""
    h = hashlib.sha256()
    h.update(frame.index.as_unit("ms").asi8.tobytes())
    for column in frame.columns:
        h.update(column.encode())
        h.update(pd.util.hash_pandas_object(frame[column], index=False).to_numpy().tobytes())
    return h.hexdigest()[:32]


class UploadJournal:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS uploads (user TEXT, property TEXT, digest TEXT,"
                " written INTEGER, total INTEGER, updated REAL, PRIMARY KEY (user, property, digest))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def record(self, user: str, property_id: str, key: str, written: int, total: int) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO uploads VALUES (?, ?, ?, ?, ?, ?)",
                (user, property_id, key, written, total, time.time()),
            )

    def written(self, user: str, property_id: str, key: str) -> tuple[int, int] | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT written, total FROM uploads WHERE user=? AND property=? AND digest=?",
                (user, property_id, key),
            ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def finish(self, user: str, property_id: str, key: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM uploads WHERE user=? AND property=? AND digest=?",
                (user, property_id, key),
            )
