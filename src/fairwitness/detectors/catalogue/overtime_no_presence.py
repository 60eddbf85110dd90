"""Overtime claimed for hours with no badge, device, systems or outgoing comms activity."""

from __future__ import annotations

import ibis
from pydantic import ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ACTIVE_CLAIM_STATUSES,
    PRESENCE_READS,
    flags,
    fmt,
    in_period,
    keys,
    kinds_present,
    period_end_ts,
    presence_events,
    signals,
)
from fairwitness.detectors.catalogue._intervals import ClaimPresenceParams, claims_with_presence
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class Params(ClaimPresenceParams):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_claim_hours: float = Field(default=1.0, ge=0, description="Shorter claims are ignored.")
    min_claims: int = Field(default=2, ge=1, description="Unevidenced claims needed for a flag.")
    min_share: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Share of the person's claimed hours unevidenced (0: any; padding among genuine claims is the pattern).",
    )
    unit_share_explains: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="When the median person of the unit has this share of claimed hours unevidenced, "
        "missing data is the unit's norm: downgrade to advice.",
    )
    offsite_reason_pattern: str = Field(
        default=r"court|off.?site|remote|escort|mutual.?aid|travel|abroad",
        description="Regular expression on reason_code for work done away from force buildings and systems.",
    )


class OvertimeNoPresence(Detector):
    """Overtime claimed for hours with no sign of the person at work.

    For each approved or pending overtime claim of at least ``min_claim_hours`` in the
    period, the detector looks for any badge event, work-device event (login, logout or a
    location ping — never the position itself), police-systems access or outgoing work
    communication by the person *within the claimed hours*: from ``inside_minutes`` after
    the start (overtime usually follows a shift, and the badge-out at the end of that
    shift is not presence during the overtime) to ``after_minutes`` after the end (leaving
    the building). Claims across midnight and DST changes are handled in UTC. A claim with
    none is *unevidenced*.

    * **gross_misconduct_assessment**: at least ``min_claims`` unevidenced claims (making up
      at least ``min_share`` of the person's claimed hours, when set: unevidenced claims
      padded among genuine ones are the usual pattern, so the default is any share);
    * **advice** instead when the unevidenced claims (bar fewer than ``min_claims``) give an
      off-site reason (``offsite_reason_pattern``: court, escort, mutual aid, travel…) or when the
      median person of the unit has ``unit_share_explains`` of their claimed hours
      unevidenced (a unit without readers or devices).

    At least one presence source must be loaded; the detail names the ones checked.
    """

    name = "overtime_no_presence"
    version = "4"
    title = "Overtime with no presence"
    standard = "Honesty and integrity"
    reads = {
        "overtime_claims": ("claim_id", "staff_id", "start", "end", "hours", "status", "reason_code"),
        "people": ("staff_id", "unit_id"),
    }
    optional_reads = PRESENCE_READS
    optional_reads = merge_reads(optional_reads, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "badge, device, systems or outgoing comms activity within the claimed hours",
        "off-site overtime (court, escort, mutual aid, training, events)",
        "unit whose overtime usually has no presence data",
    )
    explain = (
        "{value} overtime claim(s) between {period_start} and {period_end} have no badge, device, systems or "
        "comms activity within the claimed hours ({detail})."
    )
    scenarios = ("overtime_no_presence",)
    routes = ("advice", "gross_misconduct_assessment")
    evidence_kinds = {
        "badge_events": "no building access in the claimed hours",
        "device_events": "no work-device activity in the claimed hours",
        "system_access": "no police-systems use in the claimed hours",
        "comms_events": "no outgoing work communication in the claimed hours",
    }
    Params = Params

    def build(self, src):
        p = self.params
        _, used = presence_events(src, self.name)  # the sources checked; fails clearly when none is loaded
        oc = src.table("overtime_claims")
        oc = oc.filter(
            in_period(oc.start, src),
            oc.end <= period_end_ts(src) + ibis.interval(hours=24),
            oc.status.lower().isin(ACTIVE_CLAIM_STATUSES),
            oc.hours >= p.min_claim_hours,
        )
        present = claims_with_presence(src, self.name, inside_minutes=p.inside_minutes, after_minutes=p.after_minutes)
        c = oc.left_join(present, oc.claim_id == present.claim_id).select(
            oc.claim_id,
            oc.staff_id,
            oc.hours,
            unev=present.claim_id.isnull(),
            offsite=oc.reason_code.fill_null("").lower().re_search(p.offsite_reason_pattern),
        )
        per = c.group_by("staff_id").aggregate(
            n_claims=c.count(),
            hours=c.hours.sum(),
            n_unev=c.unev.cast("int64").sum(),
            unev_hours=ibis.ifelse(c.unev, c.hours, 0.0).sum(),
            n_unev_offsite=(c.unev & c.offsite).cast("int64").sum(),
            ev=keys(ibis.ifelse(c.unev, c.claim_id, ibis.null("string"))),
        )
        per = per.mutate(share=per.unev_hours / per.hours)
        ppl = src.table("people").select("staff_id", "unit_id")
        per = per.left_join(ppl, "staff_id").select(per, unit_id=ppl.unit_id.fill_null("(unknown)"))
        per = per.mutate(unit_share=per.share.median().over(ibis.window(group_by=per.unit_id)))
        t = per.filter(per.n_unev >= p.min_claims, per.share >= p.min_share)
        unit_norm = t.unit_share >= p.unit_share_explains
        offsite = (t.n_unev - t.n_unev_offsite) < p.min_claims
        explained = unit_norm | offsite
        route = ibis.ifelse(explained, "advice", "gross_misconduct_assessment")
        score = ibis.least(0.5 + 0.1 * t.n_unev + 0.3 * t.share, 1.0) * ibis.ifelse(explained, 0.6, 1.0)
        detail = (
            fmt(t.unev_hours, 1)
            + " of "
            + fmt(t.hours, 1)
            + " claimed hours unevidenced in "
            + t.n_unev.cast("string")
            + " of "
            + t.n_claims.cast("string")
            + " claims (unit median share "
            + fmt(t.unit_share * 100, 0)
            + "%); checked "
            + ibis.literal(", ".join(used))
        )
        # each presence source checked and silent is an independent kind of evidence: a gross
        # misconduct route needs at least two of them
        _, kinds_text = kinds_present({u: ibis.literal(True) for u in used}, self.evidence_kinds)
        detail = detail + kinds_text
        found = flags(
            (t.n_unev_offsite > 0, "unevidenced claims giving an off-site reason"),
            (unit_norm, "the unit's overtime usually has no presence data"),
        )
        # the same behaviour among peers doing the same work, for the evidence
        t = peer_context(t, src, "n_unev")
        return signals(
            t,
            src,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
            value=t.n_unev,
            score=score,
            route=route,
            evidence_table="overtime_claims",
            evidence_keys=t.ev,
            explanations_found=found,
            detail=detail,
        )
