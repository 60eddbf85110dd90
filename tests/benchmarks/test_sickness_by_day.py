"""Sickness written one row per day, as SAP's RPTLEA10 stores it (`benchmarks.sickness_by_day`):
every detector finds the same people on the same routes as from the force's own spells."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.sickness_by_day import _signals, write
from fairwitness.ingest import ingest
from fairwitness.synth import SynthConfig, generate
from fairwitness.workspace import Workspace


def test_a_force_with_sickness_written_day_by_day_gives_the_same_signals(tmp_path):
    data = tmp_path / "force"
    generate(SynthConfig(people=600, months=3, seed=5), out=data)
    rows = write(data, tmp_path / "every_day", "every_day")
    force = pq.read_table(data / "absences")
    assert rows > force.num_rows  # multi-day spells were split
    days = pq.read_table(tmp_path / "every_day" / "absences")
    sick = days.filter(pc.equal(days["type"], "sickness"))
    assert max(e - s for s, e in zip(sick["start"].to_pylist(), sick["end"].to_pylist(), strict=True)).total_seconds() <= 25 * 3600
    ingest(data, Workspace(tmp_path / "ws-force"))
    ingest(tmp_path / "every_day", Workspace(tmp_path / "ws-day"))
    signals = _signals(Workspace(tmp_path / "ws-force"))
    assert {s for s in signals if s[0] == "absence_pattern"}  # spells to count, long and short
    assert _signals(Workspace(tmp_path / "ws-day")) == signals
