"""DuckDB's own profile of each statement a run executes: what a detector's time goes to.

Off by default (the profiler costs time). With ``FAIRWITNESS_PROFILE_DIR`` set, a DuckDB run
writes DuckDB's JSON profile of each detector's query (``<detector>.json``), of each shared
table it creates (``shared-<name>.json``, `fairwitness.detectors.shared`), of each privacy copy
(``visible-<table>.json``, `fairwitness.detectors.copies.share_views`) and of each source's
coverage count (``coverage-<table>.json``, `fairwitness.detectors.coverage`) into that folder; a
second statement of the same name (a detector over several windows) gets ``-2``, ``-3``….
`summary` reads one back: its latency, its CPU time and its costliest operators (operator times
are CPU-seconds over all threads). ``python -m benchmarks.profile DIR`` prints a folder's
statements, costliest first. A Spark run's queries are not profiled (its event log is Spark's
own: ``spark.eventLog.enabled``); its coverage counts, which DuckDB makes, are.

    FAIRWITNESS_PROFILE_DIR=/tmp/prof fairwitness run --workspace ws --detectors lookups_without_case_ref
    python -m benchmarks.profile /tmp/prof
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV = "FAIRWITNESS_PROFILE_DIR"
"""The folder a run writes its statements' profiles to; unset: no profiling."""


def enabled() -> bool:
    """Whether statements are profiled (``FAIRWITNESS_PROFILE_DIR`` set)."""
    return bool(os.environ.get(ENV))


@contextmanager
def profiled(con: Any, label: str) -> Iterator[Path | None]:
    """Profile the DuckDB statements executed on ``con`` (an Ibis backend or a raw connection)
    inside the block into ``$FAIRWITNESS_PROFILE_DIR/<label>.json``; yields that path, or None
    when profiling is off or ``con`` is not DuckDB. (DuckDB writes the profile of the last
    statement: one statement per block.)"""
    folder = os.environ.get(ENV)
    if not folder or getattr(con, "name", "duckdb") != "duckdb":
        yield None
        return
    raw = getattr(con, "con", con)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w@-]", "_", label) or "statement"  # no dots: DuckDB refused '..json' ("Invalid output file type")
    path, n = out / f"{stem}.json", 1
    while path.exists():
        n += 1
        path = out / f"{stem}-{n}.json"
    raw.execute("PRAGMA enable_profiling='json'")
    raw.execute("PRAGMA profiling_output='" + str(path).replace("'", "''") + "'")
    try:
        yield path
    finally:
        raw.execute("PRAGMA disable_profiling")


@dataclass(frozen=True)
class Operator:
    """One operator of a profiled statement."""

    seconds: float
    """CPU-seconds, over all threads."""
    name: str
    rows: int
    detail: str
    """What DuckDB says of it (the join's conditions, the scan's columns and filters…), shortened."""


@dataclass(frozen=True)
class Profile:
    """A profiled statement (`summary`)."""

    label: str
    seconds: float
    """Latency."""
    cpu_seconds: float
    operators: tuple[Operator, ...]
    """The costliest first."""


def summary(path: str | Path, top: int = 8, detail_chars: int = 200) -> Profile:
    """The profile DuckDB wrote to ``path`` (DuckDB 2.0's JSON: ``query`` timings and an ``operator``
    tree): latency, CPU time and the ``top`` costliest operators."""
    path = Path(path)
    doc = json.loads(path.read_text())
    found: list[Operator] = []

    def walk(node: dict[str, Any]) -> None:
        info = node.get("extra_info") or {}
        found.append(
            Operator(
                seconds=float(node.get("timing") or 0.0),
                name=str(node.get("type")),
                rows=int(node.get("intermediate_rows") or 0),
                detail="; ".join(f"{k}: {v}" for k, v in info.items())[:detail_chars],
            )
        )
        for child in node.get("children", []):
            walk(child)

    for root in doc.get("operator", []):
        walk(root)
    query = doc.get("query", {})
    ranked = tuple(sorted(found, key=lambda o: -o.seconds)[:top])
    return Profile(
        label=path.stem,
        seconds=float(query.get("total_time") or 0.0),
        cpu_seconds=float(query.get("cpu_time") or 0.0),
        operators=ranked,
    )


__all__ = ["ENV", "Operator", "Profile", "enabled", "profiled", "summary"]
