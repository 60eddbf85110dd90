"""Police-systems lookups with no case reference, far above comparable peers."""

from __future__ import annotations

import ibis

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import blank, in_period
from fairwitness.detectors.catalogue._recall import RECALL_READS
from fairwitness.detectors.catalogue._at_work import AT_WORK_READS
from fairwitness.detectors.catalogue._lookup_days import lookup_days
from fairwitness.detectors.catalogue._lookup_context import (
    CASELESS_CHECKED, CASE_HOLDER_READS, CHECKED_AGAINST_PEERS, ROLE_OPTIONAL_READS,
)
from fairwitness.detectors.catalogue._lookups import LookupParams, assess, grade, lookup_signals
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads

__all__ = ["LookupParams", "LookupsWithoutCaseRef", "grade"]


class LookupsWithoutCaseRef(Detector):
    """Police-systems lookups with no case reference, far above comparable peers.

    Each person's lookups with an empty ``case_ref`` are counted, normalised for the unit's
    demand and compared with the peer group by a robust z-score (median and MAD, never
    tighter than Poisson noise) and a percentile — over the whole period, and over every
    window of ``window_days`` consecutive days (ending every ``window_step_days``; 0: the
    whole period only), where the person's count in the window is compared with the
    peers' counts in the same window, normalised for the unit's demand in that window.

    * **misconduct_assessment**: at least ``min_count`` lookups, robust z of at least
      ``misconduct_z`` and percentile at least ``misconduct_percentile``;
    * **wellbeing**: at least ``min_count``, z of ``advice_z`` and percentile
      ``advice_percentile``: more lookups than peers is no breach by itself (policing purpose
      covers briefings, safeguarding checks, court preparation, recalls and surges), so a
      moderate excess is a conversation, never advice, which is adverse.

    When the *share* of the person's lookups without a case reference (in the period or
    the window) is within ``share_ratio_explains`` of the peers' median share, the excess
    is volume of work (a heavy user of the systems), not a different purpose: a moderate
    excess is not flagged and a far one is downgraded to wellbeing.

    Many windows are many chances for a chance excess, so a window is held to more. Its z
    thresholds are Bonferroni-corrected for the number of windows (the one-sided tail of
    ``advice_z`` or ``misconduct_z`` divided by it), and its robust z is never more than the
    Poisson upper tail of the count above the peer median allows (a window's counts are
    small, where the Poisson floor alone overstates a handful of lookups). And it must be a
    *burst*: at least ``burst_ratio`` times the person's own usual count per window (the
    median over their windows, at least 1), and above it by the corrected advice z — a
    robust z against the spread of their own windows, capped by the Poisson tail likewise.
    A window's **misconduct_assessment** also needs that burst z at the corrected
    ``misconduct_z`` (far above their own usual as well as far above peers); otherwise it is
    wellbeing. A steady heavy user is never a burst; a unit's surge is normalised away.

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

    Some people's work is checking records with no case to cite (``checking_roles`` on the
    lower-cased ``people.role``: vetting, audit, research, the PNC bureau, roads policing, traffic and
    ANPR intercept officers, whose patrol is vehicle checks): alone or nearly so in
    a unit of investigators or managers, they are far above their unit and their peers all year.
    A misconduct route for them also needs the count above the others holding the same role, in
    the same period or window (robust z at ``advice_z``, corrected for a window; at least
    ``min_group_size`` of them in post); otherwise a wellbeing check, and the explanation says so
    (`_lookup_context`).

    Someone who holds no case of their own in the period (with ``case_parties`` loaded: officer
    in case of no case open in it — a duty inspector, a response or custody sergeant) has nothing
    to cite: every lookup they make is without a case reference, while peers who hold cases cite
    theirs, so against those peers' counts an ordinary shift of street and vehicle checks is many
    times the median. Their count is compared, over the period and in a window, with what their
    peers look up of every kind, and volume alone goes no further than wellbeing (a moderate
    excess is not flagged, a far one is a wellbeing check, and the explanation says so): nothing
    in an uncited count of theirs tells one purpose from another. What corroborates misuse — the
    same few people looked up again and again, by them alone — is ``repeated_subject_lookups``'
    to find, for them as for anyone.

    One signal per person, over the period and the flagged windows: the gravest route,
    then the highest score (the period's on a tie). A window's signal covers that window
    (``period_start`` to ``period_end``), its evidence keys are that window's lookups, its
    peer comparison is that window's, and the detail names the window and how many times
    the usual count it is.
    """

    name = "lookups_without_case_ref"
    version = "13"
    title = "Police-systems lookups without a case reference"
    standard = "Confidentiality"
    reads = merge_reads(
        {"system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref")}, PEER_READS, {"people": ("role",)}
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, RECALL_READS, AT_WORK_READS, ROLE_OPTIONAL_READS, CASE_HOLDER_READS)
    explanations_checked = (
        "unit demand (normalised by the unit's median)",
        "high overall lookup volume with a share without case reference in line with peers",
    ) + CHECKED_AGAINST_PEERS + (CASELESS_CHECKED,)
    explain = (
        "{value} police-systems lookups without a case reference between {period_start} and {period_end}, "
        "against a peer median of {peer_median} (percentile {peer_percentile}; {detail})."
    )
    scenarios = ("unjustified_lookups",)
    routes = ("wellbeing", "misconduct_assessment")
    Params = LookupParams

    def build(self, src):
        p = self.params
        sa = src.table("system_access")
        sa = sa.filter(in_period(sa.ts, src))
        # one CTE (`Sources.once`), read thrice: each reader scanned every lookup and tested its case
        # reference again (two extra passes over the log: 9.6 s at 46,000 x 12)
        hits = src.once(
            sa.filter(blank(sa.case_ref)).select("staff_id", "ts", "event_id", "subject_ref", vuln=ibis.literal(False)),
            "lookup_hits",
        )
        t = assess(src, p, sa.select("staff_id", "ts"), hits, lookup_days(src, with_subject=False), caseless=True)
        return lookup_signals(
            t,
            p,
            subjects=lambda t: t.n_subjects.cast("string") + " distinct subjects",
            explained_label="high overall lookup volume; share without case reference in line with peers",
        )
