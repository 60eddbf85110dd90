"""Pure evaluation metrics: signals and candidates of a run against ground truth rows.

Definitions (all computed by `score_run`):

- **instances**: misconduct truth rows ``(staff_id, scenario, start)`` whose dates overlap the
  run's period (rows wholly outside it cannot be found and are counted as ``out_of_period``);
- **found**: an instance is found when a signal about that person comes from a detector whose
  ``scenarios`` include the scenario and (``match="overlap"``, the default) the signal's
  period overlaps the truth row's dates; ``match="person"`` drops the date condition;
- **recall** per scenario: found / instances;
- **precision on conduct routes**: among candidates on a conduct route, the share of people
  with a misconduct truth row (``None`` when no candidate is on a conduct route);
- **decoys on a conduct route**: people with a decoy truth row and no misconduct truth row
  whose candidate is on a conduct route (people planted with both are listed apart);
- **route correctness**: among found instances, the share whose person's candidate route is
  the route expected for them — the gravest `fairwitness.scenarios.MISCONDUCT` route among
  their found scenarios (so a person planted twice is judged by the graver one);
- **flags per 1,000 staff**: candidates / staff × 1000; **conduct share**: conduct-route
  candidates / staff. Staff are the people in post at some point of the run's period.
- **per route** (`RouteResult`, every adverse route — ``advice`` included, since for the person
  named a "prevention notice" is adverse too): people whose candidate is on the route, how many
  of them have a misconduct truth row (a planted breach, minor ones included), precision and
  share of staff; **grave precision**: the same over ``gross_misconduct_assessment`` and
  ``criminal_referral`` together; **adverse share**: people on any adverse route / staff;
  **decoys on an adverse route**: people with a decoy truth row and no misconduct truth row
  whose candidate is on an adverse route.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from fairwitness.routes import ADVERSE_ROUTES, CONDUCT_ROUTES, GRAVE_ROUTES, ROUTES, gravest
from fairwitness.scenarios import MISCONDUCT

Match = Literal["overlap", "person"]


class Thresholds(BaseModel):
    """Pass/fail limits; ``None`` = not checked."""

    model_config = ConfigDict(frozen=True)
    min_recall: float | None = None
    """Applies to every scenario with at least one instance."""
    min_precision: float | None = None
    max_decoys: int | None = None
    max_conduct_share: float | None = None
    min_route_correctness: float | None = None
    min_precision_advice: float | None = None
    """Minimum precision on the advice route."""
    min_precision_route: float | None = None
    """Minimum precision on every adverse route (advice included) with at least one person."""
    min_precision_grave: float | None = None
    """Minimum precision on gross misconduct and criminal referral together."""
    max_adverse_share: float | None = None
    """Maximum share of staff on an adverse route, advice included."""
    max_adverse_decoys: int | None = None
    """Maximum decoys on an adverse route, advice included."""


class RouteResult(BaseModel):
    route: str
    people: int
    true_positives: int
    precision: float | None
    share: float | None
    """People on the route / staff."""
    false_positives: list[str]


class ScenarioResult(BaseModel):
    scenario: str
    expected_route: str | None
    instances: int
    found: int
    recall: float | None
    route_correct: int
    missed: list[str]
    """staff_ids of instances not found."""


class DecoyHit(BaseModel):
    staff_id: str
    scenarios: list[str]
    route: str


class Report(BaseModel):
    """The evaluation of one run against ground truth."""

    run_id: str
    period_start: dt.date | None
    period_end: dt.date | None
    match: str
    staff: int
    candidates: int
    by_route: dict[str, int]
    scenarios: list[ScenarioResult]
    out_of_period: int
    conduct_candidates: int
    true_positives: int
    precision: float | None
    false_positives: list[str]
    decoys_on_conduct: list[DecoyHit]
    decoys_with_misconduct: list[DecoyHit]
    route_correctness: float | None
    flags_per_1000: float | None
    conduct_share: float | None
    routes: list[RouteResult] = []
    """Every adverse route, advice included."""
    adverse_candidates: int = 0
    adverse_true_positives: int = 0
    adverse_precision: float | None = None
    adverse_share: float | None = None
    grave_candidates: int = 0
    grave_true_positives: int = 0
    grave_precision: float | None = None
    decoys_on_adverse: list[DecoyHit] = []
    thresholds: Thresholds
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def decoys(self) -> int:
        return len(self.decoys_on_conduct)

    def render(self) -> Any:
        from fairwitness.evaluation.evaluate import render_report

        return render_report(self)


def as_date(v: Any) -> dt.date | None:
    """A truth or signal value (date, datetime or ISO text; ``None``) as a date."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _overlaps(a0: dt.date | None, a1: dt.date | None, b0: dt.date | None, b1: dt.date | None) -> bool:
    if None in (a0, a1, b0, b1):
        return True
    return a0 <= b1 and a1 >= b0  # type: ignore[operator]


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


def score_run(
    *,
    run_id: str,
    period: tuple[dt.date | None, dt.date | None],
    signals: Sequence[Mapping[str, Any]],
    candidates: Sequence[Mapping[str, Any]],
    detector_scenarios: Mapping[str, Sequence[str]],
    truth: Sequence[Mapping[str, Any]],
    staff: int,
    thresholds: Thresholds | None = None,
    match: Match = "overlap",
) -> Report:
    """The evaluation report (definitions in the module doc)."""
    thresholds = thresholds or Thresholds()
    route_of = {c["staff_id"]: c["route"] for c in candidates}
    sigs_by_person: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for s in signals:
        sigs_by_person[s["staff_id"]].append(s)
    mis_rows = [t for t in truth if t["kind"] == "misconduct"]
    decoy_rows = [t for t in truth if t["kind"] == "decoy"]
    mis_people = {t["staff_id"] for t in mis_rows}

    p0, p1 = period
    instances: dict[str, list[dict[str, Any]]] = defaultdict(list)
    out_of_period = 0
    seen: set[tuple[str, str, Any]] = set()
    for t in mis_rows:
        key = (t["staff_id"], t["scenario"], t["start"])
        if key in seen:
            continue
        seen.add(key)
        t0, t1 = as_date(t["start"]), as_date(t["end"]) or as_date(t["start"])
        if not _overlaps(t0, t1, p0, p1):
            out_of_period += 1
            continue
        hit = any(
            t["scenario"] in detector_scenarios.get(s["detector"], ())
            and (match == "person" or _overlaps(as_date(s["period_start"]), as_date(s["period_end"]), t0, t1))
            for s in sigs_by_person.get(t["staff_id"], ())
        )
        instances[t["scenario"]].append({**t, "found": hit})

    found_scen: dict[str, set[str]] = defaultdict(set)
    for scen, rows in instances.items():
        for r in rows:
            if r["found"]:
                found_scen[r["staff_id"]].add(scen)
    expected_person = {
        p: gravest([MISCONDUCT[s] for s in scen if s in MISCONDUCT])
        for p, scen in found_scen.items()
        if any(s in MISCONDUCT for s in scen)
    }

    results = []
    correct_total = found_total = 0
    for scen in sorted(instances):
        rows = instances[scen]
        found = [r for r in rows if r["found"]]
        correct = sum(
            1 for r in found if scen in MISCONDUCT and route_of.get(r["staff_id"]) == expected_person.get(r["staff_id"])
        )
        if scen in MISCONDUCT:
            correct_total += correct
            found_total += len(found)
        results.append(
            ScenarioResult(
                scenario=scen,
                expected_route=MISCONDUCT.get(scen),
                instances=len(rows),
                found=len(found),
                recall=_ratio(len(found), len(rows)),
                route_correct=correct,
                missed=sorted({r["staff_id"] for r in rows if not r["found"]}),
            )
        )

    conduct = sorted(p for p, r in route_of.items() if r in CONDUCT_ROUTES)
    tp = [p for p in conduct if p in mis_people]
    decoy_scen: dict[str, set[str]] = defaultdict(set)
    for t in decoy_rows:
        decoy_scen[t["staff_id"]].add(t["scenario"])
    hits = [
        DecoyHit(staff_id=p, scenarios=sorted(decoy_scen[p]), route=route_of[p])
        for p in sorted(decoy_scen)
        if route_of.get(p) in CONDUCT_ROUTES
    ]
    report = Report(
        run_id=run_id,
        period_start=p0,
        period_end=p1,
        match=match,
        staff=staff,
        candidates=len(candidates),
        by_route={r: sum(1 for v in route_of.values() if v == r) for r in ROUTES},
        scenarios=results,
        out_of_period=out_of_period,
        conduct_candidates=len(conduct),
        true_positives=len(tp),
        precision=_ratio(len(tp), len(conduct)),
        false_positives=[p for p in conduct if p not in mis_people],
        decoys_on_conduct=[h for h in hits if h.staff_id not in mis_people],
        decoys_with_misconduct=[h for h in hits if h.staff_id in mis_people],
        route_correctness=_ratio(correct_total, found_total),
        flags_per_1000=round(len(candidates) / staff * 1000, 3) if staff else None,
        conduct_share=_ratio(len(conduct), staff),
        thresholds=thresholds,
        failures=[],
    )
    per_route = []
    for route in ROUTES:
        if route not in ADVERSE_ROUTES:
            continue
        people = sorted(p for p, r in route_of.items() if r == route)
        tps = [p for p in people if p in mis_people]
        per_route.append(
            RouteResult(
                route=route, people=len(people), true_positives=len(tps), precision=_ratio(len(tps), len(people)),
                share=_ratio(len(people), staff), false_positives=[p for p in people if p not in mis_people],
            )
        )
    adverse = [p for p, r in route_of.items() if r in ADVERSE_ROUTES]
    grave = [p for p, r in route_of.items() if r in GRAVE_ROUTES]
    report.routes = per_route
    report.adverse_candidates = len(adverse)
    report.adverse_true_positives = sum(p in mis_people for p in adverse)
    report.adverse_precision = _ratio(report.adverse_true_positives, len(adverse))
    report.adverse_share = _ratio(len(adverse), staff)
    report.grave_candidates = len(grave)
    report.grave_true_positives = sum(p in mis_people for p in grave)
    report.grave_precision = _ratio(report.grave_true_positives, len(grave))
    report.decoys_on_adverse = [
        DecoyHit(staff_id=p, scenarios=sorted(decoy_scen[p]), route=route_of[p])
        for p in sorted(decoy_scen)
        if route_of.get(p) in ADVERSE_ROUTES and p not in mis_people
    ]
    report.failures = failures(report, thresholds)
    return report


def failures(report: Report, th: Thresholds) -> list[str]:
    """Why the report does not meet the thresholds; empty when it does."""
    out = []
    if th.min_recall is not None:
        for s in report.scenarios:
            if s.instances and s.recall is not None and s.recall < th.min_recall:
                out.append(f"recall for {s.scenario} is {s.recall:.3f} ({s.found}/{s.instances}), below {th.min_recall}")
    if th.min_precision is not None and report.precision is not None and report.precision < th.min_precision:
        out.append(
            f"precision on conduct routes is {report.precision:.3f} "
            f"({report.true_positives}/{report.conduct_candidates}), below {th.min_precision}"
        )
    if th.max_decoys is not None and report.decoys > th.max_decoys:
        out.append(f"{report.decoys} decoy(s) on a conduct route, more than {th.max_decoys}")
    if th.max_conduct_share is not None and report.conduct_share is not None and report.conduct_share > th.max_conduct_share:
        out.append(f"{report.conduct_share:.2%} of staff on a conduct route, more than {th.max_conduct_share:.2%}")
    if (
        th.min_route_correctness is not None
        and report.route_correctness is not None
        and report.route_correctness < th.min_route_correctness
    ):
        out.append(f"route correctness is {report.route_correctness:.3f}, below {th.min_route_correctness}")
    for r in report.routes:
        floor = th.min_precision_route
        if r.route == "advice" and th.min_precision_advice is not None:
            floor = max(floor or 0.0, th.min_precision_advice)
        if floor is not None and r.precision is not None and r.precision < floor:
            out.append(f"precision on {r.route} is {r.precision:.3f} ({r.true_positives}/{r.people}), below {floor}")
    if th.min_precision_grave is not None and report.grave_precision is not None and report.grave_precision < th.min_precision_grave:
        out.append(
            f"precision on gross misconduct and criminal referral together is {report.grave_precision:.3f} "
            f"({report.grave_true_positives}/{report.grave_candidates}), below {th.min_precision_grave}"
        )
    if th.max_adverse_share is not None and report.adverse_share is not None and report.adverse_share > th.max_adverse_share:
        out.append(
            f"{report.adverse_share:.2%} of staff on an adverse route (advice included), more than {th.max_adverse_share:.2%}"
        )
    if th.max_adverse_decoys is not None and len(report.decoys_on_adverse) > th.max_adverse_decoys:
        out.append(f"{len(report.decoys_on_adverse)} decoy(s) on an adverse route, more than {th.max_adverse_decoys}")
    return out
