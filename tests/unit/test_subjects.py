from __future__ import annotations

from fairwitness.ingest import ingest
from fairwitness.subjects import line_managers, source_summary
from fairwitness.testing.fixtures import write_minimal
from fairwitness.workspace import Workspace


def test_line_managers_and_source_summary(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ingest(write_minimal(tmp_path / "x"), ws)
    assert line_managers(ws.path) == {"P1": None, "P2": "P1", "P3": "P1"}
    s = source_summary(ws.path, "P2")
    assert s["shifts"] == {"rows": 2, "first": "2025-01-06 07:00:00", "last": "2025-07-07 21:00:00"}
    assert s["system_access"]["rows"] == 2
    # P1 appears as the authoriser of P2's overtime and the editor of P2's roster
    s1 = source_summary(ws.path, "P1")
    assert s1["overtime_claims"]["rows"] == 1 and s1["roster_changes"]["rows"] == 1
    assert s1["people_protected"] == {"rows": 1, "first": None, "last": None}  # held about P1, so in the SAR
