"""The kept complexity scores Ibis's select fusion decides by (`fairwitness.detectors.fusion`)."""

from __future__ import annotations

import gc
import re

import ibis
import pytest
from ibis.backends.sql import rewrites

from fairwitness.detectors import fusion
from fairwitness.detectors.compiler import compile_sql


def _prepared_sql(ws, name: str) -> str:
    from fairwitness.detectors import engines
    from fairwitness.detectors.execution import prepare_detector
    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runconfig import data_period

    start, end = data_period(ws)
    con = engines.connect("duckdb", ws)
    try:
        p = prepare_detector(load_registry().detectors[name], con, period_start=start, period_end=end)
        assert not p.out.error, p.out.error
        # a memtable's name is new in every build
        return re.sub(r"ibis_\w+_memtable_\w+", "memtable", compile_sql(con, p.expr))
    finally:
        engines.close(con)


def test_installed_in_place_of_ibis_own():
    assert ibis.__version__ == fusion.CHECKED_IBIS, "a new Ibis: check fusion.complexity against its own, then CHECKED_IBIS"
    assert rewrites.complexity is fusion.complexity
    assert fusion.ibis_complexity() is not fusion.complexity


@pytest.mark.parametrize("name", ["lookups_without_case_ref", "peer_anomaly"])
def test_every_score_and_the_sql_are_ibis_own(small_force, monkeypatch, name):
    """Compiling two of the largest detectors (windows, peers, fused projections), every score the
    fusion asks for is the one Ibis computes, and the SQL is the SQL Ibis's own scores give."""
    _, ws = small_force
    own = fusion.ibis_complexity()
    asked = []

    def both(node):
        kept, walked = fusion.complexity(node), own(node)
        asked.append(kept == walked)
        return kept

    monkeypatch.setattr(rewrites, "complexity", both)
    checked = _prepared_sql(ws, name)
    assert len(asked) > 100 and all(asked)
    monkeypatch.setattr(rewrites, "complexity", own)
    assert _prepared_sql(ws, name) == checked


def test_a_score_is_forgotten_with_its_node():
    t = ibis.table({"a": "int64", "b": "string"}, name="t")
    expr = t.mutate(c=t.a + 1).filter(t.b.length() > 2).select("c")
    fusion.complexity(expr.op())
    kept = len(fusion._SCORES)
    assert kept > 0
    del expr, t
    gc.collect()
    assert len(fusion._SCORES) < kept


def test_another_ibis_keeps_its_own(monkeypatch):
    monkeypatch.setattr(ibis, "__version__", "99.0.0")
    monkeypatch.setattr(rewrites, "complexity", fusion.ibis_complexity())
    assert fusion.install() is False
    assert rewrites.complexity is fusion.ibis_complexity()
