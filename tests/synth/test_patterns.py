"""Honest working patterns (compressed hours, nights-only investigators, phased return) and
lookups on recall-to-duty days: in truth as decoys, and really in the data."""

from __future__ import annotations

import pandas as pd
import pytest

from fairwitness.synth import SynthConfig, generate
from fairwitness.synth.patterns import COMPRESSED_MINUTES, NIGHT_MINUTES
from tests.synth.conftest import Force


@pytest.fixture(scope="module")
def patterned(tmp_path_factory: pytest.TempPathFactory) -> Force:
    cfg = SynthConfig(people=600, months=3, seed=5, compressed_hours=20, nights_only_investigator=10,
                      phased_return=10, recall_to_duty=10, recall_lookups=3.0)
    out = tmp_path_factory.mktemp("patterned")
    return Force(cfg, out, generate(cfg, out), {})


def _truth(force: Force, scenario: str) -> pd.DataFrame:
    t = force.table("truth")
    return t[t["scenario"] == scenario]


def _shifts(force: Force, staff_id: str) -> pd.DataFrame:
    s = force.table("shifts")
    s = s[s["staff_id"] == staff_id].copy()
    s["local"] = s["start"].dt.tz_convert("Europe/London")
    s["hours"] = (s["end"] - s["start"]).dt.total_seconds() / 3600
    return s


@pytest.mark.parametrize("scenario", ["compressed_hours", "nights_only_investigator", "phased_return"])
def test_patterns_are_decoys_at_their_rate(patterned, scenario) -> None:
    rows = _truth(patterned, scenario)
    assert len(rows) == patterned.cfg.planted_count(scenario)
    assert (rows["kind"] == "decoy").all()


def test_compressed_hours_are_four_long_days_a_week(patterned) -> None:
    for sid in _truth(patterned, "compressed_hours")["staff_id"]:
        s = _shifts(patterned, sid)
        normal = s[s["duty_type"] == "normal"]
        assert len(normal) > 0
        assert normal["hours"].between(COMPRESSED_MINUTES[0] / 60 - 1.01, COMPRESSED_MINUTES[1] / 60 + 1.01).mean() >= 0.9
        # one weekday is never worked as an ordinary duty
        assert normal["local"].dt.weekday.nunique() <= 4
        assert (normal["local"].dt.weekday < 5).all()


def test_nights_only_investigators_work_nights(patterned) -> None:
    units = patterned.table("units").set_index("unit_id")
    people = patterned.table("people").set_index("staff_id")
    for sid in _truth(patterned, "nights_only_investigator")["staff_id"]:
        assert units.loc[people.loc[sid, "unit_id"], "unit_type"] == "investigation"
        assert not people.loc[sid, "hybrid_policy"]
        normal = _shifts(patterned, sid)
        normal = normal[normal["duty_type"] == "normal"]
        assert len(normal) > 0
        # (the odd shift is later edited to start earlier or run longer, like anyone's)
        assert normal["local"].dt.hour.isin([20, 21, 22, 23]).mean() >= 0.9
        assert ((normal["hours"] - NIGHT_MINUTES / 60).abs() <= 1.01).mean() >= 0.9  # an hour either way at a clock change


def test_phased_return_follows_a_long_sickness_with_shorter_duties(patterned) -> None:
    absences = patterned.table("absences")
    for _, t in _truth(patterned, "phased_return").iterrows():
        sick = absences[(absences["staff_id"] == t["staff_id"]) & (absences["type"] == "sickness")]
        long = sick[(sick["end"] - sick["start"]) > pd.Timedelta(days=28)]
        assert ((long["end"] - t["start"]).abs() <= pd.Timedelta(hours=1)).any()  # straight after it
        s = _shifts(patterned, t["staff_id"])
        normal = s[s["duty_type"] == "normal"]
        during = normal[(normal["start"] >= t["start"]) & (normal["start"] < t["end"])]
        after = normal[normal["start"] >= t["end"]]
        if len(during) and len(after):
            assert during["hours"].max() < after["hours"].median()


def test_recalled_people_look_people_up_on_the_recall_day(patterned) -> None:
    sa = patterned.table("system_access")
    sa = sa[sa["case_ref"].isna()]
    for _, t in _truth(patterned, "recall_to_duty").iterrows():
        own = sa[sa["staff_id"] == t["staff_id"]]
        inside = own[(own["ts"] >= t["start"]) & (own["ts"] <= t["end"])]
        assert len(inside) >= 1, t["staff_id"]


def test_compliant_hybrid_people_keep_to_the_rule_in_every_stretch(force) -> None:
    """A compliant hybrid-rule person plans their home days: over any eight weeks of office
    days they attend at least the world's floor, to within a day (not a coin flip per day,
    which would leave some honest people weeks below the rule by chance)."""
    people = force.table("people")
    truth = set(force.table("truth")["staff_id"])
    compliant = people[people["hybrid_policy"] & ~people["staff_id"].isin(truth)]["staff_id"]
    shifts = force.table("shifts")
    shifts = shifts[shifts["staff_id"].isin(compliant) & (shifts["duty_type"] == "normal")].copy()
    shifts["day"] = shifts["start"].dt.tz_convert("Europe/London").dt.date
    dev = force.resolved("device_events")
    badges = force.resolved("badge_events")
    seen = pd.concat([badges[["staff_id", "ts"]], dev[dev["site_id"].notna()][["staff_id", "ts"]]])
    seen["day"] = seen["ts"].dt.tz_convert("Europe/London").dt.date
    present = seen.groupby("staff_id")["day"].apply(set)
    checked = 0
    for sid, g in shifts.groupby("staff_id"):
        days = sorted(g["day"])
        if len(days) < 40:
            continue
        came = [d in present.get(sid, set()) for d in days]
        for i in range(0, len(days) - 40 + 1, 5):
            assert sum(came[i:i + 40]) >= force.cfg.hybrid_floor * 40 - 1.5, (sid, i)
        checked += 1
    assert checked >= 20
