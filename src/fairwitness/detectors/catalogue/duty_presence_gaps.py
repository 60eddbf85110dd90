"""Rostered duty with no presence at all, far more often than comparable peers."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    PRESENCE_READS,
    flags,
    fmt,
    in_period,
    keys,
    overlap_hours,
    period_end_ts,
    presence_events,
    signals,
)
from fairwitness.detectors.catalogue._intervals import intervals_with_presence, overlapping
from fairwitness.detectors.peers import PEER_READS, compare, merge_reads, peer_groups, unit_relative, with_everyone


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tolerance_minutes: float = Field(default=30, ge=0, le=240, description="Activity this close to the shift counts.")
    offsite_duty_types: tuple[str, ...] = Field(default=("training", "court"), description="Duty away from force buildings.")
    premium_duty_types: tuple[str, ...] = Field(
        default=("rest_day_working", "bank_holiday"), description="Duty types reported separately as premium-rate."
    )
    min_gaps: int = Field(default=3, ge=1, description="Shifts without presence needed for a flag.")
    outlier_fence: float = Field(default=1.5, gt=0, description="Tukey fence (IQRs, log scale) above peers.")
    min_percentile: float = Field(default=95.0, ge=0, le=100, description="Also at or above this peer percentile.")
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


class DutyPresenceGaps(Detector):
    """Rostered shifts with no presence at all, far more often than peers.

    Shifts starting in the period, other than off-site duty (``offsite_duty_types`` or a
    site of kind ``other``) and shifts overlapping a recorded absence by an hour or more,
    are checked for any presence event (as in ``overtime_no_presence``). The number of
    shifts without any is normalised for the unit's demand and compared with the peer
    group: **wellbeing** at ``min_gaps`` or more, above the Tukey fence ``outlier_fence`` and
    at or above the ``min_percentile`` percentile. Missing presence data is no breach by
    itself (a forgotten badge, a site without readers, a device left on charge), so it is a
    conversation, never an adverse route; it corroborates other detectors' evidence.
    """

    name = "duty_presence_gaps"
    version = "3"
    title = "Presence gaps in rostered duty"
    standard = "Duties and responsibilities"
    reads = merge_reads(
        {"shifts": ("shift_id", "staff_id", "start", "end", "duty_type", "site_id")},
        PEER_READS,
    )
    optional_reads = merge_reads(
        PRESENCE_READS, {"absences": ("staff_id", "start", "end"), "sites": ("site_id", "kind")}
    )
    explanations_checked = (
        "recorded absence overlapping the shift",
        "off-site duty (court, training, a non-office site)",
        "gaps usual in the unit or peer group (no readers, patrol work)",
    )
    explain = (
        "{value} rostered shift(s) between {period_start} and {period_end} show no badge, device, systems or "
        "comms activity at all ({detail}); peer median {peer_median}, percentile {peer_percentile}."
    )
    scenarios = ()
    routes = ("wellbeing",)
    Params = Params

    def build(self, src):
        p = self.params
        events, used = presence_events(src, self.name)
        s = src.table("shifts")
        s = s.filter(
            in_period(s.start, src),
            s.end <= period_end_ts(src) + ibis.interval(hours=24),
            ~s.duty_type.lower().isin(list(p.offsite_duty_types)),
        )
        if src.has("sites"):
            st = src.table("sites")
            other = st.filter(st.kind.lower() == "other").select("site_id")
            s = s.anti_join(other, "site_id")
        if src.has("absences"):
            ab = src.table("absences")
            # the shifts checked against absences and those kept: one CTE (`Sources.once`), not the
            # shifts' filters and site check written out twice
            s = src.once(s)
            pairs = overlapping(s.select("shift_id", "staff_id", "start", "end"), ab.select("staff_id", "start", "end"))
            hit = pairs.select(
                pairs.shift_id, ov=overlap_hours(pairs.start_right, pairs.end_right, pairs.start, pairs.end)
            )
            hit = hit.filter(hit.ov >= 1.0).select("shift_id").distinct()
            s = s.anti_join(hit, "shift_id")
        # one projection of the checked shifts read twice (the engine keeps it once: the shifts'
        # absence check, a join of every shift with the person's absences, ran twice before)
        w = s.select("shift_id", "staff_id", "start", "end", premium=s.duty_type.lower().isin(list(p.premium_duty_types)))
        # (on Spark, one cached view: the presence check joins it with each kind of event apart)
        w = src.once(w)
        present = intervals_with_presence(
            w,
            events,
            "shift_id",
            from_start_minutes=-p.tolerance_minutes,
            after_end_minutes=p.tolerance_minutes,
            by_number=True,
            distinct=False,  # only tested for membership below
        )
        # NOT EXISTS, not NOT IN: SQL's NOT IN is null-aware, which Spark can only run as a nested
        # loop over every pair of shifts (a 400-person force's two months: 26 s of 30)
        c = w.select("shift_id", "staff_id", gap=~(present.shift_id == w.shift_id).any(), premium=w.premium)
        per = c.group_by("staff_id").aggregate(
            n_shifts=c.count(),
            n_gap=c.gap.cast("int64").sum(),
            n_premium_gap=(c.gap & c.premium).cast("int64").sum(),
            ev=keys(ibis.ifelse(c.gap, c.shift_id, ibis.null("string"))),
        )
        groups = peer_groups(src, p.min_group_size)
        # the person's own figures carried through the comparison (``_in`` marks them), ``per`` read once
        v = per.select("staff_id", "n_gap", "n_shifts", "n_premium_gap", "ev", _in=ibis.literal(True))
        v = unit_relative(with_everyone(v, groups, {"n_gap": 0}), "n_gap", floor=1.0)
        cmp = compare(v, "n_gap", rank_col="n_gap_rel", scale_col="n_gap_scale")
        t = cmp.filter(cmp._in.notnull()).drop("_in")
        t = t.filter(t.n_gap >= p.min_gaps, t.outlier_score >= p.outlier_fence, t.peer_percentile >= p.min_percentile)
        detail = (
            t.n_gap.cast("string")
            + " of "
            + t.n_shifts.cast("string")
            + " shifts, "
            + t.n_premium_gap.cast("string")
            + " at premium rate; unit median "
            + fmt(t.n_gap_unit_median, 1)
            + "; checked "
            + ibis.literal(", ".join(used))
        )
        return signals(
            t,
            src,
            value=t.n_gap,
            score=ibis.least(0.4 + 0.05 * t.outlier_score, 0.9),
            route=ibis.literal("wellbeing"),
            evidence_table="shifts",
            evidence_keys=t.ev,
            explanations_found=flags((t.n_gap_unit_median >= 1, "gaps usual in the unit (normalised for unit demand)")),
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
