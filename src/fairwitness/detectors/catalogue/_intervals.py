"""Intervals of one person that overlap, found without comparing every pair (not a detector).

A join on the person alone pairs every shift with every absence of that person in the period
(at 10,000 x 12: 1.7 million shifts against 38 absences each, 65 million pairs weighed for a
few thousand overlaps). Two intervals that overlap share a calendar day — the day of the later
of their starts lies inside both — so joining each interval's days on (person, day) finds
exactly the same pairs among a few rows per interval.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def interval_days(t: ir.Table, start: str = "start", end: str = "end") -> ir.Table:
    """``t`` with one row per calendar day from ``start``'s day to ``end``'s, in ``day``; a row
    with a missing or reversed interval has none (it overlaps nothing)."""
    n = t[end].date().delta(t[start].date(), unit="day")
    x = t.mutate(_k=ibis.range(0, n + 1).unnest())
    return x.mutate(day=x[start].date() + x._k.as_interval("D")).drop("_k")


def overlapping(left: ir.Table, right: ir.Table) -> ir.Table:
    """Pairs of a row of ``left`` and a row of ``right`` (each with ``staff_id, start, end``)
    of the same person whose intervals overlap (``right.start < left.end`` and
    ``right.end > left.start``), each pair once; columns as in an Ibis join of the two (a
    right column named as a left one gets the suffix ``_right``), without ``day``."""
    ld, rd = interval_days(left), interval_days(right)
    j = ld.join(
        rd,
        (ld.staff_id == rd.staff_id) & (ld.day == rd.day) & (rd.start < ld.end) & (rd.end > ld.start),
    )
    # a pair sharing several days is found on each: keep the one on the later start's day
    later = ibis.greatest(j.start, j.start_right).date()
    return j.filter(j.day == later).drop("day", "day_right", "staff_id_right")
