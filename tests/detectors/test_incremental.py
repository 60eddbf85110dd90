"""Incremental runs give exactly the signals of a full run, over appended and corrected batches."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runner import run
from fairwitness.detectors.sources import PERIOD_RULES


def _current(ws) -> dict[str, pa.Table]:
    con = ws.connect()
    try:
        out = {name: con.sql(f'SELECT * FROM "{name}"').to_arrow_table() for name in ws.loaded_tables()}
    finally:
        con.close()
    return {n: t.select([c for c in t.column_names if not c.startswith("_")]) for n, t in out.items()}


def _time_col(name: str) -> str | None:
    rule = PERIOD_RULES.get(name)
    return rule[1] if rule else None


def _slice(tables: dict[str, pa.Table], lo: dt.date | None, hi: dt.date) -> dict[str, pa.Table]:
    """Rows whose time falls in [lo, hi); reference tables only in the first slice."""
    out = {}
    for name, t in tables.items():
        col = _time_col(name)
        if col is None:
            if lo is None:
                out[name] = t
            continue
        day = pc.cast(t[col], pa.date32()) if not pa.types.is_date(t.schema.field(col).type) else t[col]
        mask = pc.less(day, pa.scalar(hi, pa.date32()))
        if lo is not None:
            mask = pc.and_(mask, pc.greater_equal(day, pa.scalar(lo, pa.date32())))
        part = t.filter(mask)
        if part.num_rows:
            out[name] = part
    return out


def _same(inc, full) -> None:
    assert inc.run_id == full.run_id
    assert inc.signals.num_rows == full.signals.num_rows
    assert inc.signals.equals(full.signals)
    assert [c.model_dump() for c in inc.candidates] == [c.model_dump() for c in full.candidates]


@pytest.mark.slow
def test_incremental_runs_equal_full_runs_over_appended_and_corrected_batches(small_force, make_workspace):
    _, source = small_force
    tables = _current(source)
    start = min(d for d in pc.cast(tables["shifts"]["start"], pa.date32()).to_pylist())
    cut1, cut2 = start + dt.timedelta(days=35), start + dt.timedelta(days=42)
    ws = make_workspace(_slice(tables, None, cut1))
    reg = load_registry()

    first = run(ws, registry=reg, incremental=True)  # nothing stored yet: everything runs
    assert first.record["reused"] == [] and not first.errors

    # a new week of data: the period moves, so every detector runs again
    ws.add_batch(_slice(tables, cut1, cut2))
    inc = run(ws, registry=reg, incremental=True)
    _same(inc, run(ws, registry=reg))

    # a late-arriving correction to an old system-access row: only its readers run again
    sa = tables["system_access"]
    old = sa.filter(pc.less(pc.cast(sa["ts"], pa.date32()), pa.scalar(start + dt.timedelta(days=7), pa.date32()))).slice(0, 1)
    fixed = old.set_column(old.schema.get_field_index("case_ref"), "case_ref", pa.array([None], old.schema.field("case_ref").type))
    ws.add_batch({"system_access": fixed})
    inc = run(ws, registry=reg, incremental=True)
    readers = {c.name for c in reg.select(None) if "system_access" in {*c.reads, *c.optional_reads}}
    assert readers and set(inc.record["reused"]) == {c.name for c in reg.select(None)} - readers
    _same(inc, run(ws, registry=reg))

    # one more day together with a correction to an old shift (an edited end time)
    sh = tables["shifts"]
    shift = sh.filter(pc.less(pc.cast(sh["start"], pa.date32()), pa.scalar(start + dt.timedelta(days=3), pa.date32()))).slice(0, 1)
    later = pc.add(shift["end"], pa.scalar(dt.timedelta(hours=3), pa.duration("us")))
    shift = shift.set_column(shift.schema.get_field_index("end"), "end", later.cast(shift.schema.field("end").type))
    day = _slice(tables, cut2, cut2 + dt.timedelta(days=1))
    day["shifts"] = pa.concat_tables([day["shifts"], shift.cast(day["shifts"].schema)]) if "shifts" in day else shift
    ws.add_batch(day)
    inc = run(ws, registry=reg, incremental=True)
    full = run(ws, registry=reg)
    _same(inc, full)

    # nothing new: everything is reused and the signals are the same
    again = run(ws, registry=reg, incremental=True)
    assert set(again.record["reused"]) == {c.name for c in reg.select(None)}
    _same(again, full)


class _Reader:
    name = "reader"
    version = "1"
    reads = {"device_events": ("staff_id", "ts")}
    optional_reads: dict = {}


def test_a_detectors_key_moves_with_what_it_reads_and_nothing_else(tmp_path):
    from fairwitness.detectors.incremental import InputKeys

    lake = tmp_path / "lake"
    files = {n: ([lake / "batch=a" / n / "part-0.parquet"], None) for n in ("device_events", "shifts", "expenses")}
    period = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))

    def key(tables, p=period, params=None):
        return InputKeys(tables, p, "duckdb", "code", {}).detector_key(_Reader, params or {})

    base = key(files)
    assert key(files) == base
    assert key({**files, "expenses": ([lake / "batch=b" / "expenses" / "part-0.parquet"], None)}) == base
    # a new batch of a table it reads, of a table the privacy filter reads, a new period, new parameters
    assert key({**files, "device_events": (files["device_events"][0] + [lake / "batch=b" / "device_events" / "p.parquet"], None)}) != base
    assert key({**files, "shifts": (files["shifts"][0], ("shift_id",))}) != base
    assert key(files, (period[0], dt.date(2025, 2, 1))) != base
    assert key(files, params={"min": 2}) != base
    # the workspace's place does not matter, only its lake parts
    moved = {n: ([tmp_path / "elsewhere" / "lake" / f.relative_to(lake) for f in fs], k) for n, (fs, k) in files.items()}
    assert key(moved) == base
