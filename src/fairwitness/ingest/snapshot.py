"""Snapshot exports: a table exported whole, so a row it no longer holds was deleted at source.

Most exports add rows (the day's badge events, the month's claims). A register is exported
whole (people, declarations, complaints, an HR system's absences): an absence entered in error
and deleted there, or a declaration withdrawn, is simply missing from the next export. Read as
rows to add, it stayed in the lake for good: a phantom sickness that overtime could be set
against. A table declared ``snapshot = true`` (`fairwitness.ingest.formats.SourceFormat`) is
read as the whole table (from ``snapshot_since``, by its time column, when given):

* `files_to_read`: all its files are read, unless they are exactly the files the table was last
  read from (re-running the same export changes nothing), so an export that changes a value and
  then changes it back is read each time;
* `delta_to_read`: any other table's file is skipped when its content was ingested before,
  unless the same path was read since with other content (an export overwritten in place);
* `write_deletions`: every current row whose key the export no longer holds is written to the
  batch as a *deletion* (the row as it was, ``_deleted`` true, in
  `fairwitness.workspace.DELETIONS_PREFIX` files), which ends it in the current rows
  (`fairwitness.workspace.current_rows_sql`, `fairwitness.detectors.engines.contract_view`) and
  keeps it in the lake's history. Nothing is deleted when a row of the export has a key that
  cannot be read (quarantined, it may be one of the rows held). With ``snapshot_scope =
  "folder"`` only the rows this folder's exports loaded are the export's to delete (two systems
  exporting one table whole, each into its own folder).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from fairwitness.contract import Table
from fairwitness.ingest.formats import SourceFormat
from fairwitness.ingest.validate import lit, q
from fairwitness.ingest.report import NOT_VALIDATED
from fairwitness.workspace import DELETIONS_PREFIX


def last_read(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The content hashes of the files ``table`` was last read from (its latest batch), less any
    the engine failed to validate (read again, as any such file is)."""
    rows = con.execute(
        """SELECT f.sha256 FROM batch_files f JOIN batches b USING (batch_id) WHERE f.table_name = ?
           AND b.seq = (SELECT max(b2.seq) FROM batch_files f2 JOIN batches b2 USING (batch_id) WHERE f2.table_name = ?)
           AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.batch_id = f.batch_id AND q.table_name = f.table_name
               AND q.file = f.file AND q."row" IS NULL AND starts_with(q.reason, ?))""",
        [table, table, NOT_VALIDATED],
    ).fetchall()
    return {r[0] for r in rows}


def delta_to_read(con: duckdb.DuckDBPyConnection) -> Callable[[str, str, str], bool]:
    """Whether a file of a table that is not a snapshot is read: ``(table, path, content hash)``.
    Not when its content was read before (re-running an ingest, a file delivered twice), unless
    the same path was read since with other content: an export overwritten in place that changes
    a value and changes it back is read the third time too (skipped, the lake kept the middle
    value). A file the engine failed to validate (not its content) is read again."""
    held = set(con.execute(
        """SELECT table_name, sha256 FROM batch_files f WHERE NOT EXISTS (
           SELECT 1 FROM quarantine q WHERE q.batch_id = f.batch_id AND q.table_name = f.table_name
           AND q.file = f.file AND q."row" IS NULL AND starts_with(q.reason, ?))""",
        [NOT_VALIDATED],
    ).fetchall())
    last = {(t, f): sha for t, f, sha in con.execute(
        "SELECT table_name, file, arg_max(sha256, seq) FROM batch_files JOIN batches USING (batch_id) GROUP BY ALL"
    ).fetchall()}
    return lambda table, path, sha: (table, sha) not in held or last.get((table, path), sha) != sha


def files_to_read(con: duckdb.DuckDBPyConnection, table: str, shas: list[str]) -> bool:
    """Whether a snapshot table's files (content hashes ``shas``) are read: unless they are the
    files it was last read from."""
    return set(shas) != last_read(con, table)


def tables_to_read(con: duckdb.DuckDBPyConnection, plan: list[tuple[str, str]], formats: dict) -> dict[str, bool]:
    """Snapshot table -> whether its files are read, all together (`files_to_read`), for an
    ingest's ``plan`` (table, content hash of each file) and its tables' ``formats``."""
    names = {n for n, _ in plan if isinstance(formats.get(n), SourceFormat) and formats[n].snapshot}
    return {n: files_to_read(con, n, [s for t, s in plan if t == n]) for n in sorted(names)}


def write_deletions(
    con: duckdb.DuckDBPyConnection, table: Table, fmt: SourceFormat, prior: str | None, batch_id: str, seq: int, out: Path
) -> tuple[int, str | None]:
    """Write the deletions of a snapshot ``table`` (its export in the ``final`` view, its current
    rows ``prior``) to ``out``; (rows deleted, why none were when the export cannot say)."""
    if prior is None:
        return 0, None
    key = [q(k) for k in table.key]
    (unread,) = con.execute(f"SELECT count(*) FROM final WHERE {' OR '.join(f'{k} IS NULL' for k in key)}").fetchall()[0]
    if unread:
        return 0, f"snapshot: nothing deleted, {unread:,} row(s) of the export have a key that could not be read"
    scope = ""
    if fmt.snapshot_since is not None and table.time_column:
        scope = f"AND p.{q(table.time_column)} >= {lit(fmt.snapshot_since.isoformat())}::TIMESTAMP"
    if fmt.snapshot_scope == "folder":  # only what this folder's exports loaded (`ingest_source`)
        scope += (" AND p._batch IN (SELECT b.batch_id FROM batches b, ingest_source s WHERE b.source_dir = s.source_dir)")
    on = " AND ".join(f"p.{k} = f.{k}" for k in key)
    gone = f"""SELECT p.* EXCLUDE (_batch, _seq), {lit(batch_id)} AS _batch, {seq}::BIGINT AS _seq, TRUE AS _deleted
               FROM ({prior}) p WHERE NOT EXISTS (SELECT 1 FROM final f WHERE {on}) {scope}"""
    # one pass over the current rows: written, then counted from the file's metadata (none: removed)
    out.mkdir(parents=True, exist_ok=True)
    path = out / (DELETIONS_PREFIX + "0.parquet")
    con.execute(f"COPY ({gone}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0]
    if not n:
        path.unlink()
    return n, None


__all__ = ["delta_to_read", "files_to_read", "last_read", "tables_to_read", "write_deletions"]
