"""Hours worked (rostered plus overtime) far above working-time norms: a wellbeing signal."""

from __future__ import annotations

import math

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ACTIVE_CLAIM_STATUSES,
    fmt,
    overlap_hours,
    overlaps_period,
    period_days,
    period_end_ts,
    period_start_ts,
    signals,
)
from fairwitness.detectors.peers import PEER_READS, compare, merge_reads, peer_groups, with_everyone


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_avg_weekly_hours: float = Field(default=48.0, gt=0, description="Working Time Regulations average limit.")
    long_week_hours: float = Field(default=60.0, gt=0, description="A week over this is a long week.")
    min_long_week_share: float = Field(
        default=0.25, gt=0, le=1, description="Share of the period's weeks that are long weeks calling for support."
    )
    min_rest_hours: float = Field(default=8.0, ge=0, description="Rest between duties shorter than this is reported.")
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


class ExcessHours(Detector):
    """Hours worked far above working-time norms: a welfare signal, never a conduct one.

    Rostered shift hours plus approved or pending overtime within the period, as an average
    per week, with the number of calendar weeks over ``long_week_hours`` and the number of
    rests shorter than ``min_rest_hours`` between duties. **wellbeing** when the average is
    over ``max_avg_weekly_hours`` (the Working Time Regulations' 48) or at least
    ``min_long_week_share`` of the period's weeks are long weeks. Purpose ``wellbeing``; the peer median is given for
    context.
    """

    name = "excess_hours"
    version = "2"
    title = "Excess working hours (wellbeing)"
    standard = "Fitness for work"
    purpose = "wellbeing"
    reads = merge_reads(
        {
            "shifts": ("staff_id", "start", "end"),
            "overtime_claims": ("staff_id", "start", "end", "status"),
        },
        PEER_READS,
    )
    explanations_checked = ()
    explain = (
        "Worked an average of {value} hours a week between {period_start} and {period_end}, rostered plus "
        "overtime ({detail}); peer median {peer_median}: a welfare conversation, not a conduct matter."
    )
    scenarios = ()
    routes = ("wellbeing",)
    Params = Params

    def build(self, src):
        p = self.params
        lo, hi = period_start_ts(src), period_end_ts(src)
        s = src.table("shifts")
        s = s.filter(overlaps_period(s.start, s.end, src)).select("staff_id", "start", "end")
        o = src.table("overtime_claims")
        o = o.filter(overlaps_period(o.start, o.end, src), o.status.lower().isin(ACTIVE_CLAIM_STATUSES))
        duty = s.union(o.select("staff_id", "start", "end"))
        duty = duty.mutate(h=overlap_hours(duty.start, duty.end, lo, hi), week=duty.start.truncate("W"))
        prev_end = duty.end.lag().over(ibis.window(group_by=duty.staff_id, order_by=[duty.start, duty.end]))
        rest = (duty.start.epoch_seconds() - prev_end.epoch_seconds()) / 3600.0
        duty = duty.mutate(short_rest=(rest >= 0) & (rest < p.min_rest_hours))
        weeks = duty.group_by("staff_id", "week").aggregate(h=duty.h.sum())
        wk = weeks.group_by("staff_id").aggregate(long_weeks=(weeks.h > p.long_week_hours).cast("int64").sum())
        per = duty.group_by("staff_id").aggregate(
            hours=duty.h.sum(), short_rests=duty.short_rest.fill_null(False).cast("int64").sum()
        )
        per = per.join(wk, "staff_id")
        per = per.mutate(avg=(per.hours / (period_days(src) / 7.0)).round(2))
        groups = peer_groups(src, p.min_group_size)
        # the person's own figures carried through the comparison (``_in`` marks them), ``per`` read once
        v = per.select("staff_id", "avg", "hours", "long_weeks", "short_rests", _in=ibis.literal(True))
        c = compare(with_everyone(v, groups, {"avg": 0.0}), "avg", count_floor=False)
        t = c.filter(c._in.notnull()).drop("_in")
        min_long = max(1, math.ceil(p.min_long_week_share * period_days(src) / 7.0))
        t = t.filter((t.avg > p.max_avg_weekly_hours) | (t.long_weeks >= min_long))
        detail = (
            fmt(t.hours, 1)
            + " hours in the period, "
            + t.long_weeks.cast("string")
            + " weeks over "
            + fmt(ibis.literal(p.long_week_hours), 0)
            + " hours, "
            + t.short_rests.cast("string")
            + " rests under "
            + fmt(ibis.literal(p.min_rest_hours), 0)
            + " hours"
        )
        return signals(
            t,
            src,
            value=t.avg,
            score=ibis.least(0.3 + 0.01 * (t.avg - p.max_avg_weekly_hours).clip(lower=0) + 0.05 * t.long_weeks, 0.9),
            route=ibis.literal("wellbeing"),
            evidence_table="shifts",
            evidence_keys=ibis.literal([], type="array<string>"),
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
