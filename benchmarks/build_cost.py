"""What building and compiling the catalogue costs, whatever the size of the force: every
detector's expression built and compiled to SQL (`fairwitness.detectors.execution.prepare_detector`,
no query runs) over a workspace's tables, one detector after another in this process; prints
each pass's total and the slowest detectors of the last.

    python -m benchmarks.build_cost [WORKSPACE] [--passes N] [--detectors a,b]

Without a workspace it generates and ingests the tests' 400-person force (2 months, seed 11)
in a temporary folder. A run keeps its compiled statements (`fairwitness.detectors.statements`),
so this is what a first run, a new window or new parameters pay before the first query.

Round 26 (results/scale-round26.json): 19.7 s for the 17 detectors before (worktree 649442b),
14.6 s after the SQL was printed without copying its syntax tree and shared parts of a query
were named by an expression digest instead of being compiled twice (`fairwitness.detectors.compiler`).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def small_force(root: Path) -> Path:
    """The tests' 400-person force, generated and ingested under ``root``; its workspace."""
    from fairwitness.ingest import ingest
    from fairwitness.synth import SynthConfig, generate
    from fairwitness.workspace import Workspace

    generate(SynthConfig(people=400, months=2, seed=11), out=root / "force")
    ingest(root / "force", Workspace(root / "ws"))
    return root / "ws"


def build_seconds(ws: Path, detectors: list[str] | None = None) -> dict[str, float]:
    """Detector -> seconds to build and compile it over the workspace's period (the run's
    own connection and privacy-filtered tables, no shared tables); raises on a build error."""
    from fairwitness.detectors import engines
    from fairwitness.detectors.execution import prepare_detector
    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runconfig import data_period
    from fairwitness.workspace import Workspace

    w = Workspace(ws)
    start, end = data_period(w)
    con = engines.connect("duckdb", w)
    classes = load_registry().detectors
    out = {}
    for name in detectors or sorted(classes):
        t = time.perf_counter()
        p = prepare_detector(classes[name], con, period_start=start, period_end=end)
        out[name] = time.perf_counter() - t
        if p.out.error:
            raise RuntimeError(f"{name}: {p.out.error}")
    engines.close(con)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.build_cost")
    ap.add_argument("workspace", nargs="?", type=Path)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--detectors", default="")
    a = ap.parse_args(argv)
    ws = a.workspace or small_force(Path(tempfile.mkdtemp()))
    names = [d for d in a.detectors.split(",") if d] or None
    build_seconds(ws, names)  # warm: imports, the first compilation of each module's code paths
    passes = [build_seconds(ws, names) for _ in range(a.passes)]
    totals = [sum(p.values()) for p in passes]
    return {"totals": totals, "median": statistics.median(totals), "last": passes[-1]}


if __name__ == "__main__":
    r = main()
    print(f"median {r['median']:.2f} s over {len(r['totals'])} passes: " + " ".join(f"{t:.2f}" for t in r["totals"]))
    for name, s in sorted(r["last"].items(), key=lambda x: -x[1])[:6]:
        print(f"  {name}: {s:.2f} s")
