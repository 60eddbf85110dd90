import datetime as dt

import pytest

from fairwitness.detectors.catalogue.roster_premium_edit import RosterPremiumEdit

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
    add(change("c8", "R07", "R07", 28, new="bank_holiday"), 28, night=True)  # 22:30 on Maundy Thursday
    add(change("c9", "R08", "R08", 14, old=None), 14)            # a new entry
    rows.append(change("c10", "R09", "R09", 1) | {"changed_at": "2024-02-10 09:00"})  # before the period
    for k, s in enumerate(M[:6]):  # unit U2 records rest-day working this way for everyone
        for i in range(1 + (k == 0) * 3):
            add(change(f"m{k}{i}", s, "PLN2", 4 + i), 4 + i)
    return base(people) | {"roster_changes": T("roster_changes", rows), "shifts": T("shifts", shifts)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(RosterPremiumEdit(), tables)}
    assert set(out) == {"R01", "R02", "R03", "R07"} | set(M[:6])
    assert out["R01"]["route"] == "misconduct_assessment"
    assert out["R01"]["evidence_keys"] == ["c1", "c2"] and out["R01"]["value"] == 2
    assert out["R02"]["route"] == "advice"
    assert out["R03"]["route"] == "misconduct_assessment"
    assert out["R03"]["evidence_keys"] == ["c40", "c41", "c42", "c43"]
    assert "4 by editor SUP" in out["R03"]["detail"]
    assert out["R07"]["route"] == "misconduct_assessment" and out["R07"]["evidence_keys"] == ["c7", "c8"]
    assert "response" in out["R03"]["peer_group"]
    # the unit's practice: advice only, even for four edits by one editor
    assert out["M01"]["route"] == "advice"
    assert out["M01"]["explanations_found"] == ["the unit's roster practice (most of the unit shows such edits)"]


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
