"""A benchmark step says how much of the machine other processes used while it ran (`benchmarks.steps`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from benchmarks.run import shared
from benchmarks.steps import cpu_jiffies, iowait_seconds, other_cpu_seconds, own_cpu_seconds


def test_other_cpu_is_the_machines_busy_time_less_the_steps_own():
    tick = os.sysconf("SC_CLK_TCK")
    assert other_cpu_seconds((100, 1000, 7), (100 + 3 * tick, 1000 + 8 * tick, 7), own=1.0) == 2.0
    assert other_cpu_seconds((100, 1000, 7), (100 + tick, 1000 + 8 * tick, 7), own=2.5) == 0.0  # never below 0
    assert other_cpu_seconds(None, (1, 2, 0), own=0.0) is None
    assert iowait_seconds((100, 1000, 7), (100, 1000 + 5 * tick, 7 + 4 * tick)) == 4.0


def test_a_busy_process_beside_the_step_is_counted():
    before, own = cpu_jiffies(), own_cpu_seconds()
    assert before is not None, "this machine has /proc/stat"
    # another process spinning for 1.5 s of CPU while this one waits
    subprocess.run([sys.executable, "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.5: pass"], check=True)
    other = other_cpu_seconds(before, cpu_jiffies(), own_cpu_seconds() - own)
    assert other is not None and other >= 1.2


def test_a_step_is_shared_when_others_used_a_tenth_of_its_time():
    assert shared({"seconds": 100.0, "other_cpu_seconds": 25.0})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": 4.0})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": None})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": 90.0, "spark_seconds": 80.0})  # its own JVM


@pytest.mark.parametrize("timestamps", ["iso", "day-first", "roster"])
def test_the_csv_export_ingests_to_the_same_lake_as_the_parquet_force(small_force, tmp_path, timestamps):
    """`csv_export` writes the force as systems export it (local times without offset, Y/N, text;
    or times as a UK spreadsheet writes them, declared day-first; or night shifts and claims
    ending on their start's date, declared overnight_ends); ingested, every table holds the same
    rows as the Parquet force's lake: the local times come back to the same UTC instants, in
    winter and in summer time (absences reach into the summer)."""
    import duckdb

    from benchmarks.export_forms import csv_export
    from fairwitness.ingest import ingest
    from fairwitness.workspace import Workspace

    data, ws = small_force
    out = tmp_path / "csv"
    rows = csv_export(data, out, timestamps)
    assert rows > 10_000 and not list(out.rglob("*.parquet"))
    if timestamps == "day-first":
        assert "/" in (out / "system_access").glob("*.csv").__next__().read_text()[:300]
    if timestamps == "roster":  # night shifts written with their start's date, some ending at 24:00
        import csv

        files = sorted((out / "shifts").rglob("*.csv")) if (out / "shifts").is_dir() else [out / "shifts.csv"]
        shifts = [r for f in files for r in csv.DictReader(f.open())]
        nights = [r for r in shifts if r["end"][:10] == r["start"][:10] and r["end"][11:] < r["start"][11:]]
        assert len(nights) > 100 and any(r["end"].endswith("T24:00:00") for r in shifts), len(nights)
    csv_ws = Workspace(tmp_path / "ws")
    report = ingest(out, csv_ws)
    assert not report.problems()
    con = duckdb.connect()
    meta = "_batch, _seq, _row_hash, _source_file, _source_row"
    tables = sorted({p.parent.name for p in ws.lake_dir.rglob("*.parquet")})
    assert "system_access" in tables and "shifts" in tables
    for t in tables:
        a, b = (f"read_parquet('{w.lake_dir}/*/{t}/*.parquet', hive_partitioning = false)" for w in (ws, csv_ws))
        differ = con.execute(
            f"SELECT count(*) FROM (SELECT * EXCLUDE ({meta}) FROM {a} EXCEPT ALL SELECT * EXCLUDE ({meta}) FROM {b})"
        ).fetchone()[0]
        n = con.execute(f"SELECT count(*) FROM {b}").fetchone()[0]
        assert (t, differ) == (t, 0) and n == con.execute(f"SELECT count(*) FROM {a}").fetchone()[0]
