"""The shared store's contract, the same for both stores: files (the default) and a real
Debian ``redis-server``. Locks are checked across processes, with a holder that dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from dashboard.hosting.file_store import FileStore
from dashboard.hosting.redis_store import RedisStore
from dashboard.hosting.store import LockTimeout, StoreUnavailable

from ..app_server import free_port


def test_values_expire_and_add_is_single_use(store):
    key = f"t:{time.time_ns()}"
    assert store.get(key) is None
    store.put(key, b"one", ttl_s=0.5)
    assert store.get(key) == b"one"
    assert store.add(key + ":once", b"1", 60) is True
    assert store.add(key + ":once", b"1", 60) is False
    assert sorted(store.scan(key)) == [b"1", b"one"]
    time.sleep(0.7)
    assert store.get(key) is None
    store.delete(key + ":once")
    assert store.add(key + ":once", b"1", 60) is True


def _hold(store_args, name, held, release):
    kind, where = store_args
    store = FileStore(where) if kind == "files" else RedisStore(where)
    with store.lock(name, timeout_s=2, wait_s=5):
        held.set()
        release.wait(30)


def _args(store, tmp_path):
    if isinstance(store, FileStore):
        return ("files", tmp_path / "data")
    return ("redis", _url(store))


def _url(store: RedisStore) -> str:
    kw = store._redis.connection_pool.connection_kwargs
    secret = f":{kw['password']}@" if kw.get("password") else ""
    return f"redis://{secret}{kw['host']}:{kw['port']}/{kw.get('db', 0)}"


def test_a_lock_holds_across_processes_and_is_freed_when_its_holder_dies(store, tmp_path):
    name = f"refresh:{time.time_ns()}"
    held, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(
        target=_hold, args=(_args(store, tmp_path), name, held, release)
    )
    holder.start()
    assert held.wait(20)
    with pytest.raises(LockTimeout, match="reload in a moment"), store.lock(name, 2, 0.3):
        pass
    os.kill(holder.pid, signal.SIGKILL)  # dies holding it
    holder.join()
    started = time.monotonic()
    with store.lock(name, timeout_s=2, wait_s=5):
        waited = time.monotonic() - started
    # files: freed with the process; Redis: when the lock's own timeout (2 s) runs out
    assert waited < 3


def test_a_redis_that_is_down_is_a_clear_error_without_the_password():
    port = free_port()  # nothing listens here
    store = RedisStore(f"redis://:hunter2secret@127.0.0.1:{port}/0")
    with pytest.raises(StoreUnavailable) as raised:
        store.get("anything")
    said = str(raised.value)
    assert f"Redis at 127.0.0.1:{port}" in said and "cannot be reached" in said
    assert "hunter2secret" not in said


def test_a_counter_counts_every_hit_of_many_threads_at_once(store):
    """Phone claims are counted with it: 200 at once must be 200, not the 57 a read and a
    write apart made of them."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(20) as pool:
        values = sorted(pool.map(lambda _: store.count("hits", 60), range(200)))
    assert values == list(range(1, 201))
    assert store.count("hits", 60, -1) == 199
