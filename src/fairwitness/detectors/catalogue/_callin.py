"""A team called in: colleagues off duty claiming the same hours for the same reason (not a
detector; read by `rest_day_swap_overtime`).

A major incident brings a team in on their rest days: several people not rostered that day claim
overtime for the same hours and the same reason, authorised by someone other than themselves, and
come in (badge, device, systems). A person among them whose day off came from their own swap was
called in with the rest, not paid for a day they freed to work as overtime. What it takes here:

* the person's claim was authorised by someone else and shows their activity in its hours;
* at least ``callin_min_colleagues`` other people claimed for the same reason (``reason_code``,
  lower case, spaces as underscores) over at least half of the person's claimed hours, each claim
  authorised by someone other than its claimant, with the claimant's activity in its hours, and
  no shift of theirs on the roster over it (not on duty: called in) — nor their own swap freeing
  that day (a team that swapped off a known event day to staff it on overtime is the racket, not a
  call-in);
* the reason is not a planned event (``planned_reason_pattern``: a pre-planned event, a match, a
  festival): a call-in is unforeseen, and a day swapped away before an event known in advance, then
  worked on the event's overtime, is the racket itself (the Casey Review's "known event" pattern).

Needs ``shifts`` and at least one presence source: without them nothing is excused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import (
    ACTIVE_CLAIM_STATUSES,
    PRESENCE_READS,
    blank,
    in_period,
    london_date,
    norm,
)
from fairwitness.detectors.catalogue._intervals import claims_with_presence

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.sources import Sources

MIN_OVERLAP_SHARE = 0.5
"""A colleague's claim must cover at least this share of the person's claimed hours."""

TEAM_CALLIN = (
    "a team call-in: colleagues not rostered that day claimed the same hours for the same reason, authorised by "
    "someone else, and came in, as the person did"
)


def team_callins(src: Sources, detector: str, candidates: ir.Table, swaps: ir.Table, p) -> ir.Table:  # noqa: ANN001
    """``claim_id, n_team`` of each claim of ``candidates`` (``claim_id``) that was part of a team
    call-in (module docstring), with the number of colleagues called in with it. ``swaps``:
    ``staff_id, changed_by, freed_day`` of every roster change that freed a day. ``p``:
    ``callin_min_colleagues``, ``inside_minutes``, ``after_minutes``, ``rest_values``."""
    empty = ibis.memtable({"claim_id": ["-"], "n_team": [0]}).filter(ibis._.n_team > 0)
    if p.callin_min_colleagues <= 0 or not src.has("shifts") or not any(src.has(n) for n in PRESENCE_READS):
        return empty
    seen = claims_with_presence(src, detector, inside_minutes=p.inside_minutes, after_minutes=p.after_minutes)
    oc = src.table("overtime_claims")
    oc = oc.filter(in_period(oc.start, src), oc.status.lower().isin(ACTIVE_CLAIM_STATUSES), ~blank(oc.reason_code))
    oc = oc.filter(oc.authorised_by.notnull() & (oc.authorised_by.strip() != oc.staff_id))
    if p.planned_reason_pattern:  # a planned event is known in advance: no call-in, the racket's own day
        oc = oc.filter(~oc.reason_code.lower().re_search(p.planned_reason_pattern))
    oc = oc.semi_join(seen, oc.claim_id == seen.claim_id)
    oc = src.once(oc.select("claim_id", "staff_id", "start", "end", reason=norm(oc.reason_code)))
    mine = oc.semi_join(candidates, oc.claim_id == candidates.claim_id)
    them = oc.view()
    pr = mine.join(
        them,
        (mine.reason == them.reason) & (mine.staff_id != them.staff_id) & (them.start < mine.end) & (them.end > mine.start),
    ).select(
        claim_id=mine.claim_id,
        length=mine.end.epoch_seconds() - mine.start.epoch_seconds(),
        overlap=ibis.least(mine.end, them.end).epoch_seconds() - ibis.greatest(mine.start, them.start).epoch_seconds(),
        o_claim=them.claim_id,
        o_staff=them.staff_id,
        o_start=them.start,
        o_end=them.end,
    )
    pr = pr.filter(pr.length > 0, pr.overlap >= MIN_OVERLAP_SHARE * pr.length)
    # the colleague was not on duty: no shift of theirs (a rest day is none) over their claim
    sh = src.table("shifts")
    sh = sh.filter(~norm(sh.duty_type.fill_null("")).isin(list(p.rest_values)))
    on_duty = pr.join(sh, (sh.staff_id == pr.o_staff) & (sh.start < pr.o_end) & (sh.end > pr.o_start))
    busy = on_duty.select(x=on_duty.o_claim).distinct()
    pr = pr.anti_join(busy, pr.o_claim == busy.x)
    # nor off by their own swap
    own = swaps.filter(swaps.changed_by == swaps.staff_id).select(s_staff=swaps.staff_id, s_day=swaps.freed_day)
    pr = pr.mutate(o_day=london_date(pr.o_start, src))
    pr = pr.anti_join(own, (pr.o_staff == own.s_staff) & (pr.o_day == own.s_day))
    team = pr.group_by("claim_id").aggregate(n_team=pr.o_staff.nunique())
    return team.filter(team.n_team >= p.callin_min_colleagues)
