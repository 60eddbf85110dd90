"""Lookups while recalled to duty, set against others recalled (shared by the two lookup
detectors; not a detector).

A recall to duty at short notice (a major incident, a manhunt) brings many checks with no
case reference yet and of people outside one's own cases: who was at the scene, who called
in, who is linked. Counted against ordinary days, a recalled officer's few days look like a
burst of unjustified lookups. A recall is a tasking, recorded in the claim: its checks need
no case reference, up to what a recalled colleague looks up. So the counted lookups made
during an authorised recall-to-duty claim, up to ``recall_ratio`` times the median rate of
lookups (of every kind) per recall hour among everybody recalled in the period — times the
person's own usual daily volume against the median recalled person's, when higher — are not
counted; any beyond it are, like any other lookup.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import ACTIVE_CLAIM_STATUSES, hours_between, overlaps_period
from fairwitness.detectors.sources import Sources

RECALL_READS: dict[str, tuple[str, ...]] = {
    "overtime_claims": ("claim_id", "staff_id", "start", "end", "reason_code", "status"),
}
"""Optional reads of a lookup detector for the recall comparison."""


def recall_allowance(
    src: Sources, p, lookups: ir.Table, hits: ir.Table, per_day: ir.Table  # noqa: ANN001
) -> tuple[ir.Table, ir.Table | None]:
    """(``hits`` with a boolean ``recall``: made during an authorised recall-to-duty claim;
    ``staff_id, day, allowed``: per person and day, how many of those are within what others
    recalled do — ``recall_ratio`` times the recalled people's median rate of lookups (of
    every kind) per recall hour, times the person's recall hours that day, never more than
    the person's counted lookups then), scaled up by the person's own usual volume of lookups per
    day against the median recalled person's (a heavy user of the systems makes more briefing
    checks, as on any other day; never scaled down). A recall is a tasking: its checks need no
    case reference, up to a recalled colleague's volume of checks. The allowance is None without
    ``overtime_claims``, with ``recall_ratio`` 0, or when fewer than ``min_group_size`` people
    were recalled (too few to compare with). ``lookups``: every lookup (``staff_id, ts``);
    ``per_day``: their count per person and day (``staff_id, day, n_total``), shared with the caller."""
    if not src.has("overtime_claims") or p.recall_ratio <= 0:
        return hits.mutate(recall=ibis.literal(False)), None
    oc = src.table("overtime_claims")
    rc = oc.filter(
        oc.reason_code.lower().isin([r.lower() for r in p.recall_reasons]),
        oc.status.lower().isin(list(ACTIVE_CLAIM_STATUSES)),
        overlaps_period(oc.start, oc.end, src),
    )
    rc = rc.select("claim_id", r_staff=rc.staff_id, r_start=rc.start, r_end=rc.end)
    h = hits.select("event_id", "staff_id", "ts")  # only the columns the join needs
    inside = h.join(rc, (h.staff_id == rc.r_staff) & (h.ts >= rc.r_start) & (h.ts < rc.r_end))
    inside = inside.group_by(r_event=inside.event_id).aggregate(claim=inside.claim_id.min())
    hits = hits.left_join(inside, hits.event_id == inside.r_event).select(hits, recall=inside.claim.notnull())
    counted = inside.group_by(claim_id=inside.claim).aggregate(r_n=inside.count())
    # a filter of its own (the join drops a missing person anyway): ``lookups`` read here and by
    # the caller's ``per_day`` as one relation became a CTE the engine materialised - every
    # lookup of the period written out and read back (6.6 s at 46,000 x 12; a scan is 1.5 s)
    lk = lookups.filter(lookups.staff_id.notnull())
    every = lk.join(rc, (lk.staff_id == rc.r_staff) & (lk.ts >= rc.r_start) & (lk.ts < rc.r_end))
    every = every.group_by("claim_id").aggregate(r_all=every.count())
    claims = rc.left_join(counted, rc.claim_id == counted.claim_id).select(rc, r_n=counted.r_n.fill_null(0))
    claims = claims.left_join(every, claims.claim_id == every.claim_id).select(
        claims.claim_id, claims.r_staff, day=claims.r_start.date(), hours=hours_between(claims.r_start, claims.r_end),
        r_n=claims.r_n, r_all=every.r_all.fill_null(0),
    )
    # each recalled person's own usual volume: the median of their lookups (of every kind) per day
    # with any, against the median recalled person's; a heavy user's briefing checks scale with
    # how they use the systems every day, so their allowance does too (never below the median's).
    # Per person and across persons by windows over the claims, so the claims (and the join of
    # every lookup with them) are read once: as self-joins, the engine computed them three times.
    usual = per_day.group_by("staff_id").aggregate(usual=per_day.n_total.median().cast("float64"))
    claims = claims.left_join(usual, claims.r_staff == usual.staff_id).select(claims, usual=usual.usual.fill_null(0.0))
    mine = ibis.window(group_by=claims.r_staff)
    first = ibis.row_number().over(ibis.window(group_by=claims.r_staff, order_by=claims.claim_id)) == 0
    claims = claims.mutate(
        rate=claims.r_all.sum().over(mine).cast("float64") / claims.hours.sum().over(mine), first=first
    )
    every_one = ibis.window()
    claims = claims.mutate(
        median_rate=ibis.ifelse(claims.first, claims.rate, ibis.null("float64")).median().over(every_one),
        median_usual=ibis.ifelse(claims.first, claims.usual, ibis.null("float64")).median().over(every_one),
        recalled=claims.first.cast("int64").sum().over(every_one),
    )
    claims = claims.mutate(
        volume=ibis.greatest(claims.usual / ibis.greatest(claims.median_usual, ibis.literal(1.0)), ibis.literal(1.0))
        if p.recall_own_volume
        else ibis.literal(1.0),
    )
    allowed = ibis.least(
        claims.r_n.cast("float64"), (p.recall_ratio * claims.median_rate * claims.volume * claims.hours).round(0)
    )
    claims = claims.mutate(allowed=ibis.ifelse(claims.recalled >= p.min_group_size, allowed, 0.0))
    by_day = claims.group_by(staff_id=claims.r_staff, day=claims.day).aggregate(allowed=claims.allowed.sum())
    return hits, by_day.filter(by_day.allowed > 0)
