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


def day_rows(prefix, staff, days, month=3):
    """One sickness row per date (SAP RPTLEA10 writes a spell so)."""
    return [sick(f"{prefix}{d}", staff, f"2024-{month:02d}-{d:02d} 00:00", f"2024-{month:02d}-{d + 1:02d} 00:00") for d in days]


def shift(staff, day):
    return {"shift_id": f"{staff}-{day}", "staff_id": staff, "start": f"2024-03-{day:02d} 07:00",
            "end": f"2024-03-{day:02d} 17:00", "duty_type": "normal", "site_id": "S1"}


@pytest.fixture
def day_by_day(T, P, base):
    rota = [d for d in range(1, 32) if (d - 1) % 8 < 4]  # 4 on, 4 off: 1-4, 9-12, 17-20, 25-28
    rows = day_rows("w", "W1", range(4, 11))  # 4-10 March, every day
    rows += day_rows("x", "W2", [9, 10, 11, 12, 17, 18])  # working days only: 13-16 are rest days
    rows += day_rows("y", "W3", [1, 2, 3])
    rows += [sick("y4", "W3", "2024-02-01 00:00", "2024-03-01 00:00")]  # the same spell, begun in February
    rows += day_rows("z", "W4", [9, 10, 17])  # 11-12 rostered and worked in between: two spells
    return base([P(f"W{i}") for i in range(1, 12)]) | {
        "absences": T("absences", rows),
        "shifts": T("shifts", [shift(s, d) for s in ("W1", "W2", "W3", "W4") for d in rota]),
    }


def test_a_spell_written_day_by_day_is_one_spell(run, day_by_day):
    """Seven days' flu as seven rows (and a second week's as rows for its working days only, the
    rest days between left out) is one spell each, not seven: no Bradford pattern; a spell of
    five weeks written day by day is long-term."""
    tables = day_by_day
    det = AbsencePattern(params={"min_spells": 1, "bradford_threshold": 100.0})
    out = {r["staff_id"]: r for r in run(det, tables)}
    # one spell of 7 days: Bradford 1 x 1 x 7; record by record it was 7 x 7 x 7 = 343
    assert "W1" not in out
    assert "W2" not in out  # one spell of 6 rows and 4 rest days between them: 6 days, Bradford 6
    assert out["W3"]["detail"] == "1 spell(s), 3 days in the period, longest 32 days, long-term"
    assert out["W3"]["evidence_keys"] == ["y1", "y2", "y3", "y4"]
    w4 = run(AbsencePattern(params={"min_spells": 2, "bradford_threshold": 10.0}), tables)
    assert [(r["staff_id"], r["value"]) for r in w4 if r["staff_id"] != "W3"] == [("W4", 12.0)]  # 2 spells, 3 days


def test_without_the_roster_only_a_weekend_joins(run, T, P, base):
    """Without a shift on the roster, a gap is not known to be rest days, but a weekend is (an
    office calendar's): two weeks' sickness written per weekday is one spell; rows with a
    Wednesday to Saturday between them are two."""
    rows = day_rows("x", "W2", [9, 10, 11, 12, 17, 18])  # Sat 9 - Tue 12, Sun 17 - Mon 18 March 2024
    rows += day_rows("v", "W6", [4, 5, 6, 7, 8, 11, 12, 13, 14, 15])  # Monday to Friday, twice
    tables = base([P(f"W{i}") for i in range(1, 12)]) | {"absences": T("absences", rows)}
    out = run(AbsencePattern(params={"min_spells": 1, "bradford_threshold": 10.0}), tables)
    # W2: 2 spells x 2 x 6 days; W6: 1 x 1 x 10 (one spell, 4 to 15 March; the weekend no day of sickness)
    assert [(r["staff_id"], r["value"]) for r in out] == [("W2", 24.0), ("W6", 10.0)]
    assert out[1]["detail"] == "1 spell(s), 10 days in the period, longest 12 days"


def test_part_days_count_the_part(run, T, P, base):
    """Appointments written as their date and hours (SAP ABMST) or a fraction (fractionQuantity)
    count as the part of the day they give."""
    rows = [dict(sick(f"p{d}", "W5", f"2024-03-{d:02d}", f"2024-03-{d + 1:02d}"), hours=2.0) for d in (4, 11, 18)]
    rows += [dict(sick("p25", "W5", "2024-03-25", "2024-03-26"), days=0.5)]
    tables = base([P(f"W{i}") for i in range(1, 12)]) | {"absences": T("absences", rows)}
    out = run(AbsencePattern(params={"min_spells": 4, "bradford_threshold": 10.0}), tables)
    days = 3 * 2.0 / 7.0 + 0.5
    assert [(r["staff_id"], r["value"]) for r in out] == [("W5", round(16 * round(days, 2), 1))]
    assert f"{days:.0f} days in the period" in out[0]["detail"]


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_spells_on_spark(engine, run_detector, run, day_by_day):
    """The spells (windows over each person's records, the roster's rest days) through the runner
    on Spark: the same signals as DuckDB's, the spell begun before the period seen whole."""
    det = AbsencePattern(params={"min_spells": 2, "bradford_threshold": 10.0})
    direct = run(det, day_by_day)
    out = run_detector(
        AbsencePattern, day_by_day, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31),
        params={"min_spells": 2, "bradford_threshold": 10.0},
    ).to_pylist()
    assert sorted((r["staff_id"], r["value"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["value"], tuple(r["evidence_keys"])) for r in direct
    )
    assert {r["staff_id"] for r in out} == {"W3", "W4"}
