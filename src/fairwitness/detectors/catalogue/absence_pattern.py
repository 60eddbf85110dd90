"""Frequent short sickness spells or long-term sickness: a wellbeing signal."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    fmt,
    keys,
    overlap_hours,
    overlaps_period,
    period_end_ts,
    period_start_ts,
    settled,
    signals,
)
from fairwitness.detectors.peers import PEER_READS, compare, merge_reads, peer_groups, with_everyone


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_spells: int = Field(default=3, ge=1, description="Sickness spells in the period for a frequency pattern.")
    bradford_threshold: float = Field(default=200.0, gt=0, description="Bradford factor (spells² × days) trigger.")
    long_term_days: float = Field(default=28.0, gt=0, description="A spell longer than this is long-term (Home Office).")
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


class AbsencePattern(Detector):
    """Frequent short sickness spells or long-term sickness: a welfare signal, never a conduct one.

    Sickness spells overlapping the period: **wellbeing** when there are at least
    ``min_spells`` spells with a Bradford factor (spells² × days) of at least
    ``bradford_threshold``, or when a spell is longer than ``long_term_days`` (the Home
    Office's 28-day definition of long-term sickness). Purpose ``wellbeing``; a long-term
    sickness is a reason for support, never read as wrongdoing.
    """

    name = "absence_pattern"
    version = "3"
    title = "Sickness absence pattern (wellbeing)"
    standard = "Fitness for work"
    purpose = "wellbeing"
    reads = merge_reads({"absences": ("absence_id", "staff_id", "type", "start", "end", "status")}, PEER_READS)
    explanations_checked = ()
    explain = (
        "Sickness between {period_start} and {period_end} ({detail}) suggests offering welfare and occupational "
        "health support; Bradford factor {value}, peer median {peer_median}."
    )
    scenarios = ()
    routes = ("wellbeing",)
    Params = Params

    def build(self, src):
        p = self.params
        lo, hi = period_start_ts(src), period_end_ts(src)
        a = src.table("absences")
        a = a.filter(a.type.lower() == "sickness", overlaps_period(a.start, a.end, src), settled(a))
        a = a.mutate(
            days=overlap_hours(a.start, a.end, lo, hi) / 24.0,
            spell_days=(a.end.epoch_seconds() - a.start.epoch_seconds()) / 86400.0,
        )
        per = a.group_by("staff_id").aggregate(
            spells=a.count(),
            days=a.days.sum().round(2),
            longest=a.spell_days.max(),
            ev=keys(a.absence_id),
        )
        per = per.mutate(bradford=(per.spells * per.spells * per.days).round(1))
        groups = peer_groups(src, p.min_group_size)
        v = with_everyone(per.select("staff_id", "bradford"), groups, {"bradford": 0.0})
        c = compare(v, "bradford", count_floor=False)
        t = c.join(per, "staff_id").select(c, per.spells, per.days, per.longest, per.ev)
        frequent = (t.spells >= p.min_spells) & (t.bradford >= p.bradford_threshold)
        long_term = t.longest > p.long_term_days
        t = t.filter(frequent | long_term)
        detail = (
            t.spells.cast("string")
            + " spell(s), "
            + fmt(t.days, 0)
            + " days in the period, longest "
            + fmt(t.longest, 0)
            + " days"
            + ibis.ifelse(t.longest > p.long_term_days, ", long-term", "")
        )
        return signals(
            t,
            src,
            value=t.bradford,
            score=ibis.ifelse(long_term, 0.5, ibis.least(0.3 + t.bradford / 2000.0, 0.8)),
            route=ibis.literal("wellbeing"),
            evidence_table="absences",
            evidence_keys=t.ev,
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
