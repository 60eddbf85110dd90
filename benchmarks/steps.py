"""One benchmark step, run in its own Python process so its peak RSS is its own.

``python -m benchmarks.steps STEP PEOPLE MONTHS IDS DATA WS`` prints one JSON line:
``seconds``, ``rows``, ``peak_rss_mb`` and step-specific figures.

- ``generate``: the synthetic force (seed 7) into ``DATA``;
- ``ingest`` / ``reingest``: `fairwitness.ingest.ingest` of ``DATA`` into ``WS``;
- ``plain``: the baseline for ingest, a plain DuckDB read-and-write of the same files
  (every contract file read and written once as Parquet, no validation);
- ``csv-export``: ``DATA`` as systems export it, CSV, into ``WS`` (`benchmarks.export_forms.csv_export`, ``CSV_TIMESTAMPS``);
- ``run``: the presence floor (`presence_floor`), then the full detector run on DuckDB,
  in the same process on the same lake; per-detector seconds from the run record;
- ``incremental``: ``run(..., incremental=True)`` after the full run (nothing new: every
  detector's result is reused);
- ``daily``: a day's export on top of the rest, with monthly windows: ``DATA`` is split at its
  last day (`benchmarks.daily.split_last_day`) into every row before it and that day's rows; the first part is
  ingested into a fresh ``WS`` and run in full (``window="month"``, filling the cache), then
  the day is ingested and the daily run (``incremental=True``) timed, then a full run of the
  same lake checks the daily run's signals equal it. ``WINDOW`` (environment, default
  ``month``) chooses the window; ``DAILY_PHASE`` runs one part (`daily`);
- ``spark``: the whole catalogue on the same lake with DuckDB, then with ``--engine spark`` in
  local mode with the product's settings (`fairwitness.detectors.engines.spark_session`), the
  presence floor first; checks both give the same run id and signals (`engine_comparison`).

Every step also prints ``own_cpu_seconds``, ``iowait_seconds`` (the machine idle waiting
for I/O: spilling to a slow disk shows there) and ``other_cpu_seconds``: the CPU time the
machine spent outside this process while the step ran (`other_cpu_seconds`; a step's own
child processes, such as Spark's JVM, count as other). On a quiet machine it is a few percent of ``seconds``; a
larger figure means the step shared the machine and its times are not comparable.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

EVENT_TABLES = ("badge_events", "device_events", "system_access", "comms_events")
"""The timestamped event tables (``staff_id``, ``ts``) the presence floor reads."""


def presence_floor(ws: Any) -> dict[str, float]:
    """One grouped DuckDB pass over every event table: events per person per day with the
    first and last time — the least any presence detector needs to read."""
    import duckdb

    from fairwitness.detectors.engines import duckdb_settings

    loaded = set(ws.loaded_tables())
    parts = []
    for name in EVENT_TABLES:
        if name in loaded:
            files = ", ".join(f"'{f}'" for f in ws.table_files(name))
            parts.append(f"SELECT staff_id, ts FROM read_parquet([{files}], union_by_name = true)")
    con = duckdb.connect()
    for stmt in duckdb_settings(ws):
        con.execute(stmt)
    t0 = time.perf_counter()
    n, events, span = con.execute(
        "SELECT count(*), sum(n), max(last_ts - first_ts) FROM ("
        "SELECT staff_id, CAST(ts AS DATE) AS day, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY ALL)"
    ).fetchone()
    secs = time.perf_counter() - t0
    con.close()
    return {"floor_seconds": secs, "floor_person_days": int(n), "floor_events": int(events or 0)}


def plain_copy(data: Path) -> int:
    """Read every contract file of ``data`` and write it once as Parquet with plain DuckDB."""
    import duckdb

    from fairwitness.ingest.discovery import discover

    rows = 0
    disc = discover(data)
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="fw-plain-") as out:
        for table, files in disc.files.items():
            paths = [str(f.path) for f in files]
            if all(p.endswith(".parquet") for p in paths):
                src = "read_parquet([" + ", ".join(f"'{p}'" for p in paths) + "], union_by_name = true)"
            else:
                src = "read_csv([" + ", ".join(f"'{p}'" for p in paths) + "], union_by_name = true, all_varchar = true)"
            con.execute(f"CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM {src}")
            rows += con.execute("SELECT count(*) FROM src").fetchone()[0]
            con.execute(f"COPY src TO '{out}/{table}.parquet' (FORMAT parquet)")
    con.close()
    return rows


def _child_jvm_peak_mb() -> float | None:
    """Peak RSS (``VmHWM``) of this process's Java child (the local Spark driver), in MB."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            comm = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except (OSError, IndexError):
            continue
        if fields[1] == me and comm == "java":
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return None


def engine_comparison(ws: Any, detectors: list[str] | None = None) -> dict[str, Any]:
    """The ``spark`` step (see module doc): DuckDB, then Spark, on the same lake; ``detectors``
    (``SPARK_DETECTORS``, comma-separated) runs part of the catalogue, so the comparison can be
    split over processes."""
    from fairwitness.detectors.runner import run

    res: dict[str, Any] = dict(presence_floor(ws))
    res["detectors_compared"] = detectors or "all"
    t = time.perf_counter()
    duck = run(ws, engine="duckdb", detectors=detectors)
    res["duckdb_seconds"] = time.perf_counter() - t
    res["duckdb_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    spark = run(ws, engine="spark", detectors=detectors)
    res["spark_seconds"] = time.perf_counter() - t
    res["spark_master"] = spark.record.get("spark_master")
    res["spark_partitions"] = os.environ.get("FAIRWITNESS_SPARK_PARTITIONS", "4")
    res["spark_jvm_peak_rss_mb"] = _child_jvm_peak_mb()
    for name, r in (("duckdb", duck), ("spark", spark)):
        res[f"{name}_detectors"] = {d["name"]: d["seconds"].get("total", 0.0) for d in r.record["detectors"]}
        res[f"{name}_errors"] = r.errors
    res["signals"] = duck.signals.num_rows
    res["same_run_id"] = duck.run_id == spark.run_id
    res["signals_equal"] = duck.signals.equals(spark.signals)
    return res


def cpu_jiffies() -> tuple[int, int, int] | None:
    """(busy, all, iowait) CPU time of the whole machine so far, in clock ticks, from
    ``/proc/stat`` (None where there is none)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    iowait = fields[4] if len(fields) > 4 else 0
    return sum(fields) - fields[3] - iowait, sum(fields), iowait


def iowait_seconds(before: tuple[int, int, int] | None, after: tuple[int, int, int] | None) -> float | None:
    """CPU seconds the machine spent idle waiting for I/O between two `cpu_jiffies` readings
    (a step spilling to a slow disk shows here, not in its CPU time)."""
    if before is None or after is None:
        return None
    return round((after[2] - before[2]) / os.sysconf("SC_CLK_TCK"), 2)


def own_cpu_seconds() -> float:
    """CPU seconds this process has used (user and system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def other_cpu_seconds(before: tuple[int, ...] | None, after: tuple[int, ...] | None, own: float) -> float | None:
    """CPU seconds the machine was busy between two `cpu_jiffies` readings beyond ``own``
    (this process's CPU seconds over the same time); never below 0."""
    if before is None or after is None:
        return None
    busy = (after[0] - before[0]) / os.sysconf("SC_CLK_TCK")
    return round(max(0.0, busy - own), 2)


def _lake_rows(ws: Any) -> dict[str, int]:
    with ws.catalog() as con:
        return dict(con.execute("SELECT table_name, sum(rows) FROM lake_files GROUP BY 1 ORDER BY 1").fetchall())


def main(argv: list[str]) -> dict[str, Any]:
    step, people, months, ids, data, wsdir = argv[0], int(argv[1]), int(argv[2]), argv[3], Path(argv[4]), Path(argv[5])
    t0 = time.perf_counter()
    cpu0, own0 = cpu_jiffies(), own_cpu_seconds()
    res: dict[str, Any] = {}
    if step == "generate":
        from fairwitness.synth import SynthConfig, generate

        s = generate(SynthConfig(people=people, months=months, seed=7, id_format=ids), out=data)
        res["rows"] = sum(s.rows.values())
    elif step in ("ingest", "reingest"):
        from fairwitness.ingest import ingest
        from fairwitness.workspace import Workspace

        r = ingest(data, Workspace(wsdir))
        res["rows"] = sum(v["read"] for v in r.by_table().values())
        if step == "ingest":
            res["rows_by_source"] = _lake_rows(Workspace(wsdir))
    elif step == "plain":
        res["rows"] = plain_copy(data)
    elif step == "csv-export":
        from benchmarks.export_forms import csv_export

        res["rows"] = csv_export(data, wsdir, os.environ.get("CSV_TIMESTAMPS", "iso"))
    elif step in ("run", "incremental"):
        from fairwitness.detectors.runner import run
        from fairwitness.workspace import Workspace

        w = Workspace(wsdir)
        res.update(presence_floor(w))
        t1 = time.perf_counter()
        r = run(w, engine="duckdb", incremental=step == "incremental")
        res["run_seconds"] = time.perf_counter() - t1
        res["rows"] = sum(_lake_rows(w).values())
        res["signals"] = r.signals.num_rows
        res["detectors"] = {d["name"]: d["seconds"].get("total", 0.0) for d in r.record["detectors"]}
        res["detector_parts"] = {d["name"]: d["seconds"] for d in r.record["detectors"]}  # build, execute, finish
        res["derived"] = {d["name"]: d.get("seconds", 0.0) for d in r.record.get("derived", [])}
        res["prepare_seconds"] = r.record.get("prepare_seconds", 0.0)
        res["phases"] = r.record.get("phases", {})
        res["reused"] = r.record.get("reused", [])
        res["errors"] = r.errors
    elif step == "spark":
        from fairwitness.workspace import Workspace

        res.update(engine_comparison(Workspace(wsdir), [d for d in os.environ.get("SPARK_DETECTORS", "").split(",") if d] or None))
    elif step == "daily":
        from benchmarks.daily import daily

        res.update(daily(data, wsdir, os.environ.get("WINDOW", "month"), os.environ.get("DAILY_PHASE", "all")))
    else:
        raise SystemExit(f"unknown step {step!r}")
    res["seconds"] = time.perf_counter() - t0
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu1, own = cpu_jiffies(), own_cpu_seconds() - own0
    res["own_cpu_seconds"] = round(own, 2)
    res["other_cpu_seconds"] = other_cpu_seconds(cpu0, cpu1, own)
    res["iowait_seconds"] = iowait_seconds(cpu0, cpu1)
    return res


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
