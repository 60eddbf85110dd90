"""Tuning: one detector over several values of a parameter, with truth or reviewer outcomes."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.detectors import runs
from fairwitness.detectors.tuning import TuningError, tune

JAN = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


@pytest.fixture
def ws(make_workspace, contract_table):
    claims = []
    # P1: three self-authorised claims, P2: one, P3: none (authorised by a sergeant)
    for staff, n_self in (("P1", 3), ("P2", 1), ("P3", 0)):
        for i in range(3):
            claims.append(dict(
                claim_id=f"{staff}-{i}", staff_id=staff, start=f"2025-01-{i + 5:02d} 18:00", end=f"2025-01-{i + 5:02d} 20:00",
                hours=2.0, reason_code="arrest", status="approved", authorised_by=staff if i < n_self else "SGT",
            ))
    staff = ("P1", "P2", "P3", "SGT")
    people = [dict(staff_id=s, start_date="2020-01-01", end_date=None, unit_id="U1") for s in staff]
    units = [dict(unit_id="U1", name="Response 1", unit_type="response", command="North", site_id="S1")]
    # an ordinary January roster, so the data-coverage gate sees every source it needs
    shifts = [dict(shift_id=f"{s}-{d}", staff_id=s, start=f"2025-01-{d:02d} 07:00", end=f"2025-01-{d:02d} 17:00",
                   duty_type="normal", site_id="S1") for s in staff for d in range(1, 32)]
    return make_workspace({"overtime_claims": contract_table("overtime_claims", claims),
                           "people": contract_table("people", people), "units": contract_table("units", units),
                           "shifts": contract_table("shifts", shifts)})


def test_flags_per_route_and_precision_recall_per_value(ws, tmp_path):
    truth = tmp_path / "truth.parquet"
    pq.write_table(pa.table({
        "staff_id": ["P1"], "scenario": ["self_authorisation"],
        "start": [dt.datetime(2025, 1, 1)], "end": [dt.datetime(2025, 1, 31)], "kind": ["misconduct"],
    }), truth)
    rep = tune(ws, "self_authorisation", "misconduct_min_claims", ["1", "2", "3"], truth=truth, period=JAN)
    by = {r.value: r for r in rep.rows}
    assert by["1"].flags["misconduct_assessment"] == 2 and by["1"].flags["advice"] == 0
    assert by["3"].flags["misconduct_assessment"] == 1 and by["3"].flags["advice"] == 1
    assert by["1"].precision["misconduct_assessment"] == 0.5
    assert by["3"].precision["misconduct_assessment"] == 1.0 and by["3"].precision["advice"] == 0.0
    assert all(r.recall == {"self_authorisation": 1.0} for r in rep.rows)


def test_reviewer_outcomes_and_the_current_run_is_kept(ws, tmp_path):
    from fairwitness.detectors.runner import run

    kept = run(ws, detectors=["self_authorisation"], period_start=JAN[0], period_end=JAN[1]).run_id
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("staff_id,outcome\nP1,misconduct_assessment\nP2,no_further_action\n")
    rep = tune(ws, "self_authorisation", "advice_min_claims", ["1", "2"], outcomes=outcomes, period=JAN)
    by = {r.value: r for r in rep.rows}
    assert by["1"].precision["misconduct_assessment"] == 0.5 and by["2"].precision["misconduct_assessment"] == 1.0
    assert by["2"].flags["misconduct_assessment"] == 1 and by["1"].judged_by == "reviewer outcomes"
    assert runs.current_run_id(ws) == kept


def test_bad_requests_are_refused_clearly(ws, tmp_path):
    with pytest.raises(TuningError, match="has no parameter 'nope'; parameters: advice_min_claims, misconduct_min_claims"):
        tune(ws, "self_authorisation", "nope", ["1"], period=JAN)
    with pytest.raises(TuningError, match="misconduct_min_claims='zero' is not valid"):
        tune(ws, "self_authorisation", "misconduct_min_claims", ["zero"], period=JAN)
    bad = tmp_path / "o.csv"
    bad.write_text("staff_id,outcome\nP1,sacked\n")
    with pytest.raises(TuningError, match="row 2: outcome 'sacked' is not one of"):
        tune(ws, "self_authorisation", "advice_min_claims", ["1"], outcomes=bad, period=JAN)
