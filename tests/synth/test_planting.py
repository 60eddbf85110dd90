"""Each scenario is in truth at its configured rate and really present in the data."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from fairwitness.scenarios import DECOYS, MISCONDUCT


def _truth(force, scenario: str) -> pd.DataFrame:
    t = force.table("truth")
    return t[t["scenario"] == scenario]


@pytest.mark.parametrize("scenario", [*MISCONDUCT, *DECOYS])
def test_scenario_in_truth_at_rate(force, scenario) -> None:
    from fairwitness.synth.config import NATURAL

    rows = _truth(force, scenario)
    kind = "misconduct" if scenario in MISCONDUCT else "decoy"
    assert (rows["kind"] == kind).all()
    if scenario in NATURAL:  # recorded where the world's honest behaviour produced it
        assert (rows["end"] >= rows["start"]).all()
        return
    expected = force.cfg.planted_count(scenario)
    if scenario == "surge_unit_overtime":
        assert len(rows) >= expected  # the whole surged unit
    else:
        assert len(rows) == expected
    kind = "misconduct" if scenario in MISCONDUCT else "decoy"
    assert (rows["kind"] == kind).all()
    assert (rows["end"] >= rows["start"]).all()


def test_planted_people_are_distinct(force) -> None:
    t = force.table("truth")
    assert not t["staff_id"].duplicated().any()


def _presence(force, staff: str, start, end) -> int:
    n = 0
    for name in ("badge_events", "device_events", "system_access"):
        ev = force.resolved(name) if name != "system_access" else force.table(name)
        ev = ev[ev["staff_id"] == staff]
        n += int(((ev["ts"] >= start) & (ev["ts"] <= end)).sum())
    return n


def _claims(force, staff: str) -> pd.DataFrame:
    c = force.table("overtime_claims")
    return c[c["staff_id"] == staff]


def test_overtime_no_presence(force) -> None:
    for _, t in _truth(force, "overtime_no_presence").iterrows():
        claims = _claims(force, t["staff_id"])
        claims = claims[(claims["start"] >= t["start"]) & (claims["end"] <= t["end"])]
        empty = [_presence(force, t["staff_id"], c["start"], c["end"]) == 0 for _, c in claims.iterrows()]
        assert sum(empty) >= 2, t["staff_id"]


def test_ordinary_overtime_has_presence(force) -> None:
    planted = set(force.table("truth")["staff_id"])
    claims = force.table("overtime_claims")
    sample = claims[~claims["staff_id"].isin(planted)].sample(60, random_state=1)
    present = [_presence(force, c["staff_id"], c["start"], c["end"]) > 0 for _, c in sample.iterrows()]
    assert np.mean(present) > 0.95


def test_self_authorisation(force) -> None:
    claims = force.table("overtime_claims")
    selfish = set(claims.loc[claims["authorised_by"] == claims["staff_id"], "staff_id"])
    assert selfish == set(_truth(force, "self_authorisation")["staff_id"])


def test_reciprocal_authorisation(force) -> None:
    group = set(_truth(force, "reciprocal_authorisation")["staff_id"])
    claims = force.table("overtime_claims")
    for staff in group:
        mine = claims[claims["staff_id"] == staff]
        approvers = set(mine["authorised_by"].dropna()) & group
        assert approvers, staff
        approved_by_me = set(claims.loc[claims["authorised_by"] == staff, "staff_id"]) & group
        assert approved_by_me, staff


def test_roster_premium_edit(force) -> None:
    changes = force.table("roster_changes")
    for _, t in _truth(force, "roster_premium_edit").iterrows():
        mine = changes[
            (changes["staff_id"] == t["staff_id"]) & (changes["field"] == "duty_type") & (changes["old_value"] == "normal")
            & changes["new_value"].isin(["rest_day_working", "bank_holiday"])
        ]
        assert len(mine) >= 3
        assert mine["changed_by"].nunique() == 1


def test_rest_day_swap_then_claim(force) -> None:
    changes = force.table("roster_changes")
    shifts = force.table("shifts")
    for _, t in _truth(force, "rest_day_swap_overtime").iterrows():
        moved = changes[(changes["staff_id"] == t["staff_id"]) & (changes["field"] == "start")]
        swapped = shifts[shifts["shift_id"].isin(moved["shift_id"])]
        claims = _claims(force, t["staff_id"])
        hits = swapped.merge(claims, how="cross", suffixes=("", "_c"))
        hits = hits[(hits["start_c"] >= hits["start"]) & (hits["end_c"] <= hits["end"])]
        assert len(hits) >= 1, t["staff_id"]


def test_overtime_during_absence(force) -> None:
    absences = force.table("absences")
    for _, t in _truth(force, "overtime_during_absence").iterrows():
        away = absences[(absences["staff_id"] == t["staff_id"]) & absences["type"].isin(["sickness", "annual_leave"])]
        claims = _claims(force, t["staff_id"])
        inside = claims.merge(away, how="cross", suffixes=("", "_a"))
        inside = inside[(inside["start"] >= inside["start_a"]) & (inside["start"] < inside["end_a"])]
        assert len(inside) >= 2


def test_office_attendance_below_rule(force) -> None:
    people = force.table("people").set_index("staff_id")
    badges = force.resolved("badge_events")
    shifts = force.table("shifts")
    units = force.table("units").set_index("unit_id")

    def attendance(staff: str, start, end) -> float:
        site = units.loc[people.loc[staff, "unit_id"], "site_id"]
        s = shifts[(shifts["staff_id"] == staff) & (shifts["duty_type"] == "normal") & (shifts["start"] >= start) & (shifts["start"] < end)]
        days = set(s["start"].dt.tz_convert("Europe/London").dt.date)
        b = badges[(badges["staff_id"] == staff) & (badges["site_id"] == site)]
        present = set(b["ts"].dt.tz_convert("Europe/London").dt.date) & days
        return len(present) / max(len(days), 1)

    for _, t in _truth(force, "office_attendance_below_rule").iterrows():
        assert people.loc[t["staff_id"], "hybrid_policy"]
        assert attendance(t["staff_id"], t["start"], t["end"]) < 0.7
    others = people[people["hybrid_policy"] & ~people.index.isin(force.table("truth")["staff_id"])].index[:15]
    rates = [attendance(s, pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC")) for s in others]
    assert np.median(rates) > 0.8


def _norm(text: str) -> str:
    return re.sub(r"\b(ltd|limited)\b", "", str(text).lower()).replace("&", "and").replace("'", "").strip()


def _records_of(force, staff: str) -> pd.DataFrame:
    rec = force.table("external_records")
    person = force.table("people").set_index("staff_id").loc[staff]
    last = person["display_name"].split()[-1].lower()[:3]
    by_name = rec["full_name"].fillna("").str.lower().str.contains(last) & (
        (pd.to_datetime(rec["date_of_birth"]) - pd.Timestamp(person["date_of_birth"])).abs() <= pd.Timedelta(days=366)
    )
    return rec[(rec["staff_id"] == staff) | by_name]


@pytest.mark.parametrize("scenario", ["undeclared_interest_confirmed", "undeclared_interest_indicative"])
def test_undeclared_interest(force, scenario) -> None:
    decl = force.table("declarations")
    strength = scenario.rsplit("_", 1)[1]
    truth = _truth(force, scenario)
    keyed_by_name = 0
    for _, t in truth.iterrows():
        recs = _records_of(force, t["staff_id"])
        recs = recs[recs["strength"] == strength]
        assert len(recs), t["staff_id"]
        keyed_by_name += int(recs["staff_id"].isna().any())
        declared = {_norm(c) for c in decl.loc[decl["staff_id"] == t["staff_id"], "counterparty"]}
        assert not ({_norm(c) for c in recs["counterparty"]} & declared)
    assert keyed_by_name >= 1


def test_declared_secondary_work_decoy(force) -> None:
    decl = force.table("declarations")
    for _, t in _truth(force, "declared_secondary_work").iterrows():
        mine = decl[(decl["staff_id"] == t["staff_id"]) & (decl["status"] == "approved")]
        recs = _records_of(force, t["staff_id"])
        assert {_norm(c) for c in mine["counterparty"]} & {_norm(c) for c in recs["counterparty"]}, t["staff_id"]


def test_sickness_secondary_work(force) -> None:
    absences = force.table("absences")
    for _, t in _truth(force, "sickness_secondary_work").iterrows():
        sick = absences[(absences["staff_id"] == t["staff_id"]) & (absences["type"] == "sickness")]
        recs = _records_of(force, t["staff_id"])
        recs = recs[recs["kind"] == "employment"]
        during = recs.merge(sick, how="cross")
        during = during[(during["observed_at"] >= during["start"]) & (during["observed_at"] < during["end"])]
        assert len(during) >= 1


def test_unjustified_lookups(force) -> None:
    sa = force.table("system_access")
    shifts = force.table("shifts")
    people = force.table("people").set_index("staff_id")
    for _, t in _truth(force, "unjustified_lookups").iterrows():
        inwin = sa[(sa["ts"] >= t["start"]) & (sa["ts"] < t["end"])]
        no_case = inwin[inwin["case_ref"].isna()].groupby("staff_id").size()
        worked = shifts[(shifts["start"] >= t["start"]) & (shifts["start"] < t["end"])].groupby("staff_id").size()
        per_shift = (no_case / worked).dropna()
        peers = people.index[people["role"] == people.loc[t["staff_id"], "role"]]
        peer_rate = per_shift.reindex(peers).fillna(0).median()
        assert per_shift.get(t["staff_id"], 0) > 3 * peer_rate + 1, t["staff_id"]


def test_victim_contact_after_case(force) -> None:
    parties = force.table("case_parties")
    comms = force.table("comms_events")
    sa = force.table("system_access")
    for _, t in _truth(force, "victim_contact_after_case").iterrows():
        own = parties[(parties["officer_in_case"] == t["staff_id"]) & parties["vulnerable"] & parties["closed"].notna()
                      & parties["role"].isin(["victim", "witness"])]
        mine = comms[comms["staff_id"] == t["staff_id"]].merge(own, left_on="counterpart_ref", right_on="subject_ref")
        after = mine[mine["ts"] > mine["closed"]]
        assert len(after) >= 3
        views = sa[(sa["staff_id"] == t["staff_id"]) & sa["subject_ref"].isin(after["subject_ref"])]
        assert (views["ts"] > after["closed"].min()).sum() >= 1


def test_surge_decoy_worked_with_presence(force) -> None:
    truth = _truth(force, "surge_unit_overtime")
    claims = force.table("overtime_claims")
    start, end = truth["start"].iloc[0], truth["end"].iloc[0]
    inwin = claims[(claims["start"] >= start) & (claims["start"] < end)]
    hours = inwin.groupby("staff_id")["hours"].sum()
    surge = hours.reindex(truth["staff_id"]).fillna(0)
    others = hours.drop(truth["staff_id"], errors="ignore")
    assert surge.mean() > 2 * others.mean()
    sample = inwin[inwin["staff_id"].isin(truth["staff_id"])].head(20)
    assert all(_presence(force, c["staff_id"], c["start"], c["end"]) > 0 for _, c in sample.iterrows())


def test_recall_decoy(force) -> None:
    changes = force.table("roster_changes")
    shifts = force.table("shifts")[["shift_id", "start"]].rename(columns={"start": "shift_start"})
    for _, t in _truth(force, "recall_to_duty").iterrows():
        made = changes[(changes["staff_id"] == t["staff_id"]) & (changes["old_value"] == "rest_day")
                       & (changes["new_value"] == "rest_day_working")].merge(shifts, on="shift_id")
        # the recall days themselves (the person may edit other days of their own roster)
        made = made[(made["shift_start"] >= t["start"]) & (made["shift_start"] <= t["end"])]
        assert len(made) >= 1 and (made["changed_by"] != t["staff_id"]).all()
        claims = _claims(force, t["staff_id"])
        recall = claims[(claims["rate"] == 2.0) & (claims["start"] >= t["start"]) & (claims["end"] <= t["end"])]
        assert len(recall) >= 1
        assert (recall["authorised_by"].dropna() != t["staff_id"]).all()


def test_absence_decoys(force) -> None:
    absences = force.table("absences")
    people = force.table("people").set_index("staff_id")
    for _, t in _truth(force, "long_term_sickness").iterrows():
        sick = absences[(absences["staff_id"] == t["staff_id"]) & (absences["type"] == "sickness")]
        assert ((sick["end"] - sick["start"]) > pd.Timedelta(days=28)).any()
    for _, t in _truth(force, "part_time_pattern").iterrows():
        assert people.loc[t["staff_id"], "fte"] < 1
    for _, t in _truth(force, "leave_explains_attendance").iterrows():
        assert people.loc[t["staff_id"], "hybrid_policy"]
        away = absences[(absences["staff_id"] == t["staff_id"]) & (absences["start"] < t["end"]) & (absences["end"] > t["start"])]
        assert away["type"].isin(["annual_leave", "sickness", "training"]).any()


def test_victim_followup_is_short_on_duty_work_phone_contact(force) -> None:
    """The honest look-alike of victim contact: short calls (at most one text) inside a
    rostered shift, each after a record view citing the case."""
    rows = _truth(force, "victim_followup")
    assert len(rows)
    comms, shifts, views = force.table("comms_events"), force.table("shifts"), force.table("system_access")
    for _, t in rows.iterrows():
        c = comms[(comms["staff_id"] == t["staff_id"]) & (comms["ts"] >= t["start"]) & (comms["ts"] <= t["end"])]
        parties = set(force.table("case_parties").query("vulnerable == True")["subject_ref"])
        c = c[c["counterpart_ref"].isin(parties)]
        assert len(c) >= 2
        assert (c["channel"] == "sms").sum() <= 1
        assert (c.loc[c["channel"] == "call", "duration_s"] < 900).all()
        # on duty: a rostered shift or overtime (ordinary contact happens in both)
        ot = force.table("overtime_claims")
        s = pd.concat([shifts.loc[shifts["staff_id"] == t["staff_id"], ["start", "end"]],
                       ot.loc[ot["staff_id"] == t["staff_id"], ["start", "end"]]])
        for ts in c["ts"]:
            assert ((s["start"] <= ts) & (s["end"] >= ts)).any(), (t["staff_id"], ts)
        v = views[(views["staff_id"] == t["staff_id"]) & views["subject_ref"].isin(set(c["counterpart_ref"]))
                  & (views["ts"] >= t["start"]) & (views["ts"] <= t["end"])]
        assert len(v) >= len(c)
        for ts in v["ts"]:  # checks of the record, with or without the case reference, on duty
            assert ((s["start"] <= ts) & (s["end"] >= ts)).any(), (t["staff_id"], ts)


def test_late_declarations_are_in_truth_as_minor_breaches(force) -> None:
    rows = _truth(force, "late_declaration")
    assert len(rows)
    assert ((rows["end"] - rows["start"]).dt.days > 90).all()
    decl = force.table("declarations")
    for _, t in rows.iterrows():
        d = decl[(decl["staff_id"] == t["staff_id"]) & (decl["declared_at"] == t["end"])]
        assert len(d) == 1 and d["status"].iloc[0] in ("approved", "pending")
