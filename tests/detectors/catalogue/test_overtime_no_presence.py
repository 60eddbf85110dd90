import datetime as dt

import pytest

from fairwitness.detectors.catalogue.overtime_no_presence import OvertimeNoPresence
from fairwitness.detectors.sources import SourceNotLoaded


def ot(cid, staff, start, end, hours=4, status="approved", reason="operational", by="SUP"):
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": end, "hours": hours, "rate": 1.5,
            "reason_code": reason, "submitted_at": end, "authorised_by": by, "authorised_at": end, "status": status}


def claims(staff, n, reason="operational", day0=1, by="SUP"):
    return [ot(f"{staff}-{i}", staff, f"2024-03-{day0 + i:02d} 18:00", f"2024-03-{day0 + i:02d} 22:00", reason=reason, by=by)
            for i in range(n)]


def seen(staff, n, day0=1, unless=()):
    """A police-systems lookup an hour into each of ``staff``'s claims (but those in ``unless``)."""
    return [{"event_id": f"{staff}-e{i}", "staff_id": staff, "ts": f"2024-03-{day0 + i:02d} 19:00", "system": "PNC",
             "action": "search"} for i in range(n) if i not in unless]


@pytest.fixture
def tables(T, P):
    """Units U1, U3, U4, U5 of 30 colleagues with 5 claims each, 3 of each unit's 150 leaving no
    trace (2 %: a cordon, a hospital guard), and one person each to assess: in U1 H1 has 2 of 13
    with none (chance) and CT three court claims (no trace expected); in U3 F1 has 5 of 10; in U4 F2
    5 of 10, authorised by himself; in U5 WB 3 of 10. Unit U2 has no readers: all claims untraced.
    Presence semantics (U1): B2 badges in during each claim, D3 logs in 20 minutes in, S5 works
    overnight claims, O7 only badges out of the shift the overtime follows."""
    people, claim, systems, badge, device = [], [], [], [], []
    for unit, (s, n, untraced, by) in {"U1": ("H1", 13, {3, 9}, "SUP"), "U3": ("F1", 10, {1, 3, 5, 7, 9}, "SUP"),
                                        "U4": ("F2", 10, {0, 2, 4, 6, 8}, "F2"), "U5": ("WB", 10, {2, 5, 8}, "SUP")}.items():
        for i in range(30):
            people.append(P(f"{unit}N{i}", unit_id=unit))
            claim += claims(f"{unit}N{i}", 5)
            systems += seen(f"{unit}N{i}", 5, unless={0} if i < 3 else ())
        people.append(P(s, unit_id=unit))
        claim += claims(s, n, by=by)
        systems += seen(s, n, unless=untraced)
    people.append(P("CT"))
    claim += claims("CT", 3, reason="COURT attendance") + claims("CT", 5, day0=10)
    systems += seen("CT", 5, day0=10)
    for i in range(10):
        people.append(P(f"X{i}", unit_id="U2"))
        claim += claims(f"X{i}", 3)
    for s in ("B2", "D3", "S5", "O7", "R8"):
        people.append(P(s))
    claim += claims("B2", 3) + claims("D3", 3) + claims("O7", 3)
    badge += [{"staff_id": "B2", "ts": f"2024-03-{1 + i:02d} 17:55", "site_id": "S1", "direction": "in"} for i in range(3)]
    badge += [{"staff_id": "B2", "ts": f"2024-03-{1 + i:02d} 22:10", "site_id": "S1", "direction": "out"} for i in range(3)]
    device += [{"staff_id": "D3", "device_id": "D3", "ts": f"2024-03-{1 + i:02d} 18:20", "kind": "login"} for i in range(3)]
    badge += [{"staff_id": "O7", "ts": f"2024-03-{1 + i:02d} 18:00", "site_id": "S1", "direction": "out"} for i in range(3)]
    claim += [ot("S5-0", "S5", "2024-03-10 22:00", "2024-03-11 06:00", 8), ot("S5-1", "S5", "2024-03-12 22:00", "2024-03-13 06:00", 8)]
    systems += [{"event_id": "s5a", "staff_id": "S5", "ts": "2024-03-11 01:00", "system": "PNC", "action": "search"},
                {"event_id": "s5b", "staff_id": "S5", "ts": "2024-03-13 05:50", "system": "PNC", "action": "view"}]
    claim += [dict(c, status="rejected") for c in claims("R8", 3)]
    comms = [{"event_id": "m1", "staff_id": "O7", "ts": "2024-03-01 19:00", "channel": "call", "counterpart_ref": "x",
              "direction": "in", "duration_s": 0}]  # an incoming call is not presence
    return {
        "people": T("people", people),
        "overtime_claims": T("overtime_claims", claim),
        "badge_events": T("badge_events", badge),
        "device_events": T("device_events", device),
        "system_access": T("system_access", systems),
        "comms_events": T("comms_events", comms),
    }


def test_routes_follow_how_far_beyond_the_units_rate(run, tables):
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence(), tables)}
    # O7: every claim untraced (the badge-out of the shift before is not presence), 3 of 3
    assert set(out) == {"F1", "F2", "WB", "O7"}
    assert out["F1"]["route"] == "misconduct_assessment"
    assert out["F1"]["evidence_keys"] == ["F1-1", "F1-3", "F1-5", "F1-7", "F1-9"] and out["F1"]["value"] == 5
    assert "20.0 of 40.0 claimed hours unevidenced in 5 of 10 claims" in out["F1"]["detail"]
    # no trace and nobody else vouched for the hours: two kinds
    assert out["F2"]["route"] == "gross_misconduct_assessment"
    assert "5 of them authorised by the claimant" in out["F2"]["detail"]
    assert out["WB"]["route"] == "wellbeing"
    assert out["WB"]["explanations_found"] == ["within what the unit's rate of claims with no trace allows for a misconduct route"]


def test_silent_sources_are_one_kind_of_evidence(run, tables):
    """Four presence sources checked and silent are one fact — no trace — not four kinds: without
    a second kind nobody goes to gross misconduct, however many claims are untraced."""
    t = dict(tables)
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence({"misconduct_z": 2.0}), t)}
    assert {r["route"] for s, r in out.items() if s != "F2"} <= {"misconduct_assessment", "wellbeing"}
    assert "independent kinds of evidence: claims with no trace" in out["F1"]["detail"]
    assert "authorised by the claimant]" not in out["F1"]["detail"]


def test_honest_claims_with_no_trace_court_and_a_unit_without_readers(run, tables):
    out = {r["staff_id"] for r in run(OvertimeNoPresence(), tables)}
    assert "H1" not in out  # 2 of 13 untraced where the unit shows 2 %: chance
    assert "CT" not in out  # court: no trace expected, not counted
    assert not any(s.startswith("X") for s in out)  # the unit's claims never leave a trace
    assert not out & {"B2", "D3", "S5", "R8"}


def test_sources(run, tables):
    t = {k: v for k, v in tables.items() if k in ("people", "overtime_claims")}
    with pytest.raises(SourceNotLoaded):
        run(OvertimeNoPresence(), t)
    # badge data alone: the lookups and D3's device logins no longer count
    t["badge_events"] = tables["badge_events"]
    assert not {"D3", "U1N0"} & {r["staff_id"] for r in run(OvertimeNoPresence(), t)}  # everybody untraced: the rate
    # a stricter window: D3's logins 20 minutes in no longer count
    assert "D3" in {r["staff_id"] for r in run(OvertimeNoPresence({"inside_minutes": 30}), tables)}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(OvertimeNoPresence(), tables)
    out = run_detector(OvertimeNoPresence, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_a_kind_of_work_that_often_leaves_no_trace(run, tables, T):
    """Hospital guards across the force leave no trace over a quarter of the time: HG's four
    untraced guards of ten are in line with that; LA's six untraced late arrests of ten are not."""
    people = tables["people"].to_pylist()
    claim, systems = tables["overtime_claims"].to_pylist(), tables["system_access"].to_pylist()
    for i in range(30):
        s = f"G{i}"
        people.append(dict(people[0], staff_id=s, unit_id=f"U{6 + i % 3}"))
        claim += claims(s, 6, reason="hospital_guard", day0=10)
        systems += seen(s, 6, day0=10, unless={0, 3} if i % 3 else {0})
    for s, reason, untraced in (("HG", "hospital_guard", {1, 4, 6, 8}), ("LA", "late_arrest", {1, 2, 4, 6, 8, 9})):
        people.append(dict(people[0], staff_id=s, unit_id="U1"))
        claim += claims(s, 10, reason=reason, day0=10)
        systems += seen(s, 10, day0=10, unless=untraced)
    t = dict(tables, people=T("people", people), overtime_claims=T("overtime_claims", claim),
             system_access=T("system_access", systems))
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence(), t)}
    assert "HG" not in out
    assert out["LA"]["route"] == "misconduct_assessment"


def test_court_on_the_roster_and_court_claims_it_does_not_show(run, tables, T):
    """Twenty officers' court claims sit on rostered court duties (evidence, where no activity is
    expected); CF claims five court sessions the roster never shows, where court claims at this
    force always are: beyond chance. Where court is never rostered (the same claims without the
    duties), court claims are expected to leave no trace and CF is not flagged."""
    people = tables["people"].to_pylist()
    claim, systems = tables["overtime_claims"].to_pylist(), tables["system_access"].to_pylist()
    shifts = []
    for i in range(20):
        s = f"CO{i}"
        people.append(dict(people[0], staff_id=s, unit_id="U1"))
        claim += claims(s, 2, reason="court", day0=20)
        shifts += [{"shift_id": f"{s}-{d}", "staff_id": s, "start": f"2024-03-{20 + d:02d} 09:00",
                    "end": f"2024-03-{20 + d:02d} 23:00", "duty_type": "Court", "site_id": "S1"} for d in range(2)]
    people.append(dict(people[0], staff_id="CF", unit_id="U1"))
    claim += [dict(c, claim_id=f"CF-court-{i}") for i, c in enumerate(claims("CF", 5, reason="court", day0=20))]
    claim += claims("CF", 6, day0=1)
    systems += seen("CF", 6, day0=1)
    t = dict(tables, people=T("people", people), overtime_claims=T("overtime_claims", claim),
             system_access=T("system_access", systems))
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence(), dict(t, shifts=T("shifts", shifts)))}
    assert not any(s.startswith("CO") for s in out)
    assert out["CF"]["route"] == "misconduct_assessment" and out["CF"]["value"] == 5
    assert "CF" not in {r["staff_id"] for r in run(OvertimeNoPresence(), t)}


def _away(staff, n, reason, day0=10, by="SUP"):
    """``n`` claims of ``staff`` giving ``reason``, ids apart from `claims`' own."""
    return [dict(c, claim_id=f"{c['claim_id']}-{reason}") for c in claims(staff, n, reason=reason, day0=day0, by=by)]


def _with(tables, T, people, claim, systems):
    return dict(tables, people=T("people", tables["people"].to_pylist() + people),
                overtime_claims=T("overtime_claims", tables["overtime_claims"].to_pylist() + claim),
                system_access=T("system_access", tables["system_access"].to_pylist() + systems))


def test_off_site_reason_only_the_claimant_gives(run, tables, T, P):
    """A custody sergeant guards a prisoner in hospital five times (no readers, no work device there);
    nobody else at the force claims a hospital guard, so there is no one else's rate for the reason:
    its wording names off-site work, so it is not read at the force's rate of work in its buildings
    (2 %). Five untraced claims of an invented reason that names no off-site work still are."""
    def alone(s, reason):
        claim = _away(s, 5, reason) + claims(s, 4, day0=20)
        out = run(OvertimeNoPresence(), _with(tables, T, [P(s, unit_id="U1")], claim, seen(s, 4, day0=20)))
        return {r["staff_id"]: r for r in out}.get(s)

    assert alone("HG1", "hospital_guard") is None
    assert alone("XX1", "ops_support")["route"] == "misconduct_assessment"


def test_off_site_wording_gives_way_to_the_forces_own_such_claims(run, tables, T, P):
    """Where the force's hospital guards leave a trace (thirty officers' guards, every one traced: the
    guard logs on to a work device), five untraced ones stand out: a misconduct assessment, and a
    gross misconduct assessment when the claimant authorised them himself."""
    people = [P(f"GT{i}", unit_id="U1") for i in range(30)] + [P("HG2", unit_id="U1"), P("HG3", unit_id="U1")]
    claim, systems = [], []
    for i in range(30):
        claim += claims(f"GT{i}", 3, reason="hospital_guard", day0=10)
        systems += seen(f"GT{i}", 3, day0=10)
    claim += _away("HG2", 5, "hospital_guard") + claims("HG2", 4, day0=20)
    claim += _away("HG3", 5, "hospital_guard", by="HG3") + claims("HG3", 4, day0=20)
    systems += seen("HG2", 4, day0=20) + seen("HG3", 4, day0=20)
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence(), _with(tables, T, people, claim, systems))}
    assert out["HG2"]["route"] == "misconduct_assessment"
    assert out["HG3"]["route"] == "gross_misconduct_assessment"
    from fairwitness.detectors.catalogue.overtime_no_presence import OFFSITE_REASON
    assert OFFSITE_REASON in out["HG2"]["explanations_found"]
