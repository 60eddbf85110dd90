import datetime as dt

import pytest

from fairwitness.detectors.catalogue.lookups_without_case_ref import LookupsWithoutCaseRef

U1 = [f"L{i:02d}" for i in range(1, 21)]
U2 = [f"M{i:02d}" for i in range(1, 13)]


def look(staff, i, case, subject=None, day=5):
    return {"event_id": f"{staff}-{i}", "staff_id": staff, "ts": f"2024-03-{day:02d} 10:{i % 60:02d}", "system": "PNC",
            "action": "search", "subject_ref": subject or f"SUBJ-{staff}-{i}", "case_ref": case}


def lookups(staff, n_case, n_nocase):
    rows = [look(staff, i, f"CASE-{staff}") for i in range(n_case)]
    return rows + [look(staff, n_case + i, None if i % 2 else "  ") for i in range(n_nocase)]


@pytest.fixture
def tables(T, P, base):
    people = [P(s) for s in U1] + [P(s, unit_id="U2") for s in U2]
    rows = []
    for k, s in enumerate(U1):
        n_nocase = {"L01": 60, "L02": 14}.get(s, 4 + k % 3)
        n_case = 270 if s == "L03" else 30
        if s == "L03":
            n_nocase = 45  # an analyst: many lookups, the usual share without a case
        rows += lookups(s, n_case, n_nocase)
    for k, s in enumerate(U2):  # a surge unit: everyone does far more
        rows += lookups(s, 90, 40 + k % 3)
    return base(people) | {"system_access": T("system_access", rows)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), tables)}
    assert set(out) == {"L01", "L02"}
    assert out["L01"]["route"] == "misconduct_assessment"
    assert out["L01"]["value"] == 60 and out["L01"]["peer_median"] == 5.0
    assert len(out["L01"]["evidence_keys"]) == 60
    assert out["L02"]["route"] == "advice"
    # L03 is a heavy user whose share without a case is usual: not flagged when moderately above,
    # advice with the explanation when far above
    far = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef({"misconduct_percentile": 95}), tables)}
    assert far["L03"]["route"] == "advice"
    assert far["L03"]["explanations_found"] == ["high overall lookup volume; share without case reference in line with peers"]
    assert "normalised for unit demand" in out["L01"]["peer_group"]


def test_empty_and_params(run, tables, T):
    t = dict(tables)
    t["system_access"] = T("system_access", [])
    assert run(LookupsWithoutCaseRef(), t) == []
    assert {r["staff_id"] for r in run(LookupsWithoutCaseRef({"min_count": 100}), tables)} == set()


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(LookupsWithoutCaseRef(), tables)
    out = run_detector(LookupsWithoutCaseRef, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
