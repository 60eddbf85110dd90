"""Shared by the two police-systems lookup detectors (not a detector): parameters, grading,
and the assessment over the whole period and over sliding windows.

Everything builds Ibis expressions only (DuckDB and Spark alike); where the windows fall and
the window test's statistics are in `_lookup_windows`.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairwitness.detectors.catalogue._at_work import at_work_bursts
from fairwitness.detectors.catalogue._common import keys
from fairwitness.detectors.catalogue._lookup_context import (
    CHECKING_ROLES, CHECKING_ROLES_DOC, against_every_kind, case_holders, in_line_with_role, in_line_with_team,
    with_caseless, with_role, with_team,
)
from fairwitness.detectors.catalogue._lookup_signals import RECALL_LABEL, lookup_signals
from fairwitness.detectors.catalogue._lookup_windows import corrected_z, poisson_excess_z, spines, window_counts, window_spans
from fairwitness.detectors.catalogue._recall import recall_allowance
from fairwitness.detectors.peers import LEVEL_KEYS, compare, in_post, peer_groups, unit_relative, with_everyone
from fairwitness.detectors.sources import Sources


class LookupParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(default=10, ge=1, description="Lookups needed before a person is flagged at all (in the period, or in a window).")
    advice_z: float = Field(default=3.5, gt=0, description="Robust z-score above peers for advice (3.5 = outlier).")
    misconduct_z: float = Field(default=7.0, gt=0, description="Robust z-score for 'far above peers'.")
    advice_percentile: float = Field(default=90.0, ge=0, le=100, description="Also in the top tail of peers.")
    misconduct_percentile: float = Field(default=97.5, ge=0, le=100, description="Percentile for misconduct.")
    share_ratio_explains: float = Field(
        default=1.5,
        gt=0,
        description="When the person's share of such lookups is within this multiple of the peer median share, "
        "the excess is volume of work, not purpose: at most advice.",
    )
    misconduct_min_excess: float = Field(
        default=20.0,
        ge=0,
        description="Lookups above what a typical peer shows (the peer median) needed for a misconduct route: a "
        "handful of unreferenced checks is a conversation, however unusual for a light user of the systems.",
    )
    unit_floor: float = Field(default=1.0, gt=0, description="Smallest unit median used to normalise for demand.")
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")
    window_days: int = Field(
        default=28,
        ge=0,
        description="Also assess every window of this many consecutive days (ending every window_step_days) against "
        "the peers' counts in the same window: a burst of a few weeks is not diluted by the rest of the period. "
        "0: the whole period only.",
    )
    window_step_days: int = Field(default=14, ge=1, description="Days between the ends of successive windows.")
    recall_reasons: tuple[str, ...] = Field(
        default=("recall_to_duty",), description="Overtime reason codes of a recall to duty at short notice."
    )
    recall_ratio: float = Field(
        default=2.0,
        ge=0,
        description="Lookups made while recalled to duty, up to this multiple of the median rate of lookups (of "
        "every kind) per recall hour of everybody recalled in the period, are not counted (a recall is a tasking: "
        "its briefing checks need no case reference); 0: recall lookups count like any other.",
    )
    recall_own_volume: bool = Field(
        default=True,
        description="Scale a recalled person's allowance by their own usual lookups per day against the median "
        "recalled person's, when higher: a heavy user of the systems makes more briefing checks on a recall, as on "
        "any other day. False: everybody recalled gets the same allowance per hour.",
    )
    burst_ratio: float = Field(
        default=2.0,
        ge=1,
        description="A window is flagged only when its count is at least this multiple of the person's own usual "
        "count per window (their median over the period's windows) and beyond chance from it.",
    )

    checking_roles: str = Field(default=CHECKING_ROLES, description=CHECKING_ROLES_DOC)

    @model_validator(mode="after")
    def _windows(self) -> LookupParams:
        if self.window_days and self.window_days < 7:
            raise ValueError("window_days must be 0 (whole period only) or at least 7")
        if self.window_days and self.window_step_days > self.window_days:
            raise ValueError("window_step_days must not exceed window_days (no day may fall between windows)")
        return self


def grade(
    t: ir.Table,
    p: LookupParams,
    n_col: str,
    share_col: str,
    peer_share_col: str,
    *,
    advice_z: float | None = None,
    misconduct_z: float | None = None,
    caseless: ir.BooleanValue | None = None,
):
    """(flagged, route, score, explained) for a compared lookup table. ``advice_z`` /
    ``misconduct_z`` override the parameters (the window test's corrected thresholds).
    ``caseless``: the person holds no case (`_lookup_context.with_caseless`): their share is no
    evidence of purpose (they have nothing to cite), so, as for a share in line with peers, a
    moderate excess is not flagged and a far one is wellbeing; ``explained`` stays the share's."""
    az = p.advice_z if advice_z is None else advice_z
    mz = p.misconduct_z if misconduct_z is None else misconduct_z
    n = t[n_col]
    share_ok = t[share_col] <= p.share_ratio_explains * t[peer_share_col]
    no_purpose = share_ok if caseless is None else (share_ok | caseless)
    excess = n.cast("float64") - t.peer_median.cast("float64").fill_null(0.0)
    far = (
        (n >= p.min_count)
        & (t.robust_z >= mz)
        & (t.peer_percentile >= p.misconduct_percentile)
        & (excess >= p.misconduct_min_excess)
    )
    moderate = (n >= p.min_count) & (t.robust_z >= az) & (t.peer_percentile >= p.advice_percentile)
    route = ibis.ifelse(far & ~no_purpose, "misconduct_assessment", "wellbeing")
    score = ibis.least(0.4 + 0.05 * t.robust_z, 1.0) * ibis.ifelse(far & ~no_purpose, 1.0, 0.7)
    # the explanation suppresses a moderate excess and downgrades a far one
    explained = share_ok if caseless is None else (share_ok & ~caseless)
    return far | (moderate & ~no_purpose), route, score, explained


_GRAVITY = {"misconduct_assessment": 2, "wellbeing": 1}


def _gravity(route: ir.StringValue) -> ir.IntegerValue:
    return ibis.cases(*[(route == r, g) for r, g in _GRAVITY.items()], else_=0)


def assess(
    src: Sources, p: LookupParams, lookups: ir.Table, hits: ir.Table, total: ir.Table, *, caseless: bool = False
) -> ir.Table:
    """The strongest flag per person, over the whole period or over a window.

    ``lookups``: the period's lookups (``staff_id, ts``), all of them, for the share, and
    ``total`` their count per person and day (``staff_id, day, n_total``: `_lookup_days`);
    ``hits``: those of the kind counted, ``staff_id, ts, event_id, subject_ref, vuln`` (vuln:
    the subject is a vulnerable victim or witness). Returns one row per flagged person with
    ``period_start``/``period_end`` (the run's period, or the flagged window),
    ``in_window``, the count ``n``, ``share`` and ``peer_share``, the peer comparison,
    ``robust_z``, ``route``, ``score``, ``explained``, ``usual`` and ``burst_z`` (the
    person's median count per window and how far above it; null for a period flag), and
    from the evidence rows of that period or window ``ev`` (sorted keys), ``n_subjects``
    and ``n_vuln``, and ``n_recall`` (those made while recalled to duty). Lookups made during an
    authorised recall to duty, up to what everybody else recalled shows, are not counted
    (`fairwitness.detectors.catalogue._recall`).

    ``caseless`` (the volume detectors, with ``case_parties`` loaded): someone who holds no case
    in the period is compared, over the period and in a window, on their count against what their
    peers look up of every kind, and goes no further than wellbeing (`_lookup_context`; the row's
    ``caseless``)."""
    groups = peer_groups(src, p.min_group_size)
    holders = case_holders(src) if caseless else None
    hits = hits.mutate(day=hits.ts.date())
    # per person and day: all lookups, and those counted (less those of a recall to duty that
    # are in line with everybody else recalled)
    hits, allowance = recall_allowance(src, p, lookups, hits, total)
    counted = hits.group_by("staff_id", "day").aggregate(n=hits.count())
    if allowance is not None:
        counted = counted.left_join(
            allowance, (counted.staff_id == allowance.staff_id) & (counted.day == allowance.day)
        ).select(
            counted.staff_id,
            counted.day,
            n=ibis.greatest(counted.n - allowance.allowed.fill_null(0.0).cast("int64"), ibis.literal(0)),
        )
    counted = src.once(counted, "lookup_counted")  # the period's and the windows' counts: one recall comparison

    # the whole period
    pt = total.group_by("staff_id").aggregate(n_total=total.n_total.sum())  # the days summed, not every lookup again
    pc = counted.group_by("staff_id").aggregate(n=counted.n.sum())
    per = pt.left_join(pc, pt.staff_id == pc.staff_id).select(pt.staff_id, pt.n_total, n=pc.n.fill_null(0))
    v = with_everyone(per, groups, {"n": 0, "n_total": 0})
    v = v.mutate(share=v.n.cast("float64") / ibis.greatest(v.n_total, 1))
    v = unit_relative(v, "n", floor=p.unit_floor)
    t = with_team(_compared(v, holders, p))
    t = with_role(t, src, p.checking_roles)
    flagged, route, score, explained = grade(t, p, "n", "share", "peer_share", caseless=t.caseless)
    in_team = in_line_with_team(t, p.min_group_size, route, p.advice_z)
    in_role = in_line_with_role(t, p.min_group_size, route, p.advice_z)
    route = ibis.ifelse(in_team | in_role, "wellbeing", route)
    score = ibis.ifelse(in_team | in_role, score * 0.7, score)
    t = t.mutate(route=route, score=score, explained=explained, in_team=in_team, in_role=in_role).filter(flagged)
    best = _assessed(
        t,
        period_start=ibis.literal(src.period_start, type="date"),
        period_end=ibis.literal(src.period_end, type="date"),
        in_window=False,
        peer_group=t.peer_group,
        usual=ibis.null("float64"),
        burst_z=ibis.null("float64"),
        in_team=t.in_team,
        in_role=t.in_role,
    )

    spans = window_spans(src, p)
    if spans:
        best = best.union(_windows(src, p, total, counted, groups, spans, holders))
        # one signal per person: the gravest route, the highest score, the period on a tie, then
        # the window furthest above peers (the earliest of equals)
        w = ibis.window(
            group_by=best.staff_id,
            order_by=[
                ibis.desc(_gravity(best.route)),
                ibis.desc(best.score),
                best.in_window,
                ibis.desc(best.robust_z),
                best.period_start,
            ],
        )
        best = best.mutate(_rn=ibis.row_number().over(w))
        best = best.filter(best._rn == 0).drop("_rn")

    # evidence rows of the chosen period or window (one reference to ``best``, so the engines
    # compute the windows once)
    e = best.join(hits, (best.staff_id == hits.staff_id) & (hits.day >= best.period_start) & (hits.day <= best.period_end))
    return e.group_by([e[c] for c in best.columns]).aggregate(
        ev=keys(e.event_id),
        n_subjects=e.subject_ref.nunique(),
        n_vuln=ibis.ifelse(e.vuln, e.subject_ref, ibis.null("string")).nunique(),
        n_recall=e.recall.cast("int64").sum(),
    )


def _compared(v: ir.Table, holders: ir.Table | None, p: LookupParams, by: tuple[str, ...] = ()) -> ir.Table:
    """`compare` of ``n`` (``v`` from `unit_relative`), with ``caseless``; for the caseless, the
    comparison of their count against their peers' lookups of every kind (`against_every_kind`)."""
    if holders is None:
        t = compare(v, "n", rank_col="n_rel", scale_col="n_scale", medians={"peer_share": "share"})
        return t.mutate(caseless=ibis.literal(False))
    v = with_caseless(v, holders)
    t = compare(v, "n", rank_col="n_rel", scale_col="n_scale", medians={"peer_share": "share"})
    c = compare(unit_relative(v, "x", floor=p.unit_floor), "x", rank_col="x_rel", scale_col="x_scale")
    return against_every_kind(t, c, by)


def window_table(
    src: Sources, p: LookupParams, total: ir.Table, counted: ir.Table, groups: ir.Table, spans,
    holders: ir.Table | None = None,
) -> ir.Table:
    """Every person in post × every window they were in post for, with the window test's
    measures: the count ``n`` and ``share``, the peer comparison in that window (``peer_z``:
    the robust z, never more than the Poisson tail of the count above the peer median allows),
    the person's own ``usual`` count per window and ``burst_z`` (how far above it), ``burst``
    and the grade at the corrected thresholds."""
    win, day, parts = spines(spans)
    k = len(spans)
    az, mz = corrected_z(p.advice_z, k), corrected_z(p.misconduct_z, k)
    wc = window_counts(total, counted, day, parts)

    # everyone in post at some point of each window, in their peer group for that window
    ip = in_post(src).select("staff_id", "start_date", "end_date")
    g = groups.join(ip, "staff_id").cross_join(win)
    g = g.filter(
        (g.start_date.isnull() | (g.start_date <= g.w_end)) & (g.end_date.isnull() | (g.end_date >= g.w_start))
    )
    wtag = ibis.literal("#") + g.w_idx.cast("string")
    g = g.select(
        "staff_id", "w_idx", "w_start", "w_end", peer_def=g.peer_key, unit_id=g.unit_id + wtag, peer_key=g.peer_key + wtag,
        **{k: g[k] + wtag for k in LEVEL_KEYS},
    )
    v = g.left_join(wc, (g.staff_id == wc.staff_id) & (g.w_idx == wc.w_idx)).select(
        g, n=wc.n.fill_null(0), n_total=wc.n_total.fill_null(0)
    )
    v = v.mutate(share=v.n.cast("float64") / ibis.greatest(v.n_total, 1))
    v = unit_relative(v, "n", floor=p.unit_floor)
    t = _compared(v, holders, p, by=("w_idx",))
    one = ibis.literal(1.0)
    n = t.n.cast("float64")
    # window counts are small: the MAD z with a Poisson floor overstates a handful of lookups
    # above a peer median of one or two, so the Poisson tail caps it
    t = t.mutate(
        peer_z=ibis.least(t.robust_z, poisson_excess_z(t.n, ibis.greatest(t.peer_median, one))).round(4),
        usual=n.median().over(ibis.window(group_by=t.staff_id)),
    )
    # the person's own usual count per window and its spread: median and MAD over their
    # windows (a burst over a few windows, or a few weeks of leave, does not move them)
    t = t.mutate(usual_mad=(t.n.cast("float64") - t.usual).abs().median().over(ibis.window(group_by=t.staff_id)))
    base = ibis.greatest(t.usual, one)
    own_sd = ibis.greatest(t.usual_mad * 1.4826, base.sqrt())
    t = t.mutate(burst_z=ibis.least((t.n.cast("float64") - t.usual) / own_sd, poisson_excess_z(t.n, base)).round(4))
    t = t.mutate(burst=(t.n.cast("float64") >= p.burst_ratio * base) & (t.burst_z >= az))
    t = t.mutate(robust_z_raw=t.robust_z, robust_z=t.peer_z)
    t = with_role(with_team(t), src, p.checking_roles, by=["w_idx"])
    flagged, route, score, explained = grade(
        t, p, "n", "share", "peer_share", advice_z=az, misconduct_z=mz, caseless=t.caseless
    )
    # a conduct route from a window needs it far above their own usual too, not only above peers,
    # and (in a team of at least min_group_size) above their own team in the same days, and (in a
    # records-checking role) above the others holding it
    in_team = in_line_with_team(t, p.min_group_size, route, az)
    in_role = in_line_with_role(t, p.min_group_size, route, az)
    held = (route == "misconduct_assessment") & ((t.burst_z < mz) | in_team | in_role)
    route = ibis.ifelse(held, "wellbeing", route)
    score = ibis.ifelse(held, score * 0.7, score)
    return t.mutate(
        route=route, score=score, explained=explained, flagged=flagged & t.burst, in_team=in_team, in_role=in_role
    )


def _windows(
    src: Sources, p: LookupParams, total: ir.Table, counted: ir.Table, groups: ir.Table, spans, holders: ir.Table | None
) -> ir.Table:
    """Every flagged window (the columns of the period rows in `assess`)."""
    t = window_table(src, p, total, counted, groups, spans, holders)
    t = t.filter(t.flagged)
    t = at_work_bursts(src, p.burst_ratio, corrected_z(p.advice_z, len(spans)), t, counted, spans)
    label = (
        t.peer_def
        + ibis.literal(", n=")
        + t.peer_n.cast("string")
        + ibis.literal(f" (normalised for unit demand), same {p.window_days} days")
    )
    return _assessed(
        t,
        period_start=t.w_start,
        period_end=t.w_end,
        in_window=True,
        peer_group=label,
        usual=t.usual,
        burst_z=t.burst_z,
        in_team=t.in_team,
        in_role=t.in_role,
    )


def _assessed(
    t: ir.Table,
    *,
    period_start: ir.Value,
    period_end: ir.Value,
    in_window: bool,
    peer_group: ir.Value,
    usual: ir.Value,
    burst_z: ir.Value,
    in_team: ir.Value,
    in_role: ir.Value,
) -> ir.Table:
    """The common shape of the period's and the windows' flagged rows (so they union)."""
    return t.select(
        "staff_id",
        period_start=period_start,
        period_end=period_end,
        in_window=ibis.literal(in_window),
        n=t.n.cast("int64"),
        share=t.share,
        peer_share=t.peer_share,
        peer_median=t.peer_median.cast("float64"),
        peer_percentile=t.peer_percentile.cast("float64"),
        peer_group=peer_group,
        robust_z=t.robust_z.cast("float64"),
        route=t.route,
        score=t.score.cast("float64"),
        explained=t.explained,
        usual=usual.cast("float64"),
        burst_z=burst_z.cast("float64"),
        in_team=in_team.cast("boolean"),
        in_role=in_role.cast("boolean"),
        caseless=t.caseless.cast("boolean"),
    )


__all__ = ["LookupParams", "assess", "corrected_z", "grade", "lookup_signals", "poisson_excess_z", "window_spans"]
