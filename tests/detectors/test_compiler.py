"""Compiling detector expressions: the SQL a run executes, and the digest naming an expression."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import ibis
import pyarrow as pa

from fairwitness.detectors import engines
from fairwitness.detectors.sources import cte
from fairwitness.detectors.compiler import compile_sql, digest

SCHEMA = {"staff_id": "string", "ts": "timestamp", "n": "int64"}


def _expr(cut: int = 2):
    t = ibis.table(SCHEMA, name="events")
    t = t.filter(t.ts >= ibis.literal(dt.datetime(2025, 1, 1)))
    t = t.mutate(k=t.n * 2).filter(ibis._.k > cut)
    return t.group_by("staff_id").aggregate(total=ibis._.k.sum(), first=ibis._.ts.min())


def test_the_digest_is_the_expressions_structure_in_any_process():
    assert digest(_expr()) == digest(_expr())  # built twice: the same
    assert digest(_expr(3)) != digest(_expr())  # a literal differs
    assert digest(_expr().select("staff_id", "total")) != digest(_expr())
    code = (
        "import sys; sys.path[:0] = " + repr(sys.path) + "\n"
        "from tests.detectors.test_compiler import _expr\n"
        "from fairwitness.detectors.compiler import digest\n"
        "print(digest(_expr()))"
    )
    for seed in ("1", "2"):  # string hashing differs from process to process; the digest does not
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed}, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        )
        assert out.stdout.strip() == digest(_expr())


def test_equal_parts_shared_twice_are_one_cte():
    t = ibis.table(SCHEMA, name="events")
    a = cte(t.filter(t.n > 1))
    b = cte(t.filter(t.n > 1))  # built again: the same name, one table in the query
    c = cte(t.filter(t.n > 2))
    q = a.union(b).union(c)
    sql = ibis.to_sql(q, dialect="duckdb")
    assert a.get_name() == b.get_name() != c.get_name()
    assert sql.count(f'"{a.get_name()}" AS (') == 1


def test_compiled_sql_is_ibis_own_and_gives_its_rows():
    rows = pa.table(
        {
            "staff_id": ["a", "a", "b", "c"],
            "ts": [dt.datetime(2025, 1, 2), dt.datetime(2024, 12, 31), dt.datetime(2025, 3, 1), dt.datetime(2025, 2, 1)],
            "n": [2, 9, 5, 1],
        }
    )
    con = engines.from_arrow("duckdb", {"events": rows})
    t = con.table("events")
    t = t.filter(t.ts >= ibis.literal(dt.datetime(2025, 1, 1))).mutate(k=t.n * 2)
    expr = t.filter(t.k > 2).group_by("staff_id").aggregate(total=ibis._.k.sum()).order_by("staff_id")
    sql = compile_sql(con, expr)
    assert sql == str(ibis.to_sql(expr, dialect="duckdb"))  # the same text, printed without a copy
    got = engines.execute(con, expr, sql=sql)
    assert got.to_pylist() == [{"staff_id": "a", "total": 4}, {"staff_id": "b", "total": 10}]
    assert got.equals(engines.normalise(expr.to_pyarrow()))
