"""Ingest: a data set folder into an immutable, content-hashed batch of the lake.

One ingest is one batch. Files already ingested (same table, same SHA-256) are
skipped, rows already held unchanged are not loaded again, rows whose key is held
with different values are loaded as a new version. Good rows go to
``lake/batch=<id>/<table>/``; bad rows go to the ``quarantine`` table with file,
row, column and reason. Everything is written to a staging folder first and
becomes visible in one catalogue transaction, so an interrupted ingest leaves the
workspace as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fairwitness.contract import CONTRACT_VERSION, Table, ingest_order
from fairwitness.contract import table as contract_table
from fairwitness.ingest import checks
from fairwitness.ingest.readers import FileLevelError, InputFile, discover, load_raw, sha256_file
from fairwitness.ingest.validate import lit, q, typed_sql
from fairwitness.workspace import Workspace

Progress = Callable[[str, int, int], None]


@dataclass
class FileResult:
    table: str
    file: str
    sha256: str
    read: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    skipped: bool = False
    """The same file was ingested before: nothing read."""
    lake_path: str | None = None


@dataclass
class IngestReport:
    batch_id: str | None
    files: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Required tables absent from both the data set and the workspace."""

    def by_table(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for f in self.files:
            t = out.setdefault(f.table, {"read": 0, "loaded": 0, "updated": 0, "unchanged": 0, "quarantined": 0, "skipped_files": 0})
            for k in ("read", "loaded", "updated", "unchanged", "quarantined"):
                t[k] += getattr(f, k)
            t["skipped_files"] += int(f.skipped)
        return out


class IngestError(RuntimeError):
    """The data set cannot be ingested at all."""


def _batch_id(items: list[tuple[str, str, str]]) -> str:
    h = hashlib.sha256()
    for t, name, sha in sorted(items):
        h.update(f"{t}\0{name}\0{sha}\n".encode())
    return h.hexdigest()[:20]


def ingest(folder: str | Path, workspace: Workspace, *, progress: Progress | None = None) -> IngestReport:
    """Ingest every contract file in ``folder`` into ``workspace`` as one batch."""
    folder = Path(folder).resolve()
    disc = discover(folder)
    workspace.path.mkdir(parents=True, exist_ok=True)
    with workspace.catalog(read_only=False) as con:
        _clean(workspace, con)
        held = set(con.execute("SELECT table_name, sha256 FROM batch_files").fetchall())
        loaded_before = set(r[0] for r in con.execute("SELECT DISTINCT table_name FROM batch_files WHERE lake_path IS NOT NULL").fetchall())
        plan: list[tuple[Table, InputFile, str]] = []
        total = sum(len(v) for v in disc.files.values())
        done = 0
        for table in ingest_order():
            for f in disc.files.get(table.name, []):
                plan.append((table, f, sha256_file(f.path)))
                done += 1
                if progress:
                    progress("hashing", done, total)
        report = IngestReport(batch_id=None, ignored=disc.ignored)
        report.missing = [
            t.name for t in ingest_order() if not t.optional and t.name not in disc.files and t.name not in loaded_before
        ]
        new = [(t, f, s) for t, f, s in plan if (t.name, s) not in held]
        report.files += [FileResult(t.name, f.display, s, skipped=True) for t, f, s in plan if (t.name, s) in held]
        if not new:
            return report
        batch_id = _batch_id([(t.name, f.display, s) for t, f, s in new])
        (seq,) = con.execute("SELECT COALESCE(max(seq), 0) + 1 FROM batches").fetchone()
        stage = workspace.staging_dir / f"batch={batch_id}"
        stage.mkdir(parents=True)
        try:
            _stage_files(con, workspace, new, batch_id, seq, stage, loaded_before, report, progress)
            _commit(con, workspace, report, batch_id, seq, folder, stage)
        finally:
            shutil.rmtree(workspace.staging_dir, ignore_errors=True)
        report.batch_id = batch_id
        return report


def _stage_files(con, workspace, new, batch_id, seq, stage, loaded_before, report, progress) -> None:  # noqa: ANN001
    """Validate each new file and write its good rows to the staging folder."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE q_rows (table_name VARCHAR, file VARCHAR, \"row\" BIGINT, \"column\" VARCHAR, reason VARCHAR, raw VARCHAR)"
    )
    for i, (table, f, sha) in enumerate(new, start=1):
        for name in _needs(table):
            if not checks._exists(con, f"known_{name}"):
                cur = workspace._table_sql(con, name) if name in loaded_before else None
                checks.init_known(con, contract_table(name), cur)
        report.files.append(_ingest_file(con, table, f, sha, batch_id, seq, stage, workspace))
        if progress:
            progress(f"{table.name}: {f.display}", i, len(new))


def _commit(con, workspace, report, batch_id, seq, folder, stage) -> None:  # noqa: ANN001
    """Move the staged batch into the lake and record it, in one catalogue transaction."""
    final = workspace.lake_dir / f"batch={batch_id}"
    workspace.lake_dir.mkdir(parents=True, exist_ok=True)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?)",
            [seq, batch_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), str(folder), CONTRACT_VERSION],
        )
        for r in report.files:
            if not r.skipped:
                con.execute(
                    "INSERT INTO batch_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [batch_id, r.table, r.file, r.sha256, r.read, r.loaded, r.updated, r.unchanged, r.quarantined, r.lake_path],
                )
        con.execute(f"INSERT INTO quarantine SELECT {lit(batch_id)}, * FROM q_rows")
        if any(stage.iterdir()):
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
    """Tables whose known keys checking ``table`` needs: itself, what it references, identities."""
    names = [table.name]
    names += [c.references.split(".")[0] for c in table.columns if c.references]
    if table.identity_resolvable:
        names.append("identities")
    return list(dict.fromkeys(names))


def _ingest_file(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    f: InputFile,
    sha: str,
    batch_id: str,
    seq: int,
    stage: Path,
    workspace: Workspace,
) -> FileResult:
    res = FileResult(table.name, f.display, sha)
    try:
        raw = load_raw(con, f)
    except FileLevelError as e:
        con.execute("INSERT INTO q_rows VALUES (?, ?, NULL, NULL, ?, NULL)", [table.name, f.display, str(e)])
        return res
    res.read = raw.rows
    for row, column, reason, text in raw.row_errors:
        con.execute("INSERT INTO q_rows VALUES (?, ?, ?, ?, ?, ?)", [table.name, f.display, row, column, reason, text])
    con.execute(f"CREATE OR REPLACE TEMP TABLE typed AS {typed_sql(table, raw.columns)}")
    checks.resolve_identities(con, table, raw.columns)
    checks.check_references(con, table)
    checks.hash_rows(con, table)
    checks.check_keys(con, table, f.display)
    checks.classify_changes(con, table)
    con.execute(
        f"""INSERT INTO q_rows SELECT {lit(table.name)}, {lit(f.display)}, t.__row, e.err.column, e.err.reason,
            to_json(r) FROM typed t JOIN raw r USING (__row), LATERAL (SELECT unnest(t.__errors) AS err) e
            WHERE len(t.__errors) > 0"""
    )
    (bad,) = con.execute("SELECT count(*) FROM typed WHERE len(__errors) > 0").fetchone()
    res.quarantined = bad + len(raw.row_errors)
    good = "len(__errors) = 0 AND NOT __unchanged"
    res.loaded, res.updated = con.execute(f"SELECT count(*), count(*) FILTER (WHERE __updated) FROM typed WHERE {good}").fetchone()
    (res.unchanged,) = con.execute("SELECT count(*) FROM typed WHERE len(__errors) = 0 AND __unchanged").fetchone()
    if res.loaded:
        out_dir = stage / table.name
        out_dir.mkdir(parents=True, exist_ok=True)
        part = out_dir / f"part-{len(list(out_dir.iterdir())):05d}.parquet"
        extras = [c for c in raw.columns if c not in table.column_names and not c.startswith("_")]
        cols = ", ".join(q(c) for c in [*table.column_names, *extras])
        path = str(part).replace("'", "''")
        con.execute(
            f"""COPY (SELECT {cols}, {lit(batch_id)} AS _batch, {seq}::BIGINT AS _seq, _row_hash,
                {lit(f.display)} AS _source_file, __row AS _source_row FROM typed WHERE {good} ORDER BY __row)
                TO '{path}' (FORMAT parquet, COMPRESSION zstd)"""
        )
        res.lake_path = str(part.relative_to(workspace.staging_dir).as_posix()).replace(
            f"batch={batch_id}", f"lake/batch={batch_id}", 1
        )
    checks.add_known(con, table, "len(__errors) = 0", f.display)
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute("DROP TABLE IF EXISTS typed")
    return res
