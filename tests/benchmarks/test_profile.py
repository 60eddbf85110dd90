"""`python -m benchmarks.profile DIR` prints a profiled run's statements, the longest first."""

from __future__ import annotations

import duckdb

from benchmarks.profile import profiles, report
from fairwitness.detectors.profiling import ENV, profiled


def test_the_report_lists_statements_longest_first_with_their_operators(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path))
    con = duckdb.connect()
    for label, n in [("small", 1_000), ("large", 3_000_000)]:
        with profiled(con, label):
            con.execute(f"SELECT range % 7 AS k, count(*) FROM range({n}) GROUP BY k").fetchall()
    found = profiles(tmp_path, top=3)
    assert [p.label for p in found] == ["large", "small"]
    text = report(tmp_path, top=3)
    assert text.index("large:") < text.index("small:")
    assert "HASH_GROUP_BY" in text and "CPU-s" in text
