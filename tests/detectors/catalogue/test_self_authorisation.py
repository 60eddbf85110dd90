import datetime as dt

import pytest

from fairwitness.detectors.catalogue.self_authorisation import SelfAuthorisation


def ot(cid, staff, auth, status="approved", start="2024-03-05 18:00"):
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": "2024-03-05 22:00", "hours": 4, "rate": 1.5,
            "reason_code": "op", "submitted_at": "2024-03-06 09:00", "authorised_by": auth,
            "authorised_at": "2024-03-06 10:00", "status": status}


@pytest.fixture
def tables(T):
    claims = [
        ot("c1", "A", "A"), ot("c2", "A", " a "),           # self-authorised twice (id spelt differently)
        ot("c3", "B", "SUP"),                              # normal
        ot("c4", "C", "C", status="rejected"),             # rejected: not evidence
        ot("c5", "D", None, status="pending"),             # not yet authorised
        ot("c6", "E", "E", start="2024-02-05 18:00"),      # outside the period
    ]
    expenses = [{"claim_id": "x1", "staff_id": "F", "date": "2024-03-07", "category": "travel", "amount_gbp": 40.0,
                 "site_id": None, "authorised_by": "F"},
                {"claim_id": "x2", "staff_id": "B", "date": "2024-03-07", "category": "travel", "amount_gbp": 40.0,
                 "site_id": None, "authorised_by": "SUP"}]
    return {"overtime_claims": T("overtime_claims", claims), "expenses": T("expenses", expenses)}


def test_flags(run, tables):
    out = run(SelfAuthorisation(), tables)
    assert [(r["staff_id"], r["evidence_table"], r["evidence_keys"], r["route"]) for r in out] == [
        ("A", "overtime_claims", ["c1", "c2"], "misconduct_assessment"),
        ("F", "expenses", ["x1"], "misconduct_assessment"),
    ]


def test_thresholds_and_optional_source(run, tables):
    graded = SelfAuthorisation({"misconduct_min_claims": 2})
    routes = {r["staff_id"]: r["route"] for r in run(graded, tables)}
    assert routes == {"A": "misconduct_assessment", "F": "advice"}
    no_exp = {"overtime_claims": tables["overtime_claims"]}
    assert [r["staff_id"] for r in run(SelfAuthorisation(), no_exp)] == ["A"]


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(SelfAuthorisation(), tables)
    out = run_detector(SelfAuthorisation, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


@pytest.mark.parametrize(("route_text", "counted"), [
    ("Auto-approved: under 1 hour (system rule CH2)", False),
    ("Bulk upload (Ops Planning)", False),
    ("Line manager", True),
    (None, True),
])
def test_a_claim_the_system_approved_under_the_claimants_id(run, T, route_text, counted):
    """A claims system that approves short extensions by rule, or a planning team's bulk upload,
    writes the claimant as the authoriser: the authorisation route says so, and the claim is not
    counted. Recorded as authorised by a line manager, or with no route, it is."""
    claims = [dict(ot("c1", "A", "A"), authorisation_route=route_text), ot("c3", "B", "SUP")]
    out = [r["staff_id"] for r in run(SelfAuthorisation(), {"overtime_claims": T("overtime_claims", claims)})]
    assert out == (["A"] if counted else [])
