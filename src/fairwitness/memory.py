"""The DuckDB memory limit and threads of ingest and runs (not a detector, not a setting of the
workspace).

Both set a limit and spill to disk beyond it, so a force's years of data fit a machine. The
default is `DEFAULT_GB`, or half the machine's memory when that is less (a run or an ingest
must not take the memory the rest of the machine needs); ``FAIRWITNESS_MEMORY_LIMIT`` (a DuckDB
size, e.g. ``12GB``) overrides it.

Why 6GB (measured at 46,000 x 12 with uuid ids, `benchmarks/results/scale-round10.json`): at 4GB
the largest detectors (the presence and lookup queries, ``peer_anomaly``) each reached the limit
and spilled, with the privacy copy of device events swapped out beside them; three whole runs at
6GB took 116-127 s against 131-134 s at 4GB, and one at 4GB took 220 s, its spilling writes
waiting on the disk (22 s of I/O wait). Ingest took 219 s against 238-255 s. Peak RSS 6.1 GiB for
a run and 6.3 GiB for ingest (target 8 GiB).
"""

from __future__ import annotations

import os

DEFAULT_GB = 6
"""The default limit, in GB, on a machine with twice that memory or more."""


def duckdb_memory_limit() -> str:
    """``FAIRWITNESS_MEMORY_LIMIT`` when set, else `DEFAULT_GB` or half the machine's memory
    when that is less (at least 1GB), as a DuckDB size."""
    if os.environ.get("FAIRWITNESS_MEMORY_LIMIT"):
        return os.environ["FAIRWITNESS_MEMORY_LIMIT"]
    try:
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 / 1e9
    except (ValueError, OSError, AttributeError):  # no sysconf (Windows): the default
        half = DEFAULT_GB
    return f"{max(1.0, min(DEFAULT_GB, half)):.1f}GB"


def duckdb_threads() -> int | None:
    """``FAIRWITNESS_THREADS``: the most threads an ingest or a run uses (a machine shared with
    other work), or None for DuckDB's default (every core)."""
    value = os.environ.get("FAIRWITNESS_THREADS")
    if not value:
        return None
    try:
        threads = int(value)
    except ValueError:
        raise ValueError(f"FAIRWITNESS_THREADS={value!r}: give a whole number of threads, e.g. 2") from None
    if threads < 1:
        raise ValueError(f"FAIRWITNESS_THREADS={value!r}: give at least 1 thread")
    return threads


__all__ = ["DEFAULT_GB", "duckdb_memory_limit", "duckdb_threads"]
