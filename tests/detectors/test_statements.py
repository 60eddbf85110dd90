"""Compiled statements kept from one run to the next (`fairwitness.detectors.statements`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from fairwitness.detectors import engines
from fairwitness.detectors.compiler import compile_sql
from fairwitness.detectors import runner as runner_module
from fairwitness.detectors.runner import run
from fairwitness.detectors.statements import Statement, StatementCache

# detectors whose statements name memtables (day spines, window lists) and one with a finish step
DETECTORS = ["lookups_outside_own_cases", "office_attendance", "reciprocal_authorisation", "peer_anomaly"]


@pytest.fixture
def ws(small_force, tmp_path: Path, own_statements):
    from fairwitness.workspace import Workspace

    _, base = small_force
    shutil.copytree(base.path, tmp_path / "ws", ignore=shutil.ignore_patterns("runs"))
    return Workspace(tmp_path / "ws")


def _no_build(*_a, **_k):
    raise AssertionError("built and compiled again")


def test_workspaces_sharing_a_statement_folder_compile_a_statement_once(small_force, tmp_path: Path, monkeypatch) -> None:
    """``FAIRWITNESS_STATEMENT_CACHE``: a statement compiled for one workspace serves another of the
    same tables (here a copy of it in another folder: the key names no file), with the same SQL and
    signals; without it, each workspace keeps its own."""
    from fairwitness.detectors.statements import SHARED_DIR_ENV
    from fairwitness.workspace import Workspace

    _, base = small_force
    shared = tmp_path / "statements"
    monkeypatch.setenv(SHARED_DIR_ENV, str(shared))
    one, two = (Workspace(shutil.copytree(base.path, tmp_path / n, ignore=shutil.ignore_patterns("runs"))) for n in "ab")
    first = run(one, detectors=["office_attendance", "self_authorisation"])
    assert first.ok, first.errors
    assert sorted(p.name.split("@")[0] for p in shared.iterdir()) == ["office_attendance", "self_authorisation"]
    assert not (one.runs_dir / "cache" / "statements").exists()
    with monkeypatch.context() as m:
        m.setattr(runner_module, "prepare_detector", _no_build)
        second = run(two, detectors=["office_attendance", "self_authorisation"])
    assert second.ok, second.errors
    assert second.signals.equals(first.signals)
    assert [d["sql"] for d in second.record["detectors"]] == [d["sql"] for d in first.record["detectors"]]
    monkeypatch.delenv(SHARED_DIR_ENV)
    own = run(two, detectors=["office_attendance", "self_authorisation"])  # compiled in its own folder
    assert own.signals.equals(first.signals)
    assert (two.runs_dir / "cache" / "statements").is_dir()


def test_a_second_run_takes_the_kept_statements_and_gives_the_same_signals(ws, monkeypatch) -> None:
    first = run(ws, detectors=DETECTORS, window="month")
    assert first.ok, first.errors
    kept = sorted(p.name for p in (ws.runs_dir / "cache" / "statements").iterdir())
    assert kept == sorted(f"{d}@{w[0]}" for d in DETECTORS for w in first.record["windows"])
    monkeypatch.setattr(runner_module, "prepare_detector", _no_build)
    second = run(ws, detectors=DETECTORS, window="month")
    assert second.ok, second.errors
    assert second.run_id == first.run_id
    assert second.signals.equals(first.signals)
    assert second.candidate_table.equals(first.candidate_table)
    assert [d["sql"] for d in second.record["detectors"]] == [d["sql"] for d in first.record["detectors"]]


def test_other_parameters_or_a_damaged_statement_compile_again(ws, monkeypatch) -> None:
    first = run(ws, detectors=["office_attendance"])
    built: list[str] = []
    real = runner_module.prepare_detector

    def counting(cls, *a, **k):
        built.append(cls.name)
        return real(cls, *a, **k)

    monkeypatch.setattr(runner_module, "prepare_detector", counting)
    params = {"office_attendance": {"min_available_days": 5}}
    other = run(ws, detectors=["office_attendance"], params=params)
    assert built == ["office_attendance"] and other.run_id != first.run_id
    # the default's statement is kept beside it: a what-if run does not make the next run compile
    assert run(ws, detectors=["office_attendance"]).signals.equals(first.signals)
    assert built == ["office_attendance"]
    folders = sorted((ws.runs_dir / "cache" / "statements").glob("office_attendance@*/*"), key=lambda f: f.stat().st_mtime_ns)
    assert len(folders) == 2
    params_folder = folders[0]  # the default's was used last
    (params_folder / "statement.json").write_text("{not json")
    again = run(ws, detectors=["office_attendance"], params=params)
    assert built == ["office_attendance"] * 2
    assert again.signals.equals(other.signals)


def test_a_statement_runs_as_its_expression_does(tmp_path: Path, own_statements) -> None:
    con = engines.from_arrow("duckdb", {"t": pa.table({"k": [1, 2, 3], "v": ["a", "b", None]})})
    days = ibis.memtable(pa.table({"k": [2, 3, 4], "w": [0.5, 1.5, 2.5]}))
    t = con.table("t")
    expr = t.join(days, "k").select("k", "v", "w", n=ibis.literal(1, "int32"))
    sql = compile_sql(con, expr)
    st = Statement.of(expr, sql)
    assert st is not None and len(st.memtables) == 1
    cache = StatementCache(tmp_path)
    cache.put("x@2025-01-01", "key", st)
    back = cache.get("x@2025-01-01", "key")
    assert back is not None and back.sql == sql
    fresh = engines.backend("duckdb")
    engines.from_arrow("duckdb", {"t": pa.table({"k": [1, 2, 3], "v": ["a", "b", None]})}, con=fresh)
    got = back.execute(fresh).sort_by("k")
    assert got.equals(engines.execute(con, expr, sql=sql).sort_by("k"))
    assert got.schema.field("n").type == pa.int32()
    assert cache.get("x@2025-01-01", "other") is None


def test_the_most_recently_used_statements_of_a_piece_are_kept(tmp_path: Path, own_statements) -> None:
    """A run with other parameters (or other code) does not evict the daily run's statement: the
    `KEPT` most recently used of each piece stay, the least recently used goes."""
    import os

    from fairwitness.detectors.statements import KEPT

    cache = StatementCache(tmp_path)
    st = Statement(sql="SELECT 1 AS n", schema={"n": "int32"}, memtables={})
    keys = [f"k{i}" for i in range(KEPT + 2)]
    for i, k in enumerate(keys[:KEPT]):
        cache.put("d@2025-01-01", k, st)
        os.utime(cache.root / "d@2025-01-01" / k, ns=(i * 10**9, i * 10**9))  # put one after another
    assert cache.get("d@2025-01-01", "k0") is not None  # used again: now the most recent
    cache.put("d@2025-01-01", keys[KEPT], st)
    kept = {f.name for f in (cache.root / "d@2025-01-01").iterdir()}
    assert kept == {"k0", *keys[2 : KEPT + 1]}  # k1, the least recently used, went
    assert len(kept) == KEPT


def test_a_statement_another_process_keeps_first_is_left_as_theirs(tmp_path: Path, own_statements, monkeypatch) -> None:
    """Two runs sharing a folder compile the same statement at once: the one whose rename comes
    second finds the other's folder in place (renaming onto a folder that is not empty fails) and
    leaves it, without an error and without a stray temporary folder."""
    import os

    from fairwitness.detectors import statements

    cache = StatementCache(tmp_path)
    theirs = Statement(sql="SELECT 1 AS n", schema={"n": "int32"}, memtables={})
    ours = Statement(sql="SELECT 1 AS n -- ours", schema={"n": "int32"}, memtables={})
    real_replace = os.replace

    def other_process_first(src, dst):  # noqa: ANN001
        monkeypatch.setattr(statements.os, "replace", real_replace)
        StatementCache(tmp_path).put("d@2025-01-01", "k", theirs)  # between our check and our rename
        return real_replace(src, dst)

    monkeypatch.setattr(statements.os, "replace", other_process_first)
    cache.put("d@2025-01-01", "k", ours)
    back = cache.get("d@2025-01-01", "k")
    assert back is not None and back.sql == theirs.sql
    assert [f.name for f in (cache.root / "d@2025-01-01").iterdir()] == ["k"]
