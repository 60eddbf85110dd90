"""The same force with its sickness written one row per day, as SAP's RPTLEA10 stores it.

`python -m benchmarks.sickness_by_day PARQUET_FORCE_DIR WORKDIR`: copies the force with every
sickness absence of more than one day split into one row per London calendar day (ids
``<id>-<n>``), in two forms:

* ``every_day``: a row for every day of the spell;
* ``weekdays``: a row only for Monday to Friday (a spell recorded per working day of an office
  calendar, the weekends left out); a spell of weekend days alone keeps them.

Ingests the force and both forms into their own workspaces, runs every detector on each and
prints, per detector, the signals (detector, person, route) found in one and not the other.
Evidence keys name absence rows, which differ by construction, so they are not compared; what
a person was off is the same in all three, so any other difference is the detectors' reading
of the export's shape.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fairwitness.detectors.runner import run
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def _days(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """``[start, end)`` cut at London midnights (UTC bounds)."""
    out, a = [], start
    while a < end:
        local = a.astimezone(LONDON)
        nxt = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), LONDON).astimezone(UTC)
        b = min(nxt, end)
        out.append((a, b))
        a = b
    return out


def split(absences: pa.Table, *, weekdays: bool) -> pa.Table:
    """Sickness rows of more than one day as one row per day (``weekdays``: Monday to Friday
    only, when the spell has any)."""
    rows = []
    for r in absences.to_pylist():
        parts = _days(r["start"], r["end"]) if r["type"] == "sickness" else []
        if len(parts) < 2:
            rows.append(r)
            continue
        if weekdays:
            parts = [p for p in parts if p[0].astimezone(LONDON).weekday() < 5] or parts
        for n, (a, b) in enumerate(parts, 1):
            rows.append(r | {"absence_id": f"{r['absence_id']}-{n}", "start": a, "end": b, "days": None, "hours": None})
    return pa.Table.from_pylist(rows, schema=absences.schema)


def write(force: Path, out: Path, form: str) -> int:
    """``force`` with its absences split (``form``: every_day or weekdays); rows of absences."""
    shutil.copytree(force, out)
    shutil.rmtree(out / "absences")
    (out / "absences").mkdir()
    t = pq.read_table(force / "absences")
    t = split(t, weekdays=form == "weekdays")
    pq.write_table(t, out / "absences" / "part-00000.parquet")
    return t.num_rows


def _signals(ws: Workspace) -> set[tuple[str, str, str]]:
    return {(s["detector"], s["staff_id"], s["route"]) for s in run(ws, engine="duckdb").signals.to_pylist()}


def main() -> None:
    force, work = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sick = pq.read_table(force / "absences").filter(pc.equal(pq.read_table(force / "absences")["type"], "sickness"))
    print(f"force: {sick.num_rows:,} sickness records")
    ingest(force, Workspace(work / "ws-force"))
    base = _signals(Workspace(work / "ws-force"))
    print(f"force: {len(base)} signals")
    for form in ("every_day", "weekdays"):
        n = write(force, work / form, form)
        ingest(work / form, Workspace(work / f"ws-{form}"))
        got = _signals(Workspace(work / f"ws-{form}"))
        only_force, only_form = Counter(s[0] for s in base - got), Counter(s[0] for s in got - base)
        print(f"{form}: {n:,} absence rows; {len(got)} signals; the same (detector, person, route): {got == base}")
        for det in sorted(set(only_force) | set(only_form)):
            print(f"  {det}: {only_force[det]} only in the force, {only_form[det]} only in {form}")
        for s in sorted(got - base)[:10]:
            print(f"  only in {form}: {s}")
        for s in sorted(base - got)[:10]:
            print(f"  only in the force: {s}")


if __name__ == "__main__":
    main()
