"""Police-systems lookups of subjects outside the person's own cases, far above peers."""

from __future__ import annotations

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._recall import RECALL_READS
from fairwitness.detectors.catalogue._at_work import AT_WORK_READS
from fairwitness.detectors.catalogue._lookup_days import lookup_days
from fairwitness.detectors.catalogue._lookup_context import (
    CASELESS_CHECKED, CASE_HOLDER_READS, CHECKED_AGAINST_PEERS, ROLE_OPTIONAL_READS,
)
from fairwitness.detectors.catalogue._lookups import assess, lookup_signals
from fairwitness.detectors.catalogue._outside_cases import (
    OUTSIDE_CHECKED, OUTSIDE_READS, OutsideParams, named_lookups, outside_own_cases,
)
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads


class LookupsOutsideOwnCases(Detector):
    """Lookups of subjects outside the person's own cases, far above comparable peers.

    A lookup is *outside own cases* when its subject is not a party to any case where the
    person is officer in case, and the lookup does not cite a case the subject is a party to
    (working a colleague's case and citing it is normal), nor (``cited_case_tasking``) a case
    open on the day whose officer in case is the person, someone in their unit, or someone within
    ``line_chain_depth`` levels of line management above or below them: a case-party table lists
    victims, witnesses and suspects, not every associate, address or vehicle an inquiry's
    researcher checks, and a cited live case of one's own team is a recorded tasking. A case cited
    as cover is still counted when it is another unit's and line chain's, closed before (or not
    opened by) the day, or unknown; a personal link to a subject behind a cited live case of one's
    own team is not in the data, and is the audit's to ask about. Counted, normalised and graded
    exactly like ``lookups_without_case_ref`` (same parameters), over the whole period and
    over sliding windows of ``window_days``: a window against the peers in the same window
    at Bonferroni-corrected thresholds, and only as a burst of at least ``burst_ratio``
    times the person's own usual count per window, beyond chance (far beyond it for
    misconduct_assessment). One signal per person, the strongest, covering the flagged
    window when it comes from one (its evidence keys, peer comparison and detail are that
    window's). The detail gives how many of the subjects are vulnerable victims or
    witnesses.

    A recall to duty is a tasking: the counted lookups made during an authorised
    recall-to-duty claim (``recall_reasons``), up to ``recall_ratio`` times the median rate of
    lookups per recall hour among everybody recalled in the period, are not counted (the
    peer comparison for a recall; at least ``min_group_size`` people recalled), and the
    explanation says so; any beyond it count like any other. A heavy user's allowance is scaled
    by their own usual lookups per day against the median recalled person's
    (``recall_own_volume``): their briefing checks scale with how they use the systems.

    A misconduct route (over the period, or a window's) also needs the person above their own
    team in the same days (robust z within the unit at ``advice_z``, corrected for a window; for
    a unit of at least ``min_group_size`` in post): in a team-wide surge everybody looks up more, unevenly — who
    worked the overtime, who took the calls — and the force's peers, normalised by the unit's
    median, do not show that spread; the team does. Otherwise it is a wellbeing check and the
    explanation says so.

    Someone whose work is checking records (``checking_roles`` on ``people.role``: vetting,
    research, the PNC bureau, roads policing and ANPR intercept officers…) is held against the
    others in the role, as in ``lookups_without_case_ref`` (`_lookup_context`). Someone who holds
    no case of their own in the period has none for a subject to be a party to: every lookup of
    theirs is outside own cases; as there, their count is compared with what their peers look up
    of every kind, and volume alone goes no further than wellbeing.
    """

    name = "lookups_outside_own_cases"
    version = "14"
    title = "Lookups of subjects outside one's own cases"
    standard = "Confidentiality"
    reads = merge_reads(
        OUTSIDE_READS,
        PEER_READS,
        CASE_HOLDER_READS,
        {"people": ("role",)},
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, RECALL_READS, AT_WORK_READS, ROLE_OPTIONAL_READS)
    explanations_checked = (
        *OUTSIDE_CHECKED,
        "unit demand (normalised by the unit's median)",
        "high overall lookup volume with a share outside own cases in line with peers",
    ) + CHECKED_AGAINST_PEERS + (CASELESS_CHECKED,)
    explain = (
        "{value} lookups of subjects outside the person's own cases between {period_start} and {period_end}, "
        "against a peer median of {peer_median} (percentile {peer_percentile}; {detail})."
    )
    scenarios = ("unjustified_lookups",)
    routes = ("wellbeing", "misconduct_assessment")
    Params = OutsideParams

    def build(self, src):
        p = self.params
        sa = named_lookups(src)
        hits = outside_own_cases(src, p)  # one table per run, read by repeated_subject_lookups too
        t = assess(src, p, sa.select("staff_id", "ts"), hits, lookup_days(src, with_subject=True), caseless=True)
        return lookup_signals(
            t,
            p,
            subjects=lambda t: t.n_subjects.cast("string")
            + " distinct subjects, "
            + t.n_vuln.cast("string")
            + " of them vulnerable victims or witnesses",
            explained_label="high overall lookup volume; share outside own cases in line with peers",
        )
