"""Run storage: one immutable directory per run, committed atomically.

The signal rows stored here are made by `fairwitness.detectors.signals` (`finalise`,
`SIGNAL_SCHEMA`, which this module re-exports as the schema of ``signals.parquet``).

Layout::

    WS/runs/<run_id>/run.json                 the run record (configuration, detectors, SQL, timings, errors)
    WS/runs/<run_id>/signals.parquet          one row per flag (`SIGNAL_SCHEMA`)
    WS/runs/<run_id>/case_candidates.parquet  one row per person (`CANDIDATE_SCHEMA`), signals as JSON
    WS/runs/<run_id>/derived/<name>.parquet   derived sources computed for the run
    WS/runs/CURRENT                           the id of the current run

A run is written into ``WS/runs/.tmp-<pid>-<random>/`` and renamed into place only when
complete; ``CURRENT`` is then replaced atomically. An interrupted run therefore leaves the
previous run's results, and ``CURRENT``, as they were; its temporary directory is removed on
the way out or, after a hard kill, by the next run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from fairwitness.candidates import CaseCandidate
from fairwitness.detectors.signals import SIGNAL_SCHEMA

RUN_RECORD = "run.json"
SIGNALS = "signals.parquet"
CANDIDATES = "case_candidates.parquet"
CURRENT = "CURRENT"
_TMP = ".tmp-"

CANDIDATE_SCHEMA = pa.schema(
    [
        ("candidate_id", pa.string()),
        ("run_id", pa.string()),
        ("staff_id", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("route", pa.string()),
        ("score", pa.float64()),
        ("detectors", pa.list_(pa.string())),
        ("n_signals", pa.int64()),
        ("explanation", pa.string()),
        ("signals", pa.string()),
    ]
)
"""``case_candidates.parquet``; ``signals`` is the JSON list of `SignalRef`."""


class NoRun(LookupError):
    """The workspace has no (such) run."""


@dataclass
class RunResult:
    """What `fairwitness.detectors.runner.run` returns: the committed run."""

    run_id: str
    path: Path
    record: dict[str, Any]
    signals: pa.Table
    candidate_table: pa.Table = field(default_factory=CANDIDATE_SCHEMA.empty_table)
    """The case candidates as ``case_candidates.parquet`` holds them (`CANDIDATE_SCHEMA`)."""
    _candidates: list[CaseCandidate] | None = field(default=None, repr=False)

    @property
    def candidates(self) -> list[CaseCandidate]:
        """The case candidates as models (built on first use: 17,539 take 2 s at 46,000 x 12)."""
        if self._candidates is None:
            self._candidates = candidates_from_table(self.candidate_table)
        return self._candidates

    @property
    def errors(self) -> dict[str, str]:
        """Detector (or derived source) -> error message, for those that failed."""
        out = {d["name"]: d["error"] for d in self.record["detectors"] if d.get("error")}
        out.update({f"derived:{d['name']}": d["error"] for d in self.record.get("derived", []) if d.get("error")})
        return out

    @property
    def ok(self) -> bool:
        return not self.errors


# -- writing ---------------------------------------------------------------------------
def begin(runs_dir: Path) -> Path:
    """A fresh temporary directory for a run being written; removes leftovers of dead runs."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(runs_dir)
    tmp = runs_dir / f"{_TMP}{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    return tmp


def clean_stale(runs_dir: Path) -> list[Path]:
    """Remove temporary run directories whose process is gone (a hard-killed run)."""
    removed = []
    for d in runs_dir.glob(f"{_TMP}*"):
        pid = d.name[len(_TMP) :].split("-")[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_table(path: Path, table: pa.Table) -> None:
    pq.write_table(table, path)


def write_record(tmp: Path, record: dict[str, Any]) -> None:
    (tmp / RUN_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(runs_dir: Path, tmp: Path, run_id: str) -> Path:
    """Move the finished run into place and point ``CURRENT`` at it, atomically each."""
    for f in tmp.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    final = runs_dir / run_id
    if final.exists():
        # The same configuration and data ran before (possibly on the other engine):
        # swap the new results in, then drop the old ones.
        old = runs_dir / f"{_TMP}{os.getpid()}-old-{secrets.token_hex(4)}"
        os.rename(final, old)
        os.rename(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, final)
    _fsync_dir(runs_dir)
    set_current(runs_dir, run_id)
    return final


def set_current(runs_dir: Path, run_id: str) -> None:
    ptr = runs_dir / f"{_TMP}{os.getpid()}-{CURRENT}"
    with open(ptr, "w") as fh:
        fh.write(run_id + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(ptr, runs_dir / CURRENT)
    _fsync_dir(runs_dir)


# -- reading ---------------------------------------------------------------------------
def _runs_dir(workspace: Any) -> Path:
    if isinstance(workspace, (str, os.PathLike)):
        return Path(workspace) / "runs"
    return Path(workspace.runs_dir)


def current_run_id(workspace: Any) -> str | None:
    ptr = _runs_dir(workspace) / CURRENT
    if not ptr.exists():
        return None
    return ptr.read_text().strip() or None


def run_dir(workspace: Any, run_id: str | None = None) -> Path:
    """Directory of ``run_id`` (default: the current run); `NoRun` when there is none."""
    rid = run_id or current_run_id(workspace)
    if rid is None:
        raise NoRun("no detector run in this workspace yet: run `fairwitness run` first")
    path = _runs_dir(workspace) / rid
    if not (path / RUN_RECORD).exists():
        raise NoRun(f"no run {rid!r} in this workspace")
    return path


def read_record(workspace: Any, run_id: str | None = None) -> dict[str, Any]:
    return json.loads((run_dir(workspace, run_id) / RUN_RECORD).read_text())


def read_signals(workspace: Any, run_id: str | None = None) -> pa.Table:
    return pq.read_table(run_dir(workspace, run_id) / SIGNALS)


def read_candidates_table(workspace: Any, run_id: str | None = None) -> pa.Table:
    return pq.read_table(run_dir(workspace, run_id) / CANDIDATES)


def read_candidates(workspace: Any, run_id: str | None = None) -> list[CaseCandidate]:
    """The run's case candidates as `CaseCandidate` models (what governance consumes)."""
    return candidates_from_table(read_candidates_table(workspace, run_id))


def candidates_to_table(candidates: list[CaseCandidate]) -> pa.Table:
    rows = [
        {
            "candidate_id": c.candidate_id,
            "run_id": c.run_id,
            "staff_id": c.staff_id,
            "period_start": c.period_start,
            "period_end": c.period_end,
            "route": c.route,
            "score": c.score,
            "detectors": list(c.detectors),
            "n_signals": len(c.signals),
            "explanation": c.explanation,
            "signals": json.dumps([s.model_dump(mode="json") for s in c.signals], sort_keys=True),
        }
        for c in candidates
    ]
    return pa.Table.from_pylist(rows, schema=CANDIDATE_SCHEMA)


def candidates_from_table(table: pa.Table) -> list[CaseCandidate]:
    out = []
    for row in table.to_pylist():
        row = dict(row)
        row.pop("n_signals", None)
        row["signals"] = tuple(json.loads(row["signals"]))
        row["detectors"] = tuple(row["detectors"])
        out.append(CaseCandidate.model_validate(row))
    return out


__all__ = [
    "CANDIDATES",
    "CANDIDATE_SCHEMA",
    "CURRENT",
    "RUN_RECORD",
    "SIGNALS",
    "SIGNAL_SCHEMA",
    "NoRun",
    "RunResult",
    "begin",
    "candidates_from_table",
    "candidates_to_table",
    "clean_stale",
    "commit",
    "current_run_id",
    "read_candidates",
    "read_candidates_table",
    "read_record",
    "read_signals",
    "run_dir",
    "set_current",
    "write_record",
    "write_table",
]
