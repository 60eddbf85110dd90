"""Police-systems lookups of subjects outside the person's own cases, far above peers."""

from __future__ import annotations

import ibis

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import flags, fmt, in_period, keys, signals
from fairwitness.detectors.catalogue.lookups_without_case_ref import LookupParams, grade
from fairwitness.detectors.peers import (
    PEER_OPTIONAL_READS,
    PEER_READS,
    compare,
    merge_reads,
    peer_groups,
    unit_relative,
    with_everyone,
)


class LookupsOutsideOwnCases(Detector):
    """Lookups of subjects outside the person's own cases, far above comparable peers.

    A lookup is *outside own cases* when its subject is not a party to any case where the
    person is officer in case, and the lookup does not cite a case the subject is a party
    to (working a colleague's case and citing it is normal). Counted, normalised and graded
    exactly like ``lookups_without_case_ref`` (same parameters); the detail gives how many
    of the subjects are vulnerable victims or witnesses.
    """

    name = "lookups_outside_own_cases"
    version = "1"
    title = "Lookups of subjects outside one's own cases"
    standard = "Confidentiality"
    reads = merge_reads(
        {
            "system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref"),
            "case_parties": ("case_ref", "subject_ref", "role", "vulnerable", "officer_in_case"),
        },
        PEER_READS,
    )
    optional_reads = PEER_OPTIONAL_READS
    explanations_checked = (
        "subject is a party to one of the person's own cases",
        "lookup cites a case the subject is a party to (a colleague's case)",
        "unit demand (normalised by the unit's median)",
        "high overall lookup volume with a share outside own cases in line with peers",
    )
    explain = (
        "{value} lookups of subjects outside the person's own cases between {period_start} and {period_end}, "
        "against a peer median of {peer_median} (percentile {peer_percentile}; {detail})."
    )
    scenarios = ("unjustified_lookups",)
    routes = ("advice", "misconduct_assessment")
    Params = LookupParams

    def build(self, src):
        p = self.params
        sa = src.table("system_access")
        sa = sa.filter(in_period(sa.ts, src), sa.subject_ref.notnull())
        cp = src.table("case_parties")
        own = cp.select(staff_id=cp.officer_in_case, subject_ref=cp.subject_ref).distinct().mutate(own=ibis.literal(True))
        cited = cp.select("case_ref", "subject_ref").distinct().mutate(cited=ibis.literal(True))
        vuln = (
            cp.filter(cp.vulnerable.fill_null(False) & cp.role.lower().isin(["victim", "witness"]))
            .select("subject_ref")
            .distinct()
            .mutate(vuln=ibis.literal(True))
        )
        j = sa.left_join(own, (sa.staff_id == own.staff_id) & (sa.subject_ref == own.subject_ref)).select(
            sa, own=own.own.fill_null(False)
        )
        j = j.left_join(cited, (j.case_ref == cited.case_ref) & (j.subject_ref == cited.subject_ref)).select(
            j, cited=cited.cited.fill_null(False)
        )
        j = j.left_join(vuln, j.subject_ref == vuln.subject_ref).select(j, vuln=vuln.vuln.fill_null(False))
        j = j.mutate(outside=~j.own & ~j.cited)
        per = j.group_by("staff_id").aggregate(
            n_total=j.count(),
            n_out=j.outside.cast("int64").sum(),
            n_subjects=ibis.ifelse(j.outside, j.subject_ref, ibis.null("string")).nunique(),
            n_vuln=ibis.ifelse(j.outside & j.vuln, j.subject_ref, ibis.null("string")).nunique(),
            ev=keys(ibis.ifelse(j.outside, j.event_id, ibis.null("string"))),
        )
        groups = peer_groups(src, p.min_group_size)
        v = with_everyone(per.select("staff_id", "n_out", "n_total"), groups, {"n_out": 0, "n_total": 0})
        v = v.mutate(share=v.n_out.cast("float64") / ibis.greatest(v.n_total, 1))
        v = v.mutate(peer_share=v.share.median().over(ibis.window(group_by=v.peer_key)))
        v = unit_relative(v, "n_out", floor=p.unit_floor)
        t = compare(v, "n_out", rank_col="n_out_rel", scale_col="n_out_scale")
        t = t.join(per, "staff_id").select(t, per.n_subjects, per.n_vuln, per.ev)
        flagged, route, score, explained = grade(t, p, "n_out", "share", "peer_share")
        t = t.mutate(route=route, score=score, explained=explained).filter(flagged)
        detail = (
            t.n_subjects.cast("string")
            + " distinct subjects, "
            + t.n_vuln.cast("string")
            + " of them vulnerable victims or witnesses; "
            + fmt(t.share * 100, 0)
            + "% of their lookups against a peer median of "
            + fmt(t.peer_share * 100, 0)
            + "%; robust z "
            + fmt(t.robust_z, 1)
        )
        return signals(
            t,
            src,
            value=t.n_out,
            score=t.score,
            route=t.route,
            evidence_table="system_access",
            evidence_keys=t.ev,
            explanations_found=flags(
                (t.explained, "high overall lookup volume; share outside own cases in line with peers"),
            ),
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
