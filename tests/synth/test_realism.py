"""The force looks like a police force: ranks, management, rotas and activity inside duty."""

from __future__ import annotations

import numpy as np
import pandas as pd


def test_rank_proportions(force) -> None:
    people = force.table("people")
    officers = people[people["employment_type"] == "officer"]
    share = officers["rank_grade"].value_counts(normalize=True)
    assert abs(share["PC"] - 0.77) < 0.03
    assert abs(share["PS"] - 0.156) < 0.02
    assert abs(share["Insp"] - 0.048) < 0.015
    assert len(officers) / len(people[people["employment_type"].isin(["officer", "staff"])]) == pytest_approx(0.70, 0.02)
    assert (people["rank_grade"] == "PCSO").sum() > 0
    assert (people["employment_type"] == "special").sum() > 0


def pytest_approx(value: float, tol: float):
    class _Approx:
        def __eq__(self, other: object) -> bool:
            return abs(float(other) - value) <= tol  # type: ignore[arg-type]

    return _Approx()


def test_line_management_chain(force) -> None:
    people = force.table("people").set_index("staff_id")
    top = people[people["line_manager_id"].isna()]
    assert len(top) == 1
    manager = people["line_manager_id"].to_dict()
    for staff in people.index[:200]:
        seen = 0
        while manager.get(staff) is not None and isinstance(manager.get(staff), str):
            staff = manager[staff]
            seen += 1
            assert seen < 20
        assert staff == top.index[0]


def test_part_time_and_hybrid(force) -> None:
    people = force.table("people")
    protected = force.table("people_protected").set_index("staff_id")
    officers = people[people["employment_type"] == "officer"]
    staff = people[(people["employment_type"] == "staff") & (people["rank_grade"] != "PCSO")]
    assert 0.03 < (officers["fte"] < 1).mean() < 0.12
    assert 0.14 < (staff["fte"] < 1).mean() < 0.32
    female = protected.loc[people["staff_id"], "sex"].to_numpy() == "Female"
    pt = people["fte"].to_numpy() < 1
    assert pt[female].mean() > 2 * pt[~female].mean()
    senior = people["rank_grade"].isin(["CI", "Supt", "Ch Supt", "Cmdr", "DAC", "AC", "Deputy Commissioner", "Commissioner"])
    assert people.loc[senior, "hybrid_policy"].all()
    assert people.loc[people["employment_type"] == "staff", "hybrid_policy"].any()


def test_overtime_only_constables_and_sergeants(force) -> None:
    people = force.table("people").set_index("staff_id")
    claims = force.table("overtime_claims")
    assert set(people.loc[claims["staff_id"], "rank_grade"]) <= {"PC", "PS"}
    assert set(claims["rate"]) <= {1.0, 1.33, 1.5, 2.0}
    bh = claims[claims["start"].dt.tz_convert("Europe/London").dt.strftime("%m-%d").isin(["01-01"])]
    assert (bh["rate"] == 2.0).all()


def test_response_rota_4on4off(force) -> None:
    people = force.table("people")
    shifts = force.table("shifts")
    response = people.loc[people["role"] == "Response Officer", "staff_id"]
    s = shifts[shifts["staff_id"].isin(response) & (shifts["duty_type"] == "normal")]
    hours = ((s["end"] - s["start"]).dt.total_seconds() / 3600).round()
    assert hours.isin([10, 11, 9]).mean() > 0.95  # DST nights are 9 or 11 hours


def test_events_only_inside_duty(force) -> None:
    shifts = force.table("shifts")
    claims = force.table("overtime_claims")
    dev = force.resolved("device_events")
    loc = dev[dev["kind"] == "location"].sample(300, random_state=2)
    windows = pd.concat([shifts[["staff_id", "start", "end"]], claims[["staff_id", "start", "end"]]])
    hits = loc.merge(windows, on="staff_id")
    inside = hits[(hits["ts"] >= hits["start"]) & (hits["ts"] <= hits["end"] + pd.Timedelta(hours=4))]
    assert inside.drop_duplicates(["staff_id", "ts"]).shape[0] == len(loc)


def test_sickness_and_volumes(force) -> None:
    absences = force.table("absences")
    sick = absences[absences["type"] == "sickness"]
    long = sick[(sick["end"] - sick["start"]) > pd.Timedelta(days=28)]
    assert len(long) > 0
    people = force.table("people")
    protected = force.table("people_protected").set_index("staff_id")
    women = protected.loc[long["staff_id"], "sex"].eq("Female").mean()
    assert women > protected.loc[people["staff_id"], "sex"].eq("Female").mean()
    shifts = len(force.table("shifts"))
    assert 1.5 < len(force.table("badge_events")) / shifts < 4
    assert 1 < len(force.table("system_access")) / shifts < 12
    no_case = force.table("system_access")["case_ref"].isna().mean()
    assert 0.01 < no_case < 0.2
    declarations = force.table("declarations")
    officers = people[people["employment_type"] == "officer"]
    business = declarations[declarations["kind"].isin(["business_interest", "secondary_employment"])]
    share = business["staff_id"].isin(officers["staff_id"]).sum() / len(officers)
    assert 0.07 < share < 0.25
    assert np.isfinite(force.table("case_parties")["vulnerable"].mean())
