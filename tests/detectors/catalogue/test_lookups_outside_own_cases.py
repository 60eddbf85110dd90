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


# --- windows: six months, a burst of browsing other officers' cases in March ---------------

H1, H2 = dt.date(2024, 1, 1), dt.date(2024, 6, 30)


def look6(eid, staff, subject, day, i, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": f"{day.isoformat()} {9 + i % 8:02d}:{i % 60:02d}", "system": "NICHE",
            "action": "view", "subject_ref": subject, "case_ref": case}


@pytest.fixture
def half_year(T, P, base):
    parties = []
    for s in OFF:
        for j in range(3):
            parties.append({"case_ref": f"C-{s}", "subject_ref": f"P-{s}-{j}", "role": "victim" if j == 0 else "suspect",
                            "vulnerable": j == 0, "officer_in_case": s, "opened": "2023-12-01 00:00", "closed": None})
    rows = []
    for k, s in enumerate(OFF):
        for w in range(26):
            monday = H1 + dt.timedelta(days=7 * w)
            # own case every week, and 1 to 3 stop checks of people met on patrol (outside own cases)
            rows += [look6(f"{s}-own-{w}-{i}", s, f"P-{s}-{i % 3}", monday + dt.timedelta(days=i % 5), i, f"C-{s}") for i in range(10)]
            rows += [look6(f"{s}-x-{w}-{i}", s, f"RANDOM-{s}-{w}-{i}", monday + dt.timedelta(days=i % 5), i) for i in range(1 + k % 3)]
            if s == "O02":  # works a colleague's case every week and cites it
                rows += [look6(f"O02-help-{w}-{i}", s, f"P-O05-{i % 3}", monday + dt.timedelta(days=i % 5), i, "C-O05") for i in range(20)]
    # O01 browses the parties of other officers' cases, 50 times between 4 and 22 March
    others = [o for o in OFF if o != "O01"]
    rows += [look6(f"O01-snoop-{i}", "O01", f"P-{others[i % 14]}-{i % 3}", dt.date(2024, 3, 4) + dt.timedelta(days=i % 19), i)
             for i in range(50)]
    return base([P(s) for s in OFF]) | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}


def test_window_finds_a_burst_the_period_misses(run, half_year):
    # 76 lookups outside own cases over six months is within the peers' spread (26 to 78)
    assert run(LookupsOutsideOwnCases({"window_days": 0}), half_year, H1, H2) == []
    (r,) = run(LookupsOutsideOwnCases(), half_year, H1, H2)
    assert r["staff_id"] == "O01" and r["route"] == "misconduct_assessment"
    assert (r["period_start"], r["period_end"]) == (dt.date(2024, 2, 26), dt.date(2024, 3, 24))
    assert r["value"] == 54  # the 50 lookups of the burst and 4 weeks of one stop check
    assert (r["peer_median"], r["peer_percentile"]) == (8.0, 100.0)
    assert r["peer_group"].endswith("same 28 days")
    assert {k.split("-")[1] for k in r["evidence_keys"]} == {"snoop", "x"} and len(r["evidence_keys"]) == 54
    # 42 parties of other cases (14 of them vulnerable victims) and 4 stop checks
    assert r["detail"].startswith("in the 28 days 2024-02-26 to 2024-03-24: 46 distinct subjects, 14 of them vulnerable")
    assert "13.5 times their usual count per 28 days (median 4.0" in r["detail"]


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_windows_on_spark(engine, run_detector, run, half_year):
    direct = run(LookupsOutsideOwnCases(), half_year, H1, H2)
    out = run_detector(LookupsOutsideOwnCases, half_year, period_start=H1, period_end=H2).to_pylist()
    cols = ("staff_id", "route", "period_start", "period_end", "value", "peer_median", "peer_percentile", "detail")
    assert sorted(tuple(r[c] for c in cols) + (tuple(r["evidence_keys"]),) for r in out) == sorted(
        tuple(r[c] for c in cols) + (tuple(sorted(set(r["evidence_keys"]))),) for r in direct
    )


def test_windows_change_nothing_within_a_month(run, tables):
    # every lookup of the one-month fixture is on one day: each window sees what the period sees
    assert run(LookupsOutsideOwnCases(), tables) == run(LookupsOutsideOwnCases({"window_days": 0}), tables)
