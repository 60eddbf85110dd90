"""`FAIRWITNESS_PROFILE_DIR`: a DuckDB run writes DuckDB's profile of each detector's query and of
each shared table it creates; `summary` reads one back."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from fairwitness.detectors.profiling import ENV, profiled, summary
from fairwitness.detectors.runner import run
from fairwitness.workspace import Workspace

DETECTORS = ["self_authorisation", "excess_hours", "overtime_no_presence"]
"""All compare with the peer groups (a shared table); ``overtime_no_presence`` reads the privacy copy of device events."""
COLUMNS = ["signal_id", "staff_id", "detector", "route", "score", "explanation", "evidence"]


def _signals(r):
    return r.signals.select(COLUMNS).sort_by([("signal_id", "ascending")])


def test_a_profiled_run_writes_each_query_and_each_shared_table_once(small_force, tmp_path, monkeypatch, own_statements):
    _, source = small_force
    shutil.copytree(source.path, tmp_path / "ws", ignore=shutil.ignore_patterns("runs", "governance.sqlite"))
    ws = Workspace(tmp_path / "ws")
    plain = run(ws, detectors=DETECTORS)  # not profiled; keeps the statements
    assert not plain.errors and plain.signals.num_rows > 0
    folder = tmp_path / "profiles"
    monkeypatch.setenv(ENV, str(folder))
    kept = run(ws, detectors=DETECTORS)  # the kept statements (`statements.query_statement`)
    assert _signals(kept).equals(_signals(plain)), "profiling changes no result"
    names = sorted(p.stem for p in folder.glob("*.json"))
    kinds = {k: [n for n in names if n.startswith(k + "-")] for k in ("shared", "visible", "coverage")}
    assert [n for n in names if not any(n in v for v in kinds.values())] == sorted(DETECTORS)
    # each shared table created once, for the first detector naming it; the peer groups among them
    assert kinds["shared"] and not [n for n in kinds["shared"] if n.endswith("-2")], names
    assert any("peer_groups" in n for n in kinds["shared"]), names
    assert kinds["visible"] == ["visible-device_events"], names  # the run's privacy copy (`copies.share_views`)
    assert "coverage-overtime_claims" in kinds["coverage"], names  # a count per source read (`coverage.measure`)
    for name in names:
        prof = summary(folder / f"{name}.json", top=5)
        assert prof.label == name and prof.seconds > 0 and 0 < len(prof.operators) <= 5
        assert [o.seconds for o in prof.operators] == sorted((o.seconds for o in prof.operators), reverse=True)
    query = summary(folder / "excess_hours.json", top=100)
    assert any(o.name == "TABLE_SCAN" and o.rows > 0 for o in query.operators)

    # a fresh workspace builds and compiles its statements (`execution.query_prepared`): profiled too,
    # and a second statement of a name gets its own file
    shutil.rmtree(ws.runs_dir)
    built = run(ws, detectors=DETECTORS)
    assert _signals(built).equals(_signals(plain))
    assert {f"{d}-2" for d in DETECTORS} <= {p.stem for p in folder.glob("*.json")}


def test_profiled_writes_one_file_per_block_and_nothing_when_off(tmp_path, monkeypatch):
    con = duckdb.connect()
    monkeypatch.delenv(ENV, raising=False)
    with profiled(con, "off") as path:
        con.execute("SELECT count(*) FROM range(1000)").fetchall()
    assert path is None and not list(tmp_path.iterdir())

    monkeypatch.setenv(ENV, str(tmp_path / "p"))
    for _ in range(2):
        with profiled(con, "a query/with odd:name") as path:
            con.execute("SELECT sum(range) FROM range(100000)").fetchall()
        assert path is not None and path.exists()
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["a_query_with_odd_name-2.json", "a_query_with_odd_name.json"]
    con.execute("SELECT 42").fetchall()  # the block ended profiling: the last file is not rewritten with this
    for name in ("a_query_with_odd_name.json", "a_query_with_odd_name-2.json"):
        prof = summary(tmp_path / "p" / name)
        assert any("AGGREGATE" in o.name for o in prof.operators), prof

    class Spark:  # an Ibis PySpark backend is named so: not profiled
        name = "pyspark"

    with profiled(Spark(), "spark") as path:
        pass
    assert path is None


@pytest.mark.parametrize("label", ["", "..", "a.b", "shared-_fw_shared_x_1"])
def test_labels_become_file_names_in_the_folder(tmp_path, monkeypatch, label):
    monkeypatch.setenv(ENV, str(tmp_path))
    con = duckdb.connect()
    with profiled(con, label) as path:
        con.execute("SELECT 1").fetchall()
    assert path is not None and path.parent == tmp_path and path.exists()
