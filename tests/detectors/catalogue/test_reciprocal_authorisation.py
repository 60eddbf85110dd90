import datetime as dt

import pytest

from fairwitness.detectors.catalogue.reciprocal_authorisation import ReciprocalAuthorisation


def ot(cid, staff, auth, status="approved"):
    return {"claim_id": cid, "staff_id": staff, "start": "2024-03-05 18:00", "end": "2024-03-05 22:00", "hours": 4,
            "rate": 1.5, "reason_code": "op", "submitted_at": "2024-03-06 09:00", "authorised_by": auth,
            "authorised_at": "2024-03-06 10:00", "status": status}


@pytest.fixture
def tables(T, P):
    claims = [
        # A and B authorise each other (2 + 1 claims)
        ot("ab1", "B", "A"), ot("ab2", "B", "A"), ot("ba1", "A", "B"),
        # closed loop C -> D -> E -> C, one claim each
        ot("cd", "D", "C"), ot("de", "E", "D"), ot("ec", "C", "E"),
        # a loop of four F -> G -> H -> I -> F
        ot("fg", "G", "F"), ot("gh", "H", "G"), ot("hi", "I", "H"), ot("if", "F", "I"),
        # a normal hierarchy: SGT authorises PCs, INSP authorises SGT
        ot("n1", "PC1", "SGT"), ot("n2", "PC2", "SGT"), ot("n3", "SGT", "INSP"),
        # two sergeants covering for each other once, most claims authorised by their inspector
        *[ot(f"s1-{i}", "S1", "INSP") for i in range(12)], ot("s1x", "S1", "S2"),
        *[ot(f"s2-{i}", "S2", "INSP") for i in range(12)], ot("s2x", "S2", "S1"),
        # a pair that only exists through a rejected claim
        ot("r1", "PC1", "PC2"), ot("r2", "PC2", "PC1", status="rejected"),
    ]
    people = [P("A", line_manager_id="B"), P("B"), P("PC1", line_manager_id="SGT")]
    return {"overtime_claims": T("overtime_claims", claims), "people": T("people", people)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), tables)}
    assert set(out) == {"A", "B", "C", "D", "E", "F", "G", "H", "I"}
    assert out["A"]["route"] == "misconduct_assessment"
    assert out["A"]["evidence_keys"] == ["ab1", "ab2", "ba1"]
    assert out["A"]["detail"].startswith("pair A ⇄ B; at least 100%")
    assert out["A"]["explanations_found"] == ["the person's own claims were authorised by their line manager"]
    assert out["C"]["route"] == "misconduct_assessment"
    assert out["C"]["detail"].startswith("loop C → D → E → C")
    assert out["C"]["evidence_keys"] == ["cd", "de", "ec"]
    assert out["F"]["value"] == 4


def test_pairs_only(run, tables):
    out = run(ReciprocalAuthorisation({"max_loop": 2, "misconduct_min_claims": 4}), tables)
    assert {(r["staff_id"], r["route"]) for r in out} == {("A", "advice"), ("B", "advice")}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(ReciprocalAuthorisation(), tables)
    out = run_detector(ReciprocalAuthorisation, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
