"""Calendar windows of a run and the time range a detector sees of each table in one."""

from __future__ import annotations

import datetime as dt

import pytest

from fairwitness.detectors.windows import WindowError, hull, run_windows, visible_range, widen

D = dt.date
T = dt.datetime


def test_month_windows_are_fixed_to_the_calendar_and_clipped_to_the_period():
    assert run_windows((D(2025, 1, 15), D(2025, 3, 2)), "month") == [
        (D(2025, 1, 15), D(2025, 1, 31)),
        (D(2025, 2, 1), D(2025, 2, 28)),
        (D(2025, 3, 1), D(2025, 3, 2)),
    ]
    # a new day moves only the last window
    assert run_windows((D(2025, 1, 15), D(2025, 3, 3)), "month")[:2] == run_windows((D(2025, 1, 15), D(2025, 3, 2)), "month")[:2]
    assert run_windows((D(2024, 12, 30), D(2025, 1, 1)), "month") == [(D(2024, 12, 30), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 1, 1))]
    assert run_windows((D(2025, 1, 15), D(2025, 3, 2))) == [(D(2025, 1, 15), D(2025, 3, 2))]
    with pytest.raises(WindowError, match="unknown window 'week'"):
        run_windows((D(2025, 1, 1), D(2025, 1, 2)), "week")


def test_visible_range_follows_the_period_rules_and_the_detectors_reach():
    w = (D(2025, 2, 1), D(2025, 2, 28))
    assert visible_range("badge_events", w) == (T(2025, 2, 1), T(2025, 3, 1))
    assert visible_range("shifts", w, lookback_days=62, lookahead_days=1) == (T(2024, 12, 1), T(2025, 3, 2))
    assert visible_range("declarations", w, lookback_days=5, lookahead_days=3) == (None, T(2025, 3, 1))
    assert visible_range("people", w) is None
    assert widen((T(2025, 2, 1), T(2025, 3, 1)), 2) == (T(2025, 1, 30), T(2025, 3, 1))
    assert hull((T(2025, 2, 1), T(2025, 3, 1)), (None, T(2025, 2, 2))) == (None, T(2025, 3, 1))
    assert hull(None, (T(2025, 2, 1), T(2025, 3, 1))) is None
