"""Helpers shared by the catalogue (`fairwitness.detectors.catalogue._common`)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairwitness.detectors import engines
from fairwitness.detectors.catalogue._common import blank, covered, shared

T0 = dt.datetime(2024, 3, 1)
PEOPLE = ["A", "B", "C"]


def _covered_by_hand(events: list[tuple], intervals: list[tuple]) -> set[str]:
    """What a range join would give: events inside any interval of the same person."""
    return {k for k, who, ts in events if ts is not None and any(
        who == p and lo is not None and hi is not None and lo <= ts <= hi for p, lo, hi in intervals)}


def _covered_on(engine: str, events: list[tuple], intervals: list[tuple]) -> set[str]:
    ev = pa.table({
        "event_id": pa.array([e[0] for e in events], pa.string()),
        "staff_id": pa.array([e[1] for e in events], pa.string()),
        "ts": pa.array([e[2] for e in events], pa.timestamp("us")),
    })
    iv = pa.table({
        "staff_id": pa.array([i[0] for i in intervals], pa.string()),
        "lo": pa.array([i[1] for i in intervals], pa.timestamp("us")),
        "hi": pa.array([i[2] for i in intervals], pa.timestamp("us")),
    })
    con = engines.from_arrow(engine, {"ev": ev, "iv": iv})
    try:
        out = engines.execute(con, covered(con.table("ev"), con.table("iv"), "event_id"))
    finally:
        engines.close(con)
    assert out.column_names == ["event_id"]
    keys = out["event_id"].to_pylist()
    assert len(keys) == len(set(keys)), "each covered event once"
    return set(keys)


minutes = st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 4).map(lambda m: T0 + dt.timedelta(minutes=m)))
events_st = st.lists(st.tuples(st.sampled_from(PEOPLE), minutes), max_size=30).map(
    lambda xs: [(f"e{i}", who, ts) for i, (who, ts) in enumerate(xs)]
)
intervals_st = st.lists(
    st.tuples(st.sampled_from(PEOPLE), minutes, st.integers(min_value=-60, max_value=60 * 40)).map(
        lambda t: (t[0], t[1], None if t[1] is None else t[1] + dt.timedelta(minutes=t[2]))
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=events_st, intervals=intervals_st)
def test_covered_is_the_range_join(events, intervals):
    """Overlapping, nested, empty (end before start), open-ended and multi-day intervals, events
    at either end: the running-maximum pass gives exactly the events a range join would."""
    assert _covered_on("duckdb", events, intervals) == _covered_by_hand(events, intervals)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_covered_at_the_edges(engine):
    h = lambda x: T0 + dt.timedelta(hours=x)  # noqa: E731
    intervals = [
        ("A", h(0), h(30)),   # a long interval...
        ("A", h(2), h(3)),    # ...with a short one nested inside (its end must not hide the long one's)
        ("B", h(10), h(10)),  # an instant
        ("B", h(20), h(19)),  # ends before it starts: covers nothing
        ("C", None, h(5)),    # open start: covers nothing
    ]
    events = [
        ("a-start", "A", h(0)), ("a-in", "A", h(29)), ("a-end", "A", h(30)), ("a-after", "A", h(30.01)),
        ("a-before", "A", h(-1)), ("b-instant", "B", h(10)), ("b-reversed", "B", h(19.5)),
        ("c-open", "C", h(1)), ("b-other-person", "B", h(25)), ("a-null", "A", None),
    ]
    assert _covered_on(engine, events, intervals) == {"a-start", "a-in", "a-end", "b-instant"}


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
