"""Authorisations the rota left no choice about, for `reciprocal_authorisation` (not a detector).

Overtime is authorised by someone of sufficient rank on duty when it is worked. Where the rota
leaves one person of that rank on duty (two duty inspectors on opposite shifts, each the only
inspector on when the other works late), each can only be authorised by the other: a closed loop
the rota forces, not one its members chose. Collusion looks different: a pair who authorise each
other while others of the same or higher rank were on duty and could have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.peers import rank_band

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.sources import Sources

ROTA_READS: dict[str, tuple[str, ...]] = {
    "people": ("staff_id", "rank_grade", "employment_type"),
    "shifts": ("staff_id", "start", "end"),
}
"""What `forced_by_rota` reads (optional reads of its caller)."""

_LEVELS = {"constable": 1, "sergeant": 2, "inspector": 3, "superintendent": 4, "chief officer": 5}
"""Police ranks in order (`peers.rank_band`); anyone else has no level and never counts as available."""

FORCED = (
    "forced by the rota: for most claims on the loop nobody else of the authoriser's rank or higher (the claimant's "
    "line manager included) was on duty during the claimed hours, so the claimant had no one else to ask"
)


def _level(rank: ir.StringValue) -> ir.IntegerValue:
    return ibis.cases(*[(rank == r, k) for r, k in _LEVELS.items()], else_=0)


def forced_by_rota(src: Sources, claims: ir.Table) -> ir.Table | None:
    """``claim_id`` of each of ``claims`` (``claim_id, a`` the authoriser, ``c`` the claimant,
    ``start, end``) authorised by a police officer of known rank while no one else — neither the
    claimant nor the authoriser — of that rank or higher had a shift on the roster overlapping the
    claimed hours. None without ``shifts`` and ``people`` (nothing can be said)."""
    if not (src.has("shifts") and src.has("people")):
        return None
    ppl = src.table("people")
    lvl = ppl.select(pid=ppl.staff_id, lvl=_level(rank_band(ppl.rank_grade, ppl.employment_type)))
    k = claims.join(lvl, claims.a == lvl.pid).select(claims.claim_id, claims.a, claims.c, claims.start, claims.end, a_lvl=lvl.lvl)
    k = k.filter(k.a_lvl > 0)
    sh = src.table("shifts")
    sh = sh.select(s_staff=sh.staff_id, s_start=sh.start, s_end=sh.end, s_day=sh.start.date())
    # a shift over the claim started on the claim's day, the day before or the claim's last day: an
    # equal day to join on, not every shift of the period against every claim
    days = [k.mutate(d=(k.start - ibis.interval(days=i)).date()) for i in (0, 1)] + [k.mutate(d=k.end.date())]
    kd = days[0].union(days[1]).union(days[2]).distinct()
    on = kd.join(
        sh,
        (sh.s_day == kd.d) & (sh.s_start < kd.end) & (sh.s_end > kd.start) & (sh.s_staff != kd.a) & (sh.s_staff != kd.c),
    )
    on = on.select(on.claim_id, on.a_lvl, on.s_staff)
    ol = lvl.view()
    on = on.join(ol, on.s_staff == ol.pid).filter(lambda t: t.lvl >= t.a_lvl)
    busy = on.select(b_id=on.claim_id).distinct()
    return k.anti_join(busy, k.claim_id == busy.b_id).select("claim_id").distinct()
