"""Frequent short sickness spells or long-term sickness: a wellbeing signal."""

from __future__ import annotations

import ibis
from pydantic import ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ABSENCE_PART_READS,
    fmt,
    keys,
    period_end_ts,
    period_start_ts,
    settled,
    signals,
)
from fairwitness.detectors.catalogue._spells import SPELL_ROSTER_READS, SpellParams, absence_days, roster, spell_pieces, spells
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, compare, merge_reads, peer_groups, with_everyone


class Params(SpellParams):
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

    A spell is what the person was off, however the HR system wrote it: records that touch or
    overlap are one spell (SAP stores a row per day; a fit note's extension is a new record),
    and so are records with only rest days between them — at most ``rest_gap_days`` apart, no
    shift of theirs rostered in the gap (someone with no shift on the roster within five weeks
    either side: a weekend between them, as an office calendar has it). A spell that began up to five weeks before the period,
    or goes on up to five weeks after it, is seen whole (its length for long-term, rest days
    within it included). Days are the calendar days its records cover within the period (the same
    days however they were cut; rest days between records are not sickness days, nobody recorded
    them so); part days alone (one date with ``days`` under 1 or ``hours`` under 7: an
    appointment) count the parts they give, not the days.
    """

    name = "absence_pattern"
    version = "4"
    title = "Sickness absence pattern (wellbeing)"
    standard = "Fitness for work"
    purpose = "wellbeing"
    reads = merge_reads(
        {"absences": ("absence_id", "staff_id", "type", "start", "end", "status", *ABSENCE_PART_READS)}, PEER_READS
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, SPELL_ROSTER_READS)
    # a spell recorded day by day that began before the period, or goes on after it, is seen whole
    # (at least as far as long-term: a spell over 28 days overlapping the period shows over 28)
    lookback_days = 35
    lookahead_days = 35
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
        a = a.filter(
            a.type.lower() == "sickness",
            settled(a),
            a.start < hi + ibis.interval(days=self.lookahead_days),
            a.end > lo - ibis.interval(days=self.lookback_days),
        )
        a = spells(a, src, roster(src), p.rest_gap_days)
        pc = spell_pieces(a)
        sp = pc.group_by("staff_id", "spell").aggregate(
            days=absence_days(pc, lo, hi).sum(), s_start=pc.start.min(), s_end=pc.end.max()
        )
        sp = sp.filter((sp.s_start < hi) & (sp.s_end > lo))  # the spells in the period, seen whole
        sp = sp.mutate(spell_days=(sp.s_end.epoch_seconds() - sp.s_start.epoch_seconds()) / 86400.0)
        per = sp.group_by("staff_id").aggregate(spells=sp.count(), days=sp.days.sum().round(2), longest=sp.spell_days.max())
        e = a.semi_join(sp, (a.staff_id == sp.staff_id) & (a.spell == sp.spell))
        ev = e.group_by("staff_id").aggregate(ev=keys(e.absence_id))
        per = per.join(ev, "staff_id")
        per = per.mutate(bradford=(per.spells * per.spells * per.days).round(1))
        groups = peer_groups(src, p.min_group_size)
        # the person's own figures carried through the comparison (``_in`` marks them): joined back to
        # it, ``per`` was read twice, and Spark planned the spells under it twice
        v = per.select("staff_id", "bradford", "spells", "days", "longest", "ev", _in=ibis.literal(True))
        c = compare(with_everyone(v, groups, {"bradford": 0.0}), "bradford", count_floor=False)
        t = c.filter(c._in.notnull()).drop("_in")
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
