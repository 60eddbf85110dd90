"""Incremental runs give exactly the signals of a full run, over appended and corrected batches."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fairwitness.detectors import engines
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


DETECTORS = (
    "duty_presence_gaps",
    "lookups_without_case_ref",
    "peer_anomaly",
    "rest_day_swap_overtime",
    "self_authorisation",
    "undeclared_interest",
)
"""The equality tests run these, not the whole catalogue (a full catalogue run is ~1 s per
detector here, most of it compiling): one detector per kind of input and per cache path —
rosters and device events through the privacy filter (its shared view bounded to the time the
computed windows see), police-systems access (late corrections), the derived source read row by
row (record linkage: its rows enter a window's key by the records the window sees), a 62-day
look-back (a month's window sees the month before), overtime, a peer baseline (every one but
``self_authorisation`` uses one) and a detector with its own ``finish`` (``peer_anomaly``'s
model). Every detector runs through the same schedule, key and cache code; the monthly test
leaves out ``peer_anomaly`` (`MONTHLY`): its model's cost is per window, and a finished result is
stored and reused by the same code whatever the window."""

MONTHLY = tuple(d for d in DETECTORS if d != "peer_anomaly")


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
    chosen = reg.select(DETECTORS)

    def run_(incremental: bool = False):
        return run(ws, registry=reg, detectors=list(DETECTORS), incremental=incremental)

    first = run_(incremental=True)  # nothing stored yet: everything runs
    assert first.record["reused"] == [] and not first.errors

    # a new week of data: the period moves, so every detector runs again
    ws.add_batch(_slice(tables, cut1, cut2))
    inc = run_(incremental=True)
    assert inc.record["reused"] == []
    _same(inc, run_())

    # a late-arriving correction to an old system-access row: only its readers run again
    sa = tables["system_access"]
    old = sa.filter(pc.less(pc.cast(sa["ts"], pa.date32()), pa.scalar(start + dt.timedelta(days=7), pa.date32()))).slice(0, 1)
    fixed = old.set_column(old.schema.get_field_index("case_ref"), "case_ref", pa.array([None], old.schema.field("case_ref").type))
    ws.add_batch({"system_access": fixed})
    inc = run_(incremental=True)
    readers = {c.name for c in chosen if "system_access" in {*c.reads, *c.optional_reads}}
    assert readers and set(inc.record["reused"]) == set(DETECTORS) - readers
    _same(inc, run_())

    # an old row deleted at source (a snapshot export no longer holding it, `ingest.snapshot`):
    # its deletion is a row of its own batch; only the readers run again, as for a correction
    def held() -> int:
        con = engines.connect("duckdb", ws)
        try:
            return con.table("system_access").count().to_pyarrow().as_py()
        finally:
            engines.close(con)

    before = held()
    gone = sa.filter(pc.less(pc.cast(sa["ts"], pa.date32()), pa.scalar(start + dt.timedelta(days=7), pa.date32()))).slice(1, 1)
    ws.add_batch({"system_access": gone.append_column("_deleted", pa.array([True], pa.bool_()))})
    inc = run_(incremental=True)
    assert set(inc.record["reused"]) == set(DETECTORS) - readers
    full = run_()
    _same(inc, full)
    assert held() == before - 1

    # one more day together with a correction to an old shift (an edited end time)
    sh = tables["shifts"]
    shift = sh.filter(pc.less(pc.cast(sh["start"], pa.date32()), pa.scalar(start + dt.timedelta(days=3), pa.date32()))).slice(0, 1)
    later = pc.add(shift["end"], pa.scalar(dt.timedelta(hours=3), pa.duration("us")))
    shift = shift.set_column(shift.schema.get_field_index("end"), "end", later.cast(shift.schema.field("end").type))
    day = _slice(tables, cut2, cut2 + dt.timedelta(days=1))
    day["shifts"] = pa.concat_tables([day["shifts"], shift.cast(day["shifts"].schema)]) if "shifts" in day else shift
    ws.add_batch(day)
    inc = run_(incremental=True)
    full = run_()
    _same(inc, full)

    # nothing new: everything is reused and the signals are the same
    again = run_(incremental=True)
    assert set(again.record["reused"]) == set(DETECTORS)
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


class _Linked:
    name = "linked"
    version = "1"
    reads = {"external_records": ("record_id", "observed_at")}
    optional_reads = {"external_links": ("record_id", "staff_id")}


def test_a_row_by_row_derived_source_enters_a_windows_key_by_the_rows_the_window_sees(tmp_path):
    from dataclasses import replace

    from fairwitness.detectors.incremental import InputKeys
    from fairwitness.detectors.sources import DerivedSource

    jan, feb = (dt.date(2025, 1, 1), dt.date(2025, 1, 31)), (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    er_jan, er_feb, people = "batch=a/external_records/p.parquet", "batch=b/external_records/p.parquet", "batch=a/people/p.parquet"
    ranges = {er_jan: (dt.datetime(2025, 1, 5), dt.datetime(2025, 1, 9)), er_feb: (dt.datetime(2025, 2, 3), dt.datetime(2025, 2, 3))}
    links = DerivedSource(
        "external_links", compute=lambda src: None, reads={"external_records": ("record_id",), "people": ("staff_id",)},
        rows_of=("external_records", "record_id"),
    )

    def keys(parts, derived, content):
        tables = {"external_records": ([tmp_path / f for f in parts], ("record_id",)), "people": ([tmp_path / people], ("staff_id",))}
        k = InputKeys(tables, (jan[0], feb[1]), "duckdb", "code", {"external_links": derived}, ranges)
        k.derived_hashes["external_links"] = content
        return k

    before, after = keys([er_jan], links, "h1"), keys([er_jan, er_feb], links, "h2")
    # February's records (and links) are not January's: January's key stays, February's moves
    assert before.window_key(_Linked, {}, jan) == after.window_key(_Linked, {}, jan)
    assert before.window_key(_Linked, {}, feb) != after.window_key(_Linked, {}, feb)
    # a new version of the derivation, or a failed one, moves every window
    newer = keys([er_jan], replace(links, version="2"), "h1")
    assert newer.window_key(_Linked, {}, jan) != before.window_key(_Linked, {}, jan)
    assert keys([er_jan], links, "error:boom").window_key(_Linked, {}, jan) != before.window_key(_Linked, {}, jan)
    # without ``rows_of`` its whole content enters every window's key
    plain = replace(links, rows_of=None)
    assert keys([er_jan], plain, "h1").window_key(_Linked, {}, jan) != keys([er_jan, er_feb], plain, "h2").window_key(_Linked, {}, jan)


def test_the_shared_views_cover_the_time_the_windows_that_run_see():
    from fairwitness.detectors.schedule import Piece, seen_range

    class Back(_Reader):
        lookback_days = 3

    jan, feb = (dt.date(2025, 1, 1), dt.date(2025, 1, 31)), (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    pieces = {
        _Reader: [Piece(_Reader, jan, "k", stored=object()), Piece(_Reader, feb, "k")],
        Back: [Piece(Back, jan, "k", stored=object()), Piece(Back, feb, "k")],
        _Linked: [Piece(_Linked, feb, "k")],
    }
    assert seen_range(pieces, "device_events") == (dt.datetime(2025, 1, 29), dt.datetime(2025, 3, 1))
    pieces[_Reader][0].stored = None
    assert seen_range(pieces, "device_events") == (dt.datetime(2025, 1, 1), dt.datetime(2025, 3, 1))
    assert seen_range(pieces, "external_records") == (None, dt.datetime(2025, 3, 1))  # a register: up to the end
    assert seen_range(pieces, "shifts") is None  # nobody that runs reads it


def _pieces(result, month: str) -> set[str]:
    """Detectors whose window starting in ``month`` (YYYY-MM) was computed, not reused."""
    return {name.split("@")[0] for name in result.record["computed"] if name.split("@")[1].startswith(month)}


@pytest.mark.slow
def _linked(result) -> dict:
    return {d["name"]: d for d in result.record["derived"]}["external_links"]


def _links(result) -> pa.Table:
    import pyarrow.parquet as pq

    return pq.read_table(result.path / "derived" / "external_links.parquet")


def test_monthly_windows_recompute_only_the_months_a_batch_touches(small_force, make_workspace):
    _, source = small_force
    tables = _current(source)
    start = min(d for d in pc.cast(tables["shifts"]["start"], pa.date32()).to_pylist())
    cut = start + dt.timedelta(days=40)  # into the second month
    first_month, last_month = f"{start:%Y-%m}", f"{cut:%Y-%m}"
    assert first_month != last_month
    ws = make_workspace(_slice(tables, None, cut))
    reg = load_registry()
    every = set(MONTHLY)
    chosen = reg.select(MONTHLY)
    linked = {c.name for c in chosen if {*c.reads, *c.optional_reads} & set(reg.derived)}
    assert linked == {"undeclared_interest"}

    def monthly(incremental: bool = False):
        return run(ws, registry=reg, detectors=sorted(every), incremental=incremental, window="month")

    first = monthly(incremental=True)
    assert not first.errors and len(first.record["windows"]) == 2
    assert _pieces(first, first_month) == every and _pieces(first, last_month) == every

    # one more day (a daily export, new external records included): the last month's windows
    # run again, every one of the first month's is reused — record linkage's too, since its
    # rows enter a window's key by the records the window sees
    day = _slice(tables, cut, cut + dt.timedelta(days=1))
    assert {"shifts", "device_events", "system_access", "external_records"} <= set(day)
    ws.add_batch(day)
    inc = monthly(incremental=True)
    assert _pieces(inc, last_month) == every
    assert _pieces(inc, first_month) == set()
    # record linkage links the day's records alone and keeps the rest (`derived_rows`)
    assert _linked(inc)["computed_rows"] == len(set(day["external_records"]["record_id"].to_pylist()))
    links = _links(inc)
    full = monthly()
    _same(inc, full)
    assert links.equals(_links(full))
    assert full.run_id != run(ws, registry=reg, detectors=sorted(every)).run_id  # the window is configuration

    # a late correction of an old system-access row: only its readers' windows that see it
    sa = tables["system_access"]
    old = sa.filter(pc.less(pc.cast(sa["ts"], pa.date32()), pa.scalar(start + dt.timedelta(days=7), pa.date32()))).slice(0, 1)
    fixed = old.set_column(old.schema.get_field_index("case_ref"), "case_ref", pa.array([None], old.schema.field("case_ref").type))
    ws.add_batch({"system_access": fixed})
    inc = monthly(incremental=True)
    readers = {c.name for c in chosen if "system_access" in {*c.reads, *c.optional_reads}}
    assert _pieces(inc, first_month) and _pieces(inc, first_month) <= readers
    assert not _pieces(inc, last_month) - {c.name for c in chosen if c.lookback_days >= 28}
    _same(inc, monthly())

    # a correction that moves an old shift into the last month changes both months
    ws.add_batch({"shifts": _shift_moved_to_last_month(tables, start, cut)})
    inc = monthly(incremental=True)
    shift_readers = {c.name for c in chosen if {"shifts", "device_events"} & {*c.reads, *c.optional_reads}}
    assert _pieces(inc, first_month) == shift_readers == _pieces(inc, last_month)
    full = monthly()
    _same(inc, full)

    # a late correction of an old external record: record linkage's readers, in every month
    # that sees the record (registers are read up to a window's end: both months)
    er = tables["external_records"]
    old_er = er.filter(pc.less(pc.cast(er["observed_at"], pa.date32()), pa.scalar(start + dt.timedelta(days=20), pa.date32())))
    assert old_er.num_rows
    strength = pc.if_else(pc.equal(old_er["strength"], "confirmed"), "indicative", "confirmed")
    ws.add_batch({"external_records": old_er.slice(0, 1).set_column(
        old_er.schema.get_field_index("strength"), "strength", strength.slice(0, 1).cast(old_er.schema.field("strength").type))})
    inc = monthly(incremental=True)
    er_readers = {c.name for c in chosen if "external_records" in {*c.reads, *c.optional_reads}}
    assert _pieces(inc, first_month) == er_readers == _pieces(inc, last_month)
    assert _linked(inc)["computed_rows"] == 1  # the corrected record alone is linked again
    links = _links(inc)
    full = monthly()
    _same(inc, full)
    assert links.equals(_links(full))

    again = monthly(incremental=True)
    assert again.record["computed"] == [] and set(again.record["reused"]) == every
    _same(again, full)


def test_coverage_counted_month_by_month_equals_counting_the_whole_period(small_force, make_workspace):
    from dataclasses import asdict

    from fairwitness.detectors import coverage, engines
    from fairwitness.detectors.incremental import InputKeys, ResultCache, measure_coverage
    from fairwitness.detectors.ranges import LakeRanges, updated_batches

    _, source = small_force
    tables = _current(source)
    start = min(d for d in pc.cast(tables["shifts"]["start"], pa.date32()).to_pylist())
    cut = start + dt.timedelta(days=40)
    ws = make_workspace(_slice(tables, None, cut))
    counted: list[str] = []

    class Spy(ResultCache):
        def put(self, kind, name, key, table):
            counted.append(name)
            super().put(kind, name, key, table)

    cache = Spy(ws.runs_dir)
    names = {"shifts", "system_access", "people", "external_records", "absences"}

    def both(period):
        lake = engines.lake_tables(ws)
        keys = InputKeys(lake, period, "duckdb", "code", {}, LakeRanges(ws.runs_dir).of(lake, updated_batches(ws)))
        counted.clear()
        got = measure_coverage(ws, names, period, keys=keys, cache=cache)
        whole = {k: asdict(v) for k, v in coverage.measure(ws, names, period).items()}
        assert {k: asdict(v) for k, v in got.items()} == whole
        run_con = engines.connect("duckdb", ws)  # a DuckDB run counts in its own views of the current rows
        try:
            assert {k: asdict(v) for k, v in coverage.measure(ws, names, period, con=run_con.con).items()} == whole
        finally:
            engines.close(run_con)
        return {n.split("@")[1] for n in counted}

    period = (start, cut - dt.timedelta(days=1))
    assert len(both(period)) == 2  # both months counted
    assert both(period) == set()  # nothing new: nothing counted
    ws.add_batch(_slice(tables, cut, cut + dt.timedelta(days=1)))
    assert both((start, cut)) == {f"{cut:%Y-%m}"}  # a day: its month only
    ws.add_batch({"shifts": _shift_moved_to_last_month(tables, start, cut)})  # a correction moving an old shift into the last month: both
    assert both((start, cut)) == {f"{start:%Y-%m}", f"{cut:%Y-%m}"}


def _shift_moved_to_last_month(tables, start: dt.date, cut: dt.date) -> pa.Table:
    """A correction of one shift of the first days, moved to two days before ``cut``."""
    sh = tables["shifts"]
    shift = sh.filter(pc.less(pc.cast(sh["start"], pa.date32()), pa.scalar(start + dt.timedelta(days=3), pa.date32()))).slice(0, 1)
    moved = dt.timedelta(days=(cut - start).days - 2)
    for col in ("start", "end"):
        later = pc.add(shift[col], pa.scalar(moved, pa.duration("us")))
        shift = shift.set_column(shift.schema.get_field_index(col), col, later.cast(shift.schema.field(col).type))
    return shift
