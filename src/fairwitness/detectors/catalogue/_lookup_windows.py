"""The sliding windows of the two police-systems lookup detectors (not a detector): where the
windows fall, the spine tables that assign days to them, and the statistics of a window test
(a Bonferroni-corrected threshold and the Poisson tail of a small count).

Ibis expressions only (DuckDB and Spark alike); the spines are memtables.
"""

from __future__ import annotations

import datetime as dt
import math
from statistics import NormalDist
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from fairwitness.detectors.catalogue._common import period_days
from fairwitness.detectors.sources import Sources

if TYPE_CHECKING:
    from fairwitness.detectors.catalogue._lookups import LookupParams


def window_spans(src: Sources, p: LookupParams) -> list[tuple[dt.date, dt.date]]:
    """``(first, last)`` day of every window: ``window_days`` long, ending every
    ``window_step_days`` from the period's start, the last one ending on the period's last
    day. None when windows are disabled or the period is not longer than one window."""
    w = p.window_days
    if not w or period_days(src) <= w:
        return []
    ends = []
    e = src.period_start + dt.timedelta(days=w - 1)
    while e < src.period_end:
        ends.append(e)
        e += dt.timedelta(days=p.window_step_days)
    ends.append(src.period_end)
    return [(x - dt.timedelta(days=w - 1), x) for x in ends]


def corrected_z(z: float, tests: int) -> float:
    """The one-sided normal threshold whose tail is that of ``z`` divided by ``tests``
    (Bonferroni): ``tests`` windows together raise no more chance alarms than one test at ``z``."""
    tail = 0.5 * math.erfc(z / math.sqrt(2)) / max(tests, 1)
    return -NormalDist().inv_cdf(tail)


def poisson_excess_z(count: ir.NumericValue, expected: ir.NumericValue) -> ir.FloatingValue:
    """How far ``count`` is above a Poisson mean ``expected``, as a normal deviate of the upper
    tail P(X >= count) (Wilson–Hilferty): right for small counts, where (count - expected) /
    sqrt(expected) badly overstates the evidence. 0 for a count at or below expectation."""
    c = ibis.greatest(count.cast("float64"), ibis.literal(0.5))
    ratio = (expected.cast("float64") / c) ** (1.0 / 3.0)
    z = 3.0 * c.sqrt() * (1.0 - 1.0 / (9.0 * c) - ratio)
    return ibis.ifelse(count.cast("float64") > expected.cast("float64"), ibis.greatest(z, ibis.literal(0.0)), 0.0)


def spines(spans: list[tuple[dt.date, dt.date]]) -> tuple[ir.Table, ir.Table]:
    """(windows: ``w_idx, w_start, w_end``; days: ``day, w_idx`` for every day of every window)."""
    days, idx = [], []
    for i, (a, b) in enumerate(spans):
        for k in range((b - a).days + 1):
            days.append(a + dt.timedelta(days=k))
            idx.append(i)
    win = ibis.memtable(
        pa.table(
            {
                "w_idx": pa.array(range(len(spans)), pa.int64()),
                "w_start": pa.array([a for a, _ in spans], pa.date32()),
                "w_end": pa.array([b for _, b in spans], pa.date32()),
            }
        )
    )
    day = ibis.memtable(pa.table({"day": pa.array(days, pa.date32()), "w_idx": pa.array(idx, pa.int64())}))
    return win, day


__all__ = ["corrected_z", "poisson_excess_z", "spines", "window_spans"]
