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
    assert out["B"]["route"] == "wellbeing"  # the sergeant moved the rest day
    assert out["B"]["explanations_found"] == ["the swap was made by someone else (a roster decision)"]
    assert out["A"]["evidence_keys"] == ["oa"]
    assert out["A"]["evidence_table"] == "overtime_claims"
    assert "a1" in out["A"]["detail"]
    assert out["D"]["route"] == "wellbeing"
    assert out["D"]["explanations_found"] == ["recall to duty by a supervisor, overtime authorised by someone else"]


def test_claim_for_the_moved_shift_itself(run, T):
    """K moves a Tuesday early onto Thursday (a rest day) and claims Thursday's shift as overtime;
    L's sergeant moved L's shift and L's overtime is an overrun after it, not the shift itself."""
    changes = [
        rc("k1", "K", "K", "start", "2024-03-05 07:00", "2024-03-07 07:00", shift="SH-K"),
        rc("l1", "L", "SUP", "start", "2024-03-05 07:00", "2024-03-07 07:00", shift="SH-L"),
    ]
    shifts = [
        {"shift_id": "SH-K", "staff_id": "K", "start": "2024-03-07 07:00", "end": "2024-03-07 17:00", "duty_type": "normal", "site_id": "S1"},
        {"shift_id": "SH-L", "staff_id": "L", "start": "2024-03-07 07:00", "end": "2024-03-07 17:00", "duty_type": "normal", "site_id": "S1"},
    ]
    claims = [ot("ok", "K", "2024-03-07 07:00", "2024-03-07 17:00"), ot("ol", "L", "2024-03-07 17:00", "2024-03-07 19:00")]
    out = run(RestDaySwapOvertime(), {"roster_changes": T("roster_changes", changes),
                                      "overtime_claims": T("overtime_claims", claims), "shifts": T("shifts", shifts)})
    assert [(r["staff_id"], r["route"], r["evidence_keys"]) for r in out] == [("K", "misconduct_assessment", ["ok"])]


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


def test_overrun_of_other_duty_is_weak(run, T):
    """A night shift moved off the 12th; the claim on the 12th starts as the late shift of the
    11th ends (a late arrest running past midnight): explained by that shift, advice once,
    a misconduct assessment when it keeps happening. A claim on the freed day with no duty
    around it (the look-alike of the real pattern) stays a misconduct assessment; so does one
    after a shift that ended hours earlier."""
    def sh(sid, staff, start, end, duty="normal"):
        return {"shift_id": sid, "staff_id": staff, "start": start, "end": end, "duty_type": duty, "site_id": "S1"}

    changes = [
        rc("k1", "K", "K", "start", "2024-03-12T22:00:00", "2024-03-14T22:00:00", shift="K-N"),
        rc("l1", "L", "L", "start", "2024-03-12T22:00:00", "2024-03-14T22:00:00", shift="L-N1"),
        rc("l2", "L", "L", "start", "2024-03-20T22:00:00", "2024-03-22T22:00:00", shift="L-N2"),
        rc("m1", "M", "M", "start", "2024-03-12T07:00:00", "2024-03-14T07:00:00", shift="M-E"),
        rc("n1", "N", "N", "start", "2024-03-12T14:00:00", "2024-03-11T14:00:00", shift="N-L"),
        rc("q1", "Q", "Q", "start", "2024-03-12T22:00:00", "2024-03-14T22:00:00", shift="Q-N"),
    ]
    shifts = [
        sh("K-L", "K", "2024-03-11 14:00", "2024-03-12 00:00"), sh("K-N", "K", "2024-03-14 22:00", "2024-03-15 08:00"),
        sh("L-L1", "L", "2024-03-11 14:00", "2024-03-12 00:00"), sh("L-L2", "L", "2024-03-19 14:00", "2024-03-20 00:00"),
        sh("M-E2", "M", "2024-03-11 07:00", "2024-03-11 17:00"),
        sh("N-R", "N", "2024-03-12 07:00", "2024-03-12 15:00", duty="rest_day_working"),  # rostered rest-day working
        sh("Q-E", "Q", "2024-03-11 22:00", "2024-03-12 06:00", duty="rest_day"),  # a rest day is not duty
    ]
    claims = [
        ot("ck", "K", "2024-03-12 00:00", "2024-03-12 02:00", reason="late_arrest"),
        ot("cl1", "L", "2024-03-12 00:00", "2024-03-12 02:00"), ot("cl2", "L", "2024-03-20 00:15", "2024-03-20 03:00"),
        ot("cm", "M", "2024-03-12 07:00", "2024-03-12 17:00"),  # came in on the freed day
        ot("cn", "N", "2024-03-12 07:00", "2024-03-12 15:00"),  # pays the rostered rest-day working
        ot("cq", "Q", "2024-03-12 06:00", "2024-03-12 09:00"),
    ]
    t = {"roster_changes": T("roster_changes", changes), "overtime_claims": T("overtime_claims", claims),
         "shifts": T("shifts", shifts)}
    out = {r["staff_id"]: r for r in run(RestDaySwapOvertime(), t)}
    assert set(out) == {"K", "L", "M", "N", "Q"}
    assert out["K"]["route"] == "wellbeing"
    assert out["K"]["explanations_found"] == [
        "the claim continues or lies within another rostered shift (an overrun or rostered duty)"]
    assert out["N"]["route"] == "wellbeing"
    assert out["L"]["route"] == "misconduct_assessment"  # twice: a pattern
    assert out["M"]["route"] == "misconduct_assessment"
    assert out["Q"]["route"] == "misconduct_assessment"
    # without the roster nothing can be explained by other duty
    del t["shifts"]
    assert {r["route"] for r in run(RestDaySwapOvertime(), t)} == {"misconduct_assessment"}


def test_the_moved_night_shift_overrunning_into_the_freed_morning_is_explained(run, T):
    """A night shift moved from the 14th to the 13th ends on the 14th's morning; a claim that
    starts as it ends (statement taking after a late arrest) is its overrun, not pay for the
    freed day. A claim later that day, on its own, still is."""
    changes = [rc("n1", "N", "N", "start", "2024-03-14T19:00:00", "2024-03-13T19:00:00", shift="SH-N"),
               rc("m1", "M", "M", "start", "2024-03-14T19:00:00", "2024-03-13T19:00:00", shift="SH-M")]
    claims = [ot("on", "N", "2024-03-14 07:00", "2024-03-14 10:00"), ot("om", "M", "2024-03-14 13:00", "2024-03-14 17:00")]
    shifts = [{"shift_id": s, "staff_id": p, "start": "2024-03-13 19:00", "end": "2024-03-14 07:00",
               "duty_type": "normal", "site_id": "S1"} for s, p in (("SH-N", "N"), ("SH-M", "M"))]
    out = {r["staff_id"]: r for r in run(RestDaySwapOvertime(), {
        "roster_changes": T("roster_changes", changes), "overtime_claims": T("overtime_claims", claims),
        "shifts": T("shifts", shifts)})}
    assert out["N"]["route"] == "wellbeing"
    assert out["M"]["route"] == "misconduct_assessment"


def _callin(T, *, colleagues=("C1", "C2", "C3"), on_duty=(), swapped=(), badges=True, by="INSP", reason="Major Incident"):
    """A swapped his 15 March early to the 17th himself (on 2 March); on the 15th a major incident calls
    the team in: A and ``colleagues`` claim 12:00-21:00 "Major Incident", authorised by ``by``, and
    badge in and out. ``on_duty``: colleagues rostered over those hours; ``swapped``: colleagues whose
    15th was freed by their own swap."""
    changes = [rc("a1", "A", "A", "start", "2024-03-15 07:00", "2024-03-17 07:00", shift="SH-A")]
    changes += [rc(f"s-{c}", c, c, "start", "2024-03-15 07:00", "2024-03-16 07:00", shift=f"SH-{c}") for c in swapped]
    shifts = [{"shift_id": "SH-A", "staff_id": "A", "start": "2024-03-17 07:00", "end": "2024-03-17 17:00",
               "duty_type": "normal", "site_id": "S1"}]
    shifts += [{"shift_id": f"D-{c}", "staff_id": c, "start": "2024-03-15 07:00", "end": "2024-03-15 17:00",
                "duty_type": "normal", "site_id": "S1"} for c in on_duty]
    claims, badge = [], []
    for s in ("A", *colleagues):
        claims.append(ot(f"mi-{s}", s, "2024-03-15 12:00", "2024-03-15 21:00", reason=reason, auth=by))
        if badges:
            badge += [{"staff_id": s, "ts": "2024-03-15 11:52", "site_id": "S1", "direction": "in"},
                      {"staff_id": s, "ts": "2024-03-15 21:08", "site_id": "S1", "direction": "out"}]
    return {"roster_changes": T("roster_changes", changes), "overtime_claims": T("overtime_claims", claims),
            "shifts": T("shifts", shifts), "badge_events": T("badge_events", badge)}


def test_a_team_call_in_on_a_day_freed_by_the_persons_own_swap(run, T):
    """A swapped his day away himself weeks before; a firearms incident then called the team in:
    colleagues not rostered that day claimed the same hours for the same reason, authorised by the
    inspector, and came in, as A did. Called in with the team, not paid for a day he freed to work as
    overtime: a check (wellbeing), not a misconduct assessment."""
    out = run(RestDaySwapOvertime(), _callin(T))
    assert [(r["staff_id"], r["route"]) for r in out] == [("A", "wellbeing")]
    from fairwitness.detectors.catalogue._callin import TEAM_CALLIN

    assert out[0]["explanations_found"] == [TEAM_CALLIN]


@pytest.mark.parametrize(
    "kw",
    [
        {"colleagues": ()},                                  # alone on the freed day: the pattern
        {"colleagues": ("C1",)},                             # one colleague: fewer than callin_min_colleagues
        {"colleagues": ("C1", "C2", "C3"), "on_duty": ("C1", "C2")},  # only one of them off duty
        {"swapped": ("C1", "C2", "C3")},                     # the team swapped off a known day: the racket
        {"badges": False},                                   # nobody came in: no presence
        {"by": "A"},                                         # authorised by himself
        {"reason": "PPE - Pre-Planned Event"},               # an event known in advance: the racket's own day
        {"reason": "Football - Home Fixture"},
    ],
)
def test_what_is_not_a_team_call_in(run, T, kw):
    out = run(RestDaySwapOvertime(), _callin(T, **kw))
    assert [(r["staff_id"], r["route"]) for r in out if r["staff_id"] == "A"] == [("A", "misconduct_assessment")]
