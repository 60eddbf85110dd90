import datetime as dt

import pytest

from fairwitness.detectors.base import kinds_in
from tests.detectors.catalogue.conftest import person
from fairwitness.detectors.catalogue.victim_contact import EVIDENCE_KINDS, VictimContact


def party(case, subj, oic, closed=None, vulnerable=True, role="victim"):
    return {"case_ref": case, "subject_ref": subj, "role": role, "vulnerable": vulnerable, "officer_in_case": oic,
            "opened": "2023-10-01 00:00", "closed": closed}


def call(eid, staff, subj, ts, direction="out", channel="call", duration=120):
    return {"event_id": eid, "staff_id": staff, "ts": ts, "channel": channel, "counterpart_ref": subj,
            "direction": direction, "duration_s": duration if channel == "call" else None}


def text(eid, staff, subj, ts):
    return call(eid, staff, subj, ts, channel="sms")


def view(eid, staff, subj, ts, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": ts, "system": "NICHE", "action": "view", "subject_ref": subj,
            "case_ref": case}


def shift(staff, start, end):
    return {"shift_id": f"{staff}-{start}", "staff_id": staff, "start": start, "end": end, "duty_type": "normal",
            "site_id": "S1"}


def day_shifts(staff, days, month="03"):
    return [shift(staff, f"2024-{month}-{d:02d} 07:00", f"2024-{month}-{d:02d} 17:00") for d in days]


OFFICERS = ("H1", "H2", "P1", "P2", "P3", "P4", "O1")


def _tables(T, parties, comms, views, shifts):
    people = [person(s) for s in OFFICERS]
    return {
        "case_parties": T("case_parties", parties), "comms_events": T("comms_events", comms),
        "system_access": T("system_access", views), "shifts": T("shifts", shifts),
        "people": T("people", people), "units": T("units", [{"unit_id": "U1", "unit_type": "response"}]),
    }


@pytest.fixture
def tables(T):
    closed = "2024-01-20 12:00"
    parties = [party(f"C{s}", f"V{s}", s, closed=closed) for s in OFFICERS]
    comms = [
        # H1: honest follow-up: on-duty, short work-phone calls weeks after closure (court result, update)
        call("h1", "H1", "VH1", "2024-03-05 10:00"), call("h2", "H1", "VH1", "2024-03-12 11:00"),
        call("h3", "H1", "VH1", "2024-03-13 15:00", "in"),
        # H2: trial preparation: re-reads the case's parties, calls the victim the day before court
        call("h4", "H2", "VH2", "2024-03-18 14:00"), call("h5", "H2", "VH2", "2024-03-18 16:00", "in"),
        # P1: off duty and late, texts, record views with no case reference, long after closure
        call("p1", "P1", "VP1", "2024-03-02 21:30", duration=1500), text("p2", "P1", "VP1", "2024-03-05 22:00"),
        text("p3", "P1", "VP1", "2024-03-09 23:00"), call("p4", "P1", "VP1", "2024-03-12 20:30"),
        # P2: off duty only (one kind): advice
        call("p5", "P2", "VP2", "2024-02-06 21:00"), call("p6", "P2", "VP2", "2024-02-07 21:30"),
        # P3: two texts off duty: one kind (version 8: the same texts are not also personal-style), advice
        text("p7", "P3", "VP3", "2024-02-06 21:00"), text("p8", "P3", "VP3", "2024-02-07 21:30"),
        # P4: two texts on duty, on the work phone, weeks after closure: an update by the channel
        # the victim uses (version 7: the work channel, not personal-style; no flag)
        text("p9", "P4", "VP4", "2024-02-06 10:00"), text("p10", "P4", "VP4", "2024-02-07 11:00"),
        # O1: only incoming contact, off duty
        call("o1", "O1", "VO1", "2024-03-05 21:00", "in"), call("o2", "O1", "VO1", "2024-03-06 21:00", "in"),
    ]
    views = [
        view("v1", "H1", "VH1", "2024-03-05 09:50", "CH1"),
        view("v6", "H1", "VH1", "2024-03-12 10:50"),  # on duty, no reference: a check before the call
        view("v2", "H2", "VH2", "2024-03-18 13:00", "CH2"), view("v3", "H2", "VH2", "2024-03-18 13:05", "CH2"),
        view("v4", "P1", "VP1", "2024-03-04 22:00"), view("v5", "P1", "VP1", "2024-03-10 22:00", "CX99"),
    ]
    days = list(range(1, 32))
    shifts = [s for o in OFFICERS for s in day_shifts(o, days, "03")] + [
        s for o in OFFICERS for s in day_shifts(o, range(1, 30), "02")
    ]
    return _tables(T, parties, comms, views, shifts)


START, END = dt.date(2024, 2, 1), dt.date(2024, 3, 31)


def test_routes_follow_the_independent_kinds_of_evidence(run, tables):
    out = {r["staff_id"]: r for r in run(VictimContact(), tables, START, END)}
    assert set(out) == {"P1", "P2", "P3"}, out.keys()
    assert out["P1"]["route"] == "criminal_referral"
    # H1 and H2 follow their cases up as long as P1 did: contact that long is not beyond peers here
    assert kinds_in(out["P1"]["detail"], EVIDENCE_KINDS) == ["off_duty", "personal_channel", "views_no_purpose"]
    assert "peers' 95th percentile" in out["P1"]["detail"]
    assert out["P1"]["evidence_keys"] == ["p1", "p2", "p3", "p4"]
    assert out["P2"]["route"] == "advice"
    assert kinds_in(out["P2"]["detail"], EVIDENCE_KINDS) == ["off_duty"]
    assert out["P3"]["route"] == "advice"
    assert kinds_in(out["P3"]["detail"], EVIDENCE_KINDS) == ["off_duty"]
    # P4's two on-duty texts are the work channel (before version 7: advice, which is adverse)
    assert "P4" not in out
    # the peer comparison travels with the signal
    assert out["P1"]["peer_group"] and out["P1"]["peer_median"] is not None


def test_honest_follow_up_and_trial_preparation_are_not_flagged(run, tables):
    """On-duty work-phone calls weeks after closure, record views citing the officer's own case,
    a call the day before court: what Victims' Code updates and trial preparation look like."""
    out = {r["staff_id"] for r in run(VictimContact(), tables, START, END)}
    assert not out & {"H1", "H2", "O1"}


def test_without_roster_late_evening_is_the_timing(run, tables):
    t = {k: v for k, v in tables.items() if k != "shifts"}
    out = {r["staff_id"]: r for r in run(VictimContact(), t, START, END)}
    # P4's texts were at 10:00 and 11:00: no roster, but not late either; at an update's pace,
    # texts are the work channel (before version 7: advice)
    assert out["P2"]["route"] == "advice" and "P4" not in out
    assert "H1" not in out and "H2" not in out


def test_party_to_another_open_case_is_case_work(run, T):
    """A vulnerable victim of a closed case who is a suspect (or any party) in another of the
    officer's cases, open at the time, is current case work: no flag. The look-alike — the
    other case belongs to a different officer — is still contact after the case."""
    parties = [
        party("C10", "S10", "P1", closed="2024-01-10 12:00"),
        party("C11", "S10", "P1", role="suspect", vulnerable=False),  # P1's open case
        party("C12", "S12", "P2", closed="2024-01-10 12:00"),
        party("C13", "S12", "SOMEONE", role="suspect", vulnerable=False),  # another officer's open case
    ]
    comms = [
        text("f1", "P1", "S10", "2024-03-05 21:00"), text("f2", "P1", "S10", "2024-03-06 22:00"),
        text("f3", "P2", "S12", "2024-03-05 21:00"), text("f4", "P2", "S12", "2024-03-06 22:00"),
    ]
    views = [view("g1", "P1", "S10", "2024-03-04 10:00", "C11"), view("g2", "P2", "S12", "2024-03-04 10:00", "C13")]
    t = _tables(T, parties, comms, views, day_shifts("P1", range(1, 32)) + day_shifts("P2", range(1, 32)))
    out = {r["staff_id"]: r for r in run(VictimContact(), t)}
    # P1's contacts are off duty during P1's own open case: one kind, and not "after the case", so
    # no flag (version 8: the texts are not a second kind); P2's case closed: off duty, beyond peers
    # and a view citing someone else's case
    assert out["P2"]["route"] == "criminal_referral"
    assert "P1" not in out


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(VictimContact(), tables, START, END)
    out = run_detector(VictimContact, tables, period_start=START, period_end=END).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_off_duty_calls_about_a_live_case_alone_are_not_flagged(run, T):
    """A live case brings calls at odd hours: one kind of evidence (off duty) flags only after
    the case closed; with off-duty texts as well as the calls (two kinds: the calls show contact off
    duty on their own) it flags during the case too."""
    parties = [party("L1", "SL1", "P1"), party("L2", "SL2", "P2")]
    comms = [call("l1", "P1", "SL1", "2024-03-05 20:00"), call("l2", "P1", "SL1", "2024-03-06 20:30"),
             text("l3", "P2", "SL2", "2024-03-05 21:00"), text("l4", "P2", "SL2", "2024-03-06 21:30"),
             call("l5", "P2", "SL2", "2024-03-07 20:00"), call("l6", "P2", "SL2", "2024-03-08 20:30")]
    t = _tables(T, parties, comms, [], day_shifts("P1", range(1, 32)) + day_shifts("P2", range(1, 32)))
    out = {r["staff_id"]: r for r in run(VictimContact(), t)}
    assert "P1" not in out
    assert out["P2"]["route"] == "misconduct_assessment"


def test_long_calls_on_duty_and_missed_calls_returned_are_victim_care(run, T):
    """After a verdict a distressed victim needs long calls: on duty, their length is no sign of a
    personal relationship (L1); a victim's missed call returned soon after the shift, briefly, is
    an answer, not contact the officer started (R1); texts the victim sent are theirs (T1). A long call off duty is personal-style (N1),
    and calls off duty that answer nothing are off-duty contact (N2)."""
    closed = "2024-01-20 12:00"
    officers = ("L1", "R1", "N1", "N2", "T1")
    parties = [party(f"C{s}", f"V{s}", s, closed=closed) for s in officers]
    comms = [
        call("l1", "L1", "VL1", "2024-03-05 10:00", duration=1500), call("l2", "L1", "VL1", "2024-03-12 11:00", duration=1400),
        call("r1", "R1", "VR1", "2024-03-05 16:30", "in", duration=0), call("r2", "R1", "VR1", "2024-03-05 18:40", duration=200),
        call("r3", "R1", "VR1", "2024-03-19 16:40", "in", duration=0), call("r4", "R1", "VR1", "2024-03-19 19:00", duration=300),
        call("n1", "N1", "VN1", "2024-03-05 21:00", duration=1500), call("n2", "N1", "VN1", "2024-03-12 11:00"),
        call("n3", "N2", "VN2", "2024-03-05 18:40", duration=200), call("n4", "N2", "VN2", "2024-03-19 19:00", duration=300),
        # T1: the victim texts in the evenings; the officer returns a short call on duty
        dict(text("t1", "T1", "VT1", "2024-03-05 20:10"), direction="in"),
        dict(text("t2", "T1", "VT1", "2024-03-12 20:40"), direction="in"),
        call("t3", "T1", "VT1", "2024-03-13 10:00", duration=120), call("t4", "T1", "VT1", "2024-03-20 11:00", duration=100),
    ]
    shifts = [s for o in officers for s in day_shifts(o, range(1, 32), "03") + day_shifts(o, range(1, 30), "02")]
    people = [person(s) for s in officers]
    tables = {
        "case_parties": T("case_parties", parties), "comms_events": T("comms_events", comms),
        "system_access": T("system_access", []), "shifts": T("shifts", shifts),
        "people": T("people", people), "units": T("units", [{"unit_id": "U1", "unit_type": "response"}]),
    }
    out = {r["staff_id"]: r for r in run(VictimContact(), tables, START, END)}
    assert "L1" not in out and "R1" not in out
    assert "T1" not in out  # the texts were the victim's
    assert "personal_channel" in kinds_in(out["N1"]["detail"], EVIDENCE_KINDS)
    assert "off_duty" in kinds_in(out["N2"]["detail"], EVIDENCE_KINDS)


def _one_force(T, parties, comms, officers, shifts=None):
    return {
        "case_parties": T("case_parties", parties), "comms_events": T("comms_events", comms),
        "system_access": T("system_access", []), "shifts": T("shifts", shifts or []),
        "people": T("people", [person(s) for s in officers]),
        "units": T("units", [{"unit_id": "U1", "unit_type": "response"}]),
    }


# a case closed at charge on 20 March (a date alone: the next local midnight), its trial in May;
# texts to the victim on weekdays, each answered 25 minutes later
CHARGED = "2024-03-21 00:00"
TEXT_DAYS = ("2024-04-10 {}", "2024-04-29 {}", "2024-05-13 {}", "2024-05-16 {}", "2024-05-21 {}")
SPRING = (dt.date(2024, 3, 1), dt.date(2024, 5, 31))


def _texts_answered(staff, subj, hours):
    out = []
    for i, (day, hour) in enumerate(zip(TEXT_DAYS, hours)):
        sent = dt.datetime.fromisoformat(day.format(hour))
        out.append(text(f"{staff}o{i}", staff, subj, sent.isoformat(" ")))
        out.append(dict(text(f"{staff}i{i}", staff, subj, (sent + dt.timedelta(minutes=25)).isoformat(" ")), direction="in"))
    return out


def test_on_duty_texts_for_trial_preparation_are_the_work_channel(run, T):
    """A deaf, vulnerable victim who communicates by text; the case closed at charge and its
    trial is weeks later. Five texts on duty over six weeks, each answered, up to two months
    after closure: trial preparation by the victim's channel, not personal-style contact, and
    not flagged (before version 7: texts + beyond peers, misconduct assessment)."""
    parties = [party("CD", "VD", "D1", closed=CHARGED)]
    comms = _texts_answered("D1", "VD", ("09:15", "10:02", "13:30", "08:45", "14:10"))  # UTC; BST is +1
    shifts = [shift("D1", f"2024-{m:02d}-{d:02d} 07:00", f"2024-{m:02d}-{d:02d} 16:00")
              for m in (3, 4, 5) for d in range(1, 31)]
    out = {r["staff_id"]: r for r in run(VictimContact(), _one_force(T, parties, comms, ["D1"], shifts), *SPRING)}
    assert "D1" not in out
    # with no roster, the hour judges: working hours are not late
    out = {r["staff_id"]: r for r in run(VictimContact(), _one_force(T, parties, comms, ["D1"]), *SPRING)}
    assert "D1" not in out


def test_texts_off_duty_or_at_a_conversations_pace_are_still_personal_style(run, T):
    """The guilty counterparts of trial-preparation texts: the same five texts sent late in the
    evening, off duty (off duty and beyond peers: misconduct assessment; version 7 also counted the
    same texts as personal-style, a third kind, and sent them to criminal referral); and texts
    on duty at a conversation's pace, dozens a week, for weeks after closure (personal-style and
    beyond peers: misconduct assessment)."""
    parties = [party("CE", "VE", "E1", closed=CHARGED), party("CC", "VC", "C1", closed=CHARGED)]
    comms = _texts_answered("E1", "VE", ("20:15", "21:02", "21:30", "20:45", "22:10"))  # 21:15-23:10 local
    for wk in (0, 7):  # Monday to Friday, 4 texts a day, two weeks running, from a month after closure
        for d in range(5):
            for h in (9, 10, 12, 14):
                day = dt.date(2024, 4, 22) + dt.timedelta(days=wk + d)
                comms.append(text(f"c{wk + d}-{h}", "C1", "VC", f"{day} {h:02d}:10"))
    shifts = [shift(s, f"2024-{m:02d}-{d:02d} 07:00", f"2024-{m:02d}-{d:02d} 16:00")
              for s in ("E1", "C1") for m in (3, 4, 5) for d in range(1, 31)]
    out = {r["staff_id"]: r for r in run(VictimContact(), _one_force(T, parties, comms, ["E1", "C1"], shifts), *SPRING)}
    assert out["E1"]["route"] == "misconduct_assessment"
    assert kinds_in(out["E1"]["detail"], EVIDENCE_KINDS) == ["off_duty", "beyond_peers"]
    assert out["C1"]["route"] == "misconduct_assessment"
    assert kinds_in(out["C1"]["detail"], EVIDENCE_KINDS) == ["personal_channel", "beyond_peers"]
    assert "0 off duty, at most 20 in a week" in out["C1"]["detail"]


def test_closure_day_shown_is_the_local_day(run, T):
    """A closure given as a date alone ends at the next local midnight (ends are exclusive): in
    winter that is 00:00 UTC the next day, shown as the day the source named, not the day after.
    A closure at 00:30 in summer (23:30 UTC the day before) is shown on its local day, not a day early."""
    parties = [party("CW", "VW", "W1", closed="2024-01-21 00:00"), party("CS", "VS", "S1", closed="2024-05-31 23:30")]
    comms = [text("w1", "W1", "VW", "2024-03-05 22:00"), text("w2", "W1", "VW", "2024-03-06 22:00"),
             text("s1", "S1", "VS", "2024-07-05 22:00"), text("s2", "S1", "VS", "2024-07-06 22:00")]
    out = {r["staff_id"]: r for r in run(VictimContact(), _one_force(T, parties, comms, ["W1", "S1"]),
                                         dt.date(2024, 1, 1), dt.date(2024, 8, 31))}
    assert "(closed 2024-01-20)" in out["W1"]["detail"]
    assert "(closed 2024-06-01)" in out["S1"]["detail"]


def test_a_criminal_referral_needs_the_police_systems_log_beside_the_contacts(run, T):
    """A family liaison officer's long evening calls to a bereaved mother for weeks after the case
    closed (at the coroner) make three kinds from the contacts' log alone — off duty, long calls off
    duty, beyond peers — a misconduct assessment, not a criminal referral (version 8). With record
    views of her off duty and citing no case, the police-systems log corroborates: criminal referral."""
    parties = [party("CF", "VF", "F1", closed=CHARGED)]
    days = [dt.date(2024, 4, 22) + dt.timedelta(days=7 * k) for k in range(4)]  # a month after closure, weekly
    comms = [call(f"f{k}", "F1", "VF", f"{d} 20:30", duration=1500) for k, d in enumerate(days)]
    shifts = [shift("F1", f"2024-{m:02d}-{d:02d} 07:00", f"2024-{m:02d}-{d:02d} 16:00") for m in (3, 4, 5) for d in range(1, 31)]
    out = {r["staff_id"]: r for r in run(VictimContact(), _one_force(T, parties, comms, ["F1"], shifts), *SPRING)}
    assert out["F1"]["route"] == "misconduct_assessment", out["F1"]["detail"]
    assert kinds_in(out["F1"]["detail"], EVIDENCE_KINDS) == ["off_duty", "personal_channel", "beyond_peers"]
    t = _one_force(T, parties, comms, ["F1"], shifts)
    t["system_access"] = T("system_access", [view("fv", "F1", "VF", f"{days[1]} 21:45")])
    out = {r["staff_id"]: r for r in run(VictimContact(), t, *SPRING)}
    assert out["F1"]["route"] == "criminal_referral", out["F1"]["detail"]
