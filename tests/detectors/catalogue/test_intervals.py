"""Overlapping intervals of one person (`fairwitness.detectors.catalogue._intervals`)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fairwitness.detectors import engines
from fairwitness.detectors.catalogue._intervals import covered, intervals_with_presence, overlapping

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
    """What the join on the person with the two range conditions gives, over intervals that are
    not reversed (one that ends before it starts overlaps nothing, though the range conditions
    can hold for it: a reversed interval inside another)."""
    return sorted(
        (lk, rk) for lk, lp, ls, le in left for rk, rp, rs, re in right
        if lp == rp and None not in (ls, le, rs, re) and ls <= le and rs <= re and rs < le and re > ls
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


_MIDNIGHT = dt.datetime(2024, 2, 28)
_REVERSED = [
    # reversed across midnight (no day of its own) and within a day (its start's day), both inside
    [("a0", "A", _MIDNIGHT, _MIDNIGHT - dt.timedelta(minutes=1))],
    [("a0", "A", T0 + dt.timedelta(hours=5), T0 + dt.timedelta(hours=4))],
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=_intervals("s", 30), right=_intervals("a", 24 * 5))
@example(left=[("s0", "A", T0, _MIDNIGHT + dt.timedelta(minutes=1))], right=_REVERSED[0])
@example(left=[("s0", "A", T0, _MIDNIGHT + dt.timedelta(minutes=1))], right=_REVERSED[1])
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


T1 = dt.datetime(2024, 3, 1)
COVER_PEOPLE = ["A", "B", "C"]


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


minutes = st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 4).map(lambda m: T1 + dt.timedelta(minutes=m)))
events_st = st.lists(st.tuples(st.sampled_from(COVER_PEOPLE), minutes), max_size=30).map(
    lambda xs: [(f"e{i}", who, ts) for i, (who, ts) in enumerate(xs)]
)
intervals_st = st.lists(
    st.tuples(st.sampled_from(COVER_PEOPLE), minutes, st.integers(min_value=-60, max_value=60 * 40)).map(
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
    h = lambda x: T1 + dt.timedelta(hours=x)  # noqa: E731
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


def _present_by_hand(intervals: list[tuple], events: list[tuple], before: int, after: int) -> set[str]:
    """Keys of intervals with an event of the same person from ``before`` minutes before the
    start to ``after`` minutes after the end (both ends included)."""
    b, a = dt.timedelta(minutes=before), dt.timedelta(minutes=after)
    return {k for k, who, lo, hi in intervals if lo is not None and hi is not None and any(
        who == p and ts is not None and lo - b <= ts <= hi + a for _, p, ts in events)}


def _present_on(engine: str, intervals: list[tuple], events: list[tuple], before: int, after: int,
                by_number: bool, distinct: bool = True) -> set[str]:
    ev = pa.table({
        "staff_id": pa.array([e[1] for e in events], pa.string()),
        "ts": pa.array([e[2] for e in events], pa.timestamp("us")),
    })
    con = engines.from_arrow(engine, {"iv": _table(intervals, "shift_id"), "ev": ev})
    try:
        e = con.table("ev")
        out = engines.execute(con, intervals_with_presence(
            con.table("iv"), e.mutate(day=e.ts.date()), "shift_id",
            from_start_minutes=-before, after_end_minutes=after, by_number=by_number, distinct=distinct,
        ))
    finally:
        engines.close(con)
    keys = out["shift_id"].to_pylist()
    if distinct:
        assert len(keys) == len(set(keys)), "each interval once"
    return set(keys)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    intervals=st.lists(
        st.tuples(st.sampled_from(COVER_PEOPLE), minutes, st.integers(min_value=-60, max_value=60 * 40)).map(
            lambda t: (t[0], t[1], None if t[1] is None else t[1] + dt.timedelta(minutes=t[2]))
        ),
        max_size=12,
    ).map(lambda xs: [(f"s{i}", *x) for i, x in enumerate(xs)]),
    events=st.lists(st.tuples(st.sampled_from([*COVER_PEOPLE, "D"]), minutes), max_size=30).map(
        lambda xs: [(f"e{i}", who, ts) for i, (who, ts) in enumerate(xs)]
    ),
    before=st.sampled_from([0, 30, 90]),
    after=st.sampled_from([0, 30]),
)
def test_intervals_with_presence_is_the_range_join_on_text_and_on_numbers(intervals, events, before, after):
    """Keyed on the person's text id or on their number (`person_numbers`), distinct or not, the
    day-by-day semi join finds exactly the intervals a range join on the person finds, including
    events of a person with no interval ("D") and windows widened across midnight."""
    want = _present_by_hand(intervals, events, before, after)
    assert _present_on("duckdb", intervals, events, before, after, by_number=False) == want
    assert _present_on("duckdb", intervals, events, before, after, by_number=True) == want
    # not distinct (a membership test): the same keys, an interval across midnight maybe twice
    assert _present_on("duckdb", intervals, events, before, after, by_number=True, distinct=False) == want


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_intervals_with_presence_by_number_at_the_edges(engine):
    h = lambda x: T1 + dt.timedelta(hours=x)  # noqa: E731
    intervals = [
        ("night", "A", h(20), h(30)),     # across midnight: an event on its second day
        ("early", "A", h(40), h(48)),     # an event 20 minutes before the start counts
        ("bare", "A", h(60), h(62)),      # nothing of A's near it...
        ("other", "B", h(60), h(62)),     # ...though B is active then
        ("open", "C", None, h(5)),        # no start: never present
    ]
    events = [
        ("e1", "A", h(27)), ("e2", "A", h(40) - dt.timedelta(minutes=20)), ("e3", "B", h(61)),
        ("e4", "A", h(62.6)), ("e5", "C", h(1)), ("e6", "D", h(61)),
    ]
    for by_number in (False, True):
        assert _present_on(engine, intervals, events, 30, 30, by_number) == {"night", "early", "other"}
