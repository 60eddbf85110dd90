"""Workload-aware baselines: who a person is compared with, and on what scale.

A measure is never read raw. Each person is compared with a **peer group** of
people doing comparable work — unit type × rank band × shift pattern × FTE band —
and demand-driven measures (overtime, lookups, hours) are first **normalised for
their unit's demand in the period**: the person's value divided by the median of
their unit. A unit in a major-incident surge then has everyone near 1, so its
overtime is not read as wrongdoing, and a part-time officer is compared with
other part-time officers.

When a peer group is smaller than ``min_group_size`` it falls back, in order, to
unit type × rank band × FTE band, unit type × rank band, rank band, and finally
the whole workforce. A person who falls back is compared with **everyone** in post
at that coarser level (people who have their own more specific group included), not
only with the others who fell back: `peer_groups` gives each person's key at every
level (``LEVEL_KEYS``), and `members` turns one row per person into one row per
(person, group they belong to) so that the group statistics are computed over whole
groups. The chosen definition travels with the signal (``peer_group``, with the size
of the group compared with), with the peer median and the person's percentile.

Two outlier measures are offered. ``robust_z`` is the modified z-score (median and
median absolute deviation, with a Poisson floor for counts; 3.5 = outlier).
``outlier_score`` uses Tukey's fences on a log scale: it is how
many inter-quartile ranges of ``ln(1 + x)`` the person lies above the peer group's
upper quartile (1.5 = an outlier, 3 = "far out"). The log keeps skewed counts
(lookups, overtime hours) from making every busy person an outlier; the IQR has a
floor (``iqr_floor``) so a group where nearly everyone has zero does not make one
event an outlier.

Everything here builds Ibis expressions only (DuckDB and Spark alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.sources import Sources

PEER_READS: dict[str, tuple[str, ...]] = {
    "people": ("staff_id", "unit_id", "rank_grade", "employment_type", "fte", "start_date", "end_date"),
    "units": ("unit_id", "unit_type"),
}
"""Columns a detector using peer groups must declare in ``reads``."""

PEER_OPTIONAL_READS: dict[str, tuple[str, ...]] = {"shifts": ("staff_id", "start", "end")}
"""Declared in ``optional_reads``: the shift pattern is derived from the roster when loaded."""

DEFAULT_MIN_GROUP_SIZE = 10
DEFAULT_IQR_FLOOR = 0.405  # ln(1.5): the fences are never narrower than a 50 % relative spread

_LEVELS: tuple[tuple[str, ...], ...] = (
    ("unit_type", "rank_band", "shift_pattern", "fte_band"),
    ("unit_type", "rank_band", "fte_band"),
    ("unit_type", "rank_band"),
    ("rank_band",),
    (),
)
_LABELS = {"unit_type": "unit type", "rank_band": "rank band", "shift_pattern": "shift pattern", "fte_band": "FTE"}
_WHOLE = "whole workforce"
_SEP = " × "

LEVEL_KEYS: tuple[str, ...] = tuple(f"peer_key_{i}" for i in range(len(_LEVELS)))
"""Columns of `peer_groups` holding the person's key at each level, most specific first."""


def merge_reads(*reads: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Union of several ``reads`` declarations, columns in first-seen order."""
    out: dict[str, tuple[str, ...]] = {}
    for r in reads:
        for table, cols in r.items():
            out[table] = tuple(dict.fromkeys((*out.get(table, ()), *cols)))
    return out


def rank_band(rank_grade: ir.StringValue, employment_type: ir.StringValue) -> ir.StringValue:
    """Rank band from free-text ranks and grades ('DCI', 'Chief Inspector', 'Police Sergeant'…)."""
    r = rank_grade.lower().fill_null("")
    e = employment_type.lower().fill_null("")
    return ibis.cases(
        (e == "special", "special"),
        (e == "volunteer", "volunteer"),
        (r.re_search(r"pcso|community support"), "pcso"),
        (e == "staff", "staff"),
        (
            r.re_search(r"chief constable|deputy chief|assistant chief|commissioner|commander|\b(acc|dcc|cc|dac|ac)\b"),
            "chief officer",
        ),
        (r.re_search(r"superintendent|\b(supt|ch ?supt|d ?supt|dsu|csu|su)\b"), "superintendent"),
        (r.re_search(r"inspector|\b(insp|di|ci|dci|ch ?insp)\b"), "inspector"),
        (r.re_search(r"sergeant|\b(sgt|ps|ds|psgt)\b"), "sergeant"),
        (r.re_search(r"constable|\b(pc|dc|tdc|tpc)\b"), "constable"),
        (e == "officer", "officer (other)"),
        else_="other",
    )


def fte_band(fte: ir.NumericValue) -> ir.StringValue:
    f = fte.cast("float64").fill_null(1.0)
    return ibis.cases((f >= 0.9, "full-time"), (f >= 0.6, "part-time 0.6-0.9"), else_="part-time <0.6")


def shift_patterns(src: Sources) -> ir.Table | None:
    """``staff_id, shift_pattern`` from the roster: 'rotating' when at least 10 % of shifts
    start in the evening or at night (London time), else 'days'; with the usual shift
    length (8, 10 or 12 hours). People with no shift in the period are 'unrostered'."""
    if not src.has("shifts"):
        return None
    from fairwitness.detectors.catalogue._common import hours_between, london_time, overlaps_period

    s = src.table("shifts")
    s = s.filter(overlaps_period(s.start, s.end, src))
    hour = london_time(s.start, src).hour()
    s = s.mutate(h=hours_between(s.start, s.end), night=ibis.ifelse((hour >= 18) | (hour < 4), 1.0, 0.0))
    g = s.group_by("staff_id").aggregate(avg_h=s.h.mean(), night_share=s.night.mean())
    length = ibis.cases((g.avg_h < 9, "8h"), (g.avg_h < 11, "10h"), else_="12h")
    rot = ibis.ifelse(g.night_share >= 0.1, "rotating", "days")
    return g.select("staff_id", shift_pattern=rot + " " + length)


def in_post(src: Sources) -> ir.Table:
    """People in post at some point of the period."""
    p = src.table("people")
    start = ibis.literal(src.period_start, type="date")
    end = ibis.literal(src.period_end, type="date")
    return p.filter(p.start_date.isnull() | (p.start_date <= end), p.end_date.isnull() | (p.end_date >= start))


def peer_groups(src: Sources, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> ir.Table:
    """``staff_id, unit_id, peer_key`` and the `LEVEL_KEYS` for everyone in post: ``peer_key``
    is the most specific peer group with at least ``min_group_size`` members; ``peer_key_i``
    the person's group at level ``i`` when somebody chose that group as theirs (null when
    nobody did, so the person is compared in it with nobody). Keys of different levels never
    coincide (each names its own fields).

    The same for every detector of a period: a run computes it once (`Sources.shared`)."""
    return src.shared(
        f"peer_groups_{int(min_group_size)}",
        lambda s: _peer_groups(s, min_group_size),
        {**PEER_READS, **PEER_OPTIONAL_READS},
    )


def _peer_groups(src: Sources, min_group_size: int) -> ir.Table:
    p = in_post(src)
    u = src.table("units").select("unit_id", "unit_type")
    p = p.left_join(u, p.unit_id == u.unit_id).select(
        p.staff_id,
        p.unit_id,
        unit_type=u.unit_type.fill_null("unknown"),
        rank_band=rank_band(p.rank_grade, p.employment_type),
        fte_band=fte_band(p.fte),
    )
    pat = shift_patterns(src)
    if pat is not None:
        p = p.left_join(pat, p.staff_id == pat.staff_id).select(
            p, shift_pattern=pat.shift_pattern.fill_null("unrostered")
        )
    else:
        p = p.mutate(shift_pattern=ibis.literal("unknown"))

    keys = []
    sizes = []
    for level in _LEVELS:
        if level:
            key = ibis.literal(_SEP).join([ibis.literal(_LABELS[c] + "=") + p[c] for c in level])
            n = p.staff_id.count().over(ibis.window(group_by=[p[c] for c in level]))
        else:
            key = ibis.literal(_WHOLE)
            n = p.staff_id.count().over(ibis.window())
        keys.append(key)
        sizes.append(n)
    chosen = ibis.cases(*[(n >= min_group_size, k) for n, k in zip(sizes[:-1], keys[:-1])], else_=keys[-1])
    g = p.select("staff_id", "unit_id", peer_key=chosen, **dict(zip(LEVEL_KEYS, keys)))
    # a level's key is kept only where somebody chose that group: the groups compared with
    used = {k: g.peer_key == g[k] for k in LEVEL_KEYS}
    used = {k: u.cast("int64").max().over(ibis.window(group_by=g[k])) for k, u in used.items()}
    return g.mutate(**{k: ibis.ifelse(used[k] == 1, g[k], ibis.null("string")) for k in LEVEL_KEYS})


def coarser_keys(key: str) -> list[str]:
    """The keys, at the level of ``key`` and every coarser level, of the people in group
    ``key`` (a `peer_groups` key): e.g. 'unit type=a × rank band=b × FTE=c' -> itself,
    'unit type=a × rank band=b', 'rank band=b', 'whole workforce'. Everyone whose key at
    some level equals a chosen key chose that level or a more specific one, so with these
    a group's members can be found from the chosen keys alone (as `members` does in SQL)."""
    if key == _WHOLE:
        return [key]
    fields = dict(part.partition("=")[::2] for part in key.split(_SEP))
    names = {_LABELS[c]: c for c in _LABELS}
    if not set(fields) <= set(names):
        raise ValueError(f"not a peer group key: {key!r}")
    have = {names[f] for f in fields}
    out = []
    for level in _LEVELS:
        if set(level) <= have and (out or set(level) == have):
            out.append(_SEP.join(f"{_LABELS[c]}={fields[_LABELS[c]]}" for c in level) if level else _WHOLE)
    if not out:
        raise ValueError(f"not a peer group key: {key!r}")
    return out


def level_rows(t: ir.Table) -> ir.Table:
    """``t`` (carrying the `LEVEL_KEYS`) once per chosen group the row's person belongs to,
    with ``_key`` naming the group: join on ``_key`` to find everyone in a chosen group."""
    # each row crossed with the levels' numbers, the key picked by level: ``t`` read once (a
    # selection per level, appended, read it once per level, and Spark analysed and optimised
    # each copy of the query under it; an unnested array of the keys made DuckDB join every row
    # back to its own unnested keys: a delim join costing more than the rows themselves)
    levels = ibis.memtable(pa.table({"_level": pa.array(range(len(LEVEL_KEYS)), pa.int64())}))
    u = t.cross_join(levels)
    u = u.mutate(_key=ibis.cases(*[(u._level == i, u[c]) for i, c in enumerate(LEVEL_KEYS)])).drop("_level")
    return u.filter(u._key.notnull())


def members(v: ir.Table) -> ir.Table:
    """Member rows of the peer groups actually chosen: each row of ``v`` (one per person, or
    per person and month…, with ``peer_key`` and the `LEVEL_KEYS`) once for every chosen group
    the person belongs to (`level_rows`), ``_key`` naming the group; ``_subject`` marks the
    row of the person's own chosen group. Compute group statistics over ``_key`` (and the
    month…), then keep the ``_subject`` rows (`subjects`). Without `LEVEL_KEYS`, each row is
    its own subject."""
    if not all(c in v.columns for c in LEVEL_KEYS):
        return v.mutate(_key=v.peer_key, _subject=ibis.literal(True))
    m = level_rows(v)
    return m.mutate(_subject=m._key == m.peer_key)


def subjects(m: ir.Table) -> ir.Table:
    """Back to one row per person (and ``by``) from `members`: the row of their own group."""
    return m.filter(m._subject).drop("_key", "_subject")


def with_everyone(values: ir.Table, groups: ir.Table, fill: dict[str, float]) -> ir.Table:
    """Everyone in ``groups`` (``staff_id, unit_id, peer_key`` and the `LEVEL_KEYS`, from
    `peer_groups`) with their ``values``; people without a row get ``fill``. Values of people
    not in post are dropped."""
    v = groups.left_join(values, groups.staff_id == values.staff_id)
    cols = {c: v[c].fill_null(x) for c, x in fill.items()}
    rest = [c for c in values.columns if c != "staff_id" and c not in fill]
    levels = [groups[c] for c in LEVEL_KEYS if c in groups.columns]
    return v.select(groups.staff_id, groups.unit_id, groups.peer_key, *levels, *[v[c] for c in rest], **cols)


def unit_relative(v: ir.Table, col: str, floor: float) -> ir.Table:
    """Add ``{col}_unit_median`` (median of ``col`` over everyone in post in the person's
    unit, zeros included), ``{col}_scale`` (that median, never less than ``floor``) and
    ``{col}_rel`` = the value divided by the scale. ``v`` comes from `with_everyone`."""
    med = v[col].cast("float64").median().over(ibis.window(group_by=v.unit_id))
    v = v.mutate(**{f"{col}_unit_median": med})
    v = v.mutate(**{f"{col}_scale": ibis.greatest(v[f"{col}_unit_median"], ibis.literal(float(floor)))})
    return v.mutate(**{f"{col}_rel": v[col].cast("float64") / v[f"{col}_scale"]})


def compare(
    v: ir.Table,
    col: str,
    *,
    rank_col: str | None = None,
    scale_col: str | None = None,
    iqr_floor: float = DEFAULT_IQR_FLOOR,
    count_floor: bool = True,
    medians: dict[str, str] | None = None,
) -> ir.Table:
    """Compare each person's ``col`` with their peer group (``v`` from `with_everyone`): with
    everyone in post whose key at the level of the person's group equals it (`members`), so
    a person who fell back to a coarser group is compared with the whole coarser group.

    Adds ``peer_median``, ``peer_percentile`` (share of the group at or below the person on
    ``rank_col``, 0–100), ``peer_n``, ``peer_group`` (the definition, with the group size)
    and ``outlier_score`` (Tukey fence distance of ``ln(1 + rank_col)``, see the module
    doc). Window functions only, so the engines evaluate the input once.

    ``rank_col`` defaults to ``col``. For a demand-normalised comparison pass the columns
    from `unit_relative` (``rank_col=f"{col}_rel", scale_col=f"{col}_scale"``): the person
    is then ranked on the normalised value and ``peer_median`` is the peers' normalised
    median brought back to the person's own unit demand (the value a typical peer would
    show in the person's unit), so it reads on the same scale as ``col``.

    ``robust_z`` is the modified z-score of Iglewicz and Hoaglin: the distance of ``col``
    from ``peer_median`` in robust standard deviations (1.4826 × the peers' median absolute
    deviation, rescaled to the person's unit demand). With ``count_floor`` the deviation is
    never taken below the Poisson noise of a count (``sqrt(max(peer_median, 1))``), so a
    group where nearly everyone has zero does not make two events an outlier. 3.5 is the
    usual outlier threshold.

    ``medians`` adds, for each ``name: column``, the peer group's median of ``column`` as
    ``name``. The returned columns are ``v``'s without the `LEVEL_KEYS`, one row per person.
    """
    rank_col = rank_col or col
    cols = [c for c in v.columns if c not in LEVEL_KEYS]
    v = members(v)
    v = v.mutate(_lx=(v[rank_col].cast("float64").clip(lower=0) + 1.0).ln())
    g = ibis.window(group_by=v._key)
    med = v[rank_col].cast("float64").median().over(g)
    v = v.mutate(
        _med=med,
        peer_n=v.staff_id.count().over(g),
        _q1=v._lx.quantile(0.25).over(g),
        _q3=v._lx.quantile(0.75).over(g),
        peer_percentile=(ibis.cume_dist().over(ibis.window(group_by=v._key, order_by=v[rank_col])) * 100.0).round(2),
        **{name: v[c].median().over(g) for name, c in (medians or {}).items()},
    )
    v = v.mutate(_mad=(v[rank_col].cast("float64") - v._med).abs().median().over(g))
    v = v.filter(v._subject)
    scale = v[scale_col] if scale_col else ibis.literal(1.0)
    expected = v._med * scale
    sd = v._mad * 1.4826 * scale
    if count_floor:
        sd = ibis.greatest(sd, ibis.greatest(expected, ibis.literal(1.0)).sqrt())
    else:
        sd = ibis.greatest(sd, ibis.literal(1e-9))
    iqr = ibis.greatest(v._q3 - v._q1, ibis.literal(float(iqr_floor)))
    label = " (normalised for unit demand)" if rank_col != col else ""
    return v.select(
        *cols,
        *[v[name] for name in (medians or {})],
        peer_median=expected.round(4),
        peer_percentile=v.peer_percentile,
        peer_n=v.peer_n,
        peer_group=v.peer_key + ibis.literal(", n=") + v.peer_n.cast("string") + ibis.literal(label),
        outlier_score=((v._lx - v._q3) / iqr).round(4),
        robust_z=((v[col].cast("float64") - expected) / sd).round(4),
    )


def robust_z(v: ir.Table, col: str, by: list[str], *, scale_col: str | None = None) -> ir.Value:
    """Modified z-score of ``col`` within the partition ``by`` (e.g. peer group × month), as in
    `compare`: median and MAD of ``col`` (or of ``col / scale_col`` rescaled to the row's
    scale), never tighter than Poisson noise. Returns an expression on ``v``'s rows; the MAD
    needs the median first, so call it on a table that already has ``_med_{col}`` from
    `with_medians`."""
    scale = v[scale_col] if scale_col else ibis.literal(1.0)
    expected = v[f"_med_{col}"] * scale
    sd = ibis.greatest(v[f"_mad_{col}"] * 1.4826 * scale, ibis.greatest(expected, ibis.literal(1.0)).sqrt())
    return (v[col].cast("float64") - expected) / sd


def with_medians(v: ir.Table, cols: Mapping[str, str], by: list[str]) -> ir.Table:
    """Add ``_med_{col}`` and ``_mad_{col}`` (median and median absolute deviation of the
    column ``cols[col]`` within ``by``) for every ``col``, for `robust_z`. All the medians in
    one projection, then all the deviations: the engine sorts the rows once for each (one
    projection per column sorted them ten times for peer_anomaly's five features)."""
    w = ibis.window(group_by=[v[b] for b in by])
    v = v.mutate(**{f"_med_{c}": v[rc].cast("float64").median().over(w) for c, rc in cols.items()})
    return v.mutate(**{f"_mad_{c}": (v[rc].cast("float64") - v[f"_med_{c}"]).abs().median().over(w) for c, rc in cols.items()})


def peer_context(per: ir.Table, src: Sources, col: str, *, fill: float = 0.0) -> ir.Table:
    """``per`` (one row per flagged person, with ``col``) plus ``peer_median``,
    ``peer_percentile`` and ``peer_group``: the same measure among the person's peers doing the
    same work (unit type × rank band × shift pattern × FTE band, `peer_groups`), everyone in
    post counted (``fill`` for people with no row — for a count, nobody else did it). Nulls when
    ``people`` or ``units`` is not loaded (declare `PEER_READS` in ``optional_reads``)."""
    if not (src.has("people") and src.has("units")):
        return per.mutate(
            peer_median=ibis.null("float64"), peer_percentile=ibis.null("float64"), peer_group=ibis.null("string")
        )
    groups = peer_groups(src)
    # ``per`` is read once, joined to everyone in post and carried through the comparison: joining
    # it back to a comparison made from it read it twice, and Spark (which inlines a query's shared
    # parts) analysed, optimised and planned the detector's whole query under it twice. Someone in
    # ``per`` not in post is a group of their own (a key no group has), their figures dropped.
    j = groups.outer_join(per, groups.staff_id == per.staff_id)
    grouped = groups.staff_id.notnull()
    alone = ibis.literal("\x00not in post: ") + per.staff_id
    levels = {k: ibis.ifelse(grouped, groups[k], alone) if i == 0 else groups[k] for i, k in enumerate(LEVEL_KEYS)}
    v = j.select(
        staff_id=ibis.ifelse(grouped, groups.staff_id, per.staff_id),
        unit_id=groups.unit_id,
        peer_key=ibis.ifelse(grouped, groups.peer_key, alone),
        **levels,
        _v=per[col].cast("float64").fill_null(fill),
        _grouped=grouped,
        _in_per=per.staff_id.notnull(),
        **{f"_per_{c}": per[c] for c in per.columns},
    )
    cmp = compare(v, "_v")
    cmp = cmp.filter(cmp._in_per)
    return cmp.select(
        **{c: cmp[f"_per_{c}"] for c in per.columns},
        peer_median=ibis.ifelse(cmp._grouped, cmp.peer_median, ibis.null("float64")),
        peer_percentile=ibis.ifelse(cmp._grouped, cmp.peer_percentile, ibis.null("float64")),
        peer_group=ibis.ifelse(cmp._grouped, cmp.peer_group, ibis.null("string")),
    )
