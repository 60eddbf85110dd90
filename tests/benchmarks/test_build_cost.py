"""`python -m benchmarks.build_cost` builds and compiles detectors over a workspace and times each."""

from __future__ import annotations

import pytest

from benchmarks.build_cost import main


def test_each_pass_times_every_detector_asked_for(small_force):
    _, ws = small_force
    r = main([str(ws.path), "--passes", "2", "--detectors", "self_authorisation,excess_hours"])
    assert len(r["totals"]) == 2 and all(t > 0 for t in r["totals"])
    assert set(r["last"]) == {"self_authorisation", "excess_hours"}
    assert r["totals"][-1] == pytest.approx(sum(r["last"].values()))
