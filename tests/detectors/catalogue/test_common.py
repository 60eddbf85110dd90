"""Helpers shared by the catalogue (`fairwitness.detectors.catalogue._common`)."""

from __future__ import annotations


import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairwitness.detectors import engines
from fairwitness.detectors.catalogue._common import blank, shared

_BLANK_EXAMPLES = [None, "", " ", "\t", "\v\f", " a", "a ", "a", "\u00a0", " \n\r", "é", "\r\n x"]


def _blank_on(engine: str, values: list) -> list:
    con = engines.from_arrow(engine, {"t": pa.table({"i": list(range(len(values))), "s": pa.array(values, pa.string())})})
    try:
        t = con.table("t")
        out = engines.execute(con, t.select("i", b=blank(t.s)))
    finally:
        engines.close(con)
    return [b for _, b in sorted(zip(out["i"].to_pylist(), out["b"].to_pylist(), strict=True))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.text(alphabet=" \t\n\r\v\f\u00a0xé", max_size=4)), max_size=20))
def test_blank_is_null_or_only_whitespace(values):
    """Stripping only values that start with whitespace gives what stripping every value gave."""
    assert _blank_on("duckdb", values) == [v is None or v.strip(" \t\n\r\v\f") == "" for v in values]


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_blank_at_the_edges(engine):
    assert _blank_on(engine, _BLANK_EXAMPLES) == [True, True, True, True, True, False, False, False, False, True,
                                                   False, False]


def test_shared_join_chain_is_written_once():
    """A join chain read by a projection and by a join is one CTE behind `shared`; without it Ibis
    writes the chain into both readers (the engine then scans and joins twice)."""
    import ibis

    a = ibis.table({"k": "int64", "x": "int64"}, name="a")
    b = ibis.table({"k": "int64", "y": "int64"}, name="b")
    c = ibis.table({"k": "int64", "z": "int64"}, name="c")

    def readers(h):
        p = h.select("k", "x")
        j1 = p.join(c, p.k == c.k).select(p.k, c.z)
        return h.anti_join(j1, h.k == j1.k)

    chain = a.join(b, "k").select(a.k, a.x, b.y)
    assert ibis.to_sql(readers(chain), dialect="duckdb").count('FROM "a"') == 2
    assert ibis.to_sql(readers(shared(chain)), dialect="duckdb").count('FROM "a"') == 1
    # and it keeps every row
    con = ibis.duckdb.connect()
    t = ibis.memtable({"k": [1, 2, None]})
    assert con.to_pyarrow(shared(t)).num_rows == 3


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_a_named_shared_filter_is_written_once(engine):
    """A filtered scan read by a projection and an aggregation is merged into each reader (the
    engine scans and filters twice), unless `shared` names it: then it is one CTE, on both
    engines, with the same rows."""
    import ibis

    con = engines.from_arrow(engine, {"sa": pa.table({"k": [1, 2, 2, 3], "c": [None, "x", None, None]})})
    try:
        sa = con.table("sa")

        def readers(h):
            counted = h.group_by("k").aggregate(n=h.count())
            doubled = h.mutate(d=h.k * 2)  # a reader adding a column, as `_lookups.assess` does
            return doubled.join(counted, "k").select("k", "n").order_by("k")

        plain = readers(sa.filter(sa.c.isnull()).select("k"))
        named = readers(shared(sa.filter(sa.c.isnull()).select("k"), "no_ref"))
        dialect = "duckdb" if engine == "duckdb" else "pyspark"
        scans = 'FROM "sa"' if engine == "duckdb" else "FROM `sa`"
        assert ibis.to_sql(plain, dialect=dialect).count(scans) == 2
        assert ibis.to_sql(named, dialect=dialect).count(scans) == 1
        assert engines.execute(con, named).to_pylist() == engines.execute(con, plain).to_pylist() == [
            {"k": 1, "n": 1}, {"k": 2, "n": 1}, {"k": 3, "n": 1}
        ]
    finally:
        engines.close(con)
