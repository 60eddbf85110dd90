"""Overtime claimed for hours with no badge, device, systems or outgoing comms activity, more often
than the unit's own claims show."""

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
from fairwitness.detectors.catalogue._intervals import (
    OFFSITE_DUTY_TYPES, ClaimPresenceParams, claims_with_presence, rostered_offsite,
)
from fairwitness.detectors.catalogue._lookup_windows import poisson_excess_z
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
    trace_floor: float = Field(
        default=0.02,
        ge=0,
        lt=1,
        description="The least share of honest claims assumed to leave no trace in the presence sources (a cordon, "
        "a hospital guard, a prisoner handover outside: presence data is never complete), when the force's own "
        "claims show less.",
    )
    prior_claims: float = Field(
        default=20.0,
        gt=0,
        description="Weight, in claims, of the force's rate of claims with no trace when estimating a unit's or a "
        "reason code's (a unit or reason with few claims of its own is read mostly as the force).",
    )
    misconduct_z: float = Field(
        default=3.5,
        gt=0,
        description="How far beyond chance (a normal deviate of the Poisson tail) the person's unevidenced claims "
        "must be, at the unit's rate of claims with no trace, for a misconduct route.",
    )
    wellbeing_z: float = Field(
        default=2.33, gt=0, description="Beyond chance by this much, but not misconduct_z: a wellbeing conversation."
    )
    offsite_reason_pattern: str = Field(
        default=r"hospital|bed.?watch|constant.?watch|guard|escort|court|mutual.?aid|cordon|off.?site|abroad|travel",
        description="Regular expression on reason_code (lower case) for duties away from force buildings, readers and "
        "systems by their nature (a hospital guard or bedwatch, a constant watch, a prisoner escort, court, mutual aid, "
        "a scene cordon): the rate of claims with no trace for such a reason is shrunk towards offsite_reason_rate, "
        "not the force's, so a reason few others claim is not read as the force's desk overtime.",
    )
    offsite_reason_rate: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="The share of claims for an off-site reason (offsite_reason_pattern) assumed to leave no trace "
        "before the force's own such claims say otherwise.",
    )
    offsite_reason_claims: float = Field(
        default=5.0,
        gt=0,
        description="Weight, in claims, of offsite_reason_rate: the force's own claims for the reason outweigh it as "
        "soon as there are a few (where court or escorts always leave a trace or are rostered, untraced ones stand out).",
    )
    offsite_duty_types: tuple[str, ...] = Field(
        default=OFFSITE_DUTY_TYPES,
        description="Rostered duty types away from force buildings (shifts.duty_type): a claim over such a shift is "
        "evidenced by the roster (court, training), where no activity is expected.",
    )


OFFSITE_REASON = (
    "claims whose reason names off-site work (a hospital guard or bedwatch, an escort, court, mutual aid, a cordon): "
    "expected to leave no trace unless the force's other such claims do"
)


class OvertimeNoPresence(Detector):
    """Overtime claimed for hours with no sign of the person at work, more often than chance allows.

    For each approved or pending overtime claim of at least ``min_claim_hours`` in the
    period, the detector looks for any badge event, work-device event (login, logout or a
    location ping — never the position itself), police-systems access or outgoing work
    communication by the person *within the claimed hours*: from ``inside_minutes`` after
    the start (overtime usually follows a shift, and the badge-out at the end of that
    shift is not presence during the overtime) to ``after_minutes`` after the end (leaving
    the building). Claims across midnight and DST changes are handled in UTC. A claim with
    none is *unevidenced*.

    Honest claims leave no trace too: a scene cordon, a hospital guard, a prisoner handed over
    outside — presence data is never complete. So an unevidenced claim is no evidence by itself;
    many more of them than honest claims show is. How likely each of the person's claims is to
    leave no trace is read from everybody else's (leave-one-out): the rate in the person's unit (its
    readers and devices), times how much likelier claims giving the same reason code are to leave
    none than the force's claims (a hospital guard or a cordon more than a late arrest) — each rate
    shrunk towards the force's by ``prior_claims`` claims, never below ``trace_floor``. The person's
    unevidenced claims are held against the count these predict, as a normal deviate of the
    Poisson upper tail (right for the small counts here):

    * **misconduct_assessment**: at least ``min_claims`` unevidenced claims (making up at least
      ``min_share`` of the person's claimed hours, when set), ``misconduct_z`` beyond chance;
    * **gross_misconduct_assessment**: that, and at least ``min_claims`` of the unevidenced claims
      authorised by the claimant themselves — a second, independent kind of evidence (no one else
      vouched for the hours). The silence of the four presence sources is one kind: the absence of a
      trace, however many sources were checked;
    * **wellbeing**: ``wellbeing_z`` beyond chance but not ``misconduct_z`` (a conversation about
      how the hours are recorded).

    A rostered duty away from force buildings over the claim (``offsite_duty_types`` on
    ``shifts.duty_type``: court, training) evidences it as the presence sources would. Off-site work
    the roster does not show (court on a rest day, mutual aid, an escort) mostly leaves no trace:
    the rate for its reason code says so, so such claims are expected to be untraced, unless that
    reason's claims usually are on the roster or leave a trace at this force. A reason code few
    others give (one custody sergeant's hospital guards) has no claims of others to be read from:
    when its wording names off-site work (``offsite_reason_pattern``: a hospital guard or bedwatch,
    a constant watch, an escort, court, mutual aid, a cordon) its rate is shrunk towards
    ``offsite_reason_rate`` by ``offsite_reason_claims`` claims instead of towards the force's (which
    is the rate of work done in force buildings), so the force's own such claims outweigh the
    wording as soon as there are a few. A reason whose wording names no off-site work falls back to
    the force's rate: an invented reason code is no excuse. A unit without readers or devices has a
    high rate of its own, so its people are not flagged for it.

    At least one presence source must be loaded; the detail names the ones checked.
    """

    name = "overtime_no_presence"
    version = "6"
    title = "Overtime with no presence"
    standard = "Honesty and integrity"
    reads = {
        "overtime_claims": ("claim_id", "staff_id", "start", "end", "hours", "status", "reason_code", "authorised_by"),
        "people": ("staff_id", "unit_id"),
    }
    optional_reads = merge_reads(
        PRESENCE_READS, PEER_READS, PEER_OPTIONAL_READS, {"shifts": ("staff_id", "start", "end", "duty_type")}
    )
    explanations_checked = (
        "badge, device, systems or outgoing comms activity within the claimed hours",
        OFFSITE_REASON,
        "a rostered duty away from force buildings (court, training) over the claim",
        "off-site work the roster does not show (court, mutual aid, an escort): expected to leave no trace at the "
        "rate of its reason code",
        "claims with no trace are part of honest work: no more of them than chance allows at the rates of the "
        "person's unit and of claims giving the same reasons",
    )
    explain = (
        "{value} overtime claim(s) between {period_start} and {period_end} have no badge, device, systems or "
        "comms activity within the claimed hours ({detail})."
    )
    scenarios = ("overtime_no_presence",)
    routes = ("wellbeing", "misconduct_assessment", "gross_misconduct_assessment")
    evidence_kinds = {
        "no_trace": "claims with no trace of work in the claimed hours, far more than the unit's rate allows",
        "self_authorised": "unevidenced claims authorised by the claimant",
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
        ppl = src.table("people").select("staff_id", "unit_id")
        # the roster as evidence too: a rostered court or training duty over the claim places the
        # person where no activity is expected
        away = rostered_offsite(src, oc, p.offsite_duty_types).mutate(_away=ibis.literal(1))
        c = oc.left_join(present, oc.claim_id == present.claim_id).select(
            oc.claim_id, oc.staff_id, oc.hours, oc.reason_code, oc.authorised_by, _seen=present.claim_id.notnull()
        )
        c = c.left_join(away, c.claim_id == away.claim_id).select(
            c.claim_id,
            c.staff_id,
            c.hours,
            unev=(~c._seen & away._away.isnull()).cast("int64"),
            own=(c.authorised_by.strip() == c.staff_id).fill_null(False),
            reason=c.reason_code.fill_null("").lower().strip(),
        )
        c = c.left_join(ppl, c.staff_id == ppl.staff_id).select(c, unit_id=ppl.unit_id.fill_null("(unknown)"))
        k = src.once(c)  # read by the person's counts and by the rates
        exp = expected_untraced(k, p)
        per = k.group_by("staff_id").aggregate(
            n_claims=k.count(),
            hours=k.hours.sum(),
            n_unev=k.unev.sum(),
            unev_hours=ibis.ifelse(k.unev == 1, k.hours, 0.0).sum(),
            n_self=(k.unev * k.own.cast("int64")).sum(),
            n_off=(k.unev * k.reason.re_search(p.offsite_reason_pattern).fill_null(False).cast("int64")).sum(),
            ev=keys(ibis.ifelse(k.unev == 1, k.claim_id, ibis.null("string"))),
        )
        per = per.join(exp, "staff_id")
        per = per.mutate(rate=per.expected / ibis.greatest(per.n_claims, 1).cast("float64"))
        per = per.mutate(z=poisson_excess_z(per.n_unev, per.expected).round(4))
        share = per.unev_hours / ibis.greatest(per.hours, ibis.literal(1e-9))
        t = per.filter(per.n_unev >= p.min_claims, share >= p.min_share, per.z >= p.wellbeing_z)
        conduct = t.z >= p.misconduct_z
        self_auth = conduct & (t.n_self >= p.min_claims)
        route = ibis.cases(
            (self_auth, "gross_misconduct_assessment"), (conduct, "misconduct_assessment"), else_="wellbeing"
        )
        score = ibis.least(0.4 + 0.05 * t.z + 0.1 * ibis.least(t.n_self, 3), 1.0) * ibis.ifelse(conduct, 1.0, 0.6)
        detail = (
            fmt(t.unev_hours, 1)
            + " of "
            + fmt(t.hours, 1)
            + " claimed hours unevidenced in "
            + t.n_unev.cast("string")
            + " of "
            + t.n_claims.cast("string")
            + " claims, against "
            + fmt(t.expected, 1)
            + " expected from the rates of claims with no trace in their unit and for the same reasons ("
            + fmt(t.rate * 100, 1)
            + "% of their claims; z "
            + fmt(t.z, 1)
            + "); "
            + t.n_self.cast("string")
            + " of them authorised by the claimant; "
            + "checked "
            + ibis.literal(", ".join(used))
        )
        _, kinds_text = kinds_present({"no_trace": conduct, "self_authorised": self_auth}, self.evidence_kinds)
        detail = detail + kinds_text
        found = flags(
            (~conduct, "within what the unit's rate of claims with no trace allows for a misconduct route"),
            (t.n_off > 0, OFFSITE_REASON),
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


def expected_untraced(k, p: Params):
    """``staff_id, expected``: how many of each person's on-site claims (``k``: ``staff_id, unit_id,
    reason, unev``) would leave no trace if honest — for each claim, the rate among everybody else's
    claims (leave-one-out) in the claimant's unit, times the rate of the claims giving the same reason
    code over the force's (each shrunk towards the force's rate by ``prior_claims`` claims; a reason
    naming off-site work towards ``offsite_reason_rate`` by ``offsite_reason_claims``), never below
    ``trace_floor``, summed. Grouped counts joined back, not windows over every claim (46,000 x 12:
    a million claims sorted five times, 2.5 CPU-seconds)."""
    sr = k.group_by("staff_id", "unit_id", "reason").aggregate(u_sr=k.unev.sum(), n_sr=k.count())
    mine = k.group_by("staff_id").aggregate(u_i=k.unev.sum(), n_i=k.count())
    unit = k.group_by("unit_id").aggregate(u_u=k.unev.sum(), n_u=k.count())
    why = k.group_by("reason").aggregate(u_r=k.unev.sum(), n_r=k.count())
    force = k.aggregate(u_f=k.unev.sum(), n_f=k.count())
    t = sr.join(mine, "staff_id").join(unit, "unit_id").join(why, "reason").cross_join(force)
    zero = ibis.literal(0.0)
    others = (t.n_f - t.n_i).cast("float64")
    f = ibis.ifelse(others > 0, (t.u_f - t.u_i).cast("float64") / ibis.greatest(others, 1.0), zero)

    def loo(u, n, u_own, n_own, prior=f, weight=p.prior_claims):
        """The rate among the others' claims of a unit or reason (less the claimant's own there), shrunk
        towards ``prior`` by ``weight`` claims."""
        return ((u - u_own).cast("float64") + weight * prior) / ((n - n_own).cast("float64") + weight)

    # a reason that names off-site work (a hospital guard, an escort, a cordon) is shrunk towards the
    # rate such work leaves no trace at, not towards the force's: a reason only the claimant gives has
    # no one else's claims to be read from, and the force's rate is that of work done in its buildings
    offsite = t.reason.re_search(p.offsite_reason_pattern).fill_null(False)
    r_prior = ibis.ifelse(offsite, ibis.greatest(f, ibis.literal(p.offsite_reason_rate)), f)
    r_weight = ibis.ifelse(offsite, ibis.literal(p.offsite_reason_claims), ibis.literal(p.prior_claims))

    # the unit's rate, scaled by how much likelier the claim's reason is to leave no trace than the
    # force's claims (a hospital guard or a cordon more than a late arrest): a unit's readers and a
    # kind of work are two causes, and a unit without readers must not make the work look traceless
    r_rate = loo(t.u_r, t.n_r, t.u_sr, t.n_sr, r_prior, r_weight)
    ratio = ibis.ifelse(f > 0, r_rate / ibis.greatest(f, ibis.literal(1e-12)), ibis.literal(1.0))
    # (a force none of whose claims ever lacks a trace has no rate to scale: an off-site reason's own)
    base = ibis.ifelse((f > 0) | ~offsite, loo(t.u_u, t.n_u, t.u_i, t.n_i) * ratio, r_rate)
    rate = ibis.least(ibis.greatest(base, ibis.literal(p.trace_floor)), ibis.literal(1.0))
    t = t.mutate(e=t.n_sr.cast("float64") * rate)
    return t.group_by("staff_id").aggregate(expected=t.e.sum())
