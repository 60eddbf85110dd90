import datetime as dt

import pytest

from fairwitness.detectors.catalogue.rest_day_swap_overtime import RestDaySwapOvertime


def rc(cid, staff, by, field, old, new, shift="SHX"):
    return {"change_id": cid, "shift_id": shift, "staff_id": staff, "changed_by": by, "changed_at": "2024-03-01 10:00",
            "field": field, "old_value": old, "new_value": new}


def ot(cid, staff, start, end, status="approved", reason="operational", auth="SUP"):
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": end, "hours": 8, "rate": 1.5, "reason_code": reason,
            "submitted_at": end, "authorised_by": auth, "authorised_at": end, "status": status}


@pytest.fixture
def tables(T):
    changes = [
        rc("a1", "A", "A", "start", "2024-03-05 07:00", "2024-03-07 07:00"),       # shift moved off the 5th
        rc("b1", "B", "SUP", "rest_day", "2024-03-12", "2024-03-14"),              # rest day moved onto the 14th
        rc("c1", "C", "C", "duty_type", "normal", "Rest Day", shift="SH-C"),         # night shift turned into a rest day
        rc("d1", "D", "SUP", "start", "2024-03-18 07:00", "2024-03-19 07:00"),     # supervisor moves, then recalls
        rc("e1", "E", "E", "start", "2024-03-21 07:00", "2024-03-22 07:00"),       # overtime on another day
        rc("f1", "F", "F", "start", "2024-03-25 07:00", "2024-03-26 07:00"),       # overtime rejected
        rc("g1", "G", "G", "date", "2024-04-01", "2024-04-03"),                    # freed 1 April (BST)
        rc("h1", "H", "H", "date", "2024-03-10", "2024-03-11"),                    # freed 10 March
        rc("i1", "I", "I", "end", "2024-03-15T23:00:00", "2024-03-16T00:00:00"),   # an extension across midnight
        rc("j1", "J", "J", "start", "2024-03-15T23:00:00", "2024-03-16T00:30:00"), # moved 90 minutes
    ]
    claims = [
        ot("oa", "A", "2024-03-05 07:00", "2024-03-05 17:00"),
        ot("ob", "B", "2024-03-14 08:00", "2024-03-14 16:00"),
        ot("oc", "C", "2024-03-20 22:00", "2024-03-21 07:00"),
        ot("od", "D", "2024-03-18 07:00", "2024-03-18 15:00", reason="Recall - short notice"),
        ot("oe", "E", "2024-03-23 07:00", "2024-03-23 15:00"),
        ot("of", "F", "2024-03-25 07:00", "2024-03-25 15:00", status="rejected"),
        ot("og", "G", "2024-03-31 23:30", "2024-04-01 07:30"),   # 00:30 on 1 April, London time
        ot("oh", "H", "2024-03-09 23:30", "2024-03-10 07:30"),   # 23:30 on 9 March, London time (GMT)
        ot("oi", "I", "2024-03-15 08:00", "2024-03-15 16:00"),
        ot("oj", "J", "2024-03-15 08:00", "2024-03-15 16:00"),
    ]
    shifts = [{"shift_id": "SH-C", "staff_id": "C", "start": "2024-03-20 22:00", "end": "2024-03-21 07:00",
               "duty_type": "normal", "site_id": "S1"}]
    return {"roster_changes": T("roster_changes", changes), "overtime_claims": T("overtime_claims", claims),
            "shifts": T("shifts", shifts)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(RestDaySwapOvertime(), tables)}
    assert set(out) == {"A", "B", "C", "D", "G"}
    for s in "ACG":
        assert out[s]["route"] == "misconduct_assessment", s
    assert out["B"]["route"] == "advice"  # the sergeant moved the rest day
    assert out["B"]["explanations_found"] == ["the swap was made by someone else (a roster decision)"]
    assert out["A"]["evidence_keys"] == ["oa"]
    assert out["A"]["evidence_table"] == "overtime_claims"
    assert "a1" in out["A"]["detail"]
    assert out["D"]["route"] == "advice"
    assert out["D"]["explanations_found"] == ["recall to duty by a supervisor, overtime authorised by someone else"]


def test_without_roster(run, T, tables):
    # without the shifts table the duty-type form cannot be dated; the rest still works
    t = dict(tables)
    del t["shifts"]
    assert {r["staff_id"] for r in run(RestDaySwapOvertime(), t)} == {"A", "B", "D", "G"}
    t["roster_changes"] = T("roster_changes", [])
    assert run(RestDaySwapOvertime(), t) == []


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(RestDaySwapOvertime(), tables)
    out = run_detector(RestDaySwapOvertime, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
