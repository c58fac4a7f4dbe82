"""The small interface behind everything the app keeps beyond one request.

Sign-in sessions, refresh locks, upload journals and per-user versions are written
through ``SharedStore`` and nothing else, so pages never know which store they have:
files in the data folder (the default, one machine) or Redis (``REDIS_URL``, several
replicas). ``shared_store`` picks one from the settings, once per process.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from dashboard.shared.config import AppConfig


class StoreUnavailable(Exception):
    """The shared store cannot be reached: says which one, for the page to show."""

    def __init__(self, where: str, detail: str):
        self.where = where
        self.detail = detail
        super().__init__(
            f"The app's shared store ({where}) cannot be reached, so sign-ins and uploads "
            f"cannot be read or saved right now. Nothing was changed; try again in a moment. "
            f"({detail})"
        )


class LockTimeout(Exception):
    """Someone else held a lock for longer than we were willing to wait."""

    def __init__(self, what: str):
        super().__init__(
            "Another page of yours (in this browser or another) has been renewing your Bucket "
            f"sign-in for minutes ({what}). Nothing was changed; reload in a moment."
        )


class SharedStore(Protocol):
    """Bytes under string keys, with expiry, plus named locks that work across processes
    and are freed when their holder dies (a lock's ``timeout_s`` bounds how long)."""

    where: str

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes, ttl_s: float | None = None) -> None: ...

    def add(self, key: str, value: bytes, ttl_s: float) -> bool:
        """Store only if the key is absent: True the first time (single-use markers)."""
        ...

    def count(self, key: str, ttl_s: float, by: int = 1) -> int:
        """Add ``by`` to the counter at ``key`` atomically across processes and return its
        new value; the counter expires ``ttl_s`` after its first count (a fixed window)."""
        ...

    def delete(self, key: str) -> None: ...

    def scan(self, prefix: str) -> list[bytes]:
        """Every live value whose key starts with ``prefix`` (counts, tests, admin)."""
        ...

    def lock(self, name: str, timeout_s: float, wait_s: float) -> AbstractContextManager:
        """A reusable context manager: holds ``name`` against every process sharing the
        store; gives up with ``LockTimeout`` after ``wait_s``."""
        ...


_STORES: dict[str, SharedStore] = {}


def shared_store(config: AppConfig) -> SharedStore:
    """This process's store for the config: Redis when ``REDIS_URL`` is set, else files."""
    key = config.redis_url or str(config.data_dir)
    if key not in _STORES:
        if config.redis_url:
            from dashboard.hosting.redis_store import RedisStore

            _STORES[key] = RedisStore(config.redis_url)
        else:
            from dashboard.hosting.file_store import FileStore

            _STORES[key] = FileStore(config.data_dir)
    return _STORES[key]
