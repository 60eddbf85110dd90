import datetime as dt

import pytest

from fairwitness.detectors.catalogue.victim_contact import VictimContact


def party(case, subj, oic, closed=None, vulnerable=True, role="victim"):
    return {"case_ref": case, "subject_ref": subj, "role": role, "vulnerable": vulnerable, "officer_in_case": oic,
            "opened": "2023-10-01 00:00", "closed": closed}


def call(eid, staff, subj, ts, direction="out"):
    return {"event_id": eid, "staff_id": staff, "ts": ts, "channel": "call", "counterpart_ref": subj,
            "direction": direction, "duration_s": 120}


def view(eid, staff, subj, ts, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": ts, "system": "NICHE", "action": "view", "subject_ref": subj,
            "case_ref": case}


def shift(staff, start, end):
    return {"shift_id": f"{staff}-{start}", "staff_id": staff, "start": start, "end": end, "duty_type": "normal",
            "site_id": "S1"}


@pytest.fixture
def tables(T):
    parties = [
        party("C1", "VS1", "V1", closed="2024-01-10 12:00"),
        party("C2", "VS2", "V2", closed="2024-01-10 12:00"),
        party("C3", "VS3", "V3", closed="2024-03-01 12:00"),
        party("C5", "VS5", "V5"),
        party("C6", "VS6", "V6", closed="2024-01-10 12:00"),
        party("C7", "VS7", "V7", closed="2024-01-10 12:00", vulnerable=False),
        party("C8", "VS8", "OTHER", closed="2024-01-10 12:00"),
        party("C9", "VS9", "V9", role="witness"),
    ]
    comms = [
        call("e1", "V1", "VS1", "2024-03-05 20:00"), call("e2", "V1", "VS1", "2024-03-07 21:00"),
        call("e3", "V1", "VS1", "2024-03-09 22:00", "in"),
        call("e4", "V2", "VS2", "2024-03-05 10:00"), call("e5", "V2", "VS2", "2024-03-06 10:00"),
        call("e6", "V2", "VS2", "2024-03-07 10:00"),
        call("e7", "V3", "VS3", "2024-03-03 10:00"), call("e8", "V3", "VS3", "2024-03-04 10:00"),
        call("e9", "V5", "VS5", "2024-03-05 23:00"), call("e10", "V5", "VS5", "2024-03-06 23:30"),
        call("e11", "V5", "VS5", "2024-03-07 12:00"),  # on duty
        call("e12", "V6", "VS6", "2024-03-05 10:00", "in"), call("e13", "V6", "VS6", "2024-03-06 10:00", "in"),
        call("e14", "V7", "VS7", "2024-03-05 10:00"), call("e15", "V7", "VS7", "2024-03-06 10:00"),
        call("e16", "V8", "VS8", "2024-03-05 10:00"), call("e17", "V8", "VS8", "2024-03-06 10:00"),
        call("e18", "V9", "VS9", "2024-03-10 02:00"), call("e19", "V9", "VS9", "2024-03-11 01:00"),
    ]
    views = [
        view("s1", "V1", "VS1", "2024-03-04 20:00", "C1"),      # after closure, even citing the old case
        view("s2", "V1", "VS1", "2024-01-05 20:00", "C1"),      # before the period
        view("s5", "V5", "VS5", "2024-03-05 22:00"),            # open case, no case reference
        view("s9", "V9", "VS9", "2024-03-10 03:00", "C9"),      # on the case
    ]
    shifts = [shift("V5", f"2024-03-0{d} 07:00", f"2024-03-0{d} 17:00") for d in (5, 6, 7)]
    shifts += [shift("V9", "2024-03-09 22:00", "2024-03-10 07:00"), shift("V9", "2024-03-10 22:00", "2024-03-11 07:00")]
    return {"case_parties": T("case_parties", parties), "comms_events": T("comms_events", comms),
            "system_access": T("system_access", views), "shifts": T("shifts", shifts)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(VictimContact(), tables)}
    assert set(out) == {"V1", "V2", "V5"}
    assert out["V1"]["route"] == "criminal_referral"
    assert out["V1"]["evidence_keys"] == ["e1", "e2", "e3"]
    assert out["V1"]["detail"].startswith("victim VS1 in case C1 (closed 2024-01-10)")
    assert out["V2"]["route"] == "misconduct_assessment"  # repeated contact, no record views
    assert out["V5"]["route"] == "criminal_referral"      # off duty on an open case, lookup without a case
    assert out["V5"]["value"] == 2


def test_without_roster(run, tables):
    t = {k: v for k, v in tables.items() if k != "shifts"}
    # off-duty cannot be judged without the roster: only contact after closure remains
    assert {r["staff_id"] for r in run(VictimContact(), t)} == {"V1", "V2"}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(VictimContact(), tables)
    out = run_detector(VictimContact, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_party_to_another_open_case_is_case_work(run, T):
    """A vulnerable victim of a closed case who is a suspect (or any party) in another of the
    officer's cases, open at the time, is current case work: no flag. The look-alike — the
    other case belongs to a different officer — is still contact after the case."""
    parties = [
        party("C10", "S10", "W1", closed="2024-01-10 12:00"),
        party("C11", "S10", "W1", role="suspect", vulnerable=False),  # W1's open case
        party("C12", "S12", "W2", closed="2024-01-10 12:00"),
        party("C13", "S12", "SOMEONE", role="suspect", vulnerable=False),  # another officer's open case
        party("C14", "S14", "W3", closed="2024-01-10 12:00"),
        party("C15", "S14", "W3", role="witness", vulnerable=False, closed="2024-02-01 12:00"),  # closed before
    ]
    comms = [
        call("f1", "W1", "S10", "2024-03-05 10:00"), call("f2", "W1", "S10", "2024-03-06 10:00"),
        call("f3", "W2", "S12", "2024-03-05 10:00"), call("f4", "W2", "S12", "2024-03-06 10:00"),
        call("f5", "W3", "S14", "2024-03-05 10:00"), call("f6", "W3", "S14", "2024-03-06 10:00"),
    ]
    views = [
        view("g1", "W1", "S10", "2024-03-04 10:00", "C11"),
        view("g2", "W2", "S12", "2024-03-04 10:00", "C13"),
        view("g3", "W3", "S14", "2024-03-04 10:00", "C15"),
    ]
    t = {"case_parties": T("case_parties", parties), "comms_events": T("comms_events", comms),
         "system_access": T("system_access", views)}
    out = {r["staff_id"]: r for r in run(VictimContact(), t)}
    assert set(out) == {"W2", "W3"}
    assert out["W2"]["route"] == "criminal_referral"
    assert out["W3"]["route"] == "criminal_referral"  # the other case had closed well before
