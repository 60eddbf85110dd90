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


# -- the whole-run table against the per-person rules ------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fairwitness.detectors.combine import candidate_id, candidate_table, effective_routes, summarise  # noqa: E402
from fairwitness.detectors.runs import candidates_from_table  # noqa: E402
from fairwitness.routes import ROUTES  # noqa: E402

_signal = st.fixed_dictionaries(
    {
        "staff": st.sampled_from(["P1", "P2", "P3", "Ö4"]),
        "detector": st.sampled_from(["a", "b", "anomaly", "hours"]),
        "route": st.sampled_from(ROUTES),
        "score": st.sampled_from([-0.2, 0.0, 0.1, 0.3333333, 0.5, 0.9, 1.0, 1.7]),
        "purpose": st.sampled_from(["counter_corruption", "wellbeing", "attendance"]),
        "standalone": st.booleans(),
        "start": st.integers(1, 15),
        "end": st.integers(16, 31),
        "text": st.sampled_from(["  lead  ", "café – £3 \"quoted\"\n", "plain"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_signal, min_size=1, max_size=14))
def test_candidate_table_follows_the_per_person_rules(drawn):
    signals = []
    for n, d in enumerate(drawn):
        s = sig(d["detector"], d["route"], d["score"], staff=d["staff"], purpose=d["purpose"], standalone=d["standalone"],
                sid=f"s{n:02d}", start=d["start"], end=d["end"])
        s["explanation"] = d["text"] + s["explanation"]
        s["evidence"] = json.dumps({"source_rows": {"keys": [d["text"]], "table": "t"}, "z": d["score"]}, sort_keys=True)
        signals.append(s)
    got = {c.staff_id: c for c in candidates_from_table(candidate_table(signals, run_id="r"))}
    assert list(got) == sorted({s["staff_id"] for s in signals})
    for staff, c in got.items():
        mine = [s for s in signals if s["staff_id"] == staff]
        routes = effective_routes(mine)
        assert c.route == candidate_route(mine)
        assert c.score == combined_score(mine, c.route)
        assert c.explanation == summarise(mine, routes)
        assert c.candidate_id == candidate_id(staff, c.period_start, c.period_end, [s["signal_id"] for s in mine])
        assert (c.period_start, c.period_end) == (min(s["period_start"] for s in mine), max(s["period_end"] for s in mine))
        ordered = sorted(zip(routes, mine, strict=True), key=lambda p: (-ROUTES.index(p[0]), -p[1]["score"], p[1]["detector"], p[1]["signal_id"]))
        assert [r.signal_id for r in c.signals] == [s["signal_id"] for _, s in ordered]
        assert c.detectors == tuple(dict.fromkeys(s["detector"] for _, s in ordered))
        assert [r.evidence for r in c.signals] == [json.loads(s["evidence"]) for _, s in ordered]


def test_candidate_table_json_is_what_the_models_dump():
    signals = [sig("a", "advice", 0.25), sig("b", "misconduct_assessment", 0.5, sid="x\u00e9")]
    signals[0]["explanation"] = "Café – £3 \"quoted\"\t"
    table = candidate_table(signals, run_id="r")
    [c] = candidates_from_table(table)
    assert table["signals"][0].as_py() == json.dumps([s.model_dump(mode="json") for s in c.signals], sort_keys=True)
    assert table["n_signals"][0].as_py() == 2


def test_an_unknown_route_is_named():
    with pytest.raises(ValueError, match="unknown route 'sideways'"):
        candidate_table([sig("a", "sideways")], run_id="r")
