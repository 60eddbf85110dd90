"""Overlapping intervals of one person (`fairwitness.detectors.catalogue._intervals`)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairwitness.detectors import engines
from fairwitness.detectors.catalogue._intervals import overlapping

T0 = dt.datetime(2024, 2, 27, 5)
PEOPLE = ["A", "B"]


def _table(rows: list[tuple], key: str) -> pa.Table:
    return pa.table({
        key: pa.array([r[0] for r in rows], pa.string()),
        "staff_id": pa.array([r[1] for r in rows], pa.string()),
        "start": pa.array([r[2] for r in rows], pa.timestamp("us")),
        "end": pa.array([r[3] for r in rows], pa.timestamp("us")),
    })


def _by_hand(left: list[tuple], right: list[tuple]) -> list[tuple]:
    """What the join on the person with the two range conditions gives."""
    return sorted(
        (lk, rk) for lk, lp, ls, le in left for rk, rp, rs, re in right
        if lp == rp and None not in (ls, le, rs, re) and rs < le and re > ls
    )


def _overlapping_on(engine: str, left: list[tuple], right: list[tuple]) -> list[tuple]:
    con = engines.from_arrow(engine, {"l": _table(left, "lk"), "r": _table(right, "rk")})
    try:
        p = overlapping(con.table("l"), con.table("r"))
        assert p.columns == ("lk", "staff_id", "start", "end", "rk", "start_right", "end_right")
        out = engines.execute(con, p.select("lk", "rk"))
    finally:
        engines.close(con)
    return sorted(zip(out["lk"].to_pylist(), out["rk"].to_pylist(), strict=True))


def _intervals(prefix: str, max_hours: int):
    start = st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 6).map(lambda m: T0 + dt.timedelta(minutes=m)))
    one = st.tuples(st.sampled_from(PEOPLE), start, st.integers(min_value=-120, max_value=60 * max_hours)).map(
        lambda t: (t[0], t[1], None if t[1] is None else t[1] + dt.timedelta(minutes=t[2]))
    )
    return st.lists(one, max_size=10).map(lambda xs: [(f"{prefix}{i}", *x) for i, x in enumerate(xs)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=_intervals("s", 30), right=_intervals("a", 24 * 5))
def test_overlapping_is_the_range_join_each_pair_once(left, right):
    """Across midnight, over a leap day, many days long, nested, touching, reversed and open
    intervals: the day-by-day join finds exactly the pairs the range join on the person finds."""
    assert _overlapping_on("duckdb", left, right) == _by_hand(left, right)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_overlapping_at_the_edges(engine):
    h = lambda x: T0 + dt.timedelta(hours=x)  # noqa: E731
    left = [
        ("night", "A", h(17), h(27)),      # a night shift across midnight
        ("touch", "A", h(40), h(48)),      # ends where an absence starts: no overlap
        ("inside", "A", h(60), h(61)),     # inside a long absence, days after it began
        ("other", "B", h(17), h(27)),      # someone else's absence does not count
        ("reversed", "A", h(20), h(19)),   # ends before it starts: overlaps nothing
    ]
    right = [
        ("late", "A", h(26), h(30)),       # begins on the shift's second day
        ("long", "A", h(48), h(24 * 6)),   # five days of sickness
    ]
    assert _overlapping_on(engine, left, right) == [("inside", "long"), ("night", "late")]
