"""The user's recent uploads, each with what it changed, so it can be undone.

Before a write from the form, the grid or the CSV wizard, the app reads what Bucket holds
at the times it will write: an upload is then fully described by the times it writes and
the values it overwrote (the others were new). Undo deletes the new times and writes the
overwritten values back. Both parts are kept in the shared store (Redis when hosted, so any
replica can undo), as Parquet: exact types and text, and a file's times, a few ms apart,
delta-encoded to a few bytes each. Kept a week, the newest ten shown.

Each record's description is signed with the app's secret (as the upload journal is), and
names its parts' digests: a record someone wrote into Redis, or parts swapped between
records, read as no record, never as times to delete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import json
import secrets
import time

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.hosting.store import SharedStore

KEEP_S = 7 * 86400
SHOWN = 10


@dataclasses.dataclass(frozen=True)
class UploadRecord:
    """One upload as the history shows it (the parts are read only to undo it)."""

    id: str
    thing_id: str
    property_id: str
    label: str  # "Phone / Motion", as the person saw it when writing
    source: str  # "form", "grid" or "CSV file phone.csv"
    at: float  # when it was written (epoch seconds)
    written: int  # times it writes
    overwritten: int  # of which held a value before
    state: str  # "writing", "written", "undone"

    @property
    def new(self) -> int:
        return self.written - self.overwritten


def times_bytes(index: pd.DatetimeIndex) -> bytes:
    """The written times as Parquet, delta-encoded (5 million 10 ms steps: a few KB)."""
    table = pa.table({"ms": pa.array(index.as_unit("ms").asi8, pa.int64())})
    out = io.BytesIO()
    pq.write_table(
        table,
        out,
        use_dictionary=False,
        column_encoding={"ms": "DELTA_BINARY_PACKED"},
        compression="zstd",
    )
    return out.getvalue()


def times_from(raw: bytes) -> pd.DatetimeIndex:
    ms = pq.read_table(io.BytesIO(raw)).column("ms").to_numpy()
    return pd.DatetimeIndex(pd.to_datetime(ms, unit="ms", utc=True), name="timestamp")


def frame_bytes(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out, compression="zstd")
    return out.getvalue()


def frame_from(raw: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(raw))


class UploadHistory:
    """Records in the shared store under the user; see the module's docstring."""

    def __init__(self, store: SharedStore, secret: str = ""):
        self.store = store
        self._mac_key = hashlib.sha256(("uploads:" + secret).encode()).digest()

    @staticmethod
    def _prefix(user: str) -> str:
        return "uploads:" + hashlib.sha256(user.encode()).hexdigest()[:40] + ":"

    def _part(self, user: str, record_id: str, name: str) -> str:
        """Parts live apart from the records: listing the records never reads them."""
        return "upload-" + self._prefix(user) + record_id + ":" + name

    def _sign(self, where: str, body: str) -> str:
        return hmac.new(self._mac_key, f"{where}\n{body}".encode(), hashlib.sha256).hexdigest()

    def start(
        self,
        user: str,
        prop,
        label: str,
        source: str,
        times: pd.DatetimeIndex,
        before: pd.DataFrame,
        record_id: str | None = None,
    ) -> str:
        """Record an upload about to be written: its times and the values they held.
        Returns its id (``record_id`` when given: a resumed file keeps its first record)."""
        record_id = record_id or secrets.token_hex(8)
        parts = {"times": times_bytes(times), "before": frame_bytes(before)}
        for name, raw in parts.items():
            self.store.put(self._part(user, record_id, name), raw, KEEP_S)
        record = UploadRecord(
            record_id,
            prop.thing_id,
            prop.id,
            label,
            source,
            time.time(),
            len(times),
            len(before),
            "writing",
        )
        digests = {name: hashlib.sha256(raw).hexdigest() for name, raw in parts.items()}
        self._put(user, record, digests)
        return record_id

    def _put(self, user: str, record: UploadRecord, digests: dict[str, str]) -> None:
        where = self._prefix(user) + record.id
        body = json.dumps({"record": dataclasses.asdict(record), "parts": digests})
        value = json.dumps({"body": body, "mac": self._sign(where, body)})
        self.store.put(where, value.encode(), KEEP_S)

    def _read(self, user: str, raw: bytes | None) -> tuple[UploadRecord, dict] | None:
        """A record this app signed for this user, or None (absent, tampered, not JSON)."""
        if raw is None:
            return None
        try:
            outer = json.loads(raw)
            body = json.loads(outer["body"])
            record = UploadRecord(**body["record"])
            parts = dict(body["parts"])
            where = self._prefix(user) + record.id
            if not hmac.compare_digest(str(outer["mac"]), self._sign(where, outer["body"])):
                return None
        except (ValueError, TypeError, KeyError):
            return None
        return record, parts

    def get(self, user: str, record_id: str) -> UploadRecord | None:
        found = self._read(user, self.store.get(self._prefix(user) + record_id))
        return found[0] if found else None

    def recent(self, user: str) -> list[UploadRecord]:
        """The user's newest uploads first (ten at most)."""
        records = []
        for raw in self.store.scan(self._prefix(user)):
            found = self._read(user, raw)
            if found:
                records.append(found[0])
        records.sort(key=lambda r: (-r.at, r.id))
        return records[:SHOWN]

    def parts(self, user: str, record_id: str) -> tuple[pd.DatetimeIndex, pd.DataFrame] | None:
        """The upload's times and the values it overwrote, or None when either is gone or
        not the one its record names."""
        found = self._read(user, self.store.get(self._prefix(user) + record_id))
        if not found:
            return None
        loaded = {}
        for name, digest in found[1].items():
            raw = self.store.get(self._part(user, record_id, name))
            if raw is None or not hmac.compare_digest(hashlib.sha256(raw).hexdigest(), digest):
                return None
            loaded[name] = raw
        return times_from(loaded["times"]), frame_from(loaded["before"])

    def mark(self, user: str, record_id: str, state: str) -> None:
        found = self._read(user, self.store.get(self._prefix(user) + record_id))
        if found:
            self._put(user, dataclasses.replace(found[0], state=state), found[1])


def upload_history() -> UploadHistory:
    """The app's history: its shared store, signed with its cookie secret."""
    from dashboard.hosting.store import shared_store
    from dashboard.shared.config import app_config

    config = app_config()
    return UploadHistory(shared_store(config), config.cookie_secret)
