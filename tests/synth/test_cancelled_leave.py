"""The cancelled-leave decoy: annual leave booked and then cancelled (or rejected), the request
still in the HR export with its status, the days worked as rostered, one finished late and its
overtime claimed. Planted as described; no detector holds the request against the officer
(`fairwitness.detectors.sources.absences_in_effect`); the same export without its status column
(every request read as leave taken) has `overtime_during_absence` name every decoy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.synth.conftest import Force, make_force, signals_of_export

DETECTORS = ["overtime_during_absence", "sickness_secondary_work", "duty_presence_gaps", "office_attendance"]


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "cancelled-leave", people=400, months=3, seed=5, cancelled_leave=15)


def test_planted_at_rate_the_request_exported_with_its_status_and_the_days_worked(force) -> None:
    decoys = force.planted("cancelled_leave")
    assert len(decoys) == force.cfg.planted_count("cancelled_leave") == 6
    assert (decoys["kind"] == "decoy").all()
    ab, oc, shifts = force.table("absences"), force.table("overtime_claims"), force.table("shifts")
    not_taken = ab[ab["status"] != "approved"]
    assert set(not_taken["status"]) <= {"cancelled", "rejected"} and len(not_taken) == len(decoys)
    for _, d in decoys.iterrows():
        (a,) = not_taken[not_taken["staff_id"] == d["staff_id"]].itertuples()
        assert a.type == "annual_leave" and (a.start, a.end) == (d["start"], d["end"])
        assert pd.Timedelta(days=2) <= a.end - a.start <= pd.Timedelta(days=3)
        inside = oc[(oc["staff_id"] == d["staff_id"]) & (oc["start"] >= a.start) & (oc["end"] <= a.end)]
        assert len(inside) >= 1 and set(inside["status"]) <= {"approved", "pending"}
        duty = shifts[(shifts["staff_id"] == d["staff_id"]) & (shifts["start"] >= a.start) & (shifts["end"] <= a.end)]
        assert len(duty) == (a.end - a.start).days  # every day of the request rostered and worked


def _signals(force: Force, tmp: Path, *, status: bool) -> pd.DataFrame:
    """The decoys' signals from the force's export with or without the status column."""
    drop = None if status else (lambda t: t.drop(["status"]))
    return signals_of_export(force, tmp / f"status-{status}", "cancelled_leave", DETECTORS, absences=drop)


def test_leave_not_taken_is_not_held_against_the_officer(force, tmp_path) -> None:
    assert _signals(force, tmp_path, status=True).empty
    named = _signals(force, tmp_path, status=False)
    ota = named[named["detector"] == "overtime_during_absence"]
    assert set(ota["staff_id"]) == set(force.planted("cancelled_leave")["staff_id"])
