import datetime as dt

import pytest

from fairwitness.detectors.catalogue.overtime_during_absence import RECALL, OvertimeDuringAbsence


def ot(cid, staff, start, end, status="approved", reason="operational", auth="SUP"):
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": end, "hours": 4, "rate": 1.5,
            "reason_code": reason, "submitted_at": end, "authorised_by": auth, "authorised_at": end, "status": status}


def ab(aid, staff, typ, start, end):
    return {"absence_id": aid, "staff_id": staff, "type": typ, "start": start, "end": end, "reason_category": None}


@pytest.fixture
def tables(T):
    absences = [
        ab("a1", "S1", "sickness", "2024-03-04 00:00", "2024-03-09 00:00"),
        ab("a2", "L1", "annual_leave", "2024-03-11 00:00", "2024-03-16 00:00"),
        ab("a3", "R1", "annual_leave", "2024-03-11 00:00", "2024-03-16 00:00"),
        ab("a4", "D1", "rest_day", "2024-03-12 00:00", "2024-03-13 00:00"),
        ab("a5", "E1", "sickness", "2024-03-20 00:00", "2024-03-21 00:00"),
        ab("a6", "N1", "Sickness", "2024-03-30 22:00", "2024-04-02 00:00"),   # from a night shift, across DST
        ab("a7", "LT", "sickness", "2024-01-02 00:00", "2024-05-01 00:00"),   # long-term sickness, no overtime
        ab("a8", "O1", "annual_leave", "2024-03-14 00:00", "2024-03-18 00:00"),
        ab("a9", "O2", "sickness", "2024-03-15 00:00", "2024-03-17 00:00"),
    ]
    claims = [
        ot("c1", "S1", "2024-03-05 18:00", "2024-03-05 22:00"),
        ot("c2", "L1", "2024-03-12 08:00", "2024-03-12 16:00"),
        ot("c3", "R1", "2024-03-12 08:00", "2024-03-12 16:00", reason="Recall - major incident"),
        ot("c4", "D1", "2024-03-12 08:00", "2024-03-12 16:00"),              # overtime on a rest day: normal
        ot("c5", "E1", "2024-03-20 23:30", "2024-03-21 04:00"),              # 30 min overlap only
        ot("c6", "N1", "2024-03-31 00:30", "2024-03-31 04:30"),
        ot("c7", "S1", "2024-03-06 18:00", "2024-03-06 22:00", status="rejected"),
        ot("c8", "R1", "2024-03-13 08:00", "2024-03-13 16:00", reason="Recall", auth="R1"),  # self-authorised recall
        ot("c9", "O1", "2024-03-14 07:00", "2024-03-14 09:30", reason="late_arrest"),  # overrun of a night shift
        ot("c10", "O2", "2024-03-14 22:00", "2024-03-15 01:30", reason="handover_delay"),  # began before the sickness
    ]
    shifts = [{"shift_id": "n1", "staff_id": "O1", "start": "2024-03-13 22:00", "end": "2024-03-14 07:00",
               "duty_type": "normal", "site_id": "S1"}]
    return {"absences": T("absences", absences), "overtime_claims": T("overtime_claims", claims), "shifts": T("shifts", shifts)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), tables)}
    assert set(out) == {"S1", "L1", "R1", "N1"}
    assert out["S1"]["route"] == "gross_misconduct_assessment"
    assert out["S1"]["evidence_keys"] == ["c1"]
    assert "sickness" in out["S1"]["detail"]
    assert out["L1"]["route"] == "gross_misconduct_assessment"
    assert out["N1"]["route"] == "gross_misconduct_assessment"
    # one claim is a recall authorised by a supervisor, the other self-authorised: still gross
    assert out["R1"]["route"] == "gross_misconduct_assessment"
    assert out["R1"]["value"] == 2
    assert out["R1"]["explanations_found"] == [RECALL]


def test_overrun_needs_the_roster(run, tables):
    t = {k: v for k, v in tables.items() if k != "shifts"}
    assert "O1" in {r["staff_id"] for r in run(OvertimeDuringAbsence(), t)}


def test_recall_from_leave_is_lawful_overtime_not_a_conduct_matter(run, T, tables):
    """Recalled from annual leave by an inspector (Police Regulations: recall during leave is
    paid overtime): the claim is lawful, the absence record merely not updated. Wellbeing at
    most, not advice (version 8 sent it to advice)."""
    t = {k: v for k, v in tables.items() if k != "shifts"}
    t["overtime_claims"] = T("overtime_claims", [ot("c3", "R1", "2024-03-12 08:00", "2024-03-12 16:00", reason="recall_to_duty")])
    (r,) = run(OvertimeDuringAbsence(), t)
    assert r["route"] == "wellbeing"
    assert r["explanations_found"] == [RECALL]
    # with activity in its hours (the work was done), the same
    t["badge_events"] = T("badge_events", [badge("R1", "2024-03-12 10:00")])
    (r,) = run(OvertimeDuringAbsence(), t)
    assert r["route"] == "wellbeing"


def test_empty(run, T):
    assert run(OvertimeDuringAbsence(), {"absences": T("absences", []), "overtime_claims": T("overtime_claims", [])}) == []


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(OvertimeDuringAbsence(), tables)
    out = run_detector(OvertimeDuringAbsence, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def badge(staff, ts, direction="in"):
    return {"staff_id": staff, "ts": ts, "site_id": "S1", "direction": direction}


def test_activity_in_the_claimed_hours_is_work_done_not_a_false_claim(run, T, tables):
    """A claim inside a recorded absence, with the person's badge in its hours: the work was
    done, the absence record is the likelier error (a leave cancelled, a return not recorded).
    Wellbeing, not gross misconduct; a claim with no activity stays gross misconduct."""
    t = {k: v for k, v in tables.items() if k != "shifts"}
    t["badge_events"] = T("badge_events", [
        badge("L1", "2024-03-12 09:00"), badge("L1", "2024-03-12 15:55", "out"),  # inside c2 (08:00-16:00)
        badge("S1", "2024-03-05 18:05"),  # inside c1's first 15 minutes only: the shift's badge-out is no presence
    ])
    out = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), t)}
    assert out["L1"]["route"] == "wellbeing"
    assert any(e.startswith("activity inside the claimed hours") for e in out["L1"]["explanations_found"])
    assert "0 on-site with no activity in the claimed hours (badge_events checked)" in out["L1"]["detail"]
    assert out["S1"]["route"] == "gross_misconduct_assessment"
    assert out["N1"]["route"] == "gross_misconduct_assessment"
    # one claim worked, one not: the one not is enough for gross misconduct
    t["badge_events"] = T("badge_events", [badge("R1", "2024-03-13 12:00")])  # inside c8, the self-authorised recall
    out = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), t)}
    assert out["R1"]["route"] == "wellbeing"  # c3 is a recall; c8's activity shows the work was done
    assert out["L1"]["route"] == "gross_misconduct_assessment"


def test_a_late_finish_after_a_rostered_shift_is_no_evidence_of_duty_never_done(run, run_detector, T):
    """A claim that continues a rostered shift inside a recorded sickness (the return not
    recorded) has a rostered duty next to it: the roster does not corroborate it as duty never
    done. With no presence source to check either, one kind of evidence is left and the runner
    stops it at misconduct assessment; a claim on a day with no duty near it keeps both kinds."""
    t = {
        "absences": T("absences", [ab("a1", "X1", "sickness", "2024-03-04 00:00", "2024-03-12 00:00"),
                                   ab("a2", "Y1", "sickness", "2024-03-04 00:00", "2024-03-12 00:00")]),
        "overtime_claims": T("overtime_claims", [ot("c1", "X1", "2024-03-06 16:00", "2024-03-06 18:00"),
                                                 ot("c2", "Y1", "2024-03-06 16:00", "2024-03-06 18:00")]),
        "shifts": T("shifts", [{"shift_id": "x6", "staff_id": "X1", "start": "2024-03-06 08:00", "end": "2024-03-06 16:00",
                                "duty_type": "normal", "site_id": "S1"}]),
    }
    direct = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), t)}
    assert "0 of them with no rostered duty over or next to them" in direct["X1"]["detail"]
    assert "1 of them with no rostered duty over or next to them" in direct["Y1"]["detail"]
    out = run_detector(OvertimeDuringAbsence, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    routes = {r["staff_id"]: r["route"] for r in out.to_pylist()}
    assert routes == {"X1": "misconduct_assessment", "Y1": "gross_misconduct_assessment"}


def part(aid, staff, day, *, hours=None, days=None, typ="sickness", start="00:00", end=None):
    """A one-day absence as HR systems write a part day: the date, and the hours or days absent."""
    nxt = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    return {**ab(aid, staff, typ, f"{day} {start}", end or f"{nxt} 00:00"), "hours": hours, "days": days}


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_a_part_day_recorded_without_its_hours_holds_nothing_against_the_day(engine, run_detector, T):
    """A two-hour medical appointment written as its date and ``hours = 2`` (SAP's ABMST), or half
    a day as ``days = 0.5``: which hours were absent is unknown, so an evening's claim that day is
    not overtime during absence. A whole day (no hours, ``days = 1``, a full shift's ``hours``), a
    week with its hours, and a part day with clock times that covers the claim are still counted."""
    absences = [
        part("p1", "H2", "2024-03-05", hours=2.0),
        part("p2", "D5", "2024-03-05", days=0.5),
        part("p3", "AL", "2024-03-05", hours=3.5, typ="annual_leave"),
        part("w1", "W0", "2024-03-05"),                        # the date alone: the whole day
        part("w2", "D1", "2024-03-05", days=1.0),
        part("w3", "H8", "2024-03-05", hours=8.0),              # a full shift's hours
        {**ab("w4", "WK", "sickness", "2024-03-04 00:00", "2024-03-09 00:00"), "hours": 40.0, "days": 5.0},
        part("c1", "CT", "2024-03-05", hours=4.0, start="17:00", end="2024-03-05 21:00"),  # clock times
    ]
    staff = sorted({a["staff_id"] for a in absences})
    claims = [ot(f"c-{s}", s, "2024-03-05 17:30", "2024-03-05 21:00") for s in staff]
    t = {"absences": T("absences", absences), "overtime_claims": T("overtime_claims", claims)}
    out = run_detector(OvertimeDuringAbsence, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert sorted(out["staff_id"].to_pylist()) == ["CT", "D1", "H8", "W0", "WK"]
    assert "absence of part of a day recorded without its hours" in " ".join(OvertimeDuringAbsence.explanations_checked)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_leave_not_taken_is_not_an_absence(engine, run_detector, T):
    """A leave-request export holds every request with its status (SuccessFactors'
    ``approvalStatus``): leave booked and then cancelled for a recall, rejected or withdrawn did not
    happen, and a request still pending may not have been taken; overtime in those days is not
    overtime during absence. An approved request, or a record without a status, is."""
    statuses = {"AP": "approved", "NO": None, "CA": "cancelled", "RE": "rejected", "WI": "withdrawn", "PE": "pending"}
    absences = [
        {**ab(f"a-{s}", s, "annual_leave", "2024-03-11 00:00", "2024-03-14 00:00"), "status": st}
        for s, st in statuses.items()
    ]
    claims = [ot(f"c-{s}", s, "2024-03-12 17:00", "2024-03-12 20:00") for s in statuses]
    t = {"absences": T("absences", absences), "overtime_claims": T("overtime_claims", claims)}
    out = run_detector(OvertimeDuringAbsence, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert sorted(out["staff_id"].to_pylist()) == ["AP", "NO"]


def shift(staff, start, end, duty_type="normal"):
    return {"shift_id": f"{staff}-{start}", "staff_id": staff, "start": start, "end": end, "duty_type": duty_type,
            "site_id": "S1"}


ALL_PRESENCE = ("badge_events", "device_events", "system_access", "comms_events")


def test_court_on_a_leave_day_with_court_duty_on_the_roster_is_no_conduct_matter(run, run_detector, T):
    """Warned for court on a day recorded as annual leave (or sickness): the court duty is on the
    roster and the claim gives court as its reason. No badge, device, systems or comms activity is
    expected at court (a phone is off in court), so none is no evidence, and the roster contradicts
    the absence record (leave cancelled for court, not recorded): wellbeing, not gross misconduct
    as version 8 had it from "an absence recorded" and "no activity". An off-site reason with no
    roster behind it is a check of the court warning (wellbeing: version 9 made it advice, which a
    second independent force showed is routine, court warnings on leave seldom reaching the roster);
    an on-site claim with a rostered duty
    next to it but no activity is a misconduct assessment; a claim during sickness unexplained on
    every count (on-site, no roster, no activity) stays gross misconduct."""
    absences = [ab(f"a-{s}", s, typ, "2024-03-11 00:00", "2024-03-16 00:00")
                for s, typ in (("CT", "annual_leave"), ("CS", "sickness"), ("MA", "sickness"), ("CN", "annual_leave"),
                               ("RO", "sickness"), ("GM", "sickness"))]
    claims = [
        ot("c-CT", "CT", "2024-03-12 09:30", "2024-03-12 16:30", reason="court_rest_day"),
        ot("c-CS", "CS", "2024-03-12 09:30", "2024-03-12 16:30", reason="court_rest_day"),
        ot("c-MA", "MA", "2024-03-12 14:00", "2024-03-12 18:00", reason="mutual_aid"),   # after a rostered aid shift
        ot("c-CN", "CN", "2024-03-12 09:30", "2024-03-12 16:30", reason="court"),         # no roster behind it
        ot("c-RO", "RO", "2024-03-12 16:00", "2024-03-12 18:00", reason="late_arrest"),   # next to a rostered shift
        ot("c-GM", "GM", "2024-03-12 11:00", "2024-03-12 19:00", reason="event_policing"),
    ]
    shifts = [
        shift("CT", "2024-03-12 09:30", "2024-03-12 16:30", "court"),
        shift("CS", "2024-03-12 09:30", "2024-03-12 16:30", "court"),
        shift("MA", "2024-03-12 06:00", "2024-03-12 14:00", "other"),
        shift("RO", "2024-03-12 08:00", "2024-03-12 16:00"),
    ]
    # presence loaded, nobody's activity in any claim
    t = {"absences": T("absences", absences), "overtime_claims": T("overtime_claims", claims),
         "shifts": T("shifts", shifts), **{n: T(n, []) for n in ALL_PRESENCE}}
    out = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), t)}
    routes = {k: r["route"] for k, r in out.items()}
    assert routes == {"CT": "wellbeing", "CS": "wellbeing", "MA": "wellbeing", "CN": "wellbeing",
                      "RO": "misconduct_assessment", "GM": "gross_misconduct_assessment"}
    assert "0 claim(s) unexplained" in out["CT"]["detail"]
    assert any(e.startswith("off-site claims (court, escort, mutual aid, training) with a rostered duty") for e in out["CT"]["explanations_found"])
    assert any(e.startswith("an off-site reason") for e in out["CN"]["explanations_found"])
    assert any(e.startswith("a rostered duty over or next to") for e in out["RO"]["explanations_found"])
    runner = run_detector(OvertimeDuringAbsence, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert {r["staff_id"]: r["route"] for r in runner.to_pylist()} == routes


def test_a_scene_cordon_or_a_major_incident_call_in_on_leave_is_no_conduct_matter(run, T):
    """Seen on an independently written force: called in from annual leave to staff a murder scene
    cordon (no reader or device at a cordon) or to a major incident, authorised by the duty inspector,
    the leave record not updated. A cordon or scene guard is work away from force buildings
    (wellbeing, as court without a roster behind it); a major-incident call-in is a recall. Version 10
    sent both to gross misconduct ("no activity", on-site)."""
    absences = [ab(f"a-{s}", s, "annual_leave", "2024-03-11 00:00", "2024-03-16 00:00") for s in ("CO", "SG", "MI")]
    claims = [
        ot("c-CO", "CO", "2024-03-12 09:00", "2024-03-12 17:00", reason="scene_cordon", auth="INSP"),
        ot("c-SG", "SG", "2024-03-12 09:00", "2024-03-12 17:00", reason="Scene Guard", auth="INSP"),
        ot("c-MI", "MI", "2024-03-12 09:00", "2024-03-12 17:00", reason="major_incident", auth="INSP"),
    ]
    t = {"absences": T("absences", absences), "overtime_claims": T("overtime_claims", claims),
         **{n: T(n, []) for n in ALL_PRESENCE}}
    out = {r["staff_id"]: r for r in run(OvertimeDuringAbsence(), t)}
    assert {k: r["route"] for k, r in out.items()} == {"CO": "wellbeing", "SG": "wellbeing", "MI": "wellbeing"}
    assert out["MI"]["explanations_found"] == [RECALL]
