"""`make bench`: generation, ingest and detector run time against their floors, and peak memory.

Sizes come from ``BENCH_SIZES`` (default ``2000x12,10000x12,46000x12``): ``PEOPLE x MONTHS``,
optionally ``:uuid`` / ``:prefixed`` for the id format (default numeric), e.g.
``BENCH_SIZES=10000x3,46000x12:uuid``. ``BENCH_STEPS`` selects steps (default
``generate,ingest,plain,csv,run,incremental,spark``, ``spark`` only up to `SPARK_MAX_PEOPLE`; ``csv`` writes the force
as source systems export it, contract CSV with local times (`benchmarks.steps.csv_export`), and times its ingest
against a plain DuckDB read-and-write of those files; ``daily`` adds a day's batch on the rest of the force
with monthly windows, in a workspace of its own; ``spark`` times the whole catalogue on Spark
against DuckDB on the same lake and checks their signals are equal: `benchmarks.steps`). ``BENCH_DIR`` keeps data and workspaces there
(an existing force folder is reused, not generated again; an existing workspace is reused
when ``ingest`` is not among the steps); without it a temporary folder is removed at the end.

Each step runs in its own process (`benchmarks.steps`) so its peak RSS is its own. Printed:
rows per source; ingest against a plain DuckDB read-and-write of the same files; run time
per detector and in total against the presence floor measured in the same process on the
same lake; peak RSS. Written: ``benchmarks/results/latest.json`` and a chart
``benchmarks/results/latest.svg`` / ``.png`` (Altair, rendered offline by vl-convert).
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
from typing import Any

RESULTS = Path(__file__).parent / "results"
SPARK_MAX_PEOPLE = 10_000
"""The ``spark`` step (Spark in local mode against DuckDB on one machine) runs for forces up
to this size; larger forces run Spark on a cluster (``--spark-master``)."""


def parse_sizes(text: str) -> list[tuple[int, int, str]]:
    out = []
    for item in text.split(","):
        size, _, ids = item.strip().partition(":")
        people, months = (int(x) for x in size.split("x"))
        out.append((people, months, ids or "numeric"))
    return out


def _step(step: str, people: int, months: int, ids: str, data: Path, ws: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.steps", step, str(people), str(months), ids, str(data), str(ws)],
        check=False, capture_output=True, text=True, cwd=Path(__file__).parent.parent,
    )
    if out.returncode:
        raise SystemExit(f"step {step} for {people}x{months}:{ids} failed:\n{out.stderr[-4000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if shared(res):
        print(f"  warning: {step} shared the machine ({res['other_cpu_seconds']:.0f} CPU-seconds used by other processes "
              f"in {res['seconds']:.0f} s): its times are not comparable", flush=True)
    return res


def shared(res: dict[str, Any]) -> bool:
    """Whether other processes used more than a tenth of the step's time in CPU (`benchmarks.steps`:
    ``other_cpu_seconds``; the Spark step's own JVM counts as other, so it is not judged)."""
    other = res.get("other_cpu_seconds")
    return other is not None and "spark_seconds" not in res and other > 0.1 * res["seconds"]


def bench_size(people: int, months: int, ids: str, root: Path, steps: list[str], keep: bool) -> dict[str, Any]:
    tag = f"{people}x{months}" + ("" if ids == "numeric" else f"-{ids}")
    data, ws = root / f"force-{tag}", root / f"ws-{tag}"
    res: dict[str, Any] = {"people": people, "months": months, "ids": ids}
    for step in steps:
        if step == "generate" and (data / "people.parquet").exists():
            continue
        if step == "spark" and people > SPARK_MAX_PEOPLE:
            continue
        if step == "ingest":
            shutil.rmtree(ws, ignore_errors=True)
        if step == "csv":
            res.update(bench_csv(people, months, ids, data, root / f"force-{tag}-csv", root / f"ws-{tag}-csv", tag))
            continue
        # the daily step ingests a split of the force into a workspace of its own
        r = _step(step, people, months, ids, data, ws.with_name(ws.name + "-daily") if step == "daily" else ws)
        res[step] = r
        print(f"  {tag:<18} {step:<12} {r['seconds']:8.1f} s  peak RSS {r['peak_rss_mb']:8,.0f} MB", flush=True)
    if not keep:
        shutil.rmtree(data, ignore_errors=True)
        for d in (ws, *(ws.with_name(ws.name + s) for s in ("-daily", "-daily.parts", "-csv")), data.with_name(data.name + "-csv")):
            shutil.rmtree(d, ignore_errors=True)
    return res


def bench_csv(people: int, months: int, ids: str, data: Path, csv: Path, ws: Path, tag: str) -> dict[str, Any]:
    """The ``csv`` step: the force written as CSV exports (once), then their ingest into a fresh
    workspace and a plain read-and-write of the same CSV files."""
    out = {}
    if not csv.exists():
        out["csv_export"] = _step("csv-export", people, months, ids, data, csv)
    shutil.rmtree(ws, ignore_errors=True)
    for step in ("ingest", "plain"):
        r = out[f"csv_{step}"] = _step(step, people, months, ids, csv, ws)
        print(f"  {tag:<18} {'csv ' + step:<12} {r['seconds']:8.1f} s  peak RSS {r['peak_rss_mb']:8,.0f} MB", flush=True)
    return out


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:5.1f}x" if a and b else "    -"


def report(results: list[dict[str, Any]]) -> str:
    """The printed table: one block per size."""
    lines = []
    for r in results:
        tag = f"{r['people']:,} x {r['months']} ({r['ids']} ids)"
        lines.append(f"\n== {tag}")
        ing, plain, run, inc, day, sp = (r.get(k) for k in ("ingest", "plain", "run", "incremental", "daily", "spark"))
        if ing and ing.get("rows_by_source"):
            lines.append("rows per source: " + ", ".join(f"{k} {v:,}" for k, v in ing["rows_by_source"].items()))
        if ing:
            lines.append(
                f"ingest {ing['seconds']:7.1f} s  peak {ing['peak_rss_mb']:7,.0f} MB  | plain DuckDB read+write "
                f"{plain['seconds'] if plain else float('nan'):6.1f} s  -> {_ratio(ing['seconds'], plain and plain['seconds'])}"
            )
        cing, cplain = r.get("csv_ingest"), r.get("csv_plain")
        if cing:
            lines.append(
                f"ingest of CSV exports {cing['seconds']:7.1f} s  peak {cing['peak_rss_mb']:7,.0f} MB  | plain DuckDB read+write "
                f"{cplain['seconds'] if cplain else float('nan'):6.1f} s  -> {_ratio(cing['seconds'], cplain and cplain['seconds'])}"
            )
        if run:
            floor = run["floor_seconds"]
            lines.append(f"{'detector (build+execute+finish)':<28}{'seconds':>9}{'x floor':>9}")
            for name, secs in sorted(run["detectors"].items(), key=lambda kv: -kv[1]):
                lines.append(f"{name:<28}{secs:9.2f}{secs / floor:9.1f}")
            for name, secs in run["derived"].items():
                lines.append(f"{'derived ' + name:<28}{secs:9.2f}{secs / floor:9.1f}")
            lines.append(f"{'prepare (shared tables)':<28}{run['prepare_seconds']:9.2f}{run['prepare_seconds'] / floor:9.1f}")
            lines.append(
                f"run total {run['run_seconds']:7.1f} s  presence floor {floor:6.2f} s  -> {_ratio(run['run_seconds'], floor)}"
                f"  peak RSS {run['peak_rss_mb']:7,.0f} MB  signals {run['signals']:,}  errors {len(run['errors'])}"
                + ("  (SHARED MACHINE: not comparable)" if shared(run) else "")
            )
        if inc:
            lines.append(
                f"incremental (nothing new) {inc['run_seconds']:6.1f} s, reused {len(inc['reused'])} detectors, "
                f"peak RSS {inc['peak_rss_mb']:7,.0f} MB"
            )
        if day:
            lines.append(
                f"daily ({day['window']} windows): day of {day['day_rows']:,} rows ingested in {day['ingest_day_seconds']:.1f} s, "
                f"run {day['daily_run_seconds']:6.1f} s ({day['computed']} of {day['pieces']} detector-windows computed) "
                f"against a full run of {day.get('full_run_seconds', float('nan')):6.1f} s, equal to it: {day.get('equal_to_full')}"
            )
        if sp:
            jvm = sp.get("spark_jvm_peak_rss_mb")
            lines.append(
                f"spark ({sp['spark_master']}, {sp['spark_partitions']} shuffle partitions) {sp['spark_seconds']:6.1f} s "
                f"against DuckDB {sp['duckdb_seconds']:6.1f} s on the same lake -> {_ratio(sp['spark_seconds'], sp['duckdb_seconds'])}"
                f"  (floor {sp['floor_seconds']:.2f} s; JVM peak RSS {jvm or float('nan'):,.0f} MB)  "
                f"same signals: {sp['signals_equal'] and sp['same_run_id']}  errors {len(sp['spark_errors'])}"
            )
    return "\n".join(lines)


def chart(results: list[dict[str, Any]], out: Path) -> list[Path]:
    """Run time per detector (stacked) per size, with the presence floor as a tick."""
    import altair as alt

    rows, floors = [], []
    for r in results:
        run = r.get("run")
        if not run:
            continue
        size = f"{r['people']:,}x{r['months']} {r['ids']}"
        rows += [{"size": size, "part": k, "seconds": v} for k, v in run["detectors"].items()]
        rows += [{"size": size, "part": "prepare + derived", "seconds": run["prepare_seconds"] + sum(run["derived"].values())}]
        floors.append({"size": size, "seconds": run["floor_seconds"], "what": "presence floor"})
        floors.append({"size": size, "seconds": run["run_seconds"], "what": "run total (wall)"})
    if not rows:
        return []
    bars = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("sum(seconds):Q", title="seconds"), y=alt.Y("size:N", title=None), color=alt.Color("part:N", title="part of the run")
    )
    ticks = alt.Chart(alt.Data(values=floors)).mark_tick(thickness=3, size=30).encode(
        x="seconds:Q", y="size:N", shape="what:N",
        color=alt.Color("what:N", scale=alt.Scale(range=["black", "red"]), title="tick"), tooltip=["what:N", "seconds:Q"]
    )
    c = (bars + ticks).resolve_scale(color="independent").properties(
        title="fairwitness run time per detector (build + execute + finish; builds overlap execution)", width=600
    )
    paths = []
    for fmt in ("svg", "png"):
        p = out.with_suffix("." + fmt)
        c.save(str(p), format=fmt)
        paths.append(p)
    return paths


def main() -> None:
    sizes = parse_sizes(os.environ.get("BENCH_SIZES", "2000x12,10000x12,46000x12"))
    steps = os.environ.get("BENCH_STEPS", "generate,ingest,plain,csv,run,incremental,spark").split(",")
    given = os.environ.get("BENCH_DIR")
    root = Path(given or tempfile.mkdtemp(prefix="fw-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    results = [bench_size(p, m, ids, root, steps, keep=bool(given)) for p, m, ids in sizes]
    if not given:
        shutil.rmtree(root, ignore_errors=True)
    print(report(results))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    meta = {"measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": os.uname().machine, "cpus": os.cpu_count()}
    out.write_text(json.dumps({**meta, "results": results}, indent=2))
    written = [out, *chart(results, RESULTS / "latest")]
    print("written " + ", ".join(str(p) for p in written))


if __name__ == "__main__":
    main()
