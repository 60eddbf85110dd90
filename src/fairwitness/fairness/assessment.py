"""`fairwitness fairness`: who bears a run's errors, by group, from ground truth or outcomes.

``assess(workspace, truth=..., store=...)`` reads the current run (signals, candidates, the
detectors' declared scenarios), the population and its groups (`fairwitness.fairness.groups`),
labels every slice (`fairwitness.fairness.labels`) and computes the group metrics
(`fairwitness.fairness.metrics`). With ``truth`` the labels are the planted ground truth of a
synthetic force; otherwise the reviewers' final outcomes of the run's cases in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from fairwitness.detectors import runs
from fairwitness.fairness.groups import ATTRIBUTES, PROTECTED, population
from fairwitness.fairness.labels import Outcomes, label_outcomes, label_truth, slices, truth_positives
from fairwitness.fairness.metrics import Band, GroupRow, group_metrics, reference_groups


class SliceResult(BaseModel):
    key: str
    kind: str
    name: str
    adverse: bool
    flagged: int
    labelled_flagged: int
    """Flagged people whose flag is decided (truth: all of them)."""
    false_positives: int
    rows: list[GroupRow]


class Finding(BaseModel):
    """A ratio outside the band where counts allow a judgement."""

    slice: str
    metric: str
    attribute: str
    group: str
    reference: str
    ratio: float | None
    ratio_ci: tuple[float, float] | None
    events: int
    of: int
    judgement: str


class FairnessReport(BaseModel):
    run_id: str
    period_start: dt.date
    period_end: dt.date
    source: str
    """``truth`` or ``outcomes``."""
    people: int
    band: Band
    references: dict[str, str]
    detector_versions: dict[str, str] = Field(default_factory=dict)
    slices: list[SliceResult]

    def slice(self, key: str) -> SliceResult:
        return next(s for s in self.slices if s.key == key)

    def findings(self, *, metric: str = "fpr", protected_only: bool = False, judgements: tuple[str, ...] = ("outside",)) -> list[Finding]:
        """Ratios of ``metric`` (fpr, fdr or flag) judged ``outside`` (or the given judgements)."""
        out = []
        for s in self.slices:
            for r in s.rows:
                rate = getattr(r, metric)
                if rate is None or rate.judgement not in judgements or (protected_only and r.attribute not in PROTECTED):
                    continue
                out.append(Finding(slice=s.key, metric=metric, attribute=r.attribute, group=r.group,
                                   reference=r.reference, ratio=rate.ratio, ratio_ci=rate.ratio_ci,
                                   events=rate.events, of=rate.of, judgement=rate.judgement))  # fmt: skip
        return out


def store_outcomes(store: Any, run_id: str) -> Outcomes:
    """Final per-signal outcomes of the run's cases (aggregated per person and detector)."""
    from sqlalchemy import select

    from fairwitness.governance.models import Case, Decision, Signal, SignalOutcome

    out = Outcomes()
    query = (
        select(Case.staff_id, Signal.detector, SignalOutcome.outcome)
        .join(Signal, Signal.case_id == Case.id)
        .join(SignalOutcome, SignalOutcome.signal_pk == Signal.id)
        .join(Decision, Decision.id == SignalOutcome.decision_id)
        .where(Decision.status == "final", Case.run_id == run_id)
    )
    with store.session() as session:
        for staff_id, detector, outcome in session.execute(query):
            out.add(staff_id, detector, outcome)
    return out


def assess(
    workspace: Any,
    *,
    truth: str | Path | None = None,
    store: Any = None,
    run_id: str | None = None,
    band: Band | None = None,
    references: Mapping[str, str] | None = None,
) -> FairnessReport:
    """The fairness report of the current (or given) run; ``truth`` or ``store`` gives the labels."""
    from fairwitness.detectors.runner import open_workspace
    from fairwitness.evaluation.evaluate import read_truth

    if truth is None and store is None:
        raise ValueError("give ground truth (a synthetic force's truth table) or the governance store")
    band = band or Band()
    ws = open_workspace(workspace)
    record = runs.read_record(ws, run_id)
    cfg = record["config"]
    period = (dt.date.fromisoformat(cfg["period_start"]), dt.date.fromisoformat(cfg["period_end"]))
    pop = population(ws, period)
    refs = reference_groups(pop, ATTRIBUTES, references or {})
    signals = runs.read_signals(ws, record["run_id"]).select(["staff_id", "detector", "route"]).to_pylist()
    candidates = runs.read_candidates_table(ws, record["run_id"]).select(["staff_id", "route"]).to_pylist()
    scenarios = {d["name"]: d.get("scenarios", []) for d in record["detectors"]}
    positives = truth_positives(read_truth(truth), period) if truth is not None else None
    outcomes = store_outcomes(store, record["run_id"]) if positives is None else None
    results = []
    for sl in slices(signals, candidates, scenarios):
        frame = pop.copy()
        frame["flagged"] = frame["staff_id"].isin(sl.flagged)
        if positives is not None:
            frame["label"] = label_truth(frame["staff_id"], sl, positives)
        else:
            assert outcomes is not None
            frame["label"] = label_outcomes(frame["staff_id"], sl, outcomes)
        flagged = frame[frame["flagged"]]
        decided = flagged[flagged["label"].notna()]
        results.append(
            SliceResult(
                key=sl.key, kind=sl.kind, name=sl.name, adverse=sl.adverse, flagged=len(flagged),
                labelled_flagged=len(decided), false_positives=int((decided["label"] == 0).sum()),
                rows=group_metrics(frame, ATTRIBUTES, refs, adverse=sl.adverse, band=band),
            )
        )  # fmt: skip
    return FairnessReport(
        run_id=record["run_id"], period_start=period[0], period_end=period[1],
        source="truth" if positives is not None else "outcomes", people=len(pop), band=band, references=refs,
        detector_versions={d["name"]: d["version"] for d in record["detectors"]}, slices=results,
    )  # fmt: skip
