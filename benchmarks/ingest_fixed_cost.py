"""What a small ingest costs whatever its size: the tests' 18-table minimal data set (a few rows
each) ingested into five fresh workspaces, after one to warm up; prints the median and each time.

    python -m benchmarks.ingest_fixed_cost

Round 24: 3.3 s before (worktree 11f4509), 2.1-2.4 s after the waiting-file check read first which
columns any quarantined row waits on (results/scale-round24.json).
"""

from __future__ import annotations

import copy
import statistics
import tempfile
import time
from pathlib import Path

from fairwitness.ingest import ingest
from fairwitness.testing.fixtures import MINIMAL, write_minimal
from fairwitness.workspace import Workspace


def timed_ingests(folder: Path, root: Path, runs: int) -> list[float]:
    """Seconds of ``runs`` ingests of ``folder``, each into a fresh workspace under ``root``, after
    one to warm up (the caller ingests once first)."""
    times = []
    for i in range(runs):
        t = time.perf_counter()
        ingest(folder, Workspace(root / f"ws{i}"))
        times.append(time.perf_counter() - t)
    return times


def report(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s " + " ".join(f"{x:.2f}" for x in times)


def main(runs: int = 5) -> list[float]:
    d = Path(tempfile.mkdtemp())
    folder = write_minimal(d / "export", copy.deepcopy(MINIMAL))
    ingest(folder, Workspace(d / "warm"))
    return timed_ingests(folder, d, runs)


if __name__ == "__main__":
    print(report(main()))
