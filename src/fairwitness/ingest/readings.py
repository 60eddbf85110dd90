"""Files read again because what their rows referred to has changed.

A row naming a unit, a site or a person the workspace does not hold is quarantined as a dangling
reference (or an unknown identity); its file is otherwise unchanged and, read before, would be
skipped by every later ingest. When the table it referred to is fixed — a refused ``sites.csv``
read again with its declaration, the missing person loaded by the next export — those rows could
load, and the force should not have to start a new workspace to load them. So a file whose
current reading (`fairwitness.workspace.CURRENT_READINGS`) quarantined rows for a reason that
depends on another table (`WAITING_REASONS`) is read again when a table it needs (what it
references; ``identities`` for a table resolved through them) has changed since: a file of it read
by this ingest, or loaded or updated rows in a later batch. Its rows already held are counted
unchanged, the others load or are quarantined again, and the new reading supersedes the old one
(its quarantine entries are history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb

from fairwitness.workspace import CURRENT_READINGS

WAITING_REASONS = ("dangling reference", "unknown identity", "ambiguous identity")
"""How the reasons begin that depend on another table's rows (`fairwitness.ingest.checks`)."""


def waiting(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(table, content hash) -> the batch ``seq`` of the current reading of every file that
    quarantined rows for one of `WAITING_REASONS`."""
    starts = " OR ".join(f"starts_with(q.reason, '{r}')" for r in WAITING_REASONS)
    rows = con.execute(
        f"""SELECT c.table_name, c.sha256, max(c.seq) FROM {CURRENT_READINGS} c
            WHERE EXISTS (SELECT 1 FROM quarantine q WHERE q.batch_id = c.batch_id AND q.table_name = c.table_name
                          AND q.file = c.file AND ({starts}))
            GROUP BY ALL"""
    ).fetchall()
    return {(t, sha): seq for t, sha, seq in rows}


def changed(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Table -> the ``seq`` of the last batch that loaded or updated rows of it."""
    rows = con.execute(
        """SELECT f.table_name, max(b.seq) FROM batch_files f JOIN batches b USING (batch_id)
           WHERE f.rows_loaded + f.rows_updated > 0 GROUP BY ALL"""
    ).fetchall()
    return dict(rows)


def rereader(
    con: duckdb.DuckDBPyConnection, needs: Callable[[str], Iterable[str]]
) -> Callable[[str, str, set[str]], bool]:
    """Whether a file (``table``, content hash) the ingest would skip is read again, given the
    tables ``read_now`` that this ingest reads files of (those before it in ingest order).
    ``needs(table)``: the other tables its rows refer to."""
    wait, last = waiting(con), changed(con)

    def again(table: str, sha: str, read_now: set[str]) -> bool:
        seq = wait.get((table, sha))
        return seq is not None and any(d in read_now or last.get(d, 0) > seq for d in needs(table) if d != table)

    return again


__all__ = ["WAITING_REASONS", "changed", "rereader", "waiting"]
