import datetime as dt

import pytest

from fairwitness.detectors.catalogue.office_attendance import OfficeAttendance

# March 2024: 20 working days (Good Friday, 29 March, is a bank holiday)
WD = [d for d in (dt.date(2024, 3, 1) + dt.timedelta(days=i) for i in range(31)) if d.weekday() < 5 and d.day != 29]


def badge(staff, days):
    return [{"staff_id": staff, "ts": f"{d.isoformat()} 08:10", "site_id": "S3", "direction": "in"} for d in days]


def shift(sid, staff, d, duty="normal", site="S3"):
    return {"shift_id": sid, "staff_id": staff, "start": f"{d.isoformat()} 08:00", "end": f"{d.isoformat()} 16:00",
            "duty_type": duty, "site_id": site}


@pytest.fixture
def tables(T, P, base):
    hy = dict(hybrid_policy=True, unit_id="U3", employment_type="staff", rank_grade="Band D")
    people = [P(f"H{i}", **hy) for i in range(1, 11) if i not in (5, 6)] + [P("H5")] + [P("H6", **(hy | {"fte": 0.6}))]
    ev = badge("H1", WD) + badge("H2", WD[:10]) + badge("H3", WD[:8] + WD[13:18]) + badge("H4", WD[:2])
    ev += badge("H6", WD[:10]) + badge("H7", WD[::2][:5]) + badge("H8", WD[8:18]) + badge("H9", WD[:15])
    device = [{"staff_id": "H10", "device_id": "d", "ts": f"{d.isoformat()} 09:00", "kind": "login", "site_id": "S3"}
              for d in WD[:18]]
    device += [{"staff_id": "H2", "device_id": "d", "ts": f"{d.isoformat()} 09:00", "kind": "login", "site_id": None}
               for d in WD[10:]]  # working from home: no site
    absences = [
        {"absence_id": "a3", "staff_id": "H3", "type": "annual_leave", "start": "2024-03-11 00:00", "end": "2024-03-16 00:00"},
        {"absence_id": "a4", "staff_id": "H4", "type": "sickness", "start": "2024-03-03 23:00", "end": "2024-03-23 00:00"},
    ]
    shifts = [shift(f"s7-{i}", "H7", d) for i, d in enumerate(WD[::2])]
    shifts += [shift(f"s8-{i}", "H8", d, duty="court" if i < 8 else "normal", site="S9" if i < 8 else "S3") for i, d in enumerate(WD)]
    return base(people) | {
        "badge_events": T("badge_events", ev), "device_events": T("device_events", device),
        "absences": T("absences", absences), "shifts": T("shifts", shifts),
    }


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(OfficeAttendance(), tables)}
    assert set(out) == {"H2", "H7"}
    assert out["H2"]["route"] == "advice"
    assert out["H2"]["value"] == 50.0
    assert out["H2"]["detail"].startswith("10 of 20.0 available days")
    assert len(out["H2"]["evidence_keys"]) == 10 and out["H2"]["evidence_keys"][0] == "2024-03-15"
    assert out["H7"]["value"] == 50.0  # rostered on 10 days, in on 5
    assert "people covered by the hybrid rule" in out["H2"]["peer_group"]


def test_threshold_parameter(run, tables):
    strict = {r["staff_id"] for r in run(OfficeAttendance({"threshold": 0.95, "confidence_z": 0}), tables)}
    # H3 is 13 of 15 net of leave; H9 15 of 20; H6 part-time 10 of 12
    assert {"H3", "H9", "H6"} <= strict
    assert "H4" not in strict  # mostly sick: not assessed
    assert "H5" not in strict  # not covered by the rule
    lenient = run(OfficeAttendance({"threshold": 0.4}), tables)
    assert lenient == []


def test_without_optional_sources(run, tables):
    t = {k: tables[k] for k in ("people", "units", "badge_events")}
    out = {r["staff_id"] for r in run(OfficeAttendance(), t)}
    # without the absence record H3's leave looks like low attendance, H4 likewise; H10 (device only) too
    assert {"H2", "H3", "H4", "H10"} <= out


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(OfficeAttendance(), tables)
    out = run_detector(OfficeAttendance, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_sustained_breach_in_a_window(run, T, P, base):
    """Six months: W1 attended every working day but stopped for five weeks from April (80 %
    over the period, so the period test alone lets it through); W2 was away the same five
    weeks on recorded leave; W3 missed one day in six, spread evenly (83 %, no sustained
    breach anywhere)."""
    start, end = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    from fairwitness.detectors.catalogue._common import bank_holidays

    bh = bank_holidays(range(2024, 2025))
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    wd = [d for d in days if d.weekday() < 5 and d not in bh]
    gap = [d for d in wd if dt.date(2024, 4, 1) <= d < dt.date(2024, 5, 6)]
    hy = dict(hybrid_policy=True, unit_id="U3", employment_type="staff", rank_grade="Band D")
    people = [P(f"W{i}", **hy) for i in (1, 2, 3)]
    ev = badge("W1", [d for d in wd if d not in gap]) + badge("W2", [d for d in wd if d not in gap])
    ev += badge("W3", [d for i, d in enumerate(wd) if i % 6 != 0])
    absences = [{"absence_id": "l2", "staff_id": "W2", "type": "annual_leave", "start": "2024-04-01 00:00",
                 "end": "2024-05-06 00:00"}]
    t = base(people) | {"badge_events": T("badge_events", ev), "absences": T("absences", absences)}
    out = {r["staff_id"]: r for r in run(OfficeAttendance(), t, start, end)}
    assert set(out) == {"W1"}
    assert out["W1"]["route"] == "advice"
    assert "lowest 56 days" in out["W1"]["detail"]
    # with windows switched off the period test alone misses it
    assert run(OfficeAttendance({"window_days": 0}), t, start, end) == []
