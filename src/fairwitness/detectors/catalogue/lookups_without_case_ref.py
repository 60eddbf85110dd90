"""Police-systems lookups with no case reference, far above comparable peers."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import blank, flags, fmt, in_period, keys, signals
from fairwitness.detectors.peers import (
    PEER_OPTIONAL_READS,
    PEER_READS,
    compare,
    merge_reads,
    peer_groups,
    unit_relative,
    with_everyone,
)


class LookupParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(default=10, ge=1, description="Lookups needed before a person is flagged at all.")
    advice_z: float = Field(default=3.5, gt=0, description="Robust z-score above peers for advice (3.5 = outlier).")
    misconduct_z: float = Field(default=7.0, gt=0, description="Robust z-score for 'far above peers'.")
    advice_percentile: float = Field(default=90.0, ge=0, le=100, description="Also in the top tail of peers.")
    misconduct_percentile: float = Field(default=97.5, ge=0, le=100, description="Percentile for misconduct.")
    share_ratio_explains: float = Field(
        default=1.5,
        gt=0,
        description="When the person's share of such lookups is within this multiple of the peer median share, "
        "the excess is volume of work, not purpose: at most advice.",
    )
    unit_floor: float = Field(default=1.0, gt=0, description="Smallest unit median used to normalise for demand.")
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


def grade(t, p, n_col: str, share_col: str, peer_share_col: str):
    """(flagged, route, score, explained) for a compared lookup table."""
    n = t[n_col]
    share_ok = t[share_col] <= p.share_ratio_explains * t[peer_share_col]
    far = (n >= p.min_count) & (t.robust_z >= p.misconduct_z) & (t.peer_percentile >= p.misconduct_percentile)
    moderate = (n >= p.min_count) & (t.robust_z >= p.advice_z) & (t.peer_percentile >= p.advice_percentile)
    route = ibis.ifelse(far & ~share_ok, "misconduct_assessment", "advice")
    score = ibis.least(0.4 + 0.05 * t.robust_z, 1.0) * ibis.ifelse(far & ~share_ok, 1.0, 0.7)
    # the explanation suppresses a moderate excess and downgrades a far one
    return far | (moderate & ~share_ok), route, score, share_ok


class LookupsWithoutCaseRef(Detector):
    """Police-systems lookups with no case reference, far above comparable peers.

    Each person's lookups in the period with an empty ``case_ref`` are counted, normalised
    for the unit's demand and compared with the peer group by a robust z-score (median and
    MAD, never tighter than Poisson noise) and a percentile.

    * **misconduct_assessment**: at least ``min_count`` lookups, robust z of at least
      ``misconduct_z`` and percentile at least ``misconduct_percentile``;
    * **advice**: at least ``min_count``, z of ``advice_z`` and percentile
      ``advice_percentile``.

    When the *share* of the person's lookups without a case reference is within
    ``share_ratio_explains`` of the peers' median share, the excess is volume of work (a
    heavy user of the systems), not a different purpose: a moderate excess is not flagged
    and a far one is downgraded to advice.
    """

    name = "lookups_without_case_ref"
    version = "1"
    title = "Police-systems lookups without a case reference"
    standard = "Confidentiality"
    reads = merge_reads({"system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref")}, PEER_READS)
    optional_reads = PEER_OPTIONAL_READS
    explanations_checked = (
        "unit demand (normalised by the unit's median)",
        "high overall lookup volume with a share without case reference in line with peers",
    )
    explain = (
        "{value} police-systems lookups without a case reference between {period_start} and {period_end}, "
        "against a peer median of {peer_median} (percentile {peer_percentile}; {detail})."
    )
    scenarios = ("unjustified_lookups",)
    routes = ("advice", "misconduct_assessment")
    Params = LookupParams

    def build(self, src):
        p = self.params
        sa = src.table("system_access")
        sa = sa.filter(in_period(sa.ts, src)).mutate(nocase=blank(sa.case_ref))
        per = sa.group_by("staff_id").aggregate(
            n_total=sa.count(),
            n_nocase=sa.nocase.cast("int64").sum(),
            n_subjects=ibis.ifelse(sa.nocase, sa.subject_ref, ibis.null("string")).nunique(),
            ev=keys(ibis.ifelse(sa.nocase, sa.event_id, ibis.null("string"))),
        )
        groups = peer_groups(src, p.min_group_size)
        v = with_everyone(per.select("staff_id", "n_nocase", "n_total"), groups, {"n_nocase": 0, "n_total": 0})
        v = v.mutate(share=v.n_nocase.cast("float64") / ibis.greatest(v.n_total, 1))
        v = v.mutate(peer_share=v.share.median().over(ibis.window(group_by=v.peer_key)))
        v = unit_relative(v, "n_nocase", floor=p.unit_floor)
        t = compare(v, "n_nocase", rank_col="n_nocase_rel", scale_col="n_nocase_scale")
        t = t.join(per, "staff_id").select(t, per.n_subjects, per.ev)
        flagged, route, score, explained = grade(t, p, "n_nocase", "share", "peer_share")
        t = t.mutate(route=route, score=score, explained=explained).filter(flagged)
        detail = (
            t.n_subjects.cast("string")
            + " distinct subjects; "
            + fmt(t.share * 100, 0)
            + "% of their lookups against a peer median of "
            + fmt(t.peer_share * 100, 0)
            + "%; robust z "
            + fmt(t.robust_z, 1)
        )
        return signals(
            t,
            src,
            value=t.n_nocase,
            score=t.score,
            route=t.route,
            evidence_table="system_access",
            evidence_keys=t.ev,
            explanations_found=flags(
                (t.explained, "high overall lookup volume; share without case reference in line with peers"),
            ),
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
