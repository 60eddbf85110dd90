"""Tables many detectors compute alike, computed once per run (`fairwitness.detectors.shared`)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from fairwitness.detectors import engines
from fairwitness.detectors.compiler import compile_sql
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, peer_groups
from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runconfig import data_period
from fairwitness.detectors.runner import run, run_detector
from fairwitness.detectors.shared import PREFIX, SharedTables, ensure
from fairwitness.detectors.sources import build_sources, source_tables, visible_tables

PEER_DETECTORS = ["lookups_without_case_ref", "lookups_outside_own_cases", "excess_hours", "self_authorisation", "peer_anomaly"]
COMPARED = ["detector", "staff_id", "period_start", "period_end", "value", "peer_median", "peer_percentile",
            "peer_group", "score", "route", "evidence_keys", "detail"]


@pytest.fixture
def ws(small_force, tmp_path: Path):
    from fairwitness.workspace import Workspace

    _, base = small_force
    shutil.copytree(base.path, tmp_path / "ws", ignore=shutil.ignore_patterns("runs"))
    return Workspace(tmp_path / "ws")


def _sorted(t: pa.Table) -> pa.Table:
    t = t.select(COMPARED)
    return t.sort_by([(c, "ascending") for c in COMPARED if c not in ("evidence_keys",)])


def test_outside_a_run_a_shared_table_is_the_expression_itself() -> None:
    import ibis

    people = ibis.table({"staff_id": "string"}, name="people")
    src = build_sources({"people": people}, reads={"people": ("staff_id",)},
                        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))
    built = src.table("people").distinct()
    assert src.shared("k", lambda s: built, {"people": ("staff_id",)}) is built
    assert src.shared_sql == {}


def test_outside_a_spark_run_a_part_kept_once_is_a_cte_of_the_query() -> None:
    import ibis

    people = ibis.table({"staff_id": "string", "unit_id": "string"}, name="people")
    for keep in (None, SharedTables(ibis.duckdb.connect(), {"people": people}).keep):
        src = build_sources({"people": people}, reads={"people": ("staff_id", "unit_id")},
                            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31), keep=keep)
        p = src.table("people")
        part = src.once(p.group_by("unit_id").aggregate(n=p.count()))
        sql = ibis.to_sql(part.join(part.view(), "unit_id"), dialect="duckdb")
        assert sql.count("COUNT(*)") == 1 and "WITH" in sql  # one CTE, read twice
        assert src.shared_sql == {}


def test_a_shared_table_is_compiled_once_per_run_and_expression(monkeypatch) -> None:
    """A dozen detectors ask for the same peer groups: the second ask takes the first's name and
    SQL without compiling again; another expression under the same key is compiled, and named apart."""
    import ibis

    from fairwitness.detectors import compiler

    people = ibis.table({"staff_id": "string", "unit_id": "string"}, name="people")
    reads = {"people": ("staff_id", "unit_id")}
    shared = SharedTables(ibis.duckdb.connect(), {"people": people})
    compiled = []
    monkeypatch.setattr(compiler, "compile_sql", lambda con, e: compiled.append(e) or compile_sql(con, e))

    def ask(build):
        src = build_sources({"people": people}, reads=reads, period_start=dt.date(2025, 1, 1),
                            period_end=dt.date(2025, 1, 31), share=shared.share)
        return src.shared("units", build, reads).op().name, src.shared_sql

    def units(s):
        return s.table("people").group_by("unit_id").aggregate(n=s.table("people").count())

    first, sql = ask(units)
    again, sql_again = ask(units)
    assert len(compiled) == 1 and again == first and sql_again == sql
    other, _ = ask(lambda s: s.table("people").select("unit_id").distinct())
    assert len(compiled) == 2 and other != first and other.startswith(PREFIX + "units_")


def test_shared_peer_groups_equal_each_detectors_own(ws) -> None:
    """With and without the roster (a detector that does not read it has no shift patterns),
    and for two group sizes: the shared table holds exactly the rows the detector computes alone."""
    con = engines.connect("duckdb", ws)
    try:
        visible = visible_tables(source_tables(con))
        start, end = data_period(ws)
        names = set()
        for optional in (PEER_OPTIONAL_READS, {}):
            for size in (10, 25):
                alone = build_sources(visible, reads=PEER_READS, optional_reads=optional, period_start=start, period_end=end)
                shared = build_sources(visible, reads=PEER_READS, optional_reads=optional, period_start=start,
                                       period_end=end, share=SharedTables(con, visible).share)
                own = engines.execute(con, peer_groups(alone, size))
                ref = peer_groups(shared, size)
                (name,) = shared.shared_sql
                assert name.startswith(PREFIX) and name in compile_sql(con, ref)
                ensure(con, shared.shared_sql)
                got = engines.execute(con, ref)
                keys = [(c, "ascending") for c in own.column_names]
                assert got.sort_by(keys).equals(own.sort_by(keys))
                assert got.num_rows > 300
                names.add(name)
        assert len(names) == 4  # roster or not, size 10 or 25: four different tables
    finally:
        engines.close(con)


def test_a_detector_that_did_not_declare_the_columns_computes_its_own(ws) -> None:
    con = engines.connect("duckdb", ws)
    try:
        visible = visible_tables(source_tables(con))
        start, end = data_period(ws)
        src = build_sources(visible, reads={"people": ("staff_id", "unit_id")}, optional_reads={"units": ("unit_id",)},
                            period_start=start, period_end=end, share=SharedTables(con, visible).share)
        src.shared("peer_groups", lambda s: s.table("people"), PEER_READS)
        assert src.shared_sql == {}
    finally:
        engines.close(con)


def test_a_run_names_one_peer_group_table_per_period_and_gives_each_detectors_own_signals(ws) -> None:
    res = run(ws, detectors=PEER_DETECTORS)
    assert res.ok, res.errors
    sqls = {d["name"]: d["sql"] for d in res.record["detectors"]}
    tables = {name: {w for w in sql.replace('"', " ").split() if w.startswith(PREFIX)} for name, sql in sqls.items()}
    assert all(tables[n] for n in PEER_DETECTORS), tables
    # every detector here reads the roster, with the default group size: one table of peer
    # groups for all; and one of lookups per person and day for the lookup detectors
    peers = {n for names in tables.values() for n in names if n.startswith(PREFIX + "peer_groups_")}
    assert len(peers) == 1 and all(peers <= names for names in tables.values())
    days = {n for names in tables.values() for n in names if n.startswith(PREFIX + "lookup_days_")}
    assert len(days) == 1
    assert days <= tables["lookups_without_case_ref"] and days <= tables["lookups_outside_own_cases"]
    # and one of the lookups outside one's own cases, for the two detectors reading them
    outside = {n for names in tables.values() for n in names if n.startswith(PREFIX + "outside_own_cases_")}
    assert len(outside) == 1 and outside <= tables["lookups_outside_own_cases"]
    assert set().union(*tables.values()) == peers | days | outside

    con = engines.connect("duckdb", ws)
    try:
        start, end = data_period(ws)
        catalogue = load_registry().detectors
        alone = [run_detector(catalogue[name], con, period_start=start, period_end=end).raise_for_error().signals
                 for name in PEER_DETECTORS]
    finally:
        engines.close(con)
    assert sum(t.num_rows for t in alone) > 0
    assert _sorted(res.signals).equals(_sorted(pa.concat_tables(alone)))


# On Spark the shared tables are cached views and the signals are DuckDB's: checked on the whole
# catalogue by tests/test_end_to_end.py::test_engine_parity_on_the_synthetic_force (a run of these
# five detectors here repeated 50 s of that test).


@pytest.mark.spark
def test_a_spark_run_releases_the_cached_data_of_its_views(ws, spark_session) -> None:
    con = engines.connect("spark", ws)
    visible = visible_tables(source_tables(con))
    start, end = data_period(ws)
    src = build_sources(visible, reads=PEER_READS, optional_reads=PEER_OPTIONAL_READS, period_start=start,
                        period_end=end, share=SharedTables(con, visible).share)
    groups = peer_groups(src)
    (name,) = {w for w in compile_sql(con, groups).replace("`", " ").split() if w.startswith(PREFIX)}
    ensure(con, src.shared_sql)  # as a run does before each query
    assert engines.execute(con, groups).num_rows > 300
    catalog = con._session.catalog
    assert catalog.isCached(name) and catalog.isCached("people")
    engines.close(con)
    assert not catalog.isCached(name) and not catalog.isCached("people")
    assert engines.execute(con, groups).num_rows > 300  # the views stay usable


@pytest.mark.spark
def test_on_spark_a_part_kept_once_is_cached_before_its_query_and_read_from_the_cache(ws, spark_session) -> None:
    """A part of a detector's query read many times (`Sources.once`) is a view of the run's
    session, cached in full before the query (``ensure``) and read from that cache wherever
    the query reads it, even when the part holds CTEs of its own: a view kept as SQL was
    analysed again at each reading, its CTEs given new ids, and its cache never matched."""
    import ibis

    from fairwitness.detectors.sources import cte

    con = engines.connect("spark", ws)
    try:
        visible = visible_tables(source_tables(con))
        start, end = data_period(ws)
        src = build_sources(visible, reads={"people": ("staff_id", "unit_id")}, period_start=start,
                            period_end=end, keep=SharedTables(con, visible).keep)
        p = src.table("people")
        a = cte(p.filter(p.unit_id.notnull()).select("staff_id", "unit_id"), "people_in_units")
        one = ibis.literal(1, type="int64")
        part = a.group_by("unit_id").aggregate(n=a.count()).union(a.select(unit_id=a.staff_id, n=one))
        kept = src.once(part)
        (name,) = src.shared_sql
        assert name.startswith(PREFIX) and "WITH" in src.shared_sql[name]  # the part holds a CTE
        query = kept.join(kept.view(), "unit_id")  # read twice
        catalog = con._session.catalog
        assert not catalog.isCached(name)
        ensure(con, src.shared_sql)
        assert catalog.isCached(name)
        plan = con._session.sql(compile_sql(con, query))._jdf.queryExecution().executedPlan().toString()
        assert plan.count(f"In-memory table {name}") == 2, plan
        got = engines.execute(con, query)
        own = engines.execute(con, part.join(part.view(), "unit_id"))
        keys = [(c, "ascending") for c in own.column_names]
        assert got.num_rows > 300 and got.sort_by(keys).equals(own.sort_by(keys))
    finally:
        engines.close(con)
