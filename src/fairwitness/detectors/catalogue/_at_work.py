"""A burst of lookups measured against the person's days at work (shared by the lookup detectors'
window test, `_lookups`; not a detector).

A window is flagged only as a burst above the person's own usual count per window: the median of
their windows. Someone off sick for most of the period has a usual count of nearly nothing, and
their first weeks back — catching up on their beat, their cases, their emails — look like a burst
twenty times their usual. So, for the people with a flagged window and an absence in the period,
the usual is counted per day at work: their lookups per day not covered by an absence, the median
over their windows with at least half their days at work that do not overlap the window judged (a
burst is not its own yardstick), times the window's days at work.
A window still at least ``burst_ratio`` times that and beyond chance from it (the Poisson tail) stays
flagged; one that is not was a return to work, and is dropped. Someone without absences keeps the
test as it was (every window all days at work: the same usual). The check can only drop a window:
where no window of the person has half its days at work, there is nothing to measure against and
the window stays as the usual count judged it.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._lookup_windows import poisson_excess_z, spines, window_sums
from fairwitness.detectors.peers import in_post
from fairwitness.detectors.sources import Sources

AT_WORK_READS: dict[str, tuple[str, ...]] = {"absences": ("staff_id", "start", "end")}
"""Optional reads of a lookup detector for the days at work."""

AWAY_HOURS = 4.0
"""Hours of a day an absence must cover for the day to count as away (a dentist's hour does not)."""


def at_work_bursts(
    src: Sources, burst_ratio: float, z: float, flagged: ir.Table, counted: ir.Table, spans  # noqa: ANN001
) -> ir.Table:
    """``flagged`` (flagged windows: ``staff_id, w_idx``, ...) without those that are no burst against the person's usual lookups per day at work
    (module doc). ``counted``: the counted lookups per person and day (``staff_id, day, n``);
    ``z``: the window test's corrected advice z."""
    if not src.has("absences"):
        return flagged
    flagged = src.once(flagged, "flagged_windows")  # read twice
    win, day, parts = spines(spans)
    who = flagged.select(a_sid=flagged.staff_id).distinct()
    ab = src.table("absences")
    ab = ab.semi_join(who, ab.staff_id == who.a_sid).select("staff_id", "start", "end")
    day0 = day.day.cast("timestamp")
    d = ab.join(day, (ab.start < day0 + ibis.interval(days=1)) & (ab.end > day0))
    d0 = d.day.cast("timestamp")
    covered = ibis.least(d.end, d0 + ibis.interval(days=1)).epoch_seconds() - ibis.greatest(d.start, d0).epoch_seconds()
    d = d.filter(covered >= AWAY_HOURS * 3600).select("staff_id", "day").distinct().mutate(away=ibis.literal(1))
    away = window_sums(d, "away", day, parts)
    # every window of the people away at some time, in post for some of it, with its count
    ip = in_post(src)
    ip = ip.semi_join(away, ip.staff_id == away.staff_id).select(i_sid=ip.staff_id, i_start=ip.start_date, i_end=ip.end_date)
    g = ip.cross_join(win)
    g = g.filter((g.i_start.isnull() | (g.i_start <= g.w_end)) & (g.i_end.isnull() | (g.i_end >= g.w_start)))
    c = counted.semi_join(away, counted.staff_id == away.staff_id)
    n = window_sums(c, "n", day, parts)
    g = g.left_join(n, (g.i_sid == n.staff_id) & (g.w_idx == n.w_idx)).select(g, n=n.n.fill_null(0))
    g = g.left_join(away, (g.i_sid == away.staff_id) & (g.w_idx == away.w_idx)).select(
        g.i_sid, g.w_idx, g.w_start, g.w_end, g.n, days=(g.w_end - g.w_start).cast("int64") + 1,
        away=away.away.fill_null(0),
    )
    g = src.once(g.mutate(at_work=g.days - g.away), "at_work_windows")  # read twice
    # the usual rate per day at work, outside the window judged: over the person's windows that do
    # not overlap it and have at least half their days at work
    b = g.filter(g.at_work * 2 >= g.days).select(
        b_sid="i_sid", b_start="w_start", b_end="w_end", b_rate=g.n.cast("float64") / g.at_work.cast("float64")
    )
    m = g.join(b, (g.i_sid == b.b_sid) & ((b.b_end < g.w_start) | (b.b_start > g.w_end)))
    m = m.group_by("i_sid", "w_idx", "n", "at_work").aggregate(rate=m.b_rate.median())
    expected = ibis.greatest(m.rate * m.at_work.cast("float64"), ibis.literal(1.0))
    burst = (m.n.cast("float64") >= burst_ratio * expected) & (poisson_excess_z(m.n, expected) >= z)
    calm = m.filter(~burst).select(c_sid=m.i_sid, c_idx=m.w_idx)
    return flagged.anti_join(calm, (flagged.staff_id == calm.c_sid) & (flagged.w_idx == calm.c_idx))


__all__ = ["AT_WORK_READS", "at_work_bursts"]
