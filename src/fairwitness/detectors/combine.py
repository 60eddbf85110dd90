"""Combination: every signal about a person in a run becomes one case candidate.

A reviewer sees a person once, with everything. The rules (`candidate_route`):

- the route is the gravest route among the person's signals, except that
- a signal from a detector with ``standalone_conduct = False`` (the multivariate anomaly
  score) is a pattern with no breach behind it: on its own it counts as ``wellbeing`` (a
  reason to talk, never an adverse route, since ``advice`` is adverse too); beside another
  detector's signal at ``advice`` or graver about the same person it counts at most as
  that signal's route, so it never raises a route a breach did not earn;
- a ``wellbeing`` signal (any signal of a detector whose purpose is ``wellbeing``) counts
  as ``wellbeing`` and so never raises a conduct route.

The score combines the strongest signal of each detector as a noisy-OR,
``1 - Π(1 - s_d)``, so more independent detectors mean stronger evidence while many signals
of one detector do not; wellbeing signals do not add to a conduct candidate's score. The
explanation leads with the gravest signal's sentence and names the other detectors.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from fairwitness.candidates import CaseCandidate, SignalRef
from fairwitness.routes import gravest, gravity

WELLBEING = "wellbeing"
ADVICE = "advice"


def effective_routes(signals: list[Mapping[str, Any]]) -> list[str]:
    """Each signal's route as it counts for the person's candidate (rules in the module doc)."""
    corroborating: dict[str, str] = {}
    for s in signals:
        if s.get("standalone_conduct", True) and s.get("purpose") != WELLBEING and gravity(s["route"]) >= gravity(ADVICE):
            corroborating[s["detector"]] = gravest([s["route"], corroborating.get(s["detector"], ADVICE)])
    out = []
    for s in signals:
        route = s["route"]
        if s.get("purpose") == WELLBEING:
            route = WELLBEING
        elif not s.get("standalone_conduct", True):
            others = [r for d, r in corroborating.items() if d != s["detector"]]
            route = min(route, gravest(others), key=gravity) if others else WELLBEING
        out.append(route)
    return out


def candidate_route(signals: list[Mapping[str, Any]]) -> str:
    """The route of a person's candidate given all their signals."""
    return gravest(effective_routes(signals))


def combined_score(signals: list[Mapping[str, Any]], route: str) -> float:
    """Noisy-OR of each detector's strongest score (wellbeing excluded from conduct/advice)."""
    best: dict[str, float] = {}
    for s in signals:
        if route != WELLBEING and s.get("purpose") == WELLBEING:
            continue
        best[s["detector"]] = max(best.get(s["detector"], 0.0), float(s["score"]))
    miss = 1.0
    for v in best.values():
        miss *= 1.0 - min(max(v, 0.0), 1.0)
    return round(1.0 - miss, 6)


def _order(signals: list[Mapping[str, Any]], routes: list[str]) -> list[tuple[str, Mapping[str, Any]]]:
    pairs = list(zip(routes, signals, strict=True))
    pairs.sort(key=lambda p: (-gravity(p[0]), -float(p[1]["score"]), p[1]["detector"], p[1]["signal_id"]))
    return pairs


def summarise(signals: list[Mapping[str, Any]], routes: list[str]) -> str:
    """One paragraph: the gravest signal's sentence, then the other detectors."""
    ordered = _order(signals, routes)
    lead = ordered[0][1]
    text = str(lead["explanation"]).strip()
    counts: dict[str, int] = defaultdict(int)
    for _, s in ordered:
        counts[s["detector"]] += 1
    counts[lead["detector"]] -= 1
    others = [f"{d} ({n} signal{'s' if n != 1 else ''})" for d, n in counts.items() if n > 0]
    if others:
        text += " Also flagged by: " + ", ".join(others) + "."
    return text


def candidate_id(staff_id: str, period_start: Any, period_end: Any, signal_ids: Iterable[str]) -> str:
    payload = "|".join([staff_id, str(period_start), str(period_end), *sorted(signal_ids)])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _evidence(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def combine(signals: pa.Table | list[Mapping[str, Any]], *, run_id: str) -> list[CaseCandidate]:
    """Case candidates, one per person, from a run's signals (`runs.SIGNAL_SCHEMA` rows)."""
    rows = signals.to_pylist() if isinstance(signals, pa.Table) else [dict(s) for s in signals]
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_person[r["staff_id"]].append(r)
    out: list[CaseCandidate] = []
    for staff_id in sorted(by_person):
        sigs = by_person[staff_id]
        routes = effective_routes(sigs)
        route = gravest(routes)
        start = min(s["period_start"] for s in sigs)
        end = max(s["period_end"] for s in sigs)
        ordered = _order(sigs, routes)
        refs = tuple(
            SignalRef(
                signal_id=s["signal_id"],
                detector=s["detector"],
                detector_version=s["detector_version"],
                route=s["route"],
                score=float(s["score"]),
                severity=s["severity"],
                explanation=s["explanation"],
                evidence=_evidence(s.get("evidence")),
            )
            for _, s in ordered
        )
        out.append(
            CaseCandidate(
                candidate_id=candidate_id(staff_id, start, end, (s["signal_id"] for s in sigs)),
                run_id=run_id,
                staff_id=staff_id,
                period_start=start,
                period_end=end,
                route=route,
                score=combined_score(sigs, route),
                detectors=tuple(dict.fromkeys(s["detector"] for _, s in ordered)),
                explanation=summarise(sigs, routes),
                signals=refs,
            )
        )
    return out
