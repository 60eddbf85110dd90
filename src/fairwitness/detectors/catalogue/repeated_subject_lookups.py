"""The same few people looked up again and again, by one person alone, with no case of theirs."""

from __future__ import annotations

import ibis
from pydantic import Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._at_work import AT_WORK_READS
from fairwitness.detectors.catalogue._lookup_days import lookup_days
from fairwitness.detectors.catalogue._lookup_context import CHECKED_AGAINST_PEERS, ROLE_OPTIONAL_READS
from fairwitness.detectors.catalogue._lookups import assess, lookup_signals
from fairwitness.detectors.catalogue._outside_cases import (
    OUTSIDE_CHECKED, OUTSIDE_READS, OutsideParams, named_lookups, outside_own_cases,
)
from fairwitness.detectors.catalogue._recall import RECALL_READS
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads


class RepeatedSubjectParams(OutsideParams):
    vulnerable_without_excess: bool = Field(
        default=True,
        description="Repeats that include a vulnerable victim or witness earn a misconduct assessment when far above "
        "peers (misconduct_z, misconduct_percentile) even below misconduct_min_excess: one vulnerable person looked "
        "up on a dozen days is the pattern of abuse of position, not a volume.",
    )
    min_days: int = Field(
        default=3,
        ge=2,
        description="Distinct days on which the person looked the same subject up (outside their own cases) for its "
        "lookups to count: a first look is often work; the misuse cases are the repeats.",
    )
    own_share: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Share of everybody's lookups of the subject that are the person's, at least, counted from the "
        "person's first lookup of it to their last: a prolific offender, a missing person or a local repeat caller is "
        "looked up by many colleagues meanwhile; an ex-partner's family, a neighbour, or a witness whose case closed "
        "before the repeats began, by one.",
    )


class RepeatedSubjectLookups(Detector):
    """Lookups of the same few people, repeated over days, by one person alone, with no case
    of theirs to explain them — far above comparable peers.

    The published misuse cases are rarely a volume of lookups: an ex-partner, her new partner
    and family, neighbours, a colleague, looked up again and again over months, a handful a
    week, hidden in a heavy user's ordinary volume (a first look for work, then the repeats).
    So a lookup is counted when it is *outside own cases* (as in ``lookups_outside_own_cases``:
    its subject is a party to no case where the person is officer in case, and it cites no case
    the subject is a party to, nor — ``cited_case_tasking`` — a case open on the day of the
    person's own unit or line chain, within ``line_chain_depth`` levels: an inquiry's researcher
    checking its associates again and again; a case of another unit, a closed case or an unknown
    reference cited as cover still counts), **and** the person looked that subject up on at least
    ``min_days`` distinct days of the period, **and** the person's lookups are at least
    ``own_share`` of everybody's lookups of that subject from their first lookup of it to their
    last (of every kind, cited or not: a subject of real policing interest is looked up by
    colleagues too, at the same time; a colleague's work on the subject's case before the person's
    repeats began is not interest in them now).

    The count is then compared with peers exactly like the other lookup detectors (same
    parameters, `_lookups.assess`): normalised for the unit's demand, a robust z and a
    percentile over the period and over sliding windows of ``window_days`` (a burst above the
    person's own usual count), a misconduct route only far above peers and at least
    ``misconduct_min_excess`` lookups above the peer median, and never above the person's own
    team in a team-wide surge or above others in a checking role (vetting, research, offender
    management units whose work is checking the same nominals again) — wellbeing then, and the
    explanation says so. A recall to duty is a tasking, as there. Repeats that include a vulnerable
    victim or witness need no ``misconduct_min_excess`` (``vulnerable_without_excess``): a dozen
    lookups of one vulnerable person over weeks is the pattern itself.

    Honest look-alikes: an offender manager re-checking their nominals, an intelligence
    officer following a subject, a disclosure officer on one long file, which their peers in
    the role or the unit do as well; a subject several colleagues also look up. The data cannot
    see a personal link (an address, a surname): the route stops at a misconduct assessment,
    where the appropriate authority asks why.
    """

    name = "repeated_subject_lookups"
    version = "8"
    title = "Repeated lookups of the same few people, outside one's own cases"
    standard = "Confidentiality"
    reads = merge_reads(
        OUTSIDE_READS,
        PEER_READS,
        {"people": ("role",)},
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, RECALL_READS, AT_WORK_READS, ROLE_OPTIONAL_READS)
    explanations_checked = (
        *OUTSIDE_CHECKED,
        "a subject looked up on fewer than min_days days (a first look, a one-off check)",
        "a subject colleagues also look up while the person does (the person's share of its lookups from their first "
        "to their last below own_share)",
        "unit demand (normalised by the unit's median)",
    ) + CHECKED_AGAINST_PEERS
    explain = (
        "{value} repeated lookups of subjects outside the person's own cases, looked up by hardly anybody else, between "
        "{period_start} and {period_end}, against a peer median of {peer_median} (percentile {peer_percentile}; {detail})."
    )
    scenarios = ("unjustified_lookups",)
    routes = ("wellbeing", "misconduct_assessment")
    Params = RepeatedSubjectParams

    def build(self, src):
        p = self.params
        sa = named_lookups(src)
        j = outside_own_cases(src, p)  # the table lookups_outside_own_cases reads: one per run
        # the person's days with each subject, and everybody's lookups of it (of every kind), for the
        # pairs that could be repeats alone: nearly every subject is looked up once, by one person, and
        # counting distinct days for every pair (or lookups for every subject) would group the whole log
        pairs = j.group_by("staff_id", "subject_ref").aggregate(n_mine=j.count())
        pairs = pairs.filter(pairs.n_mine >= p.min_days).select("staff_id", "subject_ref")
        cj = j.semi_join(pairs, (j.staff_id == pairs.staff_id) & (j.subject_ref == pairs.subject_ref))
        mine = cj.group_by("staff_id", "subject_ref").aggregate(
            days=cj.ts.date().nunique(), n_mine=cj.count(), first=cj.ts.min(), last=cj.ts.max()
        )
        mine = src.once(mine.filter(mine.days >= p.min_days), "repeat_pairs")  # read twice
        # everybody's lookups of the subject while the person was looking it up (first to last): a
        # colleague's case work before the person's repeats began (a witness's case, closed since) is
        # no policing interest in them now
        named = sa.select(n_sub="subject_ref", n_ts="ts")
        during = mine.join(
            named, (mine.subject_ref == named.n_sub) & (named.n_ts >= mine.first) & (named.n_ts <= mine.last)
        )
        everyone = during.group_by("staff_id", "subject_ref").aggregate(n_all=during.count())
        rep = mine.join(everyone, ["staff_id", "subject_ref"])
        rep = rep.filter(rep.n_mine.cast("float64") >= p.own_share * rep.n_all.cast("float64"))
        rep = rep.select("staff_id", "subject_ref")
        h = j.semi_join(rep, (j.staff_id == rep.staff_id) & (j.subject_ref == rep.subject_ref))
        hits = src.once(h, "repeat_hits")
        t = assess(src, p, sa.select("staff_id", "ts"), hits, lookup_days(src, with_subject=True))
        if p.vulnerable_without_excess:
            # a vulnerable victim or witness looked up again and again is the pattern itself, however few
            # the lookups: far above peers (and, for a window, far above the person's usual), unexplained
            far = (
                (t.n_vuln > 0) & (t.route == "wellbeing") & (t.n >= p.min_count) & (t.robust_z >= p.misconduct_z)
                & (t.peer_percentile >= p.misconduct_percentile) & ~t.explained & ~t.in_team & ~t.in_role & ~t.caseless
                & (~t.in_window | (t.burst_z.fill_null(0.0) >= p.misconduct_z))
            )
            t = t.mutate(
                route=ibis.ifelse(far, "misconduct_assessment", t.route),
                score=ibis.ifelse(far, ibis.least(t.score / 0.7, 1.0), t.score),
            )
        return lookup_signals(
            t,
            p,
            subjects=lambda t: t.n_subjects.cast("string")
            + ibis.literal(f" subjects, each looked up on at least {p.min_days} days, at least {p.own_share:.0%} of its lookups "
                           "theirs; ")
            + t.n_vuln.cast("string")
            + " of them vulnerable victims or witnesses",
            explained_label="high overall lookup volume; share of repeated lookups in line with peers",
        )
