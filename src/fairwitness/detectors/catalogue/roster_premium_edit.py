"""Roster entries edited into premium-rate duty by the person, or repeatedly by one editor."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    bank_holidays,
    blank,
    flags,
    fmt,
    hours_between,
    in_period,
    keys,
    london_date,
    london_time,
    norm,
    overlap_hours,
    signals,
)
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
    bank_holiday_min_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="A bank-holiday value is justified on a shift starting on a bank holiday, or with at least this "
        "share of its hours on one (a night shift from 22:00 on the eve: most of it is worked on the holiday).",
    )
    correction_minutes: float = Field(
        default=60,
        ge=0,
        description="A premium value set by the editor who created the entry (old value empty) within this long of "
        "creating it corrects the rostering system's default ('' -> normal -> rest_day_working): a new entry.",
    )
    repeat_editor_min: int = Field(
        default=3,
        ge=2,
        description="Unjustified edits one editor made to others' rosters that count as 'repeatedly' (the signal is "
        "then about the editor).",
    )
    misconduct_min_self_edits: int = Field(default=2, ge=1, description="Unjustified self-edits for a misconduct route.")
    unit_practice_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="When at least this share of the unit has unjustified-looking edits, it is the unit's roster "
        "practice (or how its system records rest days): at most advice.",
    )
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


PRACTICE = "the unit's roster practice (most of the unit shows such edits)"
NOT_THEIRS = (
    "every edit was made by someone else (a resourcing officer, a supervisor): the person did not make them, and "
    "an editor who repeatedly does is the subject of a signal of their own"
)
_GRAVITY = {"wellbeing": 0, "advice": 1, "misconduct_assessment": 2}


class RosterPremiumEdit(Detector):
    """Roster entries edited into premium-rate duty without a rest day or bank holiday behind them.

    A roster change is a *premium edit* when its new value is a premium duty
    (``premium_values``: rest-day working, bank holiday…) and its old value was not. It is
    *justified* when the entry was a rest day (``rest_values``: working a rest day is paid
    at a premium), also before an earlier change on the same shift overwrote it (a rota template
    copied over rest days, then put right); when a bank-holiday value is on a shift (``shifts``, London time) that starts
    on a bank holiday of England and Wales or has at least ``bank_holiday_min_share`` of its hours
    on one (a night shift from 22:00 on the eve is mostly worked on the holiday), or whose date
    cannot be read; when the old value is empty (a new entry); or when the editor created the
    entry moments before (``correction_minutes``: a change from an empty value to the value this
    one replaces, by the same editor, on the same shift) — the rostering system's default
    ('' → normal) corrected to rest-day working as a supervisor adds a shift on a cancelled rest
    day. The others — a normal working day relabelled as premium — are *unjustified*.

    **Who the signal is about.** An edit is the act of the person who made it. The person whose
    roster it is gets:

    * **misconduct_assessment**: at least ``misconduct_min_self_edits`` unjustified edits they
      made to their own roster, or ``repeat_editor_min`` made to it by one other editor (edits
      concentrated in their favour: collusion, which the person's pay shows they benefit from);
    * **advice**: one such edit of their own;
    * **wellbeing** (a check, not adverse): fewer unjustified edits, made only by others — a
      resourcing officer's or a supervisor's edit earns the person nothing adverse without more.

    An editor who made at least ``repeat_editor_min`` unjustified edits to others' rosters gets a
    signal of their own: **advice** when they are spread over several people (a pattern of the
    editor's own), **wellbeing** (a check) when they favour one person, whose signal carries the
    route and names the editor, or all follow a unit's practice.

    When at least ``unit_practice_share`` of a unit shows unjustified edits it is the unit's roster
    practice (or how its system records rest-day working), not a person's: at most advice. The peer
    comparison (unit-normalised count of unjustified edits on the person's roster) is reported for
    context. Legitimate premium edits (recalls on rest days, bank-holiday rosters) are never
    counted, however many, so a supervisor who recalls their team is not read as colluding.
    """

    name = "roster_premium_edit"
    version = "5"
    title = "Roster edits into premium-rate duty"
    standard = "Honesty and integrity"
    reads = merge_reads(
        {"roster_changes": ("change_id", "shift_id", "staff_id", "changed_by", "changed_at", "old_value", "new_value")},
        PEER_READS,
    )
    optional_reads = merge_reads(PEER_OPTIONAL_READS, {"shifts": ("shift_id", "staff_id", "start", "end")})
    explanations_checked = (
        "the entry was a rest day, now or before an earlier change overwrote it (rest-day working is paid at a premium)",
        "a bank-holiday value on a shift starting on a bank holiday or worked mostly on one (a night shift from its eve)",
        "a new roster entry (no previous value), or the rostering system's default corrected by the editor who created "
        "the entry within correction_minutes",
        NOT_THEIRS,
        PRACTICE,
    )
    explain = (
        "Between {period_start} and {period_end}, {value} roster entries were edited from normal duty into "
        "premium-rate duty with no rest day or bank holiday behind them ({detail})."
    )
    scenarios = ("roster_premium_edit",)
    routes = ("wellbeing", "advice", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        u = _unjustified(src, p)
        u = src.once(u.mutate(self_edit=(u.changed_by == u.staff_id).fill_null(False)))
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
        t = src.once(t.filter(t.n > 0).mutate(practice=ibis._.unit_share >= p.unit_practice_share))
        practice = t.practice
        # the person's own edits, or one other editor's concentrated on their roster (collusion in
        # their favour); a few edits by others, scattered (a resourcing officer's, a supervisor's), are a check
        favoured = t.top_n >= p.repeat_editor_min
        serious = (t.n_self >= p.misconduct_min_self_edits) | favoured
        route = ibis.cases((serious & ~practice, "misconduct_assessment"), (t.n_self > 0, "advice"), else_="wellbeing")
        score = ibis.least(0.5 + 0.08 * t.n, 1.0) * ibis.ifelse(serious & ~practice, 1.0, 0.6)
        detail = (
            t.n_self.cast("string")
            + " made by the person, "
            + ibis.ifelse(t.top_n > 0, t.top_n.cast("string") + " by editor " + t.top_editor.fill_null("?"), "none by another editor")
            + " (most by one other editor); "
            + fmt(t.unit_share * 100, 0)
            + "% of the unit have such edits"
        )
        found = flags(((t.n_self == 0) & ~(favoured & ~practice), NOT_THEIRS), (practice, PRACTICE))
        mine = signals(
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
        return _one_per_person(mine.union(_editors(src, u, t, p)))


def _unjustified(src, p):
    """The premium edits of the period that nothing justifies (the class docstring)."""
    rc = src.table("roster_changes")
    rc = rc.filter(in_period(rc.changed_at, src))
    prem = list(p.premium_values)
    new, old = norm(rc.new_value.fill_null("")), norm(rc.old_value.fill_null(""))
    e = rc.filter(new.isin(prem), ~old.isin(prem)).mutate(new=new, old=old)
    # the entry created by the same editor moments before, with the value this edit replaces: the
    # rostering system's default corrected, a new entry
    made = src.table("roster_changes")
    made = made.filter(blank(made.old_value), ~blank(made.new_value)).select(
        m_shift=made.shift_id, m_by=made.changed_by, m_at=made.changed_at, m_new=norm(made.new_value)
    )
    cr = e.join(
        made,
        (e.shift_id == made.m_shift)
        & (e.changed_by == made.m_by)
        & (made.m_new == e.old)
        & (made.m_at <= e.changed_at)
        & (made.m_at >= e.changed_at - ibis.interval(minutes=int(p.correction_minutes))),
    )
    cr = cr.select(c_id=cr.change_id).distinct()
    e = e.left_join(cr, e.change_id == cr.c_id).select(e, created=cr.c_id.notnull())
    # the entry was a rest day before an earlier change overwrote it (a rota template copied over
    # rest days, then put right): working it is rest-day working whoever restores the label
    was = src.table("roster_changes")
    was = was.filter(norm(was.old_value.fill_null("")).isin(list(p.rest_values))).select(
        w_shift=was.shift_id, w_at=was.changed_at
    )
    wr = e.join(was, (e.shift_id == was.w_shift) & (was.w_at < e.changed_at)).select(w_id=e.change_id).distinct()
    e = e.left_join(wr, e.change_id == wr.w_id).select(e, was_rest=wr.w_id.notnull())
    bh = [ibis.literal(d, type="date") for d in sorted(bank_holidays(range(src.period_start.year - 1, src.period_end.year + 2)))]
    if src.has("shifts"):
        s = src.table("shifts")
        e = e.left_join(s, e.shift_id == s.shift_id).select(
            e, day=london_date(s.start, src), s_start=london_time(s.start, src), s_end=london_time(s.end, src)
        )
        d0 = e.s_start.truncate("D")
        d1, d2 = d0 + ibis.interval(days=1), d0 + ibis.interval(days=2)
        on_bh = ibis.ifelse(e.day.isin(bh), overlap_hours(e.s_start, e.s_end, d0, d1), 0.0) + ibis.ifelse(
            d1.date().isin(bh), overlap_hours(e.s_start, e.s_end, d1, d2), 0.0
        )
        mostly = (on_bh >= p.bank_holiday_min_share * hours_between(e.s_start, e.s_end)) & (on_bh > 0)
    else:
        e = e.mutate(day=ibis.null("date"))
        mostly = ibis.literal(False)
    is_bh_value = e.new.isin(list(p.bank_holiday_values))
    justified = (
        e.old.isin(list(p.rest_values))
        | e.was_rest
        | (e.old == "")
        | e.created
        | (is_bh_value & (e.day.isnull() | e.day.isin(bh) | mostly.fill_null(False)))
    )
    return e.filter(~justified).select("change_id", "staff_id", "changed_by")


def _editors(src, u, t, p):
    """A signal about each editor who made at least ``repeat_editor_min`` unjustified edits to
    others' rosters (``u``); ``t``: the people whose rosters they are, with their unit's ``practice``."""
    o = u.filter(~u.self_edit & u.changed_by.notnull())
    b = t.select(b_staff=t.staff_id, b_practice=t.practice)
    o = o.join(b, o.staff_id == b.b_staff)
    pair = o.group_by("changed_by", "staff_id").aggregate(k=ibis._.count(), practice=o.b_practice.max())
    top = pair.group_by("changed_by").aggregate(
        top_n=pair.k.max(),
        top_real=ibis.ifelse(pair.practice, 0, pair.k).max(),
        people=pair.count(),
        n_real=ibis.ifelse(pair.practice, 0, pair.k).sum(),
    )
    ed = o.group_by("changed_by").aggregate(n=o.count(), ev=keys(o.change_id))
    ed = ed.join(top, "changed_by").filter(ibis._.n >= p.repeat_editor_min)
    one = ed.top_real >= p.repeat_editor_min
    # favouring one person: that person's signal carries the route (and names the editor); the
    # editor's own is a check. Spread over several people: a pattern of the editor's own
    route = ibis.ifelse(~one & (ed.n_real >= p.repeat_editor_min), "advice", "wellbeing")
    detail = (
        "made by the person to others' rosters: "
        + ed.n.cast("string")
        + " edits of "
        + ed.people.cast("string")
        + " people's rosters, at most "
        + ed.top_n.cast("string")
        + " of one person's; "
        + (ed.n - ed.n_real).cast("string")
        + " of them in units where most people's rosters show such edits"
    )
    return signals(
        ed,
        src,
        staff_id=ed.changed_by,
        value=ed.n,
        score=ibis.least(0.5 + 0.08 * ed.n, 1.0) * ibis.ifelse(one, 1.0, 0.6),
        route=route,
        evidence_table="roster_changes",
        evidence_keys=ed.ev,
        explanations_found=flags((ed.n_real < p.repeat_editor_min, PRACTICE)),
        detail=detail,
    )


def _one_per_person(x):
    """One signal per person: an editor whose own roster was edited too keeps the graver of the two."""
    g = ibis.cases(*[(x.route == r, k) for r, k in _GRAVITY.items()], else_=0)
    w = ibis.window(group_by=x.staff_id, order_by=[g.desc(), x.value.desc()])
    return x.mutate(_rn=ibis.row_number().over(w)).filter(lambda t: t._rn == 0).drop("_rn")
