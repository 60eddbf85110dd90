"""Overtime claimed for hours the person was recorded as sick, on leave or suspended."""

from __future__ import annotations

import ibis
from pydantic import ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ABSENCE_PART_READS,
    ACTIVE_CLAIM_STATUSES,
    PRESENCE_READS,
    flags,
    fmt,
    in_period,
    keys,
    kinds_present,
    located,
    mark_overruns,
    overlap_hours,
    settled,
    signals,
)
from fairwitness.detectors.catalogue._intervals import OFFSITE_DUTY_TYPES, ClaimPresenceParams, claim_worked
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class Params(ClaimPresenceParams):
    model_config = ConfigDict(extra="forbid", frozen=True)

    absence_types: tuple[str, ...] = Field(
        default=("sickness", "annual_leave", "parental", "compassionate", "suspension"),
        description="Absence types during which overtime should not be worked (rest days and training are not).",
    )
    min_overlap_hours: float = Field(default=1.0, ge=0, description="Overlap shorter than this is ignored.")
    min_overlap_share: float = Field(default=0.5, gt=0, le=1, description="Share of the claim inside the absence.")
    overrun_minutes: float = Field(
        default=60, ge=0, description="A claim starting this close to the end of a shift begun before the absence is an overrun."
    )
    recall_reason_pattern: str = Field(
        default=r"recall|short.?notice|cancel|emergenc|call.?out|call.?in|major.?incident",
        description="Regular expression on reason_code marking a recall from leave (a call-in to a major incident too).",
    )
    offsite_reason_pattern: str = Field(
        default=r"court|off.?site|remote|escort|mutual.?aid|travel|abroad|training|cordon|scene.?guard",
        description="Regular expression on reason_code for work away from force buildings and systems (court, "
        "escort, mutual aid, travel, training, a scene cordon or guard): no badge, device, systems or comms activity "
        "is expected in it.",
    )
    offsite_duty_types: tuple[str, ...] = Field(
        default=OFFSITE_DUTY_TYPES,
        description="Rostered duty types away from force buildings: a claim over such a shift is off-site work.",
    )


WORKED = "activity inside the claimed hours of some claims: the work was done, the absence record may be out of date"
RECALL = "recall from leave, authorised by someone else: lawful overtime, the absence record not updated"
ROSTER_OFFSITE = (
    "off-site claims (court, escort, mutual aid, training) with a rostered duty over or next to them: the roster "
    "agrees the person was on duty away from force buildings, the absence record is the likelier error (leave "
    "cancelled for court, not recorded)"
)
ROSTERED = "a rostered duty over or next to some claims: the roster contradicts the absence record"
OFFSITE = (
    "an off-site reason for some claims (court, escort, mutual aid, travel, training): no activity is expected, "
    "so its absence is no evidence; the reason is to be checked against the court warning or deployment record"
)


class OvertimeDuringAbsence(Detector):
    """Overtime claimed for hours the person was recorded as sick, on leave or suspended.

    An approved or pending claim overlapping an absence of one of ``absence_types``
    (sickness, annual leave, parental, compassionate, suspension — not rest days or
    training) by at least ``min_overlap_hours`` and ``min_overlap_share`` of the claim.
    An *overrun* is not counted: a claim that began before the absence, or that starts
    within ``overrun_minutes`` of the end of a rostered shift begun before the absence (a
    late arrest at the end of the last shift before leave runs into the leave day). Nor is an
    absence recorded as part of a day without its hours (a date and ``hours`` or ``days`` short of
    a day: a medical appointment; `_common.located`): which hours were absent is not known. Nor
    is a leave request still pending (``status``; a rejected or cancelled one is never seen):
    the person may not have taken it.

    Each remaining claim is read against what honest work during a recorded absence looks like:

    * a **recall** from leave (the reason code matches ``recall_reason_pattern``, the absence is
      not sickness, the claim authorised by someone else) is lawful overtime (Police Regulations:
      recall during leave is paid); the absence record was not updated;
    * an **off-site claim with a rostered duty** over it or next to it (the claim off-site as below):
      the roster and the claim agree the person was on duty away from force buildings (at court, on
      mutual aid), so the absence record is the likelier error (leave cancelled for a court
      warning, not recorded);
    * **activity** inside the claim's hours, when a presence source is loaded (badge, work device,
      police systems, outgoing work communications; from ``inside_minutes`` after the start to
      ``after_minutes`` after the end, as `overtime_no_presence` reads it): the work was done;
    * an **off-site** claim (the reason matches ``offsite_reason_pattern`` — court, escort, mutual
      aid, travel, training — or a rostered off-site duty over it): no activity is expected in
      force buildings and systems (a phone is off in court), so none is no evidence;
    * a **rostered duty** over the claim or next to it (within ``overrun_minutes``: a late finish
      follows its shift, it never overlaps it): the roster, a second record, says the person was
      on duty, so the absence is not established on its own.

    Routes, the gravest claim deciding:

    * **gross_misconduct_assessment**: a claim unexplained on every count — on-site, no rostered
      duty over or next to it, no activity in its hours (or no presence source loaded). The
      runner also needs two independent kinds of evidence: the recorded absence, no rostered
      duty, no activity;
    * **misconduct_assessment**: an on-site claim with no activity, but a rostered duty over or
      next to it: the roster contradicts the absence, the missing activity remains to explain;
    * **wellbeing**: an off-site claim with no rostered duty: the absence and the roster agree the
      person was off, and the reason (a court warning, a mutual-aid deployment) is the only
      account of the duty. A court warning during leave is routine and seldom reaches the roster
      or the leave record, so this is a check of the warning or deployment record, not advice
      (adverse: the Met's prevention notices); and every claim a recall, off-site with a rostered
      duty, or worked: the absence record is out of date (or the person worked while signed off) —
      attendance management, not a dishonest claim.
    """

    name = "overtime_during_absence"
    version = "11"
    title = "Overtime overlapping sickness or leave"
    standard = "Honesty and integrity"
    reads = {
        "overtime_claims": ("claim_id", "staff_id", "start", "end", "hours", "status", "reason_code", "authorised_by"),
        "absences": ("absence_id", "staff_id", "type", "start", "end", "status", *ABSENCE_PART_READS),
    }
    optional_reads = {"shifts": ("staff_id", "start", "end", "duty_type")}
    optional_reads = merge_reads(optional_reads, PRESENCE_READS, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "recall from leave (reason code), authorised by someone else: lawful overtime, no conduct matter",
        "an off-site claim (court, escort, mutual aid, training: by its reason or a rostered off-site duty) with a "
        "rostered duty over or next to it: the absence record is the likelier error; no conduct matter",
        "a rostered duty over or next to the claim: the roster contradicts the absence record, so the absence is "
        "not established (misconduct assessment at most)",
        "an off-site reason (court, escort, mutual aid, travel, training): no activity is expected, so none is no "
        "evidence (advice at most, to check the reason)",
        "activity inside the claimed hours (badge, work device, police systems, outgoing comms): the work was done, "
        "the absence record may be out of date; when every unexplained claim shows it, a wellbeing conversation",
        "overlap too short to matter (under min_overlap_hours or min_overlap_share of the claim)",
        "an overrun: the claim began before the absence or continues a shift begun before it",
        "an absence of part of a day recorded without its hours (a date with fewer hours or days absent than a day): "
        "not counted",
        "leave not taken: a request rejected, cancelled or withdrawn is not an absence, and one still pending is "
        "not held against the person",
    )
    explain = (
        "{value} overtime claim(s) between {period_start} and {period_end} fall inside recorded absence ({detail})."
    )
    scenarios = ("overtime_during_absence",)
    routes = ("wellbeing", "misconduct_assessment", "gross_misconduct_assessment")
    evidence_kinds = {
        "recorded_absence": "an absence recorded over the claimed hours",
        "no_rostered_duty": "no rostered duty over or next to the claimed hours",
        "no_activity": "no badge, work-device, police-systems or outgoing comms activity in the claimed hours",
    }
    Params = Params

    def build(self, src):
        p = self.params
        oc = src.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, src), oc.status.lower().isin(ACTIVE_CLAIM_STATUSES))
        ab = src.table("absences")
        ab = ab.filter(ab.type.lower().isin(list(p.absence_types)), located(ab), settled(ab))
        j = oc.join(ab, (oc.staff_id == ab.staff_id) & (oc.start < ab.end) & (oc.end > ab.start))
        j = j.select(
            oc.claim_id,
            oc.staff_id,
            pair_id=oc.claim_id + "|" + ab.absence_id,
            claim_start=oc.start,
            absence_start=ab.start,
            hours=oc.hours,
            atype=ab.type.lower(),
            ov=overlap_hours(oc.start, oc.end, ab.start, ab.end),
            claim_h=ibis.greatest(ibis.literal(0.01), (oc.end.epoch_seconds() - oc.start.epoch_seconds()) / 3600.0),
            recall=(
                oc.reason_code.fill_null("").lower().re_search(p.recall_reason_pattern)
                & oc.authorised_by.notnull()
                & (oc.authorised_by != oc.staff_id)
                & (ab.type.lower() != "sickness")
            ).fill_null(False),
            offsite=oc.reason_code.fill_null("").lower().re_search(p.offsite_reason_pattern).fill_null(False),
        )
        # each one CTE however many expressions read it (`Sources.once`): Ibis wrote the claim-absence
        # pairs out ten times
        j = src.once(j.filter(j.ov >= p.min_overlap_hours, j.ov / j.claim_h >= p.min_overlap_share))
        j = src.once(mark_overruns(j, src, p.overrun_minutes))
        overruns = j.filter(j.overrun).group_by("staff_id").aggregate(n_overrun=ibis._.claim_id.nunique())
        j = j.filter(~j.overrun)
        # one row per claim: explained only when every absence it overlaps explains it
        c = j.group_by("claim_id", "staff_id").aggregate(
            ov=j.ov.max(),
            types=j.atype.collect().sort(),
            recall=j.recall.cast("int64").min() == 1,
            offsite=j.offsite.cast("int64").max() == 1,
        )
        # the roster is a second record: a claimed duty that overlaps a rostered shift, or continues one
        # (within overrun_minutes: a late finish never overlaps its own shift), contradicts the absence
        # record (leave cancelled, a return not recorded); a rostered off-site duty (court, training) over
        # it is work where no activity is expected
        if src.has("shifts"):
            sh = src.table("shifts")
            near = ibis.interval(minutes=int(p.overrun_minutes))
            cc = c.select("claim_id").join(oc, "claim_id").select("claim_id", "staff_id", "start", "end")
            on = cc.join(sh, (cc.staff_id == sh.staff_id) & (sh.start - near < cc.end) & (sh.end + near > cc.start))
            on = on.select(
                cc.claim_id,
                off=(
                    sh.duty_type.fill_null("").lower().isin(list(p.offsite_duty_types))
                    & (sh.start < cc.end)
                    & (sh.end > cc.start)
                ).cast("int64"),
            )
            on = on.group_by("claim_id").aggregate(off=on.off.max() == 1)
            c = c.left_join(on, c.claim_id == on.claim_id).select(
                c, rostered=on.claim_id.notnull(), roster_off=on.off.fill_null(False)
            )
        else:
            c = c.mutate(rostered=ibis.literal(False), roster_off=ibis.literal(False))
        c = c.mutate(offsite=c.offsite | c.roster_off)
        # explained: a recall from leave (lawful overtime), or off-site duty on the roster over the claim
        # (the roster and the claim agree on duty away from buildings: leave cancelled for court)
        c = c.mutate(explained=c.recall | (c.offsite & c.rostered))
        # activity inside an unexplained claim's hours: the work was done (presence sources loaded)
        presence = [t for t in PRESENCE_READS if src.has(t)]
        c = c.mutate(worked=claim_worked(src, self.name, p, c.claim_id))
        left = ~c.explained & ~c.worked  # unexplained, and no activity in its hours (or none loaded)
        per = c.group_by("staff_id").aggregate(
            n=c.count(),
            n_unexplained=(~c.explained).cast("int64").sum(),
            # on-site, no rostered duty: unexplained on every count
            n_grave=(left & ~c.offsite & ~c.rostered).cast("int64").sum(),
            # on-site, a rostered duty over or next to it: the roster contradicts the absence record
            n_rostered=(left & ~c.offsite & c.rostered).cast("int64").sum(),
            # off-site, no rostered duty: no activity expected; the reason is the only account of the duty
            n_offsite=(left & c.offsite & ~c.rostered).cast("int64").sum(),
            n_unworked=(left & ~c.offsite).cast("int64").sum(),
            n_worked=(~c.explained & c.worked).cast("int64").sum(),
            n_recall=c.recall.cast("int64").sum(),
            n_roster_off=(~c.recall & c.offsite & c.rostered).cast("int64").sum(),
            n_no_roster=(~c.explained & ~c.rostered).cast("int64").sum(),
            hours=c.ov.sum(),
            ev=keys(c.claim_id),
        )
        tk = j.select("staff_id", "atype").distinct()
        tk = tk.group_by("staff_id").aggregate(kinds=tk.atype.collect().sort())
        per = per.join(tk, "staff_id")
        per = per.left_join(overruns, "staff_id").select(per, n_overrun=overruns.n_overrun.fill_null(0))
        # the same behaviour among peers doing the same work, for the evidence
        per = peer_context(per, src, "n")
        # the gravest claim decides
        route = ibis.cases(
            (per.n_grave > 0, "gross_misconduct_assessment"),
            (per.n_rostered > 0, "misconduct_assessment"),
            else_="wellbeing",
        )
        score = ibis.cases(
            (per.n_grave > 0, ibis.least(0.6 + 0.1 * per.n_grave, 1.0)),
            (per.n_rostered > 0, 0.5 + 0.05 * ibis.least(per.n_rostered, 4)),
            (per.n_offsite > 0, 0.4),
            else_=0.3,
        )
        detail = (
            fmt(per.hours, 1)
            + " hours inside "
            + per.kinds.join(", ")
            + "; "
            + per.n_unexplained.cast("string")
            + " claim(s) unexplained, "
            + per.n_no_roster.cast("string")
            + " of them with no rostered duty over or next to them, "
            + (per.n_offsite + per.n_roster_off).cast("string")
            + " off-site (reason or rostered duty) with no activity expected"
        )
        if presence:
            checked = ", ".join(presence)
            detail = (
                detail
                + "; "
                + per.n_unworked.cast("string")
                + f" on-site with no activity in the claimed hours ({checked} checked)"
            )
        _, kinds_text = kinds_present(
            {
                "recorded_absence": per.n_unexplained > 0,
                "no_rostered_duty": (per.n_grave + per.n_offsite) > 0,
                "no_activity": (per.n_unworked > 0) if presence else ibis.literal(False),
            },
            self.evidence_kinds,
        )
        detail = detail + kinds_text
        found = flags(
            (per.n_recall > 0, RECALL),
            (per.n_roster_off > 0, ROSTER_OFFSITE),
            (per.n_rostered > 0, ROSTERED),
            (per.n_offsite > 0, OFFSITE),
            (per.n_overrun > 0, "other claims were overruns of a duty begun before the absence (not counted)"),
            (per.n_worked > 0, WORKED),
        )
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=per.n,
            score=score,
            route=route,
            evidence_table="overtime_claims",
            evidence_keys=per.ev,
            explanations_found=found,
            detail=detail,
        )
