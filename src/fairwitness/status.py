"""What a workspace holds: tables, batches, date coverage and quarantine."""

from __future__ import annotations

from dataclasses import dataclass, field

from fairwitness.contract import BY_NAME
from fairwitness.ingest.validate import q
from fairwitness.workspace import CURRENT_READINGS, Workspace


@dataclass
class TableStatus:
    table: str
    rows: int
    batches: int
    first: str | None
    last: str | None
    quarantined: int
    unheld: list[str] = field(default_factory=list)
    """Optional contract columns no current row holds (an export without them): read as unknown."""


@dataclass
class BatchStatus:
    seq: int
    batch_id: str
    created_at: str
    source_dir: str
    files: int
    loaded: int
    quarantined: int


@dataclass
class RunStatus:
    run_id: str
    degraded: bool
    gated: dict[str, list[str]]
    """Detectors routed no further than wellbeing, and the data they were missing."""


@dataclass
class WorkspaceStatus:
    path: str
    tables: list[TableStatus]
    batches: list[BatchStatus]
    run: RunStatus | None = None
    """The current detector run, if any."""


def run_status(workspace: Workspace) -> RunStatus | None:
    """The current run's data-coverage verdict (`fairwitness.detectors.coverage`)."""
    from fairwitness.detectors import runs

    rid = runs.current_run_id(workspace)
    if rid is None:
        return None
    try:
        rec = runs.read_record(workspace, rid)
    except (OSError, ValueError, runs.NoRun):
        return None
    cov = rec.get("coverage") or {}
    return RunStatus(rid, bool(cov.get("degraded")), dict(cov.get("gated") or {}))


def readers_of(table: str, column: str) -> list[str]:
    """The built-in detectors that read ``table.column``."""
    from fairwitness.detectors.catalogue import builtin_detectors

    return sorted(
        d.name for d in builtin_detectors() if any(column in decl.get(table, ()) for decl in (d.reads, d.optional_reads))
    )


def status(workspace: Workspace) -> WorkspaceStatus:
    """Summarise a workspace (reads the catalogue and the lake's current views)."""
    workspace.require()
    with workspace.catalog() as cat:
        batches = [
            BatchStatus(*r)
            for r in cat.execute(
                """SELECT b.seq, b.batch_id, strftime(b.created_at, '%Y-%m-%d %H:%M:%S'), b.source_dir,
                          count(f.file), COALESCE(sum(f.rows_loaded), 0), COALESCE(sum(f.rows_quarantined), 0)
                   FROM batches b LEFT JOIN batch_files f USING (batch_id)
                   GROUP BY ALL ORDER BY b.seq"""
            ).fetchall()
        ]
        qcounts = dict(
            # as the files were last read (`CURRENT_READINGS`): an earlier reading's are history
            cat.execute(f"SELECT table_name, sum(rows_quarantined) FROM {CURRENT_READINGS} c GROUP BY 1").fetchall()
        )
        nbatches = dict(
            cat.execute(
                "SELECT table_name, count(DISTINCT batch_id) FROM lake_files GROUP BY 1"
            ).fetchall()
        )
    con = workspace.connect()
    tables: list[TableStatus] = []
    names = sorted(set(nbatches) | set(qcounts))
    for name in names:
        first = last = None
        rows = 0
        unheld: list[str] = []
        if name in nbatches:
            tcol = BY_NAME[name].time_column
            # a lake written before a column joined the contract has no such column at all
            present = {r[0] for r in con.execute(f"DESCRIBE {q(name)}").fetchall()}
            optional = [c.name for c in BY_NAME[name].columns if not c.required and not c.nullable]
            held = "".join(f", count({q(c)})" if c in present else ", 0" for c in optional)
            if tcol:
                rows, first, last, *counts = con.execute(
                    f"SELECT count(*), CAST(min({q(tcol)}) AS VARCHAR), CAST(max({q(tcol)}) AS VARCHAR){held} FROM {q(name)}"
                ).fetchall()[0]
            else:
                rows, *counts = con.execute(f"SELECT count(*){held} FROM {q(name)}").fetchall()[0]
            unheld = [c for c, n in zip(optional, counts, strict=True) if rows and not n]
        tables.append(TableStatus(name, rows, nbatches.get(name, 0), first, last, int(qcounts.get(name, 0) or 0), unheld))
    con.close()
    return WorkspaceStatus(str(workspace.path), tables, batches, run_status(workspace))
