"""Combination: one case candidate per person, with the route rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fairwitness.detectors.combine import candidate_route, combine, combined_score


def sig(detector, route, score=0.5, *, staff="P1", purpose="counter_corruption", standalone=True, sid=None, start=1, end=31):
    return {
        "signal_id": sid or f"{detector}-{staff}-{route}-{score}",
        "staff_id": staff,
        "detector": detector,
        "detector_version": "1",
        "purpose": purpose,
        "standalone_conduct": standalone,
        "route": route,
        "score": score,
        "severity": "medium",
        "explanation": f"{detector} says {route}.",
        "evidence": json.dumps({"source_rows": {"table": "t", "keys": ["k"]}}),
        "period_start": dt.date(2025, 1, start),
        "period_end": dt.date(2025, 1, end),
    }


ANOMALY = dict(standalone=False)
WELLBEING = dict(purpose="wellbeing")


@pytest.mark.parametrize(
    ("signals", "route"),
    [
        ([sig("a", "advice"), sig("b", "gross_misconduct_assessment")], "gross_misconduct_assessment"),
        ([sig("a", "criminal_referral"), sig("b", "advice")], "criminal_referral"),
        # the anomaly detector alone is a pattern with no breach behind it: wellbeing at most
        ([sig("anomaly", "advice", **ANOMALY)], "wellbeing"),
        ([sig("anomaly", "misconduct_assessment", **ANOMALY), sig("anomaly", "gross_misconduct_assessment", **ANOMALY)], "wellbeing"),
        # …also with only wellbeing signals beside it
        ([sig("anomaly", "misconduct_assessment", **ANOMALY), sig("hours", "wellbeing", **WELLBEING)], "wellbeing"),
        # beside a breach it never raises the route the breach earned
        ([sig("anomaly", "misconduct_assessment", **ANOMALY), sig("attendance", "advice")], "advice"),
        ([sig("anomaly", "advice", **ANOMALY), sig("roster", "misconduct_assessment")], "misconduct_assessment"),
        # wellbeing signals never raise a conduct route, even if they claim one
        ([sig("hours", "gross_misconduct_assessment", **WELLBEING)], "wellbeing"),
        ([sig("hours", "criminal_referral", **WELLBEING), sig("a", "advice")], "advice"),
        ([sig("hours", "wellbeing", **WELLBEING), sig("a", "misconduct_assessment")], "misconduct_assessment"),
    ],
)
def test_candidate_route(signals, route):
    assert candidate_route(signals) == route


def test_a_person_appears_once_with_everything():
    signals = [
        sig("overtime", "gross_misconduct_assessment", 0.9, start=1, end=31),
        sig("overtime", "misconduct_assessment", 0.5, start=1, end=31, sid="second"),
        sig("anomaly", "advice", 0.6, start=1, end=15, **ANOMALY),
        sig("hours", "wellbeing", 0.99, staff="P2", **WELLBEING),
    ]
    cands = combine(signals, run_id="r1")
    assert [c.staff_id for c in cands] == ["P1", "P2"]
    p1 = cands[0]
    assert p1.route == "gross_misconduct_assessment"
    assert p1.detectors == ("overtime", "anomaly")
    assert len(p1.signals) == 3 and p1.signals[0].score == 0.9
    assert (p1.period_start, p1.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    # strongest per detector, noisy-OR: 1 - (1 - 0.9)(1 - 0.6)
    assert p1.score == pytest.approx(0.96)
    assert p1.explanation == "overtime says gross_misconduct_assessment. Also flagged by: overtime (1 signal), anomaly (1 signal)."
    assert p1.signals[0].evidence == {"source_rows": {"table": "t", "keys": ["k"]}}
    assert cands[1].route == "wellbeing" and cands[1].score == pytest.approx(0.99)
    assert p1.candidate_id == combine(list(reversed(signals)), run_id="other")[0].candidate_id


def test_wellbeing_does_not_add_to_a_conduct_score():
    signals = [sig("a", "misconduct_assessment", 0.5), sig("hours", "wellbeing", 0.9, **WELLBEING)]
    assert combined_score(signals, "misconduct_assessment") == pytest.approx(0.5)
    assert combined_score(signals, "wellbeing") == pytest.approx(0.95)
