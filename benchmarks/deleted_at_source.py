"""Sickness entered in error and deleted at source: what the lake keeps, with and without a snapshot.

`python -m benchmarks.deleted_at_source PARQUET_FORCE_DIR WORKDIR [N]`: an HR administrator
records sickness on the wrong person's record, on days that person worked overtime (``N`` people,
default 20, one day each: ids ``ERR-<n>``), and deletes it before the next export. The force is
exported twice: with the erroneous records (Monday) and without them (Tuesday, the force itself).
Both exports are ingested, in order, into two workspaces: one whose absences export declares
``snapshot = true`` (`fairwitness.ingest.snapshot`), one without. Every detector is run on each
and on the force alone, and the signals (detector, person, route) compared with the force's.

Without the declaration the deleted records stay in the lake and the overtime those people worked
reads as overtime during sickness; with it, the signals are the force's own.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.sickness_by_day import LONDON, UTC, _signals
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace


def phantoms(force: Path, n: int, seed: int = 11) -> pa.Table:
    """``n`` sickness records of one London day, each on the day of an approved overtime claim of
    a different person."""
    claims = pq.read_table(force / "overtime_claims", columns=["staff_id", "start", "status"])
    claims = claims.filter(pc.equal(claims["status"], "approved"))
    rng = np.random.default_rng(seed)
    rows, seen = [], set()
    for i in rng.permutation(claims.num_rows):
        staff, start = claims["staff_id"][int(i)].as_py(), claims["start"][int(i)].as_py()
        if staff in seen:
            continue
        seen.add(staff)
        day = start.astimezone(LONDON).date()
        lo = dt.datetime.combine(day, dt.time(), LONDON).astimezone(UTC)
        hi = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), LONDON).astimezone(UTC)
        rows.append({"absence_id": f"ERR-{len(rows) + 1}", "staff_id": staff, "type": "sickness", "start": lo, "end": hi})
        if len(rows) == n:
            break
    schema = pq.read_schema(next((force / "absences").glob("*.parquet")))
    return pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)


def export(force: Path, out: Path, extra: pa.Table | None, *, snapshot: bool) -> None:
    """The force (with ``extra`` absences), its absences in one file (and the declaration)."""
    shutil.copytree(force, out)
    shutil.rmtree(out / "absences")
    (out / "absences").mkdir()
    t = pq.read_table(force / "absences")
    if extra is not None:
        t = pa.concat_tables([t, extra.cast(t.schema)])
    pq.write_table(t, out / "absences" / "part-00000.parquet")
    if snapshot:
        (out / "absences" / "format.toml").write_text("snapshot = true\n")


def main() -> None:
    force, work = Path(sys.argv[1]), Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    err = phantoms(force, n)
    ingest(force, Workspace(work / "ws-force"))
    truth = _signals(Workspace(work / "ws-force"))
    print(f"force: {len(truth)} signals; {err.num_rows} sickness records entered in error, then deleted")
    for snapshot in (False, True):
        name = "snapshot" if snapshot else "plain"
        export(force, work / f"{name}-monday", err, snapshot=snapshot)
        export(force, work / f"{name}-tuesday", None, snapshot=snapshot)
        ws = Workspace(work / f"ws-{name}")
        ingest(work / f"{name}-monday", ws)
        monday = _signals(ws)
        deleted = ingest(work / f"{name}-tuesday", ws).by_table().get("absences", {}).get("deleted", 0)
        tuesday = _signals(ws)
        wrong = Counter((d, r) for d, _, r in tuesday - truth)
        lost = Counter((d, r) for d, _, r in truth - tuesday)
        print(f"{name}: Monday {len(monday - truth)} signals the force does not have; Tuesday (deleted: {deleted}) "
              f"{len(tuesday - truth)}, and {len(truth - tuesday)} of the force's missing")
        for (d, r), k in sorted(wrong.items()):
            print(f"  still wrong on Tuesday: {k} x {d} -> {r}")
        for (d, r), k in sorted(lost.items()):
            print(f"  missing on Tuesday: {k} x {d} -> {r}")


if __name__ == "__main__":
    main()
