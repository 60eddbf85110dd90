"""The force from exports shaped as HR, access and audit systems write them (`benchmarks.hr_exports`):
every row loads, with the declarations a force would write, and every detector gives the same
signals as from the Parquet force."""

from __future__ import annotations

from benchmarks.hr_exports import _signals, write
from fairwitness.ingest import ingest
from fairwitness.synth import SynthConfig, generate
from fairwitness.workspace import Workspace


def test_systems_exports_load_whole_and_give_the_parquet_forces_signals(tmp_path):
    data = tmp_path / "force"
    generate(SynthConfig(people=400, months=2, seed=3, cancelled_leave=15), out=data)
    write(data, tmp_path / "export")
    absences = "".join(p.read_text("utf-8") for p in (tmp_path / "export" / "absences").glob("*.csv"))
    assert "CANCELLED" in absences and "approvalStatus" in absences and "reason_category" not in absences
    assert "£" in (tmp_path / "export" / "expenses.csv").read_text("utf-8")
    parquet = ingest(data, Workspace(tmp_path / "ws-parquet")).by_table()
    export = ingest(tmp_path / "export", Workspace(tmp_path / "ws-export")).by_table()
    assert {k: v["loaded"] for k, v in export.items()} == {k: v["loaded"] for k, v in parquet.items()}
    assert sum(v["quarantined"] for v in export.values()) == 0
    signals = _signals(Workspace(tmp_path / "ws-parquet"))
    assert signals and _signals(Workspace(tmp_path / "ws-export")) == signals
