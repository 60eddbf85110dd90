"""What the transparency report says: every figure, gathered once, with no personal data.

`gather` reads the purpose register, the detector registry, the current run (route volumes),
the governance store (final outcomes, precision, held signals, detector states, retention and
subject-access counts, the audit chain's head) and the fairness audit
(`fairwitness.fairness.assessment`), and returns a `ReportContent`. Nothing about a person
leaves this module: only counts, rates and groups of at least ``min_group`` people (smaller
groups are listed as suppressed, without figures).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from fairwitness.contract.purposes import PURPOSES, REGISTER
from fairwitness.fairness.assessment import FairnessReport
from fairwitness.fairness.groups import LABELS, PROTECTED
from fairwitness.routes import ADVERSE_OUTCOMES, OUTCOMES, ROUTES
from fairwitness.scenarios import MISCONDUCT_DOC

MIN_GROUP = 10
"""Groups with fewer people than this are suppressed from every published table."""


class SourceRow(BaseModel):
    table: str
    lawful_basis: str
    purposes: list[str]
    retention_months: int
    loaded: bool


class DetectorRow(BaseModel):
    name: str
    version: str
    title: str
    description: str
    looks_for: list[str]
    standard: str
    purpose: str
    max_route: str | None
    explanations_checked: list[str]
    state: str
    flagged: int
    decided: int
    upheld: int
    false_positives: int
    precision: float | None
    settings: dict[str, Any] = Field(default_factory=dict)
    """Parameters the run applied that differ from the catalogue's defaults (the force's
    ``detectors.toml``, `fairwitness.detectors.settings`): a published threshold is the one used."""


class GroupFigure(BaseModel):
    attribute: str
    label: str
    group: str
    reference: bool
    suppressed: bool
    people: int | None = None
    flag_rate: float | None = None
    flag_ratio: float | None = None
    fpr: float | None = None
    fpr_events: int | None = None
    fpr_ratio: float | None = None
    fpr_ci: tuple[float, float] | None = None
    judgement: str | None = None


class ReportContent(BaseModel):
    title: str
    generated_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    run_id: str
    people: int
    flagged: int
    flagged_adverse: int
    by_route: dict[str, int]
    cases: int
    decided_cases: int
    by_outcome: dict[str, int]
    upheld: int
    precision: float | None
    fairness_source: str
    fairness_slice: str
    band: tuple[float, float]
    groups: list[GroupFigure]
    outside: int
    uncertain: int
    judged: int
    sources: list[SourceRow]
    purposes: dict[str, str]
    detectors: list[DetectorRow]
    held_signals: int
    under_review: list[str]
    retention_purged: int
    sar_exports: int
    reidentifications: int
    disclosures: int
    audit_events: int
    audit_head_seq: int
    audit_head_hash: str
    audit_intact: bool
    min_group: int
    notes: list[str] = Field(default_factory=list)


def _describe(cls: Any) -> str:
    doc = cls.__dict__.get("__doc__") or (inspect.getmodule(cls).__doc__ if inspect.getmodule(cls) else None)
    text = (doc or cls.title).strip().split("\n\n")[0]
    return " ".join(text.split())


def _changed(cls: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The run's parameters of detector ``cls`` that differ from its declared defaults."""
    model = getattr(cls, "Params", None)
    if model is None or "invalid" in params:
        return {}
    try:
        defaults = model().model_dump(mode="json")
    except Exception:  # noqa: BLE001 - a detector whose parameters have no defaults: nothing to compare
        return {}
    return {k: v for k, v in params.items() if k in defaults and v != defaults[k]}


def _overlaps(a0: dt.date, a1: dt.date, period: tuple[dt.date, dt.date] | None) -> bool:
    return period is None or (a0 <= period[1] and a1 >= period[0])


def _store_figures(store: Any, period: tuple[dt.date, dt.date] | None) -> dict[str, Any]:
    from sqlalchemy import select

    from fairwitness.governance.verification import verify_chain
    from fairwitness.governance.detector_state import states
    from fairwitness.governance.models import AuditEvent, Case, Decision, OutcomeTally, Signal, SignalOutcome

    with store.session() as s:
        cases = [c for c in s.scalars(select(Case)) if _overlaps(c.period_start, c.period_end, period)]
        ids = {c.id for c in cases}
        final = {d.case_id: d.outcome for d in s.scalars(select(Decision).where(Decision.status == "final")) if d.case_id in ids}
        per_signal: dict[str, Counter[str]] = {}
        rows = s.execute(
            select(Signal.detector, Signal.case_id, SignalOutcome.outcome)
            .join(SignalOutcome, SignalOutcome.signal_pk == Signal.id)
            .join(Decision, Decision.id == SignalOutcome.decision_id)
            .where(Decision.status == "final")
        ).all()
        for detector, case_id, outcome in rows:
            if case_id in ids:
                per_signal.setdefault(detector, Counter())[outcome] += 1
        for t in s.scalars(select(OutcomeTally)):
            per_signal.setdefault(t.detector, Counter())[t.outcome] += t.count
        events = Counter()
        for action, at in s.execute(select(AuditEvent.action, AuditEvent.at)):
            if period is None or period[0] <= at.date() <= period[1]:
                events[action] += 1
        chain = verify_chain(session=s)
        detector_states = states(session=s)
    return {"cases": len(cases), "final": final, "per_signal": per_signal, "events": events, "chain": chain,
            "states": detector_states}  # fmt: skip


def _groups(report: FairnessReport, slice_key: str, min_group: int) -> list[GroupFigure]:
    out = []
    for r in report.slice(slice_key).rows:
        base = {"attribute": r.attribute, "label": LABELS[r.attribute], "group": r.group, "reference": r.group == r.reference}
        if r.people < min_group:
            out.append(GroupFigure(**base, suppressed=True))
            continue
        out.append(GroupFigure(
            **base, suppressed=False, people=r.people, flag_rate=r.flag.rate, flag_ratio=r.flag.ratio,
            fpr=r.fpr.rate if r.fpr else None, fpr_events=r.fpr.events if r.fpr else None,
            fpr_ratio=r.fpr.ratio if r.fpr else None, fpr_ci=r.fpr.ratio_ci if r.fpr else None,
            judgement=r.fpr.judgement if r.fpr else None,
        ))  # fmt: skip
    return out


def gather(
    workspace: str | Path,
    *,
    store: Any,
    fairness: FairnessReport,
    period: tuple[dt.date, dt.date] | None = None,
    min_group: int = MIN_GROUP,
    title: str = "Workforce-integrity analytics: transparency report",
    registry: Any = None,
) -> ReportContent:
    """Every figure of the report (see the module doc)."""
    from fairwitness.detectors import runs
    from fairwitness.detectors.registry import load_registry
    from fairwitness.workspace import Workspace

    ws = Workspace(workspace)
    record = runs.read_record(ws, fairness.run_id)
    candidates = runs.read_candidates_table(ws, fairness.run_id).select(["route"]).to_pylist()
    by_route = {r: sum(1 for c in candidates if c["route"] == r) for r in ROUTES}
    figures = _store_figures(store, period)
    final: dict[int, str] = figures["final"]
    by_outcome = {o: sum(1 for v in final.values() if v == o) for o in OUTCOMES}
    upheld = sum(n for o, n in by_outcome.items() if o in ADVERSE_OUTCOMES or o == "wellbeing")
    decided_signals = sum(sum(c.values()) for c in figures["per_signal"].values())
    fp_signals = sum(c.get("false_positive", 0) for c in figures["per_signal"].values())
    reg = registry or load_registry()
    loaded = set(ws.loaded_tables())
    flagged_by = {s.name: s.flagged for s in fairness.slices if s.kind == "detector"}
    detectors = []
    for d in record["detectors"]:
        cls = reg.detectors.get(d["name"])
        if cls is None:  # ran, but no longer registered: still reported, from the run record
            cls = type(d["name"], (), {"name": d["name"], "version": d["version"], "title": d["name"], "scenarios": (),
                                       "__doc__": "No longer registered.", "standard": "", "purpose": "",
                                       "max_route": None, "explanations_checked": ()})  # fmt: skip
        c = figures["per_signal"].get(cls.name, Counter())
        decided = sum(c.values())
        st = figures["states"].get(cls.name)
        detectors.append(DetectorRow(
            name=cls.name, version=cls.version, title=cls.title, description=_describe(cls),
            looks_for=[MISCONDUCT_DOC[s] for s in cls.scenarios if s in MISCONDUCT_DOC], standard=cls.standard,
            purpose=cls.purpose, max_route=cls.max_route, explanations_checked=list(cls.explanations_checked),
            state=st.state if st else "active", flagged=flagged_by.get(cls.name, 0), decided=decided,
            upheld=decided - c.get("false_positive", 0) - c.get("no_further_action", 0),
            false_positives=c.get("false_positive", 0),
            precision=round((decided - c.get("false_positive", 0)) / decided, 4) if decided else None,
            settings=_changed(cls, d.get("params") or {}),
        ))  # fmt: skip
    slice_key = "route:any_adverse"
    js = [r.fpr.judgement for s in fairness.slices if s.adverse for r in s.rows
          if r.fpr is not None and r.group != r.reference and r.attribute in PROTECTED]  # fmt: skip
    events: Counter[str] = figures["events"]
    chain = figures["chain"]
    notes = []
    if fairness.source == "outcomes":
        notes.append("False positive rates are from reviewers' final outcomes; people who were not flagged are "
                     "counted as not having done wrong, because what is not flagged is not reviewed.")  # fmt: skip
    else:
        notes.append("False positive rates are measured against the planted ground truth of a synthetic force.")
    return ReportContent(
        title=title, generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        period_start=fairness.period_start, period_end=fairness.period_end, run_id=fairness.run_id,
        people=fairness.people, flagged=len(candidates), flagged_adverse=fairness.slice(slice_key).flagged,
        by_route=by_route, cases=figures["cases"], decided_cases=len(final), by_outcome=by_outcome, upheld=upheld,
        precision=round((decided_signals - fp_signals) / decided_signals, 4) if decided_signals else None,
        fairness_source=fairness.source, fairness_slice=slice_key, band=(fairness.band.low, fairness.band.high),
        groups=_groups(fairness, slice_key, min_group), outside=js.count("outside"), uncertain=js.count("uncertain"),
        judged=sum(j in ("within", "uncertain", "outside") for j in js),
        sources=[SourceRow(table=s.table, lawful_basis=s.lawful_basis, purposes=list(s.purposes),
                           retention_months=s.retention_months, loaded=s.table in loaded) for s in REGISTER],
        purposes=dict(PURPOSES), detectors=detectors,
        held_signals=sum(v.held for v in figures["states"].values()),
        under_review=sorted(n for n, v in figures["states"].items() if v.state == "under_review"),
        retention_purged=events.get("retention.purge", 0), sar_exports=events.get("sar.export", 0),
        reidentifications=events.get("case.reidentify", 0), disclosures=events.get("case.disclose", 0),
        audit_events=chain.events, audit_head_seq=chain.head_seq, audit_head_hash=chain.head_hash,
        audit_intact=chain.ok, min_group=min_group, notes=notes,
    )  # fmt: skip
