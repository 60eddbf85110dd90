"""`make bench`: generation, ingest and detector throughput and peak memory.

Each step runs in a fresh Python process so its peak RSS is its own. Sizes come from
``BENCH_SIZES`` (default ``2000x12,46000x12``: people x months). Results are printed
and written to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEP = r"""
import json, resource, sys, time
step, people, months, data, ws = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
t0 = time.perf_counter()
rows = 0
if step == "generate":
    from fairwitness.synth import SynthConfig, generate
    s = generate(SynthConfig(people=people, months=months, seed=7), out=__import__("pathlib").Path(data))
    rows = sum(s.rows.values())
elif step == "ingest":
    from fairwitness.ingest import ingest
    from fairwitness.workspace import Workspace
    r = ingest(data, Workspace(ws))
    rows = sum(v["read"] for v in r.by_table().values())
elif step == "reingest":
    from fairwitness.ingest import ingest
    from fairwitness.workspace import Workspace
    r = ingest(data, Workspace(ws))
    rows = sum(v["read"] for v in r.by_table().values())
elif step == "run":
    from fairwitness.detectors.runner import run
    from fairwitness.workspace import Workspace
    w = Workspace(ws)
    r = run(w, engine="duckdb")
    with w.catalog() as con:
        rows = con.execute("SELECT sum(rows) FROM lake_files").fetchall()[0][0]
    print("signals", r.signals.num_rows, "candidates", len(r.candidates), file=sys.stderr)
secs = time.perf_counter() - t0
print(json.dumps({"seconds": secs, "rows": rows, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _step(step: str, people: int, months: int, data: Path, ws: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", STEP, step, str(people), str(months), str(data), str(ws)],
        check=True, capture_output=True, text=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["rows_per_s"] = res["rows"] / res["seconds"] if res["seconds"] else 0.0
    return res


def main() -> None:
    sizes = [tuple(int(x) for x in s.split("x")) for s in os.environ.get("BENCH_SIZES", "2000x12,46000x12").split(",")]
    steps = os.environ.get("BENCH_STEPS", "generate,ingest,reingest,run").split(",")
    root = Path(os.environ.get("BENCH_DIR", tempfile.mkdtemp(prefix="fw-bench-")))
    results = []
    for people, months in sizes:
        data, ws = root / f"force-{people}x{months}", root / f"ws-{people}x{months}"
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(ws, ignore_errors=True)
        for step in steps:
            r = _step(step, people, months, data, ws)
            r.update(step=step, people=people, months=months)
            results.append(r)
            print(
                f"{people:>6} x {months:>2}  {step:<9} {r['seconds']:8.1f} s  {r['rows']:>12,} rows  "
                f"{r['rows_per_s']:>12,.0f} rows/s  peak RSS {r['peak_rss_mb']:8,.0f} MB",
                flush=True,
            )
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(ws, ignore_errors=True)
    out = Path(__file__).parent / "results" / "latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": os.uname().machine, "cpus": os.cpu_count(), "results": results}, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
