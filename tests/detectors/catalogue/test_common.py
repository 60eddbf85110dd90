"""Helpers shared by the catalogue (`fairwitness.detectors.catalogue._common`)."""

from __future__ import annotations


import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairwitness.detectors import engines
from fairwitness.detectors.catalogue._common import blank

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
