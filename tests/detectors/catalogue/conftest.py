"""Harness for the catalogue tests: small hand-written contract tables.

``run`` executes a detector directly on DuckDB (declared columns only, schema and
template checked). Each test module also runs its fixture through the real runner with
the shared ``engine`` / ``run_detector`` fixtures of ``tests/conftest.py`` on Spark
(``test_runner_on_spark``, marked ``spark``) and checks the same signals come out."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import ibis
import pyarrow as pa
import pytest

from fairwitness.contract import BY_NAME
from fairwitness.detectors.base import SIGNAL_COLUMNS, Detector
from fairwitness.detectors.peers import merge_reads
from fairwitness.detectors.sources import Sources
from fairwitness.linkage import LINK_SCHEMA

START = dt.date(2024, 3, 1)
END = dt.date(2024, 3, 31)


def _value(v: Any, typ: pa.DataType) -> Any:
    if v is None:
        return None
    if pa.types.is_timestamp(typ) and isinstance(v, str):
        return dt.datetime.fromisoformat(v)
    if pa.types.is_date(typ) and isinstance(v, str):
        return dt.date.fromisoformat(v)
    if pa.types.is_floating(typ):
        return float(v)
    return v


def make_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """A contract table from dict rows (timestamps and dates as ISO strings, UTC)."""
    if name == "external_links":
        schema = LINK_SCHEMA
    else:
        schema = BY_NAME[name].arrow_schema()
        schema = pa.schema([pa.field(f.name, f.type, nullable=True) for f in schema])
    cols = {f.name: [_value(r.get(f.name), f.type) for r in rows] for f in schema}
    return pa.table({f.name: pa.array(cols[f.name], type=f.type) for f in schema})


def _sources(det: Detector, tables: dict[str, pa.Table], start: dt.date, end: dt.date) -> Sources:
    allowed = merge_reads(det.reads, det.optional_reads)
    exprs = {n: ibis.memtable(t) for n, t in tables.items() if n in allowed}
    return Sources(tables=exprs, period_start=start, period_end=end, allowed=allowed)


def _rows(result: pa.Table) -> list[dict[str, Any]]:
    rows = result.to_pylist()
    for r in rows:
        for k, v in r.items():
            if isinstance(v, float):
                r[k] = round(v, 6)
    return sorted(rows, key=lambda r: (r["staff_id"], r["route"], r["detail"] or ""))


def execute(con: Any, det: Detector, tables: dict[str, pa.Table], start: dt.date = START, end: dt.date = END) -> list[dict[str, Any]]:
    expr = det.build(_sources(det, tables, start, end))
    schema = expr.schema()
    # the signal columns first; a detector with its own finish may add columns for it to read
    assert list(schema.names)[: len(SIGNAL_COLUMNS)] == list(SIGNAL_COLUMNS), schema.names
    extra = list(schema.names)[len(SIGNAL_COLUMNS) :]
    assert not extra or (type(det).finish is not Detector.finish and all(n.startswith("_") for n in extra)), extra
    for col, typ in SIGNAL_COLUMNS.items():
        assert str(schema[col]).lstrip("!") == typ, (col, schema[col])
    result = con.to_pyarrow(expr)
    out = det.finish(result)
    assert out.column_names == list(SIGNAL_COLUMNS)
    rows = _rows(out)
    for r in rows:
        assert 0.0 <= r["score"] <= 1.0
        assert r["route"] in ("wellbeing", "advice", "misconduct_assessment", "gross_misconduct_assessment", "criminal_referral")
        assert r["peer_percentile"] is None or 0 <= r["peer_percentile"] <= 100
        assert not (isinstance(r["value"], float) and math.isnan(r["value"]))
        # the explanation template must format with the signal's columns
        det.explain.format(**r)
    return rows


@pytest.fixture
def run():
    """``run(detector, tables, start=..., end=...)`` -> sorted signal rows, on DuckDB."""
    con = ibis.duckdb.connect()

    def _run(det: Detector, tables: dict[str, pa.Table], start: dt.date = START, end: dt.date = END):
        return execute(con, det, tables, start, end)

    return _run


@pytest.fixture
def T():
    """``T(name, rows)`` builds a contract table."""
    return make_table


def person(staff_id: str, **kw: Any) -> dict[str, Any]:
    """A people row with sensible defaults (constable, full-time, response unit U1)."""
    row = {
        "staff_id": staff_id,
        "rank_grade": "Constable",
        "role": "response officer",
        "unit_id": "U1",
        "employment_type": "officer",
        "fte": 1.0,
        "start_date": "2015-01-01",
        "end_date": None,
        "hybrid_policy": False,
        "line_manager_id": None,
    }
    row.update(kw)
    return row


UNITS = [
    {"unit_id": "U1", "name": "Response A", "unit_type": "response", "command": "North", "site_id": "S1"},
    {"unit_id": "U2", "name": "Response B", "unit_type": "response", "command": "South", "site_id": "S2"},
    {"unit_id": "U3", "name": "HQ Finance", "unit_type": "hq", "command": "Central", "site_id": "S3"},
]
SITES = [
    {"site_id": "S1", "name": "North station", "kind": "station"},
    {"site_id": "S2", "name": "South station", "kind": "station"},
    {"site_id": "S3", "name": "Headquarters", "kind": "office"},
    {"site_id": "S9", "name": "Court", "kind": "other"},
]


@pytest.fixture
def P():
    return person


@pytest.fixture
def base():
    """``base(people_rows)`` -> dict with people, units and sites tables."""

    def _base(people: list[dict[str, Any]]) -> dict[str, pa.Table]:
        return {
            "people": make_table("people", people),
            "units": make_table("units", UNITS),
            "sites": make_table("sites", SITES),
        }

    return _base
