"""The early-return decoy: back at work before a sickness spell's recorded end, one duty finished
late and its overtime claimed. Planted as described, and `overtime_during_absence` and
`sickness_secondary_work` read the work as done: no adverse route (their versions before presence
was checked sent every one of them to gross misconduct)."""

from __future__ import annotations


import pandas as pd
import pytest

from fairwitness.detectors.runner import run
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace

from tests.synth.conftest import Force, make_force


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "early-return", people=400, months=3, seed=5, early_return=15)


def test_planted_at_rate_with_a_claim_inside_the_spell_and_activity_in_it(returned) -> None:
    decoys = returned.planted("early_return")
    assert len(decoys) == returned.cfg.planted_count("early_return") == 6
    assert (decoys["kind"] == "decoy").all()
    ab, oc = returned.table("absences"), returned.table("overtime_claims")
    events = pd.concat([returned.table(n)[["staff_id", "ts"]] for n in ("system_access", "comms_events")])
    for _, d in decoys.iterrows():
        sick = ab[(ab["staff_id"] == d["staff_id"]) & (ab["type"] == "sickness")]
        mine = oc[oc["staff_id"] == d["staff_id"]]
        inside = mine[[((sick["start"] < c["end"]) & (sick["end"] > c["start"])).any() for _, c in mine.iterrows()]]
        assert len(inside) == 1, d["staff_id"]  # the late finish, and no other claim in the spell
        c = inside.iloc[0]
        assert c["status"] in ("approved", "pending")
        worked = events[(events["staff_id"] == d["staff_id"]) & (events["ts"] >= c["start"] - pd.Timedelta(hours=4))
                        & (events["ts"] <= c["end"])]
        assert len(worked), d["staff_id"]  # at work that day, like any other duty


def test_the_overtime_detectors_read_the_work_as_done(returned, tmp_path) -> None:
    ws = Workspace(tmp_path / "ws")
    ingest(returned.out, ws)
    sig = run(ws, engine="duckdb", detectors=["overtime_during_absence", "sickness_secondary_work"]).signals.to_pandas()
    flagged = sig[sig["staff_id"].isin(returned.planted("early_return")["staff_id"])]
    for detector in ("overtime_during_absence", "sickness_secondary_work"):
        mine = flagged[flagged["detector"] == detector]
        assert len(mine) >= 4, detector  # the claim lies inside a recorded sickness: flagged, but
        assert set(mine["route"]) == {"wellbeing"}, detector  # the activity in its hours says the work was done
        assert all("work done" in " ".join(e) or "the work was done" in " ".join(e) for e in mine["explanations_found"])
