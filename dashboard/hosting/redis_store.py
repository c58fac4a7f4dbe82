"""The shared store for several replicas: Redis (``REDIS_URL``).

Short socket timeouts, so a Redis that is down becomes a clear ``StoreUnavailable``
within seconds rather than a page that hangs. Locks are Redis locks with an expiry:
a replica that dies while holding one frees it after ``timeout_s``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
from redis.exceptions import LockError, LockNotOwnedError
from redis.exceptions import RedisError as _RedisError

from dashboard.hosting.store_interface import LockTimeout, StoreUnavailable

PREFIX = "bucket-dashboard:"


class RedisStore:
    def __init__(self, url: str):
        parts = urlsplit(url)
        self.where = f"Redis at {parts.hostname}:{parts.port or 6379}"  # never the password
        self._redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=30,
            retry_on_timeout=False,
        )

    def _call(self, operation, *args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except _RedisError as error:
            raise StoreUnavailable(self.where, type(error).__name__) from None

    def get(self, key: str) -> bytes | None:
        return self._call(self._redis.get, PREFIX + key)

    def put(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        px = int(ttl_s * 1000) if ttl_s else None
        self._call(self._redis.set, PREFIX + key, value, px=px)

    def add(self, key: str, value: bytes, ttl_s: float) -> bool:
        return bool(self._call(self._redis.set, PREFIX + key, value, px=int(ttl_s * 1000), nx=True))

    def count(self, key: str, ttl_s: float, by: int = 1) -> int:
        def counted():
            pipe = self._redis.pipeline(transaction=True)  # MULTI/EXEC: one step for Redis
            pipe.incrby(PREFIX + key, by)
            pipe.pexpire(PREFIX + key, int(ttl_s * 1000), nx=True)
            return pipe.execute()[0]

        return int(self._call(counted))

    def delete(self, key: str) -> None:
        self._call(self._redis.delete, PREFIX + key)

    def scan(self, prefix: str) -> list[bytes]:
        keys = self._call(lambda: list(self._redis.scan_iter(PREFIX + prefix + "*", count=500)))
        values = self._call(self._redis.mget, keys) if keys else []
        return [v for v in values if v is not None]

    def lock(self, name: str, timeout_s: float, wait_s: float) -> RedisLock:
        return RedisLock(self, PREFIX + "lock:" + name, timeout_s, wait_s)


class RedisLock:
    """A Redis lock as a reusable context manager (the token is kept per thread)."""

    def __init__(self, store: RedisStore, name: str, timeout_s: float, wait_s: float):
        self._store = store
        self._lock = store._redis.lock(
            name, timeout=timeout_s, blocking_timeout=wait_s, sleep=0.05, thread_local=True
        )

    def __enter__(self) -> RedisLock:
        if not self._store._call(self._lock.acquire):
            raise LockTimeout("held by another replica")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._lock.release()
        except (LockNotOwnedError, LockError):
            pass  # it expired while we held it: the next holder already has it
        except _RedisError:
            pass  # Redis went away: the lock expires on its own
