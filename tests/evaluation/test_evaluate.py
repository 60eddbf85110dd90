"""Evaluation metrics on hand-made truth and signals, and end to end over a run."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runner import run
from fairwitness.evaluation import Thresholds, TruthError, evaluate, read_truth, score_run

JAN = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def truth(staff, scenario, start, end, kind="misconduct"):
    return {"staff_id": staff, "scenario": scenario, "start": dt.datetime.fromisoformat(start), "end": dt.datetime.fromisoformat(end), "kind": kind}


def signal(staff, detector, start=1, end=31):
    return {"staff_id": staff, "detector": detector, "period_start": dt.date(2025, 1, start), "period_end": dt.date(2025, 1, end)}


TRUTH = [
    truth("P1", "roster_premium_edit", "2025-01-05", "2025-01-20"),
    truth("P2", "overtime_no_presence", "2025-01-05", "2025-01-20"),
    truth("P3", "self_authorisation", "2025-03-01", "2025-03-10"),  # outside the run's period
    truth("P4", "surge_unit_overtime", "2025-01-01", "2025-01-31", "decoy"),
    truth("P5", "long_term_sickness", "2025-01-01", "2025-01-31", "decoy"),
    truth("P7", "roster_premium_edit", "2025-01-05", "2025-01-20"),
    truth("P7", "part_time_pattern", "2025-01-01", "2025-01-31", "decoy"),
    truth("P8", "roster_premium_edit", "2025-01-01", "2025-01-03"),
]
SIGNALS = [
    signal("P1", "roster"),
    signal("P2", "lookups"),  # flags P2, but not for the planted scenario
    signal("P4", "overtime"),
    signal("P5", "hours"),
    signal("P6", "roster"),
    signal("P7", "roster"),
    signal("P8", "roster", start=10),  # P8's planted edits ended before this signal's period
]
CANDIDATES = [
    {"staff_id": "P1", "route": "misconduct_assessment"},
    {"staff_id": "P2", "route": "advice"},
    {"staff_id": "P4", "route": "gross_misconduct_assessment"},
    {"staff_id": "P5", "route": "wellbeing"},
    {"staff_id": "P6", "route": "misconduct_assessment"},
    {"staff_id": "P7", "route": "gross_misconduct_assessment"},
    {"staff_id": "P8", "route": "advice"},
]
SCENARIOS = {"roster": ["roster_premium_edit"], "lookups": ["unjustified_lookups"], "overtime": ["overtime_no_presence"], "hours": []}


def _score(**kw):
    args = dict(run_id="r", period=JAN, signals=SIGNALS, candidates=CANDIDATES, detector_scenarios=SCENARIOS, truth=TRUTH, staff=100)
    return score_run(**{**args, **kw})


def test_metrics_on_hand_made_truth():
    r = _score(thresholds=Thresholds(min_recall=0.95, min_precision=0.9, max_decoys=0, max_conduct_share=0.03))
    scen = {s.scenario: s for s in r.scenarios}
    assert set(scen) == {"roster_premium_edit", "overtime_no_presence"}
    assert (scen["roster_premium_edit"].instances, scen["roster_premium_edit"].found) == (3, 2)
    assert scen["roster_premium_edit"].missed == ["P8"]
    assert scen["roster_premium_edit"].recall == pytest.approx(2 / 3)
    assert (scen["overtime_no_presence"].found, scen["overtime_no_presence"].recall) == (0, 0.0)
    assert r.out_of_period == 1
    assert (r.conduct_candidates, r.true_positives, r.precision) == (4, 2, 0.5)
    assert r.false_positives == ["P4", "P6"]
    assert [(d.staff_id, d.scenarios) for d in r.decoys_on_conduct] == [("P4", ["surge_unit_overtime"])]
    assert [d.staff_id for d in r.decoys_with_misconduct] == ["P7"]
    assert r.route_correctness == 0.5  # P1 right; P7 expected misconduct_assessment, got gross
    assert (r.flags_per_1000, r.conduct_share) == (70.0, 0.04)
    assert r.by_route["misconduct_assessment"] == 2 and r.by_route["wellbeing"] == 1
    assert not r.passed and len(r.failures) == 5
    assert any("recall for overtime_no_presence is 0.000 (0/1), below 0.95" in f for f in r.failures)
    assert any("1 decoy(s) on a conduct route" in f for f in r.failures)


def test_advice_is_adverse_and_measured_per_route():
    th = Thresholds(min_precision_advice=0.9, min_precision_grave=0.97, max_adverse_share=0.05, max_adverse_decoys=0)
    r = _score(thresholds=th)
    by = {x.route: x for x in r.routes}
    assert set(by) == {"advice", "misconduct_assessment", "gross_misconduct_assessment", "criminal_referral"}
    assert (by["advice"].people, by["advice"].true_positives, by["advice"].precision) == (2, 2, 1.0)
    assert (by["advice"].share, by["misconduct_assessment"].false_positives) == (0.02, ["P6"])
    assert by["criminal_referral"].precision is None
    assert (r.grave_candidates, r.grave_true_positives, r.grave_precision) == (2, 1, 0.5)
    assert (r.adverse_candidates, r.adverse_true_positives, r.adverse_share) == (6, 4, 0.06)
    assert [d.staff_id for d in r.decoys_on_adverse] == ["P4"]
    assert any("precision on gross misconduct and criminal referral together is 0.500 (1/2), below 0.97" in f for f in r.failures)
    assert any("6.00% of staff on an adverse route (advice included), more than 5.00%" in f for f in r.failures)
    assert any("1 decoy(s) on an adverse route" in f for f in r.failures)
    assert not any("precision on advice" in f for f in r.failures)
    # an advice flag with no breach behind it counts against advice precision
    r = _score(candidates=[*CANDIDATES, {"staff_id": "P9", "route": "advice"}], thresholds=th)
    assert any("precision on advice is 0.667 (2/3), below 0.9" in f for f in r.failures)


def test_person_matching_ignores_dates_and_thresholds_can_pass():
    r = _score(match="person", thresholds=Thresholds(min_recall=0.0, max_decoys=1, max_conduct_share=0.05))
    assert {s.scenario: s.found for s in r.scenarios}["roster_premium_edit"] == 3
    assert r.passed, r.failures


class Edits(Detector):
    name = "edits"
    version = "1"
    title = "Edits"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id")}
    explain = "{value} edits."
    scenarios = ("roster_premium_edit",)

    def build(self, src):
        t = src.table("roster_changes")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())
        return g.select(
            staff_id=g.staff_id, period_start=ibis.literal(src.period_start), period_end=ibis.literal(src.period_end),
            value=g.n.cast("float64"), peer_median=ibis.null("float64"), peer_percentile=ibis.null("float64"),
            peer_group=ibis.null("string"), score=ibis.literal(0.9), route=ibis.literal("misconduct_assessment"),
            evidence_table=ibis.literal("roster_changes"), evidence_keys=g.keys,
            explanations_found=ibis.literal([], "array<string>"), detail=ibis.null("string"),
        )


@pytest.fixture
def evaluated_ws(make_workspace, contract_table):
    ws = make_workspace(
        {
            "roster_changes": contract_table("roster_changes", [
                dict(change_id="C1", shift_id="S", staff_id="P1", changed_by="P9", changed_at="2025-01-10 10:00", field="f"),
                dict(change_id="C2", shift_id="S", staff_id="P2", changed_by="P9", changed_at="2025-01-11 10:00", field="f"),
            ]),
            "people": contract_table("people", [
                dict(staff_id=f"P{i}", start_date="2020-01-01", end_date=None) for i in range(1, 10)
            ] + [dict(staff_id="LEFT", start_date="2010-01-01", end_date="2024-06-30")]),
        }
    )
    run(ws, registry=load_registry([Edits], plugins=False), period_start=JAN[0], period_end=JAN[1])
    return ws


def test_evaluate_reads_truth_files_and_folders(evaluated_ws, tmp_path):
    rows = [truth("P1", "roster_premium_edit", "2025-01-01", "2025-01-31"), truth("P2", "recall_to_duty", "2025-01-01", "2025-01-31", "decoy")]
    folder = tmp_path / "export"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), folder / "truth.parquet")
    (tmp_path / "truth.csv").write_text(
        "staff_id,scenario,start,end,kind\nP1,roster_premium_edit,2025-01-01 00:00,2025-01-31 00:00,misconduct\n"
        "P2,recall_to_duty,2025-01-01 00:00,2025-01-31 00:00,decoy\n"
    )
    for path in (folder, folder / "truth.parquet", tmp_path / "truth.csv"):
        r = evaluate(evaluated_ws, path, Thresholds(min_recall=0.95, max_decoys=0))
        assert r.staff == 9  # LEFT had left before the period
        assert [(s.scenario, s.recall) for s in r.scenarios] == [("roster_premium_edit", 1.0)]
        assert [d.staff_id for d in r.decoys_on_conduct] == ["P2"]
        assert r.failures == ["1 decoy(s) on a conduct route, more than 0"]
    assert read_truth(tmp_path / "truth.csv")[0]["start"] == dt.datetime(2025, 1, 1, 0, 0)  # GMT in January
    with pytest.raises(TruthError, match="no truth table"):
        evaluate(evaluated_ws, tmp_path / "missing")
