"""Ingest of badge events whose times a tool spelt otherwise: ``2025/3/1 7:05`` (slashes, a
one-digit month, day and hour, as Excel's ``yyyy/m/d h:mm`` writes them). Every value is read
respelt into ISO 8601 (`fairwitness.ingest.timeparse.respelt_sql`) before it is typed.

    python -m benchmarks.respelt_ingest [ROWS]

Prints the seconds of each of three ingests of the same folder (fresh workspaces, after one to
warm up) and their median; ``ROWS`` badge events (default 3,000,000) on top of the tests'
minimal data set. Round 25: the spelling's captures taken once by a lambda instead of written
out in the SQL once per use (results/scale-round25.json).
"""

from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path

import duckdb

from benchmarks.ingest_fixed_cost import report, timed_ingests
from fairwitness.ingest import ingest
from fairwitness.testing.fixtures import MINIMAL, write_minimal
from fairwitness.workspace import Workspace


def folder_with_spelt_badges(root: Path, rows: int) -> Path:
    """The minimal data set with ``rows`` badge events of its people, times spelt ``2025/3/1 7:05``
    (between 08:00 and 20:00: no time in a clock change's gap or overlap)."""
    folder = write_minimal(root / "export", copy.deepcopy(MINIMAL))
    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT CASE WHEN i % 2 = 0 THEN 'P2' ELSE 'P3' END AS staff_id,
                   strftime(TIMESTAMP '2025-01-02 08:00' + to_days(CAST(i // 720 AS INTEGER)) + to_minutes(CAST(i % 720 AS BIGINT)),
                            '%Y/%-m/%-d %-H:%M') AS ts,
                   'S1' AS site_id,
                   CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END AS direction
            FROM range({rows}) r(i)
        ) TO '{folder / "badge_events.csv"}' (HEADER)""")
    return folder


def main(rows: int = 3_000_000, runs: int = 3) -> list[float]:
    root = Path(tempfile.mkdtemp())
    folder = folder_with_spelt_badges(root, rows)
    first = ingest(folder, Workspace(root / "warm"))
    assert first.by_table()["badge_events"]["loaded"] == rows, first.by_table()["badge_events"]
    return timed_ingests(folder, root, runs)


if __name__ == "__main__":
    print(report(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)))
