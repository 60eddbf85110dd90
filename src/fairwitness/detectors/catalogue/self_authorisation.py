"""Overtime (and, when loaded, expense) claims authorised by the claimant."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import in_period, keys, signals
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    misconduct_min_claims: int = Field(default=1, ge=1, description="Self-authorised claims for a misconduct route.")
    advice_min_claims: int = Field(default=1, ge=1, description="Self-authorised claims for a flag at all.")
    system_route_pattern: str = Field(
        default=r"auto.?approv|system rule|automatic|bulk upload|batch upload|uploaded in bulk",
        description="A claim whose authorisation_route matches this (regular expression, lower-cased; empty: none) was "
        "approved by the claims system, or uploaded in bulk, under the claimant's own id: the system, not the "
        "claimant, stands as its authoriser, and it is not counted.",
    )


def _same(a, b):
    return a.strip().upper() == b.strip().upper()


class SelfAuthorisation(Detector):
    """Claims authorised by the claimant.

    Overtime claims in the period (not rejected) whose ``authorised_by`` is the claimant
    (compared trimmed and case-insensitively), and, when ``expenses`` is loaded, expense
    claims likewise; one signal per person and table. A claims system that approves short
    extensions by rule, or a planning team's bulk upload, writes the claimant as the authoriser:
    a claim whose ``authorisation_route`` says so (``system_route_pattern``) is not counted.

    * **misconduct_assessment**: at least ``misconduct_min_claims`` such claims;
    * **advice**: at least ``advice_min_claims`` (when set lower).
    """

    name = "self_authorisation"
    version = "4"
    title = "Self-authorised claims"
    standard = "Honesty and integrity"
    reads = {"overtime_claims": ("claim_id", "staff_id", "start", "authorised_by", "authorisation_route", "status")}
    optional_reads = {"expenses": ("claim_id", "staff_id", "date", "authorised_by")}
    optional_reads = merge_reads(optional_reads, PEER_READS, PEER_OPTIONAL_READS)
    coverage_exempt = ("expenses",)  # without expenses only self-authorised expenses go unseen
    explanations_checked = (
        "claim authorised by someone other than the claimant",
        "a claim the claims system approved by rule, or a bulk upload, under the claimant's id (authorisation_route)",
    )
    explain = "{value} claim(s) between {period_start} and {period_end} were authorised by the claimant ({detail})."
    scenarios = ("self_authorisation",)
    routes = ("advice", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        oc = src.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, src), oc.status.lower() != "rejected", oc.authorised_by.notnull())
        oc = oc.filter(_same(oc.authorised_by, oc.staff_id))
        if p.system_route_pattern:
            by_system = oc.authorisation_route.lower().re_search(p.system_route_pattern).fill_null(False)
            oc = oc.filter(~by_system)
        parts = [oc.select("staff_id", "claim_id", table=ibis.literal("overtime_claims"), what=ibis.literal("overtime"))]
        if src.has("expenses"):
            ex = src.table("expenses")
            start, end = ibis.literal(src.period_start, type="date"), ibis.literal(src.period_end, type="date")
            ex = ex.filter(ex.date >= start, ex.date <= end, ex.authorised_by.notnull())
            ex = ex.filter(_same(ex.authorised_by, ex.staff_id))
            parts.append(ex.select("staff_id", "claim_id", table=ibis.literal("expenses"), what=ibis.literal("expense")))
        c = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
        per = c.group_by("staff_id", "table", "what").aggregate(n=c.count(), ev=keys(c.claim_id))
        per = per.filter(per.n >= p.advice_min_claims)
        route = ibis.ifelse(per.n >= p.misconduct_min_claims, "misconduct_assessment", "advice")
        # the same behaviour among peers doing the same work, for the evidence
        per = peer_context(per, src, "n")
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=per.n,
            score=ibis.least(0.6 + 0.1 * per.n, 1.0),
            route=route,
            evidence_table=per.table,
            evidence_keys=per.ev,
            detail=per.what + " claims authorised by " + per.staff_id,
        )
