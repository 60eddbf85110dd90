"""Group metrics of one slice: flag rate, false positive rate and false discovery rate by group,
and their disparity ratios against a reference group, with counts, intervals and a judgement.

Counts, rates and disparity ratios come from Aequitas (`aequitas.group.Group` crosstabs and
`aequitas.bias.Bias` disparities against predefined reference groups); intervals from
`fairwitness.fairness.intervals`. A ratio is judged (`Judgement`) only where counts allow:

- ``too_few``: the group's or the reference group's denominator is under ``min_count``, or
  fewer than ``min_events`` errors between them: small groups are neither over-read nor hidden;
- ``no_errors``: neither group has a single error: nothing to compare;
- ``within``: the ratio is inside the band (0.8-1.25 by default);
- ``uncertain``: outside the band, but its interval includes 1 (chance explains it);
- ``outside``: outside the band, and its interval excludes 1: a disparity that counts.

A slice compares many groups at once, so the interval that decides between ``uncertain`` and
``outside`` is simultaneous over a family of comparisons (Bonferroni: each at confidence
``1 - alpha / m``): the slice's judged comparisons of that rate for one attribute, since each
characteristic is its own question ("is this detector fair by ethnicity?"). The interval shown
(``ratio_ci``) is the ordinary 95% one.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import pandas as pd
from pydantic import BaseModel, ConfigDict

from fairwitness.fairness.intervals import ratio_interval, wilson

JUDGEMENTS: tuple[str, ...] = ("too_few", "no_errors", "within", "uncertain", "outside")


class Band(BaseModel):
    """Limits of the judgement (defaults: the four-fifths rule both ways, as in Aequitas)."""

    model_config = ConfigDict(frozen=True)
    low: float = 0.8
    high: float = 1.25
    min_count: int = 20
    """Smallest denominator (people, or flagged people for the FDR) a rate is judged on."""
    min_events: int = 5
    """Smallest number of errors (group plus reference) a ratio is judged on."""
    alpha: float = 0.05
    """Family-wise error rate of a slice's judgements of one rate (Bonferroni)."""


class Rate(BaseModel):
    """One rate of one group and its ratio to the reference group's."""

    events: int
    of: int
    rate: float | None
    ci: tuple[float, float] | None
    ratio: float | None
    ratio_ci: tuple[float, float] | None
    judgement: str
    judged_ci: tuple[float, float] | None = None
    """The simultaneous interval the judgement used (Bonferroni over the slice's comparisons)."""


class GroupRow(BaseModel):
    attribute: str
    group: str
    reference: str
    """The reference group of the attribute."""
    people: int
    flag: Rate
    """Flagged people among all people of the group."""
    fpr: Rate | None
    """False positives among the group's people who had not done wrong (adverse slices only)."""
    fdr: Rate | None
    """False positives among the group's flagged people whose flag was decided (adverse slices only)."""


def _quiet() -> None:
    for name in ("aequitas", "aequitas.group", "aequitas.bias"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _counted(k: int, n: int, k_ref: int, n_ref: int, band: Band) -> str | None:
    """The judgement when counts decide it (``too_few``, ``no_errors``), else None."""
    if n < band.min_count or n_ref < band.min_count:
        return "too_few"
    if k == 0 and k_ref == 0:
        return "no_errors"
    if k + k_ref < band.min_events:
        return "too_few"
    return None


def _judge_slice(rows: list[GroupRow], metric: str, band: Band) -> None:
    """Judge every non-reference ratio of ``metric`` with simultaneous intervals over the slice."""
    pending = []
    for r in rows:
        rate = getattr(r, metric)
        if rate is None:
            continue
        ref = next(x for x in rows if x.attribute == r.attribute and x.group == r.reference)
        ref_rate = getattr(ref, metric)
        if r.group == r.reference:
            rate.judgement = _counted(rate.events, rate.of, rate.events, rate.of, band) or "within"
            continue
        counted = _counted(rate.events, rate.of, ref_rate.events, ref_rate.of, band)
        if counted is not None:
            rate.judgement = counted
        else:
            pending.append((r.attribute, rate, ref_rate))
    for family in dict.fromkeys(attr for attr, _, _ in pending):
        _judge_family([(rate, ref) for attr, rate, ref in pending if attr == family], band)


def _judge_family(pending: list[tuple[Rate, Rate]], band: Band) -> None:
    confidence = 1 - band.alpha / max(len(pending), 1)
    for rate, ref_rate in pending:
        if rate.ratio is None or band.low <= rate.ratio <= band.high:
            rate.judgement = "within"
            continue
        ci = ratio_interval(rate.events, rate.of, ref_rate.events, ref_rate.of, confidence)
        rate.judged_ci = ci
        rate.judgement = "outside" if ci is not None and (ci[0] > 1.0 or ci[1] < 1.0) else "uncertain"


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else (round(f, 6) if math.isfinite(f) else math.inf)


def _crosstab(frame: pd.DataFrame, attributes: Sequence[str], refs: Mapping[str, str]) -> pd.DataFrame:
    from aequitas.bias import Bias
    from aequitas.group import Group

    _quiet()
    xtab, _ = Group().get_crosstabs(frame, attr_cols=list(attributes))
    present = {a: refs[a] for a in attributes if refs[a] in set(frame[a])}
    if len(present) < len(attributes):  # a reference group with no rows here: no ratios for that attribute
        missing = [a for a in attributes if a not in present]
        for a in missing:
            present[a] = str(frame[a].value_counts().idxmax())
    out = Bias().get_disparity_predefined_groups(xtab, original_df=frame, ref_groups_dict=present)
    out["_ref_present"] = out["attribute_name"].map(lambda a: refs[a] in set(frame[a]))
    return out.set_index(["attribute_name", "attribute_value"])


def _rate(k: int, n: int, k_ref: int, n_ref: int, ratio: float | None, band: Band) -> Rate:
    if (k == 0 and k_ref == 0) or not n or not n_ref:
        ratio = None
    elif k_ref == 0:
        ratio = math.inf  # Aequitas fills a division by zero with a constant; the ratio is unbounded
    return Rate(
        events=k, of=n, rate=round(k / n, 6) if n else None, ci=wilson(k, n), ratio=ratio,
        ratio_ci=ratio_interval(k, n, k_ref, n_ref), judgement="pending",
    )  # fmt: skip


def group_metrics(
    frame: pd.DataFrame, attributes: Sequence[str], references: Mapping[str, str], *, adverse: bool, band: Band
) -> list[GroupRow]:
    """Rows per (attribute, group) for a frame with ``flagged``, ``label`` and attribute columns."""
    base = frame[[*attributes]].copy()
    base["score"] = frame["flagged"].astype(int)
    base["label_value"] = 0
    flags = _crosstab(base, attributes, references)
    errs = None
    known = frame[frame["label"].notna()]
    if adverse and len(known) and known["label"].nunique() >= 1:
        e = known[[*attributes]].copy()
        e["score"] = known["flagged"].astype(int)
        e["label_value"] = known["label"].astype(int)
        errs = _crosstab(e, attributes, references)
    rows: list[GroupRow] = []
    for (attr, group), f in flags.iterrows():
        ref = references[attr]
        fr = flags.loc[(attr, ref)] if (attr, ref) in flags.index else None
        flag = _rate(int(f["pp"]), int(f["group_size"]), int(fr["pp"]) if fr is not None else 0,
                     int(fr["group_size"]) if fr is not None else 0,
                     _num(f["pprev_disparity"]) if fr is not None else None, band)  # fmt: skip
        fpr = fdr = None
        if adverse:
            e = errs.loc[(attr, group)] if errs is not None and (attr, group) in errs.index else None
            er = errs.loc[(attr, ref)] if errs is not None and (attr, ref) in errs.index else None

            def count(row: pd.Series | None, *cols: str) -> int:
                return 0 if row is None else int(sum(int(row[c]) for c in cols))

            fpr = _rate(count(e, "fp"), count(e, "fp", "tn"), count(er, "fp"), count(er, "fp", "tn"),
                        _num(e["fpr_disparity"]) if e is not None and er is not None else None, band)  # fmt: skip
            fdr = _rate(count(e, "fp"), count(e, "fp", "tp"), count(er, "fp"), count(er, "fp", "tp"),
                        _num(e["fdr_disparity"]) if e is not None and er is not None else None, band)  # fmt: skip
        rows.append(GroupRow(attribute=str(attr), group=str(group), reference=ref, people=int(f["group_size"]),
                             flag=flag, fpr=fpr, fdr=fdr))  # fmt: skip
    for metric in ("flag", "fpr", "fdr"):
        _judge_slice(rows, metric, band)
    rows.sort(key=lambda r: (list(attributes).index(r.attribute), -r.people, r.group))
    return rows


def reference_groups(population: pd.DataFrame, attributes: Sequence[str], forced: Mapping[str, str]) -> dict[str, str]:
    """Each attribute's reference group: the one the force sets, else the largest."""
    out = {}
    for a in attributes:
        if a in forced:
            if forced[a] not in set(population[a]):
                known = ", ".join(sorted(set(population[a])))
                raise ValueError(f"reference group {a}={forced[a]!r} has nobody in the population; groups: {known}")
            out[a] = forced[a]
        else:
            counts = population[a].value_counts()
            out[a] = str(sorted(counts.index[counts == counts.max()])[0])
    return out
