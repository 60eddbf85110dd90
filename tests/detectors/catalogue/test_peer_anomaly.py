import datetime as dt

import pytest

from fairwitness.detectors.catalogue.peer_anomaly import PeerAnomaly

U1 = [f"A{i:02d}" for i in range(1, 16)]
U2 = [f"B{i:02d}" for i in range(1, 13)]
START, END = dt.date(2024, 2, 1), dt.date(2024, 3, 31)
OT_AND_LOOKUPS = "A02"
"""In March: far more lookups without a case reference than peers, and a surge unit's
overtime in a unit without one — two behaviours. A01 has only the lookups (one behaviour,
though it moves two features: lookups and distinct subjects)."""


def ot(cid, staff, day, hours):
    return {"claim_id": cid, "staff_id": staff, "start": f"{day} 18:00", "end": f"{day} 23:00", "hours": hours,
            "rate": 1.5, "reason_code": "op", "submitted_at": f"{day} 23:30", "authorised_by": "SUP",
            "authorised_at": f"{day} 23:45", "status": "approved"}


def look(eid, staff, day, case):
    return {"event_id": eid, "staff_id": staff, "ts": f"{day} 10:00", "system": "PNC", "action": "search",
            "subject_ref": f"S-{eid}", "case_ref": case}


@pytest.fixture
def tables(T, P, base):
    claims, lookups = [], []
    for k, s in enumerate(U1 + U2):
        surge = s.startswith("B")
        for month in ("2024-02", "2024-03"):
            extra = 12 if (surge or s == OT_AND_LOOKUPS) and month == "2024-03" else 0
            for i in range(3 + k % 3 + extra):
                claims.append(ot(f"{s}-{month}-{i}", s, f"{month}-{10 + i % 15:02d}", 4.0))
            n_nocase = 3 + k % 4
            if s in ("A01", OT_AND_LOOKUPS) and month == "2024-03":
                n_nocase = 80
            for i in range(20 + n_nocase):
                lookups.append(look(f"{s}-{month}-{i}", s, f"{month}-{5 + i % 20:02d}", None if i < n_nocase else "C1"))
    people = [P(s) for s in U1] + [P(s, unit_id="U2") for s in U2]
    return base(people) | {"overtime_claims": T("overtime_claims", claims), "system_access": T("system_access", lookups)}


def test_flags(run, tables):
    out = run(PeerAnomaly(), tables, start=START, end=END)
    assert [r["staff_id"] for r in out] == [OT_AND_LOOKUPS]
    (r,) = out
    assert r["route"] == "advice"
    assert r["detail"].startswith("month of 2024-03: lookups without a case reference 80.00")
    assert "overtime hours claimed" in r["detail"]
    assert (r["period_start"], r["period_end"]) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert r["evidence_table"] == "system_access"
    assert r["value"] >= 0.62 and r["peer_percentile"] == 100.0
    assert PeerAnomaly.max_route == "advice"


def test_deterministic_and_empty(run, tables, T):
    a = run(PeerAnomaly(), tables, start=START, end=END)
    b = run(PeerAnomaly(), tables, start=START, end=END)
    assert a == b
    t = {k: tables[k] for k in ("people", "units")}
    assert run(PeerAnomaly(), t, start=START, end=END) == []


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(PeerAnomaly(), tables, start=START, end=END)
    out = run_detector(PeerAnomaly, tables, period_start=START, period_end=END).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_one_behaviour_is_not_a_multivariate_anomaly(run, tables):
    """A01's lookups move two features of one behaviour; counted per feature they would
    make an anomaly, counted per behaviour they are the single-pattern detectors' business."""
    assert "A01" not in {r["staff_id"] for r in run(PeerAnomaly(), tables, start=START, end=END)}
    per_feature = PeerAnomaly(params={"min_unusual_features": 1})
    assert {"A01", OT_AND_LOOKUPS} <= {r["staff_id"] for r in run(per_feature, tables, start=START, end=END)}


def test_finish_orders_the_rows_itself(run, tables):
    """`PeerAnomaly.orders_rows`: the runner hands ``finish`` the query's rows unsorted, so the
    same rows in any order give the same signals."""
    import numpy as np
    import pyarrow as pa

    got = []

    class Recording(PeerAnomaly):
        def finish(self, result):
            got.append(result)
            return super().finish(result)

    assert PeerAnomaly.orders_rows
    expected = run(Recording(), tables, start=START, end=END)
    (result,) = got
    first = PeerAnomaly().finish(result)
    assert first.num_rows == len(expected) == 1
    for seed in range(3):
        order = pa.array(np.random.default_rng(seed).permutation(result.num_rows))
        assert PeerAnomaly().finish(result.take(order)).equals(first)


def test_part_day_appointments_are_not_days_of_sickness(run, tables, T):
    """A01 (one unusual behaviour: lookups) also had six two-hour appointments in March, written
    as HR systems write a part day (the date and ``hours``): under two days of sickness, no second
    unusual behaviour. Read as the dates' spans they were six days, and A01 a multivariate anomaly."""
    rows = [{"absence_id": f"ap{d}", "staff_id": "A01", "type": "sickness", "start": f"2024-03-{d:02d}",
             "end": f"2024-03-{d + 1:02d}", "reason_category": None, "hours": 2.0} for d in (4, 8, 12, 18, 22, 26)]
    t = tables | {"absences": T("absences", rows)}
    assert "A01" not in {r["staff_id"] for r in run(PeerAnomaly(), t, start=START, end=END)}
    whole = [dict(r, hours=None) for r in rows]  # the same six dates as whole days
    assert "A01" in {r["staff_id"] for r in run(PeerAnomaly(), tables | {"absences": T("absences", whole)}, start=START, end=END)}
