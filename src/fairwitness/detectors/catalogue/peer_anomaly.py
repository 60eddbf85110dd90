"""A multivariate anomaly score over monthly behaviour, compared within the peer group.

``build`` computes, in Ibis, one row per person and month with each behaviour feature
and its robust z-score against the same peer group in the same month (after
normalising for the unit's demand); each feature's z-score, value and peer expectation
travel as numbers in columns of their own (``_z_``, ``_x_``, ``_e_`` and the feature's
name) beside the signal columns, which ``finish`` reads and drops.
``finish`` scores the rows with a scikit-learn IsolationForest (fixed ``random_state``,
rows sorted first, features rounded in ``build``) so DuckDB and Spark give identical
results, and explains each flag by its top contributing features. Never more than
``advice``: an unusual month is a reason to talk, not evidence of misconduct
(``max_route``).
"""

from __future__ import annotations

import datetime as dt
import math

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import SIGNAL_COLUMNS, Detector
from fairwitness.detectors.catalogue._common import (
    ABSENCE_PART_READS,
    ACTIVE_CLAIM_STATUSES,
    blank,
    date_spine,
    in_period,
    norm,
    overlaps_period,
    settled,
    signals,
)
from fairwitness.detectors.catalogue._spells import absence_days, spell_pieces, spells
from fairwitness.detectors.peers import (
    PEER_OPTIONAL_READS,
    PEER_READS,
    coarser_keys,
    members,
    merge_reads,
    peer_groups,
    robust_z,
    subjects,
    with_medians,
)

FEATURES: dict[str, tuple[str, str]] = {
    "overtime_hours": ("overtime_claims", "overtime hours claimed"),
    "premium_edits": ("roster_changes", "roster edits into premium duty"),
    "lookups_no_case": ("system_access", "lookups without a case reference"),
    "lookup_subjects": ("system_access", "distinct subjects looked up"),
    "sickness_days": ("absences", "sickness days"),
}
"""Feature -> (source table, plain-English name)."""

BEHAVIOURS: dict[str, str] = {
    "overtime_hours": "overtime",
    "premium_edits": "overtime",
    "lookups_no_case": "systems use",
    "lookup_subjects": "systems use",
    "sickness_days": "sickness",
}
"""Feature -> the behaviour it measures. Features of one behaviour move together (rest-day
working is both overtime hours and premium roster edits; a busy month on the systems is
both lookups and subjects), so unusual features count once per behaviour."""


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score_threshold: float = Field(
        default=0.7, gt=0.5, lt=1, description="IsolationForest anomaly score (0.5 = unremarkable, 1 = isolated)."
    )
    min_feature_z: float = Field(default=5.0, gt=0, description="At least one feature this far above peers.")
    unusual_z: float = Field(default=3.0, gt=0, description="A feature this far above peers is unusual.")
    min_unusual_features: int = Field(
        default=2,
        ge=1,
        description="Unusual behaviours needed (features of one behaviour, e.g. overtime hours and premium edits, "
        "count once): one alone is the business of a single-pattern detector.",
    )
    n_estimators: int = Field(default=200, ge=10, le=2000, description="Trees in the IsolationForest.")
    random_state: int = Field(default=0, description="Seed of the IsolationForest (fixed: same data, same flags).")
    max_z: float = Field(default=20.0, gt=0, description="Feature z-scores are clipped to [0, max_z] before scoring.")
    top_features: int = Field(default=3, ge=1, le=len(FEATURES), description="Features named in the explanation.")
    premium_values: tuple[str, ...] = Field(
        default=("rest_day_working", "bank_holiday", "rdw", "public_holiday"), description="Roster values at a premium rate."
    )
    min_group_size: int = Field(default=10, ge=2, description="Smallest peer group; smaller groups fall back to a coarser definition.")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out


def _fmt2(v: float) -> str:
    """``v`` with two decimals as `_common.fmt` writes it in SQL (half away from zero on the
    double ``v * 100``, as both engines round)."""
    q = abs(v * 100)
    n = math.floor(q)
    n += q - n >= 0.5
    return ("-" if v * 100 < 0 and n else "") + f"{n // 100}.{n % 100:02d}"


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


class PeerAnomaly(Detector):
    """An unusual month for the peer group, on several behaviours at once.

    For every person in post and every month of the period, ``build`` computes behaviour
    features (overtime hours, roster edits into premium duty, lookups without a case
    reference, distinct subjects looked up, sickness days — each only when its source is
    loaded), normalises each for the unit's demand that month and turns it into a robust
    z-score against the peer group in the same month. ``finish`` scores the months with an
    IsolationForest (``n_estimators`` trees, ``random_state``, rows sorted, z clipped to
    ``[0, max_z]`` so only excess counts) and keeps, per person, the highest-scoring month
    with an anomaly score of at least ``score_threshold``, at least one feature
    ``min_feature_z`` above peers and at least ``min_unusual_features`` *behaviours*
    with a feature ``unusual_z`` above peers. Features of one behaviour count once
    (`BEHAVIOURS`: overtime hours and premium roster edits are both overtime; lookups and
    subjects are both systems use): one unusual behaviour alone, however many of its
    measures it moves, is the business of the single-pattern detectors. The signal's
    period is the month. The detail names the top ``top_features`` features. Sickness days are
    the calendar days the month's sickness records cover, however the HR system cut them (a row
    per day; an extension written over the original counts once: `_spells.spell_pieces`); part
    days alone (an appointment written as its date with ``hours`` or a fraction in ``days``)
    count the parts they give.

    **advice** at most (``max_route``), and a pattern with no breach behind it
    (``standalone_conduct = False``): on its own the person's candidate goes to ``wellbeing``,
    and beside another detector's adverse signal it never raises that route
    (`fairwitness.detectors.combine`). An unusual month is a reason to talk.
    """

    name = "peer_anomaly"
    version = "5"
    title = "Multivariate peer-group anomaly"
    standard = "Duties and responsibilities"
    max_route = "advice"
    standalone_conduct = False
    reads = PEER_READS
    optional_reads = merge_reads(
        PEER_OPTIONAL_READS,
        {
            "overtime_claims": ("staff_id", "start", "hours", "status"),
            "roster_changes": ("staff_id", "changed_at", "old_value", "new_value"),
            "system_access": ("staff_id", "ts", "subject_ref", "case_ref"),
            "absences": ("absence_id", "staff_id", "type", "start", "end", "status", *ABSENCE_PART_READS),
        },
    )
    explanations_checked = (
        "unit demand in the month (features normalised by the unit's median)",
        "peer group norms in the same month",
    )
    explain = (
        "Behaviour between {period_start} and {period_end} was unusual for the peer group (anomaly score "
        "{value}; {detail}); worth a conversation, not evidence of misconduct."
    )
    scenarios = ()
    routes = ("advice",)
    Params = Params
    finish_imports = ("sklearn.ensemble",)
    orders_rows = True  # `finish` sorts the person-months by person and month (one row each)

    def build(self, src):
        p = self.params
        groups = peer_groups(src, p.min_group_size)
        months = date_spine(_months(src.period_start, src.period_end), "month")
        grid = groups.cross_join(months)
        feats = {}
        if src.has("overtime_claims"):
            o = src.table("overtime_claims")
            o = o.filter(in_period(o.start, src), o.status.lower().isin(ACTIVE_CLAIM_STATUSES))
            o = o.mutate(month=o.start.truncate("M").date())
            feats["overtime_hours"] = o.group_by("staff_id", "month").aggregate(overtime_hours=o.hours.sum())
        if src.has("roster_changes"):
            r = src.table("roster_changes")
            prem = list(p.premium_values)
            r = r.filter(
                in_period(r.changed_at, src),
                norm(r.new_value.fill_null("")).isin(prem),
                ~norm(r.old_value.fill_null("")).isin(prem),
            )
            r = r.mutate(month=r.changed_at.truncate("M").date())
            feats["premium_edits"] = r.group_by("staff_id", "month").aggregate(premium_edits=r.count())
        if src.has("system_access"):
            s = src.table("system_access")
            s = s.filter(in_period(s.ts, src)).mutate(month=s.ts.truncate("M").date())
            # one grouping by person, month and subject, then its rows counted: the distinct
            # subjects without a second grouping of every lookup beside it
            ps = s.group_by("staff_id", "month", "subject_ref").aggregate(no_case=blank(s.case_ref).cast("int64").sum())
            feats["lookups_no_case"] = ps.group_by("staff_id", "month").aggregate(
                lookups_no_case=ps.no_case.sum(), lookup_subjects=ps.subject_ref.count()
            )
        if src.has("absences"):
            a = src.table("absences")
            a = a.filter(a.type.lower() == "sickness", overlaps_period(a.start, a.end, src), settled(a))
            # the days recorded, however the HR system cut its records (a row per day, an
            # extension over the original: counted once); a part day (an appointment: its date
            # and hours) counts the part
            a = spell_pieces(spells(a, None, None, 0.0))
            m0 = months.month.cast("timestamp")
            m1 = (months.month + ibis.interval(months=1)).cast("timestamp")
            am = a.cross_join(months).filter(lambda t: (t.start < m1) & (t.end > m0))
            am = am.mutate(d=absence_days(am, am.month.cast("timestamp"), (am.month + ibis.interval(months=1)).cast("timestamp")))
            feats["sickness_days"] = am.group_by("staff_id", "month").aggregate(sickness_days=am.d.sum())

        v = grid
        present = []
        for name, f in feats.items():
            cols = [c for c in f.columns if c not in ("staff_id", "month")]
            v = v.left_join(f, (v.staff_id == f.staff_id) & (v.month == f.month)).select(
                v, **{c: f[c].cast("float64").fill_null(0.0).round(4) for c in cols}
            )
            present += cols
        items = []
        # the peer medians over everyone in the person's chosen group (a fallback group is the
        # whole coarser group, `peers.members`), then one row per person and month again; each
        # statistic of every feature in one projection (one window pass each, not one per feature)
        if present:
            unit = ibis.window(group_by=[v.unit_id, v.month])
            v = v.mutate(**{f"{c}_scale": ibis.greatest(v[c].median().over(unit), ibis.literal(1.0)) for c in present})
            v = v.mutate(**{f"{c}_rel": v[c] / v[f"{c}_scale"] for c in present})
            v = members(v)
            v = with_medians(v, {c: f"{c}_rel" for c in present}, ["_key", "month"])
            v = subjects(v)
        for c in present:
            v = v.mutate(**{f"{c}_z": robust_z(v, c, ["peer_key", "month"], scale_col=f"{c}_scale").round(3)})
            expected = v[f"_med_{c}"] * v[f"{c}_scale"]
            items.append((c, v[f"{c}_z"], v[c], expected))
        # each feature's z-score, value and peer expectation travel as numbers beside the signal
        # columns (`finish` scores the z-scores and names the values of the few rows it flags):
        # written into the detail as text, 552,000 person-months at 46,000 x 12 were formatted in
        # the query and parsed again in Python
        extra = {}
        for c, z, x, e in items:
            extra |= {f"_z_{c}": z.cast("float64"), f"_x_{c}": x.cast("float64"), f"_e_{c}": e.cast("float64")}
        return signals(
            v,
            src,
            value=ibis.literal(0.0),
            score=ibis.literal(0.0),
            route=ibis.literal("advice"),
            evidence_table="features",
            evidence_keys=ibis.array([v.month.cast("string")]),
            detail=ibis.literal(""),
            peer_group=v.peer_key,
            extra=extra,
        )

    def finish(self, result: pa.Table) -> pa.Table:
        from sklearn.ensemble import IsolationForest

        p = self.params
        schema = pa.schema([result.schema.field(c) for c in SIGNAL_COLUMNS])
        none = pa.Table.from_pylist([], schema=schema)
        names = [c[3:] for c in result.column_names if c.startswith("_z_")]
        if not names:
            return none
        zc, xc, ec = ([f"{k}{n}" for n in names] for k in ("_z_", "_x_", "_e_"))
        used = ["staff_id", "period_start", "period_end", "peer_group", "evidence_keys"]
        # every person-month (552,000 at 46,000 x 12) is read as columns, never as Python rows, and
        # never copied whole into another order: the rows kept, sorted by person and month, are
        # positions into the result (``kept``); only the few flagged become dicts
        z_all = np.column_stack([result[c].to_numpy(zero_copy_only=False).astype(float) for c in zc])
        values = np.column_stack([result[c].to_numpy(zero_copy_only=False).astype(float) for c in xc + ec])
        full = np.nan_to_num(z_all, nan=-np.inf).max(axis=1) >= p.min_feature_z
        # a person-month with a feature not scored (no peers to compare with), or one that could be
        # flagged without its values, is left out
        keep = ~np.isnan(z_all).any(axis=1) & ~(full & np.isnan(values).any(axis=1))
        if keep.sum() < 2:
            return none
        month_all = pc.list_element(result["evidence_keys"], 0)
        key_table = pa.table({"staff_id": result["staff_id"], "_month": month_all})
        order = pc.sort_indices(key_table, sort_keys=[("staff_id", "ascending"), ("_month", "ascending")])
        order = order.to_numpy(zero_copy_only=False)
        kept = order[keep[order]]
        z = z_all[kept]
        x = np.clip(z, 0.0, p.max_z)
        forest = IsolationForest(
            n_estimators=p.n_estimators, max_samples=min(256, len(kept)), random_state=p.random_state
        ).fit(x)
        # a row's score depends on the fitted trees and that row alone: score only the rows the
        # z-scores leave in play, then the peers of those flagged (scoring all 552,000
        # person-months at 46,000 x 12 was 8.6 s of the detector's 24 s)
        s = np.full(len(kept), np.nan)

        def score(rows: np.ndarray) -> None:
            todo = rows[np.isnan(s[rows])]
            if len(todo):
                s[todo] = np.round(-forest.score_samples(x[todo]), 6)

        behaviours = sorted({BEHAVIOURS.get(n, n) for n in names})
        of = np.array([[BEHAVIOURS.get(n, n) == b for b in behaviours] for n in names])
        n_unusual = ((z >= p.unusual_z).astype(int) @ of.astype(int) > 0).sum(axis=1)
        in_play = np.flatnonzero((z.max(axis=1) >= p.min_feature_z) & (n_unusual >= p.min_unusual_features))
        score(in_play)

        # peer context: the same peer group in the same month (everyone at the level of the
        # person's group, those with a more specific group of their own included). The rows are
        # grouped by their own group and month in numpy (552,000 person-months at 46,000 x 12 made
        # into Python tuples and dicts took a second), and the coarser keys worked out once per group
        group_codes = pc.dictionary_encode(result["peer_group"]).combine_chunks()
        month_codes = pc.dictionary_encode(month_all).combine_chunks()
        group_names = group_codes.dictionary.to_pylist()
        month_names = month_codes.dictionary.to_pylist()
        code = group_codes.indices.to_numpy(zero_copy_only=False).astype(np.int64)[kept] * len(month_names)
        code += month_codes.indices.to_numpy(zero_copy_only=False)[kept]
        rows = np.argsort(code, kind="stable")
        codes, starts = np.unique(code[rows], return_index=True)
        by: dict[tuple[str, str], list[np.ndarray]] = {}
        for c, idx in zip(codes.tolist(), np.split(rows, starts[1:]), strict=True):
            group, month = group_names[c // len(month_names)], month_names[c % len(month_names)]
            for k in coarser_keys(group):
                by.setdefault((k, month), []).append(idx)

        def key(i: int) -> tuple[str, str]:
            c = int(code[i])
            return group_names[c // len(month_names)], month_names[c % len(month_names)]

        best: dict[str, int] = {}
        flagged = in_play[s[in_play] >= p.score_threshold]
        sids = result["staff_id"].take(pa.array(kept[flagged], pa.int64())).to_pylist()
        for i, sid in zip(flagged.tolist(), sids, strict=True):
            j = best.get(sid)
            if j is None or s[i] > s[j]:
                best[sid] = i
        if best:
            groups = {key(i) for i in best.values()}  # flagged people share groups: each group once
            score(np.unique(np.concatenate([np.concatenate(by[k]) for k in groups])))
        out = []
        for sid in sorted(best):
            i = best[sid]
            r = result.slice(int(kept[i]), 1).select(used).to_pylist()[0]
            month = dt.date.fromisoformat(r["evidence_keys"][0][:10])
            peers = s[np.concatenate(by[key(i)])]
            order = [k for k in np.argsort(-z[i], kind="stable")[: p.top_features] if z[i][k] >= 2.0]
            parts = []
            for k in order:
                val, exp = _fmt2(values[kept[i], k]), _fmt2(values[kept[i], len(names) + k])
                parts.append(f"{FEATURES.get(names[k], ('', names[k]))[1]} {val} vs {exp} for peers (z {z[i][k]:.1f})")
            out.append(
                {
                    "staff_id": sid,
                    "period_start": max(month, r["period_start"]),
                    "period_end": min(_month_end(month), r["period_end"]),
                    "value": float(s[i]),
                    "peer_median": round(float(np.median(peers)), 6),
                    "peer_percentile": round(float((peers <= s[i]).mean() * 100), 2),
                    "peer_group": f"{r['peer_group']}, n={len(peers)}",
                    "score": float(min(1.0, max(0.0, s[i]))),
                    "route": "advice",
                    "evidence_table": FEATURES.get(names[order[0]] if order else names[0], ("features", ""))[0],
                    "evidence_keys": [],
                    "explanations_found": [],
                    "detail": f"month of {r['evidence_keys'][0][:7]}: " + "; ".join(parts),
                }
            )
        return pa.Table.from_pylist(out, schema=schema).select(list(SIGNAL_COLUMNS))
