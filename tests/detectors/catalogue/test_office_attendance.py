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


def _half_year():
    from fairwitness.detectors.catalogue._common import bank_holidays

    start, end = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    bh = bank_holidays(range(2024, 2025))
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return start, end, [d for d in days if d.weekday() < 5 and d not in bh]


def office_day(staff, d, start="07:30", end="17:45"):
    return [{"staff_id": staff, "ts": f"{d.isoformat()} {start}", "site_id": "S3", "direction": "in"},
            {"staff_id": staff, "ts": f"{d.isoformat()} {end}", "site_id": "S3", "direction": "out"}]


def home_day(staff, d, start="07:30", end="17:45"):
    return [{"staff_id": staff, "device_id": f"d{staff}", "ts": f"{d.isoformat()} {start}", "kind": "login", "site_id": None},
            {"staff_id": staff, "device_id": f"d{staff}", "ts": f"{d.isoformat()} {end}", "kind": "logout", "site_id": None}]


def _pattern_world(T, P, base, spec):
    """``spec``: staff -> (fte, weekdays worked, office share of them, day start, day end). Office on
    the given share of the worked days (the rest from home, logged in), nothing on other days."""
    start, end, wd = _half_year()
    hy = dict(hybrid_policy=True, unit_id="U3", employment_type="staff", rank_grade="Band D")
    people, ev, dev = [], [], []
    for staff, (fte, weekdays, share, a, b) in spec.items():
        people.append(P(staff, **(hy | {"fte": fte})))
        worked = [d for d in wd if d.weekday() in weekdays]
        for i, d in enumerate(worked):
            if (i % 10) < round(share * 10):
                ev += office_day(staff, d, a, b)
            else:
                dev += home_day(staff, d, a, b)
    t = base(people) | {"badge_events": T("badge_events", ev), "device_events": T("device_events", dev)}
    return t, start, end


def test_compressed_hours_week_is_the_persons_working_week(run, T, P, base):
    """A full-timer on compressed hours (four 10-hour days, never active on Fridays) in the office on
    9 of 10 of their days was read as 72 % of five-day weeks. Their working days are Monday to
    Thursday; the same four days at ordinary length (a full-timer simply not seen on Fridays: 34 of
    37 hours unaccounted for is not a working pattern) keep the five-day rule, and so does a
    compressed-hours person who works from home on two of their four days."""
    t, start, end = _pattern_world(T, P, base, {
        "C1": (1.0, (0, 1, 2, 3), 0.9, "07:30", "17:45"),  # honest compressed hours
        "C2": (1.0, (1, 2, 3), 1.0, "08:30", "17:00"),  # three ordinary days, invisible on Mon and Fri
        "C3": (1.0, (0, 1, 2, 3), 0.5, "07:30", "17:45"),  # compressed, but half of it at home
        "C4": (1.0, (0, 1, 2, 3, 4), 0.6, "08:30", "17:00"),  # five days, three in the office
    })
    out = {r["staff_id"]: r for r in run(OfficeAttendance(), t, start, end)}
    assert set(out) == {"C2", "C3", "C4"}
    assert "working pattern Mon Tue Wed Thu (4 days a week of about 10.3 h" in out["C3"]["detail"]
    assert any("own working pattern" in x for x in out["C3"]["explanations_found"])
    assert "working pattern" not in out["C2"]["detail"] and "working pattern" not in out["C4"]["detail"]
    assert out["C3"]["value"] == 50.0
    # missed days are the person's own working days only: no Friday is evidence
    assert all(dt.date.fromisoformat(k).weekday() < 4 for k in out["C3"]["evidence_keys"])
    # believing a pattern needs its hours: four days of 10.25 h are not 80 % of a 60-hour week
    strict = {r["staff_id"] for r in run(OfficeAttendance({"full_time_week_hours": 60.0}), t, start, end)}
    assert "C1" in strict


def test_part_timer_on_fewer_longer_days(run, T, P, base):
    """A half-time person working two long days (Mon, Tue) in the office on 9 of 10 of them was
    held to 2.5 days a week (days scaled by FTE). Their own two days are expected; half of them at
    home is still a breach; a half-timer who works five short days keeps the FTE scaling (the
    pattern never expects more days than FTE gives)."""
    t, start, end = _pattern_world(T, P, base, {
        "Q1": (0.5, (0, 1), 0.9, "08:00", "17:30"),
        "Q2": (0.5, (0, 1), 0.5, "08:00", "17:30"),
        "Q3": (0.5, (0, 1, 2, 3, 4), 0.5, "09:00", "13:00"),  # in 2.5 of 5 short days: all FTE asks
    })
    out = {r["staff_id"]: r for r in run(OfficeAttendance(), t, start, end)}
    assert set(out) == {"Q2"}
    assert "working pattern Mon Tue (2 days a week" in out["Q2"]["detail"]
    assert not any("scaled by FTE" in x for x in out["Q2"]["explanations_found"])


@pytest.mark.parametrize(("out_at", "flagged"), [("08:25", True), ("16:30", False), (None, False)],
                         ids=["out-after-15-minutes", "out-after-a-day", "entries-only-export"])
def test_badging_in_then_straight_out_is_a_visit(run, T, P, base, out_at, flagged):
    """C1 badges in every working day of March and, on all but four, out again: after 15 minutes
    (a badge-in to register attendance, then away: 4 days in the office of 20, advice), or at the
    end of the day (20 of 20). An export of entries alone shows no exit: every day counts."""
    hy = dict(hybrid_policy=True, unit_id="U3", employment_type="staff", rank_grade="Band D")
    people = [P("C1", **hy)] + [P(f"K{i}", **hy) for i in range(1, 6)]
    ev = [e for i in range(1, 6) for e in badge(f"K{i}", WD)]
    for k, d in enumerate(WD):
        ev += badge("C1", [d])
        if out_at and k >= 4:
            ev.append({"staff_id": "C1", "ts": f"{d.isoformat()} {out_at}", "site_id": "S3", "direction": "out"})
    out = {r["staff_id"]: r for r in run(OfficeAttendance(), base(people) | {"badge_events": T("badge_events", ev)})}
    assert ("C1" in out) is flagged
    if flagged:
        assert out["C1"]["value"] == 20.0
        assert "16 days on site for under 60 minutes, out again, not counted as days in the office" in out["C1"]["detail"]
        assert len(out["C1"]["evidence_keys"]) == 16
    every_day = run(OfficeAttendance({"min_office_minutes": 0}), base(people) | {"badge_events": T("badge_events", ev)})
    assert "C1" not in {r["staff_id"] for r in every_day}
