"""The respelt benchmark's export (`benchmarks.respelt_ingest`): every value spelt as Excel writes
it loads, at the time it names."""

from __future__ import annotations

import datetime as dt

from benchmarks.respelt_ingest import folder_with_spelt_badges
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace


def test_badge_times_spelt_as_excel_writes_them_all_load_at_their_time(tmp_path):
    folder = folder_with_spelt_badges(tmp_path, 1500)
    assert (folder / "badge_events.csv").read_text().splitlines()[1] == "P2,2025/1/2 8:00,S1,in"
    report = ingest(folder, Workspace(tmp_path / "ws"))
    assert report.by_table()["badge_events"]["loaded"] == 1500
    rows = Workspace(tmp_path / "ws").connect().execute(
        "SELECT min(ts), max(ts), count(DISTINCT ts) FROM badge_events WHERE staff_id IN ('P2', 'P3')"
    ).fetchone()
    # 08:00 local on 2 January is 08:00 UTC (GMT); the 1,500th is 08:59 on the 4th (720 a day)
    assert rows[0] == dt.datetime(2025, 1, 2, 8, 0)
    assert rows[1] == dt.datetime(2025, 1, 4, 8, 59)
    assert rows[2] >= 1500
