"""The small interface behind everything the app keeps beyond one request.

Sign-in sessions, refresh locks, upload journals and per-user versions are written
through ``SharedStore`` and nothing else, so pages never know which store they have:
files in the data folder (the default, one machine) or Redis (``REDIS_URL``, several
replicas). ``shared_store`` picks one from the settings, once per process.
"""

from __future__ import annotations

from dashboard.hosting.store_interface import LockTimeout, SharedStore, StoreUnavailable
from dashboard.shared.config import AppConfig

__all__ = ["LockTimeout", "SharedStore", "StoreUnavailable", "shared_store"]


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
