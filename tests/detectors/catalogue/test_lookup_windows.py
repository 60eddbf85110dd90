"""Where the lookup detectors' windows fall and how counts are summed over them."""

import datetime as dt
import random

import pyarrow as pa
import pytest

from fairwitness.detectors.catalogue._lookup_windows import spines, window_spans, window_sums
from fairwitness.detectors.catalogue._lookups import LookupParams
from fairwitness.detectors.sources import Sources


@pytest.mark.parametrize(
    ("days", "window", "step"),
    [(181, 28, 14), (365, 28, 14), (100, 28, 28), (60, 21, 5), (45, 7, 7), (50, 10, 3)],
)
def test_every_window_is_whole_parts(days, window, step):
    start = dt.date(2025, 1, 1)
    src = Sources(tables={}, period_start=start, period_end=start + dt.timedelta(days=days - 1))
    spans = window_spans(src, LookupParams(window_days=window, window_step_days=step))
    assert spans[-1][1] == src.period_end
    win, day, parts = (t.to_pyarrow().to_pylist() for t in spines(spans))
    part_of = {r["day"]: r["part"] for r in day}
    assert len(part_of) == len(day)  # each day in one part
    windows_of_part: dict[int, set[int]] = {}
    for r in parts:
        windows_of_part.setdefault(r["part"], set()).add(r["w_idx"])
    for i, (a, b) in enumerate(spans):
        assert win[i] == {"w_idx": i, "w_start": a, "w_end": b}
        inside = {a + dt.timedelta(days=k) for k in range((b - a).days + 1)}
        # the window's parts cover exactly its days
        assert {d for d, p in part_of.items() if i in windows_of_part[p]} == inside


def test_window_sums_equal_summing_each_window_day_by_day(engine, make_backend):
    start = dt.date(2025, 1, 1)
    src = Sources(tables={}, period_start=start, period_end=dt.date(2025, 7, 9))  # an irregular last window
    spans = window_spans(src, LookupParams())
    rng = random.Random(7)
    rows = [
        {"staff_id": s, "day": start + dt.timedelta(days=k), "n": rng.randint(0, 9)}
        for s in ("A", "B", "C")
        for k in range(190)
        if rng.random() < 0.4
    ]
    con = make_backend({"t": pa.Table.from_pylist(rows)})
    _, day, parts = spines(spans)
    got = con.execute(window_sums(con.table("t"), "n", day, parts)).to_dict("records")
    want = {}
    for r in rows:
        for i, (a, b) in enumerate(spans):
            if a <= r["day"] <= b:
                want[(r["staff_id"], i)] = want.get((r["staff_id"], i), 0) + r["n"]
    assert {(r["staff_id"], r["w_idx"]): r["n"] for r in got} == want
