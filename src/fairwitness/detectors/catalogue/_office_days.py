"""The days someone under the hybrid rule was in the office, and how long they were active each day
(`office_attendance`; not a detector).

A day is *in the office* when the person badged in or used a work device at an office site. Not
when they badged out again within ``min_minutes`` of their first event on site and nothing on site
followed: a badge-in to register attendance, then away ("coffee badging"), is a visit, not a day in
the office. Only an export that records exits can show one: a badge export of entries alone has
no day ending in an exit, and every day seen on site counts as before.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import hours_between, london_date
from fairwitness.detectors.sources import Sources


def office_days(src: Sources, ruled: ir.Table, min_minutes: float) -> tuple[ir.Table, ir.Table]:
    """(``staff_id, day, present, visit``: the days ``ruled``'s people (``staff_id``) were seen on site,
    ``present`` but for a ``visit``; ``staff_id, day, span``: the hours from their first to their last
    activity of each day, on site or not — a work-device login from home too)."""
    b = src.table("badge_events").semi_join(ruled, "staff_id")
    on = b.select("staff_id", "ts", out=(b.direction.lower().strip() == "out").fill_null(False))
    de = None
    if src.has("device_events"):
        de = src.table("device_events").semi_join(ruled, "staff_id")
        on = on.union(de.filter(de.site_id.notnull()).select("staff_id", "ts", out=ibis.literal(False)))
    on = on.mutate(day=london_date(on.ts, src))
    g = on.group_by("staff_id", "day").aggregate(first=on.ts.min(), last=on.ts.max(), left=on.out.argmax(on.ts))
    if min_minutes > 0:
        visit = g.left.fill_null(False) & (hours_between(g.first, g.last) * 60 < min_minutes)
    else:
        visit = ibis.literal(False)
    seen = g.select("staff_id", "day", present=~visit, visit=visit)
    act = b.select("staff_id", "ts")
    if de is not None:
        act = act.union(de.select("staff_id", "ts"))
    act = act.mutate(day=london_date(act.ts, src))
    act = act.group_by("staff_id", "day").aggregate(span=hours_between(act.ts.min(), act.ts.max()))
    return seen, act


__all__ = ["office_days"]
