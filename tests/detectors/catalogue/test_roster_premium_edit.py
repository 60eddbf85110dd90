import datetime as dt

import pytest

from fairwitness.detectors.catalogue.roster_premium_edit import NOT_THEIRS, PRACTICE, RosterPremiumEdit

N = [f"R{i:02d}" for i in range(1, 15)]
M = [f"M{i:02d}" for i in range(1, 11)]


def change(cid, staff, by, day, new="rest_day_working", old="normal"):
    return {
        "change_id": cid, "shift_id": f"SH-{cid}", "staff_id": staff, "changed_by": by,
        "changed_at": f"2024-03-{max(day - 1, 1):02d} 09:00", "field": "duty_type", "old_value": old, "new_value": new,
    }


def shift_of(ch, day, night=False):
    start = f"2024-03-{day:02d} {'22:30' if night else '07:00'}"
    end = f"2024-03-{day + 1:02d} 07:00" if night else f"2024-03-{day:02d} 17:00"
    return {"shift_id": ch["shift_id"], "staff_id": ch["staff_id"], "start": start, "end": end,
            "duty_type": ch["new_value"], "site_id": "S1"}


@pytest.fixture
def tables(T, P, base):
    people = [P(s) for s in N] + [P(s, unit_id="U2") for s in M] + [P("SUP", rank_grade="Sergeant")]
    rows, shifts = [], []

    def add(ch, day, night=False):
        rows.append(ch)
        shifts.append(shift_of(ch, day, night))

    for s in N:  # the planner marks everyone's Good Friday shift as a bank holiday: legitimate
        add(change(f"bh-{s}", s, "PLN", 29, new="Bank Holiday"), 29)
    add(change("c1", "R01", "R01", 3), 3)
    add(change("c2", "R01", "R01", 10), 10)                      # two self-edits of normal days
    add(change("c3", "R02", "R02", 5), 5)                        # one self-edit
    for i in range(4):
        add(change(f"c4{i}", "R03", "SUP", 2 + i), 2 + i)         # one sergeant, four normal days
    for i in range(6):
        add(change(f"c5{i}", "R04", "SUP", 2 + i, old="rest_day"), 2 + i)  # recalled on rest days
    add(change("c6", "R05", "R05", 8, old="Rest Day"), 8)       # volunteers for a rest day
    add(change("c7", "R07", "R07", 12, new="bank_holiday"), 12)  # not a bank holiday (night shift)
    add(change("c8", "R07", "R07", 28, new="bank_holiday"), 28, night=True)  # 22:30 on Maundy Thursday: mostly Good Friday
    add(change("c8b", "R07", "R07", 26, new="bank_holiday"), 26, night=True)  # 22:30 on the Tuesday before
    add(change("c9", "R08", "R08", 14, old=None), 14)            # a new entry
    rows.append(change("c10", "R09", "R09", 1) | {"changed_at": "2024-02-10 09:00"})  # before the period
    for k, s in enumerate(M[:6]):  # unit U2 records rest-day working this way for everyone
        for i in range(1 + (k == 0) * 3):
            add(change(f"m{k}{i}", s, "PLN2", 4 + i), 4 + i)
    return base(people) | {"roster_changes": T("roster_changes", rows), "shifts": T("shifts", shifts)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), tables)}
    # the people whose rosters were edited, and the editors SUP and PLN2 (v3: an edit is its editor's act)
    assert set(out) == {"R01", "R02", "R03", "R07", "SUP", "PLN2"} | set(M[:6])
    assert out["R01"]["route"] == "misconduct_assessment"
    assert out["R01"]["evidence_keys"] == ["c1", "c2"] and out["R01"]["value"] == 2
    assert out["R02"]["route"] == "advice"
    # four normal days of R03's relabelled by one sergeant: edits concentrated in R03's favour
    # (collusion) keep R03's misconduct assessment, naming the editor; the sergeant gets a check
    assert out["R03"]["route"] == "misconduct_assessment"
    assert out["R03"]["evidence_keys"] == ["c40", "c41", "c42", "c43"]
    assert "4 by editor SUP" in out["R03"]["detail"]
    assert out["R03"]["explanations_found"] == []
    assert out["SUP"]["route"] == "wellbeing"
    assert out["SUP"]["evidence_keys"] == ["c40", "c41", "c42", "c43"]
    # the night shift from 22:30 on Maundy Thursday is worked mostly on Good Friday: a bank holiday
    # (v2 counted it as unjustified); the one on the Tuesday before is not
    assert out["R07"]["route"] == "misconduct_assessment" and out["R07"]["evidence_keys"] == ["c7", "c8b"]
    assert "response" in out["R03"]["peer_group"]
    # the unit's practice, and the planner's edits: a check for the people (v2: advice), and for the planner
    assert out["M01"]["route"] == "wellbeing"
    assert out["M01"]["explanations_found"] == [NOT_THEIRS, PRACTICE]
    assert out["PLN2"]["route"] == "wellbeing" and out["PLN2"]["explanations_found"] == [PRACTICE]


def test_without_roster_dates(run, tables):
    # without shifts a bank-holiday value cannot be dated: given the benefit of the doubt
    t = {k: v for k, v in tables.items() if k != "shifts"}
    out = {r["staff_id"] for r in run(RosterPremiumEdit(), t)}
    assert "R07" not in out and {"R01", "R03"} <= out


def test_parameters_and_empty(run, T, P, base, tables):
    with pytest.raises(Exception):
        RosterPremiumEdit({"repeat_editor_min": 1})
    empty = base([P("R01")]) | {"roster_changes": T("roster_changes", [])}
    assert run(RosterPremiumEdit(), empty) == []
    strict = RosterPremiumEdit({"misconduct_min_self_edits": 5})
    routes = {r["staff_id"]: r["route"] for r in run(strict, tables)}
    assert routes["R01"] == "advice"


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(RosterPremiumEdit(), tables)
    out = run_detector(RosterPremiumEdit, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def _plus(tables, T, rows, shifts):
    return dict(tables, roster_changes=T("roster_changes", tables["roster_changes"].to_pylist() + rows),
                shifts=T("shifts", tables["shifts"].to_pylist() + shifts))


def test_night_shifts_from_the_eve_of_a_bank_holiday(run, tables, T):
    """A resourcing officer relabels every response night shift starting at 22:00 on Maundy Thursday
    (28 March 2024) as bank holiday: seven of its nine hours are on Good Friday. Nobody is flagged for
    it. A late shift ending at midnight on the eve has no hour on the holiday and stays unjustified."""
    rows, shifts = [], []
    for s in N[8:]:
        ch = change(f"eve-{s}", s, "RO", 28, new="bank_holiday")
        rows.append(ch)
        shifts.append(shift_of(ch, 28, night=True) | {"start": "2024-03-28 22:00"})
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, rows, shifts))}
    assert not {*N[8:], "RO"} & set(out)
    late = change("late-R09", "R09", "R09", 28, new="bank_holiday")
    late_shift = shift_of(late, 28) | {"start": "2024-03-28 14:00", "end": "2024-03-29 00:00"}
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, [late], [late_shift]))}
    assert out["R09"]["evidence_keys"] == ["late-R09"] and out["R09"]["route"] == "advice"


def test_the_rostering_systems_default_corrected_by_the_editor_who_made_the_entry(run, tables, T):
    """A sergeant adds shifts on R10's cancelled rest days: the system writes duty type '' -> normal,
    and the sergeant corrects it to rest-day working five minutes later, three times. A new entry,
    not a relabelled working day. The same sergeant relabelling R11's existing normal days three times
    (no entry made moments before) is still an editor's repeated unjustified edits on one roster."""
    rows, shifts = [], []
    for i, d in enumerate((12, 19, 26)):
        made = change(f"new{i}", "R10", "SUP2", d, new="normal", old="") | {"changed_at": f"2024-03-{d - 3:02d} 14:00"}
        fix = change(f"fix{i}", "R10", "SUP2", d) | {"shift_id": made["shift_id"], "changed_at": f"2024-03-{d - 3:02d} 14:05"}
        rows += [made, fix]
        shifts.append(shift_of(fix, d))
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, rows, shifts))}
    assert not {"R10", "SUP2"} & set(out)
    late = [change(f"r11-{d}", "R11", "SUP2", d) for d in (12, 19, 26)]
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, late, [shift_of(c, d) for c, d in zip(late, (12, 19, 26))]))}
    assert out["R11"]["route"] == "misconduct_assessment"  # one editor's edits concentrated in R11's favour
    assert out["SUP2"]["route"] == "wellbeing"


def test_an_edit_by_someone_else_is_not_adverse_for_the_person(run, tables, T):
    """A sergeant relabels one normal day each of three constables: nothing adverse for the constables,
    who made no edit (v2: advice for each); the sergeant's three unjustified edits over several rosters
    are advice for the sergeant. R02, who made such an edit to their own roster, still gets advice."""
    rows = [change(f"o-{s}", s, "SUP3", 20) for s in N[9:12]]
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, rows, [shift_of(c, 20) for c in rows]))}
    assert {out[s]["route"] for s in N[9:12]} == {"wellbeing"}
    assert out["SUP3"]["route"] == "advice" and out["SUP3"]["value"] == 3
    assert out["R02"]["route"] == "advice"


def test_a_rest_day_a_template_overwrote_then_put_right(run, tables, T):
    """A rota template copied over R12's rest days (rest_day -> normal, by the resourcing unit), and
    R12 put two of them right as rest-day working: the entries were rest days, nothing unjustified.
    R13 relabels two normal days the same way, with no rest day behind them: a misconduct assessment."""
    rows, shifts = [], []
    for d in (12, 19):
        tpl = change(f"tpl{d}", "R12", "RES", d, new="normal", old="rest_day") | {"changed_at": "2024-03-02 10:00"}
        fix = change(f"fix{d}", "R12", "R12", d) | {"shift_id": tpl["shift_id"]}
        rows += [tpl, fix]
        shifts.append(shift_of(fix, d))
        own = change(f"own{d}", "R13", "R13", d)
        rows.append(own)
        shifts.append(shift_of(own, d))
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), _plus(tables, T, rows, shifts))}
    assert "R12" not in out
    assert out["R13"]["route"] == "misconduct_assessment"

