"""What part of an upload is stored, kept in the shared store so a
closed tab, a restart or another replica can resume.

Rows are sent in order, so "rows 0 to n-1 are stored" is the whole truth; the key is
(user, property, a digest of the validated rows).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import numpy as np
import pandas as pd

from dashboard.hosting.store import SharedStore


def digest(frame: pd.DataFrame) -> str:
    """A fingerprint of exactly these rows (times and values)."""
    h = hashlib.sha256()  # fed the arrays' own memory: a copy of 5 million times is 44 MB
    h.update(np.ascontiguousarray(frame.index.as_unit("ms").asi8).data)
    for column in frame.columns:
        h.update(column.encode())
        hashed = pd.util.hash_pandas_object(frame[column], index=False).to_numpy()
        h.update(np.ascontiguousarray(hashed).data)
    return h.hexdigest()[:32]


class UploadJournal:
    """Progress records in the shared store, so a resume works on any replica. Kept 30
    days: a half-done upload older than that is started afresh (the user is told).

    Each record carries an HMAC of its key and content under the app's secret: one who can
    write the store (Redis) but not read the secret cannot forge "rows 0 to 98 are stored"
    and make a resume skip rows that never reached Bucket. A record that is not exactly what
    this class wrote reads as none: the upload starts from its first row."""

    KEEP_S = 30 * 86400

    def __init__(self, store: SharedStore, secret: str = ""):
        self.store = store
        self._mac_key = hashlib.sha256(("journal:" + secret).encode()).digest()

    def _mac(self, key: str, body: str) -> str:
        return hmac.new(self._mac_key, f"{key}\n{body}".encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _key(user: str, property_id: str, key: str) -> str:
        return "upload:" + hashlib.sha256(f"{user}\n{property_id}\n{key}".encode()).hexdigest()[:40]

    def record(
        self, user: str, property_id: str, key: str, written: int, total: int, **extra: str
    ) -> None:
        """``written`` of ``total`` done; ``extra`` text kept beside them (``details``)."""
        where = self._key(user, property_id, key)
        body = json.dumps(
            {"written": written, "total": total, "updated": time.time(), "extra": extra}
        )
        value = json.dumps({"body": body, "mac": self._mac(where, body)})
        self.store.put(where, value.encode(), self.KEEP_S)

    def details(self, user: str, property_id: str, key: str) -> dict[str, str]:
        """The ``extra`` text of a record this app wrote ({} for none, or one not its own)."""
        if self.written(user, property_id, key) is None:
            return {}
        outer = json.loads(self.store.get(self._key(user, property_id, key)))
        extra = json.loads(outer["body"]).get("extra") or {}
        return (
            {k: v for k, v in extra.items() if isinstance(v, str)}
            if isinstance(extra, dict)
            else {}
        )

    def written(self, user: str, property_id: str, key: str) -> tuple[int, int] | None:
        """``(rows stored, rows in all)``, or None: nothing recorded, or a record that is not
        this app's own (not JSON, tampered, a count that is no count)."""
        where = self._key(user, property_id, key)
        raw = self.store.get(where)
        if raw is None:
            return None
        try:
            outer = json.loads(raw)
            body = outer["body"]
            if not hmac.compare_digest(str(outer["mac"]), self._mac(where, body)):
                return None
            data = json.loads(body)
            written, total = data["written"], data["total"]
        except (ValueError, TypeError, KeyError):
            return None
        counts = isinstance(written, int) and isinstance(total, int)
        return (written, total) if counts and 0 <= written <= total else None

    def finish(self, user: str, property_id: str, key: str) -> None:
        self.store.delete(self._key(user, property_id, key))


def journal() -> UploadJournal:
    """The app's journal: its shared store, signed with its cookie secret."""
    from dashboard.hosting.store import shared_store
    from dashboard.shared.config import app_config

    config = app_config()
    return UploadJournal(shared_store(config), config.cookie_secret)
