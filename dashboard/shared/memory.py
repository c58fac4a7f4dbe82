"""Memory the process no longer uses, handed back to the system.

Freed memory stays with its allocator for reuse: Arrow's pool keeps the pages of a table
that is gone, glibc's heap the chunks a 200 MB upload arrived in (measured: the process
stayed 130 MB larger after the upload was stored, and the CSV check then peaked on top of
that). ``give_back`` is called where a lot was just freed: before a large file is read, and
after a session is closed.

Arrow's own pool (mimalloc in these wheels) keeps a heap per thread, and its CSV reader
frees on threads of its own: a collect from one thread leaves the others' pages held.
Measured with a 200 MB CSV through the page (``bench/csv_page_memory_bench.py``): +57 to
+85 MB still held a minute after the session ended with mimalloc, +16 to +19 MB with the
system's allocator (whose large blocks go back on free, the rest with ``malloc_trim``),
and a lower peak (+534 to +555 MB against +581 to +588 MB). So the app gives Arrow the
system's allocator (``use_system_allocator``, Arrow's supported ``set_memory_pool``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc


def use_system_allocator() -> None:
    """Arrow allocates with glibc's malloc from here on (see the module's docstring)."""
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_arenas(arenas: int = 2) -> None:
    """glibc's malloc gives each thread that allocates at once an arena of its own, up to
    eight per core, and every Streamlit session runs its script in a thread of its own:
    a class's sessions each left chunks held in arenas of their own (the class bench's
    memory per idle session). Two arenas serve a two-core server's threads (the same as
    ``MALLOC_ARENA_MAX=2``, set from the process itself)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)


def give_back(collect: bool = True) -> None:
    if collect:
        gc.collect()
    with contextlib.suppress(ImportError):
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
