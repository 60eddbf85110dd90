"""Ingest: a data set folder into an immutable, content-hashed batch of the lake.

One ingest is one batch. Files already ingested (same table, same SHA-256) are
skipped, unless the same path was read since with other content (a value changed and changed
back); rows already held unchanged are not loaded again; a row whose key is held
with different values is loaded as a new version. Good rows go to
``lake/batch=<id>/<table>/``; bad rows go to the ``quarantine`` table with file,
row, column and reason. Everything is written to a staging folder first and
becomes visible in one catalogue transaction, so an interrupted ingest leaves the
workspace as it was. Tables are validated whole (all their new files at once),
set-based in DuckDB, with a memory limit and spilling to disk. A dated table's Parquet row groups
each cover a short time range (of its contract ``time_column``), so a detector run over one window
can skip the row groups outside it: when every file of the table spans at most `SHORT_FILE` (an
export split by day, week or month), rows are written as the files give them, neighbouring rows from
the same or the next file; otherwise they are sorted into time order first. At 46,000 x 12 (monthly files) the sort was more than half of writing
system_access: 44.5 M rows 46 s sorted, 20 s as they came, and 1.42 GB against 0.92 GB, the
source's order (by person within a month) compressing better.

Every row read is accounted for: per file, rows read = loaded + unchanged + quarantined (+ the
rows a declaration skips: a denied card, not an event of the table).
A file that cannot be read at all is one file-level quarantine entry and every other
file still loads. Each table is read with its source's format declaration
(`fairwitness.ingest.formats`); a file's identity for re-ingest is its content hash and,
when one is given, the declaration it was read with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from fairwitness.contract import CONTRACT_VERSION, Table, ingest_order
from fairwitness.contract import table as contract_table
from fairwitness.ingest import checks, readings, snapshot
from fairwitness.ingest.declaration import load_declaration
from fairwitness.ingest.formats import DeclarationError, SourceFormat
from fairwitness.ingest.discovery import InputFile, discover
from fairwitness.ingest.file_notes import emptied, missing_columns
from fairwitness.ingest.readers import load_raw, page_error, sha256_file
from fairwitness.ingest.report import NOT_VALIDATED, FileResult, IngestReport
from fairwitness.ingest.validate import CELL_NOTE, lit, q
from fairwitness.memory import duckdb_memory_limit, duckdb_threads
from fairwitness.workspace import Workspace

Progress = Callable[[str, int, int], None]
SHORT_FILE = dt.timedelta(days=35)
"""A dated table's files are written as they come when each spans at most this (a calendar
month's export and the few rows of the next days it may carry); otherwise sorted by time."""
def _batch_id(items: list[tuple[str, str, str]]) -> str:
    h = hashlib.sha256()
    for t, name, sha in sorted(items):
        h.update(f"{t}\0{name}\0{sha}\n".encode())
    return h.hexdigest()[:20]


def ingest(
    folder: str | Path,
    workspace: Workspace,
    *,
    progress: Progress | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    declare: dict[str, dict[str, str]] | None = None,
) -> IngestReport:
    """Ingest every contract file in ``folder`` into ``workspace`` as one batch.

    ``delimiter``/``encoding``: defaults for every CSV file (a byte-order mark still wins);
    ``declare``: per-table format declarations (table -> key -> value) over the files'."""
    folder = Path(folder).resolve()
    disc = discover(folder)
    defaults = SourceFormat().merged(delimiter=delimiter, fallback_encoding=encoding)
    formats: dict[str, SourceFormat | DeclarationError] = {}
    for name in disc.files:
        try:
            formats[name] = load_declaration(folder, name, defaults, (declare or {}).get(name))
        except DeclarationError as e:
            formats[name] = e
    workspace.path.mkdir(parents=True, exist_ok=True)
    with workspace.catalog(read_only=False) as con:
        _clean(workspace, con)
        con.execute("CREATE OR REPLACE TEMP TABLE ingest_source AS SELECT ? AS source_dir", [str(folder)])
        delta = snapshot.delta_to_read(con)
        loaded_before = {r[0] for r in con.execute("SELECT DISTINCT table_name FROM lake_files").fetchall()}
        plan: list[tuple[Table, InputFile, str]] = []
        total = sum(len(v) for v in disc.files.values())
        for table in ingest_order():
            fmt = formats.get(table.name, SourceFormat())
            tag = "" if fmt == SourceFormat() else (str(fmt) if isinstance(fmt, DeclarationError) else fmt.model_dump_json())
            for f in disc.files.get(table.name, []):
                sha = sha256_file(f.path)
                if tag:
                    sha = hashlib.sha256(f"{sha}\0{tag}".encode()).hexdigest()
                plan.append((table, f, sha))
                if progress:
                    progress("hashing files", len(plan), total)
        report = IngestReport(batch_id=None, ignored=disc.ignored)
        report.missing = [
            t.name for t in ingest_order() if not t.optional and t.name not in disc.files and t.name not in loaded_before
        ]
        whole = snapshot.tables_to_read(con, [(t.name, s) for t, _, s in plan], formats)
        # a file held before whose rows waited on a key the workspace now holds is read again
        # (`readings`); a snapshot is read whole or not at all
        wake = readings.resolvable(con)
        woken = {t.name for t, _, s in plan if (t.name, s) in wake}
        new = [(t, f, s) for t, f, s in plan
               if (whole[t.name] or t.name in woken if t.name in whole else delta(t.name, f.display, s) or (t.name, s) in wake)]
        chosen = {(t.name, f.display) for t, f, _ in new}
        report.files += [FileResult(t.name, f.display, s, skipped=True) for t, f, s in plan if (t.name, f.display) not in chosen]
        if not new:
            return report
        report.batch_id = _write_batch(con, workspace, new, report, progress, formats, folder)
    # rows that waited on what a batch loaded (units on the sites read at last, then people on those
    # units): their files, read again as a batch of their own, until none is woken; each batch on a
    # connection of its own (the staging's temporary tables are per connection). A file waiting on
    # two tables — a shift on its site and its person — may be read twice; a file of the ingest's own
    # batch is not read again: what it refers to came before it
    again: set[tuple[str, str]] = set()
    for _ in ingest_order():
        with workspace.catalog(read_only=False) as con:
            con.execute("CREATE OR REPLACE TEMP TABLE ingest_source AS SELECT ? AS source_dir", [str(folder)])
            wake = readings.resolvable(con)
            woken = {t.name for t, f, s in plan if (t.name, s) in wake and (t.name, f.display) not in chosen}
            more = [(t, f, s) for t, f, s in plan if t.name in woken and (t.name, f.display) not in chosen
                    and (t.name in whole or (t.name, s) in wake)]
            if not more:
                break
            now = {(t.name, f.display) for t, f, _ in more}
            report.files = [r for r in report.files if not ((r.table, r.file) in now and (r.skipped or (r.table, r.file) in again))]
            again |= now
            report.batch_id = _write_batch(con, workspace, more, report, progress, formats, folder)
    return report


def _write_batch(con, workspace, new, report, progress, formats, folder) -> str:  # noqa: ANN001
    """Validate, stage and commit ``new`` (table, file, content hash) as one batch; its id."""
    loaded_before = {r[0] for r in con.execute("SELECT DISTINCT table_name FROM lake_files").fetchall()}
    (seq,) = con.execute("SELECT COALESCE(max(seq), 0) + 1 FROM batches").fetchall()[0]
    batch_id = _batch_id([(t.name, f.display, s) for t, f, s in new])
    if con.execute("SELECT count(*) FROM batches WHERE batch_id = ?", [batch_id]).fetchall()[0][0]:
        # the same files again (a snapshot changed and changed back): a batch of its own
        batch_id = _batch_id([(t.name, f.display, s) for t, f, s in new] + [("", "", str(seq))])
    stage = workspace.staging_dir / f"batch={batch_id}"
    stage.mkdir(parents=True)
    con.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")
    con.execute(f"SET temp_directory = '{workspace.staging_dir / 'spill'}'")
    con.execute("SET preserve_insertion_order = false")
    if threads := duckdb_threads():
        con.execute(f"SET threads = {threads}")
    this = IngestReport(batch_id=batch_id)  # this batch's files alone are its records
    try:
        lake_files = _stage(con, workspace, new, batch_id, seq, stage, loaded_before, this, progress, formats)
        _commit(con, workspace, this, lake_files, batch_id, seq, folder, stage)
    finally:
        shutil.rmtree(workspace.staging_dir, ignore_errors=True)
    report.files += this.files
    return batch_id


def _stage(con, workspace, new, batch_id, seq, stage, loaded_before, report, progress, formats) -> list[tuple[str, str, int]]:  # noqa: ANN001
    """Validate each table's new files; write good rows to staging. Returns staged lake files."""
    con.execute(
        'CREATE OR REPLACE TEMP TABLE q_rows (table_name VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR, reason VARCHAR, raw VARCHAR)'
    )
    by_table: dict[str, list[tuple[InputFile, str]]] = {}
    for t, f, s in new:
        by_table.setdefault(t.name, []).append((f, s))
    lake_files: list[tuple[str, str, int]] = []
    refused: dict[str, str] = {}
    for i, (name, files) in enumerate(by_table.items(), start=1):
        if progress:
            progress(f"validating {name}", i - 1, len(by_table))
        table = contract_table(name)
        for dep in _needs(table):
            lake_sql = workspace._table_sql(con, dep) if dep in loaded_before else None
            checks.known_view(con, contract_table(dep), lake_sql, stage / dep)
        prior = workspace._table_sql(con, name) if name in loaded_before else None
        fmt = formats.get(name, SourceFormat())
        if isinstance(fmt, DeclarationError):
            results = _refuse(con, table, files, str(fmt))
        else:
            results = _stage_or_refuse(con, table, files, batch_id, seq, stage, prior, fmt, refused)
        for v in ("final", "raw"):
            con.execute(f"DROP VIEW IF EXISTS {v}")
        if not checks.has_rejected(con, name):
            checks.rejected_table(con, table)
        report.files += results
        for r in results:
            if r.error:
                refused.setdefault(name, f"{r.file} was not read: {r.error}"[:200])
        out = stage / name
        if out.exists():
            for p in sorted(out.glob("*.parquet")):
                (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchall()[0]
                lake_files.append((name, f"lake/batch={batch_id}/{name}/{p.name}", n))
    if progress:
        progress("validated", len(by_table), len(by_table))
    return lake_files


def _stage_or_refuse(con, table: Table, files, batch_id: str, seq: int, stage: Path, prior: str | None,  # noqa: ANN001
                     fmt: SourceFormat, refused: dict[str, str]) -> list[FileResult]:
    """Stage ``table``; if DuckDB cannot read it, refuse the Parquet files whose pages do not
    decode and stage the rest again; if none is corrupt, refuse the table (a last resort: one
    table never stops the rest)."""
    try:
        return _stage_table(con, table, files, batch_id, seq, stage, prior, fmt, refused)
    except (duckdb.Error, ValueError, OSError) as e:
        shutil.rmtree(stage / table.name, ignore_errors=True)
        con.execute("DELETE FROM q_rows WHERE table_name = ?", [table.name])
        bad = {f.display: why for f, _ in files if f.fmt == "parquet" and (why := page_error(f))}
        if not bad:
            return _refuse(con, table, files, NOT_VALIDATED + " ".join(str(e).split())[:300])
    good = [(f, sha) for f, sha in files if f.display not in bad]
    results = _stage_or_refuse(con, table, good, batch_id, seq, stage, prior, fmt, refused) if good else []
    for f, sha in files:
        if f.display in bad:
            con.execute("INSERT INTO q_rows VALUES (?, ?, NULL, NULL, ?, NULL)", [table.name, f.display, bad[f.display]])
            results.append(FileResult(table.name, f.display, sha, error=bad[f.display]))
    return results


def _refuse(con, table: Table, files, reason: str) -> list[FileResult]:  # noqa: ANN001
    """Every file of ``table`` refused whole with ``reason``."""
    con.execute("DELETE FROM q_rows WHERE table_name = ?", [table.name])
    for f, _ in files:
        con.execute("INSERT INTO q_rows VALUES (?, ?, NULL, NULL, ?, NULL)", [table.name, f.display, reason])
    return [FileResult(table.name, f.display, sha, error=reason) for f, sha in files]


def _stage_table(con, table: Table, files, batch_id: str, seq: int, stage: Path, prior: str | None,  # noqa: ANN001
                 fmt: SourceFormat, refused: dict[str, str] | None = None) -> list[FileResult]:
    results = {f.display: FileResult(table.name, f.display, sha) for f, sha in files}
    raw = load_raw(con, [f for f, _ in files], table, fmt)
    name = table.name
    for display, n in raw.rows.items():
        results[display].read = n
        results[display].dropped = raw.skipped.get(display, 0)
    for display, reason in raw.file_errors:
        results[display].error = reason
        con.execute("INSERT INTO q_rows VALUES (?, ?, NULL, NULL, ?, NULL)", [name, display, reason])
    con.execute(f"DROP TABLE IF EXISTS rejected_{name}")
    if not raw.columns:
        return list(results.values())
    for display, row, column, reason, text in raw.row_errors:
        con.execute("INSERT INTO q_rows VALUES (?, ?, ?, ?, ?, ?)", [name, display, row, column, reason, text])
        results[display].quarantined += 1
    if note := missing_columns(table, raw.columns):
        for r in results.values():
            r.note = note
    for display, note in raw.notes.items():
        results[display].note = "; ".join(filter(None, [results[display].note, note]))
    checks.typed_table(con, table, raw.columns, fmt, refused)
    checks.duplicates(con, table)
    checks.final_view(con, table, prior)
    good = "len(__errors) = 0 AND NOT __unchanged"
    extras = [c for c in raw.columns if c not in table.column_names and not c.startswith("_")]
    cols = ", ".join(q(c) for c in [*table.column_names, *extras])
    tcol = q(table.time_column) if table.time_column else "NULL"
    spans, bad_files, cell_files = [], [], []
    for display, bad, cells, loaded, updated, unchanged, first, last in con.execute(
        f"""SELECT __file, count(*) FILTER (WHERE len(__errors) > 0), count(*) FILTER (WHERE {_CELLS}),
                   count(*) FILTER (WHERE {good}), count(*) FILTER (WHERE {good} AND __updated),
                   count(*) FILTER (WHERE len(__errors) = 0 AND __unchanged),
                   min({tcol}) FILTER (WHERE {good}), max({tcol}) FILTER (WHERE {good})
            FROM final GROUP BY __file"""
    ).fetchall():
        r = results[display]
        r.quarantined += bad
        r.cells = cells
        r.loaded, r.updated, r.unchanged = loaded, updated, unchanged
        bad_files += [display] if bad else []
        cell_files += [display] if cells else []
        if first is not None:
            spans.append(last - first)
    for display, note in emptied(con, table, raw.columns, prior, {d for d, r in results.items() if r.updated}).items():
        results[display].note = "; ".join(filter(None, [results[display].note, note]))
    _quarantine_rows(con, name, bad_files, "__errors", "len(__errors) > 0", "")
    _quarantine_rows(con, name, cell_files, "__cells", _CELLS, CELL_NOTE)
    out = stage / name
    out.mkdir(parents=True, exist_ok=True)
    # each Parquet row group should cover a short time range, so a run over one window (a month,
    # a day's batch) reads only the row groups its period needs: rows are sorted into time order
    # unless every file is itself short (exports split by day, week or month), when writing them
    # as they come gives the same and the sort is most of the cost of writing (module doc)
    order = f"ORDER BY {tcol}" if table.time_column and any(s > SHORT_FILE for s in spans) else ""
    # zstd at level 1: 46,000 x 12's system_access wrote in 14.25 s to 956 MB, against 16.1 s and
    # 923 MB at the default level. Version 1 data pages: version 2's were smaller and faster (809 MB),
    # but DuckDB writes their doubles BYTE_STREAM_SPLIT, which Spark's Parquet reader refuses. The
    # row's file is written as its ENUM (a Parquet string either way)
    con.execute(
        f"""COPY (SELECT {cols}, {lit(batch_id)} AS _batch, {seq}::BIGINT AS _seq, _row_hash,
            __file AS _source_file, __row AS _source_row FROM final WHERE {good} {order})
            TO '{out}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, FILE_SIZE_BYTES '256MB', FILENAME_PATTERN 'part-{{i}}', OVERWRITE_OR_IGNORE)"""
    )
    if fmt.snapshot:
        first = results[files[0][0].display]
        first.deleted, first.note = snapshot.write_deletions(con, table, fmt, prior, batch_id, seq, out)
    checks.rejected_table(con, table, quarantined=bool(bad_files))
    csv_parts = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'raw_csv_%'"
    ).fetchall()]
    for t in ("typed", "dup", "idn_segments", *csv_parts):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return list(results.values())


_CELLS = "len(__cells) > 0 AND len(__errors) = 0"
"""A row that loads with a cell left empty (`validate.CELL_NOTE`)."""


def _quarantine_rows(con, name: str, files: list[str], errors: str, where: str, note: str) -> None:  # noqa: ANN001
    """Quarantine entries for the rows of ``final`` matching ``where`` in ``files``, one per
    error in the list column ``errors``, each with its row as read. Only the files holding such
    rows are read again for the row's values (none, for a clean export)."""
    if not files:
        return
    among = f"__file IN ({', '.join(lit(f) for f in files)})"
    con.execute(
        f"""INSERT INTO q_rows SELECT {lit(name)}, e.__file, e.__row, e.err.column, e.err.reason || {lit(note)},
                to_json(r) FROM (SELECT __file, __row, unnest({errors}) AS err FROM final WHERE {where} AND {among}) e
                JOIN (SELECT * EXCLUDE (__enc_error) FROM raw WHERE {among}) r USING (__file, __row)"""
    )


def _commit(con, workspace, report, lake_files, batch_id, seq, folder, stage) -> None:  # noqa: ANN001
    """Move the staged batch into the lake and record it, in one catalogue transaction."""
    final = workspace.lake_dir / f"batch={batch_id}"
    workspace.lake_dir.mkdir(parents=True, exist_ok=True)
    for d in stage.iterdir():
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?)",
            [seq, batch_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), str(folder), CONTRACT_VERSION],
        )
        for r in report.files:
            if not r.skipped:
                con.execute(
                    "INSERT INTO batch_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    # a deletion is an update of its key (the current rows keep the latest version)
                    [batch_id, r.table, r.file, r.sha256, r.read, r.loaded, r.updated + r.deleted, r.unchanged, r.quarantined],
                )
        for name, path, n in lake_files:
            con.execute("INSERT INTO lake_files VALUES (?, ?, ?, ?)", [batch_id, name, path, n])
        con.execute(f"INSERT INTO quarantine SELECT {lit(batch_id)}, * FROM q_rows")
        if lake_files:
            stage.rename(final)
        workspace.refresh_views(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        if final.exists():
            shutil.rmtree(final)
        raise


def _clean(workspace: Workspace, con: duckdb.DuckDBPyConnection) -> None:
    """Remove what an interrupted ingest left behind (never anything the catalogue knows)."""
    shutil.rmtree(workspace.staging_dir, ignore_errors=True)
    if workspace.lake_dir.exists():
        known = {r[0] for r in con.execute("SELECT batch_id FROM batches").fetchall()}
        for d in workspace.lake_dir.iterdir():
            if d.is_dir() and d.name.startswith("batch=") and d.name[6:] not in known:
                shutil.rmtree(d)


def _needs(table: Table) -> list[str]:
    """Tables whose rows checking ``table`` needs: itself, what it references, identities."""
    names = [table.name]
    names += [c.references.split(".")[0] for c in table.columns if c.references]
    if table.identity_resolvable:
        names.append("identities")
    return list(dict.fromkeys(names))
