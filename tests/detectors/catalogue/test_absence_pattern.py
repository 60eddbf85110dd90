import datetime as dt

import pytest

from fairwitness.detectors.catalogue.absence_pattern import AbsencePattern


def sick(aid, staff, start, end, typ="sickness"):
    return {"absence_id": aid, "staff_id": staff, "type": typ, "start": start, "end": end, "reason_category": None}


@pytest.fixture
def tables(T, P, base):
    rows = [
        # F1: four short spells
        sick("f1", "F1", "2024-03-01 00:00", "2024-03-04 00:00"), sick("f2", "F1", "2024-03-08 00:00", "2024-03-11 00:00"),
        sick("f3", "F1", "2024-03-15 00:00", "2024-03-18 00:00"), sick("f4", "F1", "2024-03-22 00:00", "2024-03-26 00:00"),
        # F2: long-term sickness spanning the period
        sick("g1", "F2", "2024-01-15 00:00", "2024-05-01 00:00"),
        # F3: one short spell and annual leave
        sick("h1", "F3", "2024-03-04 00:00", "2024-03-06 00:00"),
        sick("h2", "F3", "2024-03-11 00:00", "2024-03-25 00:00", typ="annual_leave"),
        # F4: two spells only
        sick("i1", "F4", "2024-03-04 00:00", "2024-03-09 00:00"), sick("i2", "F4", "2024-03-18 00:00", "2024-03-23 00:00"),
    ]
    return base([P(f"F{i}") for i in range(1, 12)]) | {"absences": T("absences", rows)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(AbsencePattern(), tables)}
    assert set(out) == {"F1", "F2"}
    assert out["F1"]["route"] == "wellbeing" and out["F1"]["value"] == 16 * 13
    assert out["F1"]["evidence_keys"] == ["f1", "f2", "f3", "f4"]
    assert out["F2"]["route"] == "wellbeing" and "long-term" in out["F2"]["detail"]


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(AbsencePattern(), tables)
    out = run_detector(AbsencePattern, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
