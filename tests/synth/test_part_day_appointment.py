"""The part-day decoy: a medical appointment recorded as HR systems write a part day (the date and
two or three hours of sickness), the rest of the day worked, finished late and its overtime claimed.
Planted as described; `overtime_during_absence` and `sickness_secondary_work` hold nothing within
that day against the record (`_common.located`); the same export without its hours column (the date
alone: the whole day) has both name the officer for a wellbeing check."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.synth.conftest import Force, make_force, signals_of_export

DETECTORS = ["overtime_during_absence", "sickness_secondary_work"]


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "part-day", people=400, months=3, seed=5, part_day_appointment=15)


def test_planted_at_rate_with_a_claim_on_the_recorded_day_and_work_around_it(force) -> None:
    decoys = force.planted("part_day_appointment")
    assert len(decoys) == force.cfg.planted_count("part_day_appointment") == 6
    assert (decoys["kind"] == "decoy").all()
    ab, oc, shifts = force.table("absences"), force.table("overtime_claims"), force.table("shifts")
    assert ab["hours"].notna().sum() == len(decoys) and ab["days"].isna().all()
    for _, d in decoys.iterrows():
        (a,) = ab[(ab["staff_id"] == d["staff_id"]) & ab["hours"].notna()].itertuples()
        assert a.type == "sickness" and 1.5 <= a.hours <= 3 and a.end - a.start == pd.Timedelta(hours=24)
        on_day = oc[(oc["staff_id"] == d["staff_id"]) & (oc["start"] >= a.start) & (oc["end"] <= a.end)]
        assert len(on_day) >= 1 and set(on_day["status"]) <= {"approved", "pending"}
        duty = shifts[(shifts["staff_id"] == d["staff_id"]) & (shifts["start"] >= a.start) & (shifts["end"] <= a.end)]
        assert len(duty) == 1  # the day was rostered and worked


PRESENCE = ("badge_events", "device_events", "system_access", "comms_events")


def _signals(force: Force, tmp: Path, *, hours: bool, presence: bool) -> pd.DataFrame:
    """The decoys' signals from the force's export, without the absences' hours column or the
    presence sources when asked."""
    drop = None if hours else (lambda t: t.drop(["hours"]))
    return signals_of_export(force, tmp / f"export-{hours}-{presence}", "part_day_appointment", DETECTORS,
                             absences=drop, leave_out=() if presence else PRESENCE)


def test_the_day_is_not_held_against_a_part_day_record(force, tmp_path) -> None:
    """With the hours, nothing. With the date alone the claim lies inside a whole day of sickness:
    every decoy named to a reviewer by both detectors, at wellbeing (activity shows the work done;
    without presence sources the run's coverage gate holds them there)."""
    for presence in (True, False):
        assert _signals(force, tmp_path, hours=True, presence=presence).empty
        named = _signals(force, tmp_path, hours=False, presence=presence)
        assert set(named["detector"]) == set(DETECTORS) and set(named["route"]) == {"wellbeing"}
        assert named["staff_id"].nunique() >= 4
