"""People who authorise each other's claims: reciprocal pairs and closed loops of 3 or 4."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import flags, fmt, in_period, keys, signals


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_loop: int = Field(default=4, ge=2, le=4, description="Longest closed loop looked for (2 = pairs only).")
    min_share: float = Field(
        default=0.1,
        gt=0,
        le=1,
        description="Each person on the loop had at least this share (one in ten) of their claims authorised by the "
        "previous one: occasional cover between colleagues is not a loop.",
    )
    misconduct_min_claims: int = Field(
        default=3, ge=2, description="Claims on the loop's edges (all directions) needed for a misconduct route."
    )


_ARROW = " → "


class ReciprocalAuthorisation(Detector):
    """People who authorise each other's overtime: pairs and closed loops.

    The graph of who authorised whose claims in the period (approved or pending, never
    self) is searched for reciprocal pairs (A authorised B and B authorised A) and closed
    loops of three and four people (A→B→C→A, A→B→C→D→A), up to ``max_loop``. A loop counts
    when every person on it had at least ``min_share`` of their claims authorised by the
    previous one — systematic, not the occasional cover two sergeants give each other.
    Everyone on a loop is flagged, with the claims on the loop's edges as evidence.

    * **misconduct_assessment**: at least ``misconduct_min_claims`` claims on the person's
      loops;
    * **advice**: fewer.

    Whether the person's own claims were authorised by their line manager is recorded as
    context; a loop always needs at least one authorisation outside line management.
    """

    name = "reciprocal_authorisation"
    version = "1"
    title = "Reciprocal authorisation pairs and closed loops"
    standard = "Honesty and integrity"
    reads = {"overtime_claims": ("claim_id", "staff_id", "start", "authorised_by", "status")}
    optional_reads = {"people": ("staff_id", "line_manager_id")}
    explanations_checked = (
        "occasional cover between colleagues (less than min_share of claims)",
        "the person's own claims authorised by their line manager",
    )
    explain = (
        "Between {period_start} and {period_end} the person authorised, and was authorised by, the same "
        "people in a closed loop ({detail}); {value} claims on the loop."
    )
    scenarios = ("reciprocal_authorisation",)
    routes = ("advice", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        oc = src.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, src), oc.status.lower() != "rejected", oc.authorised_by.notnull())
        oc = oc.mutate(a=oc.authorised_by.strip(), c=oc.staff_id.strip()).filter(lambda t: t.a != t.c)
        per_claimant = oc.group_by("c").aggregate(total=ibis._.count())
        e = oc.group_by("a", "c").aggregate(n=ibis._.count())
        e = e.join(per_claimant, "c").select("a", "c", share=e.n.cast("float64") / per_claimant.total)

        loops = []  # (member, label, edge authoriser, edge claimant, strength)
        e1, e2 = e.view(), e.view()
        pairs = e1.join(e2, (e1.a == e2.c) & (e1.c == e2.a)).select(
            x=e1.a, y=e1.c, strength=ibis.least(e1.share, e2.share)
        )
        lab = ibis.literal("pair ") + pairs.x + " ⇄ " + pairs.y
        loops.append(pairs.select(member=pairs.x, label=lab, ea=pairs.x, ec=pairs.y, strength=pairs.strength))
        loops.append(pairs.select(member=pairs.x, label=lab, ea=pairs.y, ec=pairs.x, strength=pairs.strength))
        if p.max_loop >= 3:
            e3 = e.view()
            t3 = (
                e1.join(e2, e1.c == e2.a)
                .join(e3, (e2.c == e3.a) & (e3.c == e1.a))
                .select(x=e1.a, y=e1.c, z=e2.c, strength=ibis.least(e1.share, e2.share, e3.share))
            )
            t3 = t3.filter(t3.x != t3.y, t3.y != t3.z, t3.x != t3.z)
            lab3 = ibis.literal("loop ") + t3.x + _ARROW + t3.y + _ARROW + t3.z + _ARROW + t3.x
            for a, c in (("x", "y"), ("y", "z"), ("z", "x")):
                loops.append(t3.select(member=t3.x, label=lab3, ea=t3[a], ec=t3[c], strength=t3.strength))
        if p.max_loop >= 4:
            e3, e4 = e.view(), e.view()
            t4 = (
                e1.join(e2, e1.c == e2.a)
                .join(e3, e2.c == e3.a)
                .join(e4, (e3.c == e4.a) & (e4.c == e1.a))
                .select(w=e1.a, x=e1.c, y=e2.c, z=e3.c, strength=ibis.least(e1.share, e2.share, e3.share, e4.share))
            )
            t4 = t4.filter(
                t4.w != t4.x, t4.w != t4.y, t4.w != t4.z, t4.x != t4.y, t4.x != t4.z, t4.y != t4.z
            )
            lab4 = ibis.literal("loop ") + t4.w + _ARROW + t4.x + _ARROW + t4.y + _ARROW + t4.z + _ARROW + t4.w
            for a, c in (("w", "x"), ("x", "y"), ("y", "z"), ("z", "w")):
                loops.append(t4.select(member=t4.w, label=lab4, ea=t4[a], ec=t4[c], strength=t4.strength))
        le = loops[0]
        for other in loops[1:]:
            le = le.union(other)
        le = le.filter(le.strength >= p.min_share)
        cl = le.join(oc, (le.ea == oc.a) & (le.ec == oc.c)).select(le.member, le.label, le.strength, oc.claim_id)
        per = cl.group_by("member").aggregate(
            n=cl.claim_id.nunique(),
            n_loops=cl.label.nunique(),
            first=cl.label.min(),
            strength=cl.strength.max(),
            ev=keys(cl.claim_id),
        )
        per = per.mutate(staff_id=per.member)
        lm_ok = ibis.literal(False)
        if src.has("people"):
            ppl = src.table("people")
            own = oc.left_join(ppl, oc.c == ppl.staff_id).select(oc.c, lm=(oc.a == ppl.line_manager_id).fill_null(False))
            own = own.group_by("c").aggregate(all_lm=own.lm.cast("int64").min() == 1)
            per = per.left_join(own, per.member == own.c).select(per, all_lm=own.all_lm.fill_null(False))
            lm_ok = per.all_lm
        route = ibis.ifelse(per.n >= p.misconduct_min_claims, "misconduct_assessment", "advice")
        detail = (
            per.first
            + ibis.ifelse(per.n_loops > 1, " and " + (per.n_loops - 1).cast("string") + " more", "")
            + "; at least "
            + fmt(per.strength * 100, 0)
            + "% of each one's claims authorised by the previous one"
        )
        return signals(
            per,
            src,
            value=per.n,
            score=ibis.least(0.5 + 0.1 * per.n + 0.1 * per.n_loops, 1.0),
            route=route,
            evidence_table="overtime_claims",
            evidence_keys=per.ev,
            explanations_found=flags((lm_ok, "the person's own claims were authorised by their line manager")),
            detail=detail,
        )
