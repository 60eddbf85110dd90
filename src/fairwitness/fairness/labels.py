"""What a fairness audit compares: who was flagged, and who had done wrong.

A *slice* is one way of being flagged in a run: by one detector on an adverse route (advice or
graver), or by the combined candidate route (each route, and any adverse route). For each slice
every person in the population gets ``flagged`` (0/1) and ``label`` (1 = had done wrong, 0 = had
not, missing = not known).

Labels come from one of two sources:

- **ground truth** (synthetic forces): misconduct rows of the truth table overlapping the run's
  period. For a detector's slice, the misconduct must be one of the scenarios the detector is
  meant to find (any misconduct for a detector that declares none); for a route slice, any.
- **reviewers' final outcomes** (the governance store): a flagged person whose decided signals
  in the slice were all found ``false_positive`` is a false discovery; any other final outcome
  means the flag was right. A flagged person with no final outcome yet is not known and left out
  of the error rates. People not flagged are taken as not having done wrong (what is not flagged
  is not reviewed); this is the one assumption of outcome-based rates, stated in the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fairwitness.evaluation.metrics import as_date
from fairwitness.routes import ADVERSE_OUTCOMES, ROUTES
from fairwitness.scenarios import MISCONDUCT

ANY_ADVERSE = "any_adverse"


@dataclass(frozen=True)
class Slice:
    """One way of being flagged: ``kind`` is ``detector`` or ``route``."""

    kind: str
    name: str
    adverse: bool
    """Whether being flagged this way is adverse (advice or graver): only then are error rates computed."""
    flagged: frozenset[str]
    scenarios: tuple[str, ...] = ()
    """The misconduct scenarios the detector is meant to find (detector slices)."""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass
class Outcomes:
    """Reviewers' final per-signal outcomes of a run: ``staff_id -> detector -> outcomes``."""

    by_person: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, staff_id: str, detector: str, outcome: str) -> None:
        self.by_person.setdefault(staff_id, {}).setdefault(detector, []).append(outcome)

    def person(self, staff_id: str, detectors: Sequence[str] | None = None) -> list[str]:
        mine = self.by_person.get(staff_id, {})
        return [o for det, outs in mine.items() if detectors is None or det in detectors for o in outs]


def slices(
    signals: Sequence[Mapping[str, Any]],
    candidates: Sequence[Mapping[str, Any]],
    detector_scenarios: Mapping[str, Sequence[str]],
) -> list[Slice]:
    """Detector slices (adverse signals only), one slice per route, and ``any_adverse``."""
    by_detector: dict[str, set[str]] = defaultdict(set)
    for s in signals:
        if s["route"] in ADVERSE_OUTCOMES:
            by_detector[s["detector"]].add(s["staff_id"])
    out = [
        Slice("detector", d, True, frozenset(by_detector.get(d, ())), tuple(x for x in detector_scenarios[d] if x in MISCONDUCT))
        for d in sorted(detector_scenarios)
    ]
    for r in ROUTES:
        people = frozenset(c["staff_id"] for c in candidates if c["route"] == r)
        out.append(Slice("route", r, r in ADVERSE_OUTCOMES, people))
    out.append(Slice("route", ANY_ADVERSE, True, frozenset(c["staff_id"] for c in candidates if c["route"] in ADVERSE_OUTCOMES)))
    return out


def truth_positives(truth: Sequence[Mapping[str, Any]], period: tuple[dt.date, dt.date]) -> dict[str, set[str]]:
    """staff_id -> misconduct scenarios planted on them that overlap the period."""
    p0, p1 = period
    out: dict[str, set[str]] = defaultdict(set)
    for t in truth:
        if t["kind"] != "misconduct":
            continue
        t0 = as_date(t["start"]) or p0
        t1 = as_date(t["end"]) or t0
        if t0 <= p1 and t1 >= p0:
            out[str(t["staff_id"])].add(str(t["scenario"]))
    return out


def label_truth(people: pd.Series, sl: Slice, positives: Mapping[str, set[str]]) -> pd.Series:
    """1 when the person had misconduct this slice is meant to find, else 0."""
    wanted = set(sl.scenarios)
    return people.map(lambda p: int(bool(positives.get(p)) and (not wanted or bool(positives[p] & wanted)))).astype(float)


def label_outcomes(people: pd.Series, sl: Slice, outcomes: Outcomes) -> pd.Series:
    """1 = flag upheld, 0 = false positive (or not flagged), NaN = flagged but not decided."""
    detectors = [sl.name] if sl.kind == "detector" else None

    def one(p: str) -> float:
        if p not in sl.flagged:
            return 0.0
        outs = outcomes.person(p, detectors)
        if not outs:
            return float("nan")
        return 0.0 if all(o == "false_positive" for o in outs) else 1.0

    return people.map(one).astype(float)
