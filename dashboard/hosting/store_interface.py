"""What the app keeps beyond one request is written through: ``SharedStore`` and the two
errors every store raises. In a module of its own so the stores (``file_store``,
``redis_store``) and the factory that picks one (``store``) import it and not each other."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


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
