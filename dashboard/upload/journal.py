"""What part of an upload is stored, kept in the shared store so a
closed tab, a restart or another replica can resume.

Rows are sent in order, so "rows 0 to n-1 are stored" is the whole truth; the key is
(user, property, a digest of the validated rows).
"""

from __future__ import annotations

import hashlib
import json
import time

import pandas as pd

from dashboard.hosting.store import SharedStore


def digest(frame: pd.DataFrame) -> str:
    """A fingerprint of exactly these rows (times and values)."""
    h = hashlib.sha256()
    h.update(frame.index.as_unit("ms").asi8.tobytes())
    for column in frame.columns:
        h.update(column.encode())
        h.update(pd.util.hash_pandas_object(frame[column], index=False).to_numpy().tobytes())
    return h.hexdigest()[:32]


class UploadJournal:
    """Progress records in the shared store, so a resume works on any replica. Kept 30
    days: a half-done upload older than that is started afresh (the user is told)."""

    KEEP_S = 30 * 86400

    def __init__(self, store: SharedStore):
        self.store = store

    @staticmethod
    def _key(user: str, property_id: str, key: str) -> str:
        return "upload:" + hashlib.sha256(f"{user}\n{property_id}\n{key}".encode()).hexdigest()[:40]

    def record(self, user: str, property_id: str, key: str, written: int, total: int) -> None:
        value = json.dumps({"written": written, "total": total, "updated": time.time()})
        self.store.put(self._key(user, property_id, key), value.encode(), self.KEEP_S)

    def written(self, user: str, property_id: str, key: str) -> tuple[int, int] | None:
        raw = self.store.get(self._key(user, property_id, key))
        if raw is None:
            return None
        data = json.loads(raw)
        return int(data["written"]), int(data["total"])

    def finish(self, user: str, property_id: str, key: str) -> None:
        self.store.delete(self._key(user, property_id, key))
