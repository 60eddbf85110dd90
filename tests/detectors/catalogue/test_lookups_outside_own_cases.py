import datetime as dt

import pytest

from fairwitness.detectors.catalogue.lookups_outside_own_cases import LookupsOutsideOwnCases

OFF = [f"O{i:02d}" for i in range(1, 16)]


def look(eid, staff, subject, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": "2024-03-05 10:00", "system": "NICHE", "action": "view",
            "subject_ref": subject, "case_ref": case}


@pytest.fixture
def tables(T, P, base):
    parties = []
    for s in OFF:
        for j in range(3):
            parties.append({"case_ref": f"C-{s}", "subject_ref": f"P-{s}-{j}", "role": "victim" if j == 0 else "suspect",
                            "vulnerable": j == 0, "officer_in_case": s, "opened": "2024-01-01 00:00", "closed": None})
    rows = []
    for s in OFF:
        for i in range(20):  # own subjects, sometimes without citing the case
            rows.append(look(f"{s}-own-{i}", s, f"P-{s}-{i % 3}", f"C-{s}" if i % 4 else None))
        rows += [look(f"{s}-x-{i}", s, f"RANDOM-{s}-{i}") for i in range(2)]  # a couple of stop checks
    # O01 browses other officers' cases, vulnerable victims included
    others = [o for o in OFF if o != "O01"]
    rows += [look(f"O01-snoop-{i}", "O01", f"P-{others[i % 14]}-{i % 3}") for i in range(25)]
    # O02 works a colleague's case and cites it
    rows += [look(f"O02-help-{i}", "O02", f"P-O05-{i % 3}", "C-O05") for i in range(25)]
    return base([P(s) for s in OFF]) | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}


def test_flags(run, tables):
    out = run(LookupsOutsideOwnCases(), tables)
    assert [r["staff_id"] for r in out] == ["O01"]
    (r,) = out
    assert r["route"] == "misconduct_assessment"
    assert r["value"] == 27  # 25 lookups of other cases' parties + 2 stop checks
    assert "14 of them vulnerable" in r["detail"] or "vulnerable" in r["detail"]
    assert all(k.startswith("O01-snoop") or k.startswith("O01-x") for k in r["evidence_keys"])


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(LookupsOutsideOwnCases(), tables)
    out = run_detector(LookupsOutsideOwnCases, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
