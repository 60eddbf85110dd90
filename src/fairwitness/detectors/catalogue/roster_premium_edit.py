"""Roster entries edited into premium-rate duty by the person, or repeatedly by one editor."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import bank_holidays, flags, fmt, in_period, keys, london_date, norm, signals
from fairwitness.detectors.peers import (
    PEER_OPTIONAL_READS,
    PEER_READS,
    compare,
    merge_reads,
    peer_groups,
    unit_relative,
    with_everyone,
)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    premium_values: tuple[str, ...] = Field(
        default=("rest_day_working", "bank_holiday", "rdw", "public_holiday", "premium", "double_time"),
        description="Roster values paid at a premium rate (compared lower-case, spaces as underscores).",
    )
    bank_holiday_values: tuple[str, ...] = Field(
        default=("bank_holiday", "public_holiday"),
        description="Premium values that are legitimate only on a bank holiday of England and Wales.",
    )
    rest_values: tuple[str, ...] = Field(
        default=("rest_day", "rest", "rd", "off", "day_off", "rest_day_off"),
        description="Roster values meaning a rest day: working one is legitimately paid at a premium.",
    )
    repeat_editor_min: int = Field(default=3, ge=2, description="Unjustified edits by one other editor that count as 'repeatedly'.")
    misconduct_min_self_edits: int = Field(default=2, ge=1, description="Unjustified self-edits for a misconduct route.")
    unit_practice_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="When at least this share of the unit has unjustified-looking edits, it is the unit's roster "
        "practice (or how its system records rest days): at most advice.",
    )
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


class RosterPremiumEdit(Detector):
    """Roster entries edited into premium-rate duty without a rest day or bank holiday behind them.

    A roster change is a *premium edit* when its new value is a premium duty
    (``premium_values``: rest-day working, bank holiday…) and its old value was not. It is
    *justified* when the entry was a rest day (``rest_values``: working a rest day is paid
    at a premium), when a bank-holiday value falls on a bank holiday of England and Wales
    (the shift's London date, from ``shifts``), when the old value is empty (a new entry)
    or, for a bank-holiday value, when the shift's date cannot be read. The others —
    a normal working day relabelled as premium — are *unjustified*.

    * **misconduct_assessment**: at least ``misconduct_min_self_edits`` unjustified edits
      the person made to their own roster, or ``repeat_editor_min`` by one other editor;
    * **advice**: any other unjustified edit.

    When at least ``unit_practice_share`` of the person's unit shows unjustified edits it
    is the unit's roster practice, not the person's: at most advice. The peer comparison
    (unit-normalised count of unjustified edits) is reported for context. Legitimate
    premium edits (recalls on rest days, bank-holiday rosters) are never counted, however
    many, so a supervisor who recalls their team is not read as colluding.
    """

    name = "roster_premium_edit"
    version = "2"
    title = "Roster edits into premium-rate duty"
    standard = "Honesty and integrity"
    reads = merge_reads(
        {"roster_changes": ("change_id", "shift_id", "staff_id", "changed_by", "changed_at", "old_value", "new_value")},
        PEER_READS,
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, {"shifts": ("shift_id", "staff_id", "start", "end")})
    explanations_checked = (
        "the entry was a rest day (rest-day working is paid at a premium)",
        "a bank-holiday value on an actual bank holiday",
        "a new roster entry (no previous value)",
        "the unit's roster practice (most of the unit shows such edits)",
    )
    explain = (
        "Between {period_start} and {period_end}, {value} roster entries were edited from normal duty into "
        "premium-rate duty with no rest day or bank holiday behind them ({detail})."
    )
    scenarios = ("roster_premium_edit",)
    routes = ("advice", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        rc = src.table("roster_changes")
        rc = rc.filter(in_period(rc.changed_at, src))
        prem = list(p.premium_values)
        new, old = norm(rc.new_value.fill_null("")), norm(rc.old_value.fill_null(""))
        e = rc.filter(new.isin(prem), ~old.isin(prem)).mutate(new=new, old=old)
        if src.has("shifts"):
            s = src.table("shifts")
            e = e.left_join(s, e.shift_id == s.shift_id).select(e, day=london_date(s.start, src))
        else:
            e = e.mutate(day=ibis.null("date"))
        bh = sorted(bank_holidays(range(src.period_start.year - 1, src.period_end.year + 2)))
        is_bh_value = e.new.isin(list(p.bank_holiday_values))
        justified = (
            e.old.isin(list(p.rest_values))
            | (e.old == "")
            | (is_bh_value & (e.day.isnull() | e.day.isin([ibis.literal(d, type="date") for d in bh])))
        )
        u = e.filter(~justified).mutate(self_edit=(e.changed_by == e.staff_id).fill_null(False))
        by_editor = u.filter(~u.self_edit).group_by("staff_id", "changed_by").aggregate(n=ibis._.count())
        w = ibis.window(group_by=by_editor.staff_id, order_by=[by_editor.n.desc(), by_editor.changed_by])
        top = by_editor.mutate(rn=ibis.row_number().over(w)).filter(lambda t: t.rn == 0)
        top = top.select("staff_id", top_editor="changed_by", top_n="n")
        per = u.group_by("staff_id").aggregate(
            n=u.count(),
            n_self=u.self_edit.cast("int64").sum(),
            ev=keys(u.change_id),
        )
        per = per.left_join(top, "staff_id").select(per, top.top_editor, top_n=top.top_n.fill_null(0))

        groups = peer_groups(src, p.min_group_size)
        # the person's own figures carried through the comparison (``_in`` marks them), ``per`` read once
        v = per.select("staff_id", "n", "n_self", "top_editor", "top_n", "ev", _in=ibis.literal(True))
        v = with_everyone(v, groups, {"n": 0})
        v = v.mutate(unit_share=(v.n > 0).cast("float64").mean().over(ibis.window(group_by=v.unit_id)))
        v = unit_relative(v, "n", floor=1.0)
        c = compare(v, "n", rank_col="n_rel", scale_col="n_scale")
        t = c.filter(c._in.notnull()).drop("_in")
        t = t.filter(t.n > 0)
        practice = t.unit_share >= p.unit_practice_share
        serious = (t.n_self >= p.misconduct_min_self_edits) | (t.top_n >= p.repeat_editor_min)
        route = ibis.ifelse(serious & ~practice, "misconduct_assessment", "advice")
        score = ibis.least(0.5 + 0.08 * t.n, 1.0) * ibis.ifelse(serious & ~practice, 1.0, 0.6)
        detail = (
            t.n_self.cast("string")
            + " made by the person, "
            + ibis.ifelse(t.top_n > 0, t.top_n.cast("string") + " by editor " + t.top_editor.fill_null("?"), "none by another editor")
            + " (most by one other editor); "
            + fmt(t.unit_share * 100, 0)
            + "% of the unit have such edits"
        )
        found = flags((practice, "the unit's roster practice (most of the unit shows such edits)"))
        return signals(
            t,
            src,
            value=t.n,
            score=score,
            route=route,
            evidence_table="roster_changes",
            evidence_keys=t.ev,
            explanations_found=found,
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_percentile,
            peer_group=t.peer_group,
        )
