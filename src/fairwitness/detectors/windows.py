"""Windows: the calendar-anchored parts of a run's period that each detector runs over.

A run executes every detector once per window of its period (`run_windows`):

- ``run`` (the default): one window, the whole period — a signal covers the run's period;
- ``month``: calendar months, clipped to the period. Windows are fixed to the calendar, not
  to the run's end, so appending a day changes only the last window's bounds (and the windows
  whose inputs the new rows touch); every other window's inputs, and so its result, stay
  the same. Each window is a detector run of its own: its peer baselines, counts and
  thresholds are those of the month, and its signals cover the month.

`visible_range` is the time range of a table a detector sees in a window (the table's
`PERIOD_RULES`, the detector's look-back and look-ahead); `fairwitness.detectors.incremental`
keys each (detector, window) result on the lake files that touch that range.
"""

from __future__ import annotations

import calendar
import datetime as dt

from fairwitness.detectors.sources import PERIOD_RULES

WINDOW_KINDS: tuple[str, ...] = ("run", "month")
PRIVACY_DAYS = 2
"""Days before a window that the privacy filter's duty windows (shifts, approved overtime)
reach back: a location event is matched to duty starting on its day or the day before."""

Window = tuple[dt.date, dt.date]
Range = tuple[dt.datetime | None, dt.datetime | None]
"""A half-open time range ``[lo, hi)``; ``None`` is unbounded."""


class WindowError(ValueError):
    """An unknown kind of window."""


def check_window(kind: str) -> str:
    if kind not in WINDOW_KINDS:
        raise WindowError(f"unknown window {kind!r}; expected one of {', '.join(WINDOW_KINDS)}")
    return kind


def run_windows(period: Window, kind: str = "run") -> list[Window]:
    """The windows of ``period`` (inclusive dates), in order (see module doc)."""
    check_window(kind)
    start, end = period
    if kind == "run":
        return [(start, end)]
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first = max(start, dt.date(y, m, 1))
        last = min(end, dt.date(y, m, calendar.monthrange(y, m)[1]))
        out.append((first, last))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _midnight(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time())


def visible_range(table: str, window: Window, *, lookback_days: int = 0, lookahead_days: int = 0) -> Range | None:
    """The time range of ``table`` visible in ``window`` (`PERIOD_RULES`), or None when the
    table is not restricted by time (all its rows are visible)."""
    rule = PERIOD_RULES.get(table)
    if rule is None:
        return None
    kind = rule[0]
    hi = _midnight(window[1] + dt.timedelta(days=1 + (0 if kind == "until" else max(lookahead_days, 0))))
    if kind == "until":
        return (None, hi)
    return (_midnight(window[0] - dt.timedelta(days=max(lookback_days, 0))), hi)


def widen(r: Range | None, days: int) -> Range | None:
    """``r`` reaching ``days`` further back."""
    if r is None or r[0] is None:
        return r
    return (r[0] - dt.timedelta(days=days), r[1])


def hull(a: Range | None, b: Range | None) -> Range | None:
    """The smallest range holding both (None, unrestricted, absorbs)."""
    if a is None or b is None:
        return None
    lo = None if a[0] is None or b[0] is None else min(a[0], b[0])
    hi = None if a[1] is None or b[1] is None else max(a[1], b[1])
    return (lo, hi)


__all__ = ["PRIVACY_DAYS", "WINDOW_KINDS", "Range", "Window", "WindowError", "check_window", "hull", "run_windows", "visible_range", "widen"]
