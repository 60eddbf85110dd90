"""What a run records: signal rows (`finalise`) and their storage, one immutable directory
per run, committed atomically.

`finalise` turns a detector's result into signal rows: it validates the columns, types and
values against ``SIGNAL_COLUMNS``, applies the route rules (a ``wellbeing``-purpose detector
is routed ``wellbeing``; ``max_route`` caps the route), formats the one-sentence explanation
from the detector's ``explain`` template (`format_explanation`), and adds ``signal_id``
(`signal_id`), ``severity`` (`SEVERITY`) and the evidence JSON.

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

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from fairwitness.candidates import CaseCandidate
from fairwitness.detectors.base import SIGNAL_COLUMNS
from fairwitness.detectors.engines import arrow_schema_for
from fairwitness.routes import ROUTES, gravity

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.base import Detector

RUN_RECORD = "run.json"
SIGNALS = "signals.parquet"
CANDIDATES = "case_candidates.parquet"
CURRENT = "CURRENT"
_TMP = ".tmp-"

SIGNAL_SCHEMA = pa.schema(
    [
        ("signal_id", pa.string()),
        ("run_id", pa.string()),
        ("candidate_id", pa.string()),
        ("staff_id", pa.string()),
        ("detector", pa.string()),
        ("detector_version", pa.string()),
        ("purpose", pa.string()),
        ("standard", pa.string()),
        ("standalone_conduct", pa.bool_()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("value", pa.float64()),
        ("peer_median", pa.float64()),
        ("peer_percentile", pa.float64()),
        ("peer_group", pa.string()),
        ("score", pa.float64()),
        ("severity", pa.string()),
        ("route", pa.string()),
        ("explanation", pa.string()),
        ("evidence_table", pa.string()),
        ("evidence_keys", pa.list_(pa.string())),
        ("explanations_checked", pa.list_(pa.string())),
        ("explanations_found", pa.list_(pa.string())),
        ("detail", pa.string()),
        ("evidence", pa.string()),
    ]
)
"""``signals.parquet``. ``evidence`` is JSON: ``source_rows {table, keys}``, ``peer_comparison
{value, peer_median, peer_percentile, peer_group}``, ``explanations_checked``,
``explanations_found``, ``detail``."""

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


# -- signal rows: what a run records per flag -----------------------------------------
SEVERITY: tuple[tuple[float, str], ...] = ((0.8, "high"), (0.5, "medium"), (0.0, "low"))
"""Severity from score: the first band whose lower bound the score reaches."""
ROUND = 6
"""Decimals kept for value, peer_median, peer_percentile and score (engine parity)."""
SIGNAL_ARROW = arrow_schema_for(SIGNAL_COLUMNS)
"""Arrow types of `SIGNAL_COLUMNS`: what ``build`` (or ``finish``) returns."""


# -- explanation formatting -----------------------------------------------------------
def _num(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.2f}".rstrip("0").rstrip(".")


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return format(value, format_spec) if format_spec else _num(value)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dt.date) and not format_spec:
            return value.isoformat()
        return format(value, format_spec)


def format_explanation(template: str, row: Mapping[str, Any]) -> str:
    """The one-sentence explanation: ``template`` formatted with the signal's fields
    (None prints as ``n/a``, whole floats without decimals, lists joined by commas)."""
    return " ".join(_Formatter().format(template, **row).split())


def sample_row() -> dict[str, Any]:
    """A typical signal row with every explain field, to check templates when loading."""
    return {
        "staff_id": "S000001",
        "period_start": dt.date(2025, 1, 1),
        "period_end": dt.date(2025, 1, 31),
        "value": 12.5,
        "peer_median": 3.0,
        "peer_percentile": 99.0,
        "peer_group": "response, constable, 4-on-4-off, full time",
        "score": 0.9,
        "route": "advice",
        "evidence_table": "overtime_claims",
        "evidence_keys": ["C1", "C2"],
        "explanations_found": [],
        "detail": "detail",
        "detector": "detector",
        "title": "Title",
        "period": "2025-01-01 to 2025-01-31",
        "evidence_count": 2,
        "explanations": "",
        "checked": "",
    }


def severity(score: float) -> str:
    for bound, name in SEVERITY:
        if score >= bound:
            return name
    return SEVERITY[-1][1]


def signal_id(detector: str, staff_id: str, start: Any, end: Any, table: str | None, keys: Sequence[str]) -> str:
    """Stable id of a flag: detector, person, period and evidence (not the version)."""
    payload = "|".join([detector, staff_id, str(start), str(end), table or "", ",".join(sorted(keys))])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def check_columns(columns: Sequence[str], where: str) -> None:
    got, want = list(columns), list(SIGNAL_COLUMNS)
    missing = [c for c in want if c not in got]
    extra = [c for c in got if c not in want]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unexpected {extra}")
        raise ValueError(f"{where} must have exactly the columns of SIGNAL_COLUMNS: " + ", ".join(parts))


def finalise(det: Detector, result: pa.Table, *, run_id: str = "") -> pa.Table:
    """Validated, routed, explained signals (`SIGNAL_SCHEMA`) from a detector's result."""
    cls = type(det)
    check_columns(result.column_names, "the result")
    try:
        result = result.select(list(SIGNAL_COLUMNS)).cast(SIGNAL_ARROW)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
        raise ValueError(f"the result's types do not match SIGNAL_COLUMNS: {e}") from None
    checked = list(cls.explanations_checked)
    rows: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(result.to_pylist()):
        for col in ("staff_id", "period_start", "period_end", "score", "route", "evidence_table"):
            if r[col] is None:
                raise ValueError(f"row {i}: {col} is empty")
        if r["route"] not in ROUTES:
            raise ValueError(f"row {i}: route {r['route']!r} is not one of {', '.join(ROUTES)}")
        if not 0.0 <= r["score"] <= 1.0:
            raise ValueError(f"row {i}: score {r['score']} is outside 0–1")
        route = r["route"]
        if cls.purpose == "wellbeing":
            route = "wellbeing"
        elif cls.max_route is not None and gravity(route) > gravity(cls.max_route):
            route = cls.max_route
        for col in ("value", "peer_median", "peer_percentile", "score"):
            if r[col] is not None:
                r[col] = round(float(r[col]), ROUND)
        keys = sorted({str(k) for k in r["evidence_keys"] or [] if k is not None})
        found = sorted({str(x) for x in r["explanations_found"] or [] if x is not None})
        r.update(route=route, evidence_keys=keys, explanations_found=found)
        fields = {
            **r,
            "detector": cls.name,
            "title": cls.title,
            "period": f"{r['period_start']} to {r['period_end']}",
            "evidence_count": len(keys),
            "explanations": ", ".join(found),
            "checked": ", ".join(checked),
        }
        evidence = {
            "source_rows": {"table": r["evidence_table"], "keys": keys},
            "peer_comparison": {k: r[k] for k in ("value", "peer_median", "peer_percentile", "peer_group")},
            "explanations_checked": checked,
            "explanations_found": found,
            "detail": r["detail"],
        }
        sid = signal_id(cls.name, r["staff_id"], r["period_start"], r["period_end"], r["evidence_table"], keys)
        row = {
            **r,
            "signal_id": sid,
            "run_id": run_id,
            "candidate_id": None,
            "detector": cls.name,
            "detector_version": cls.version,
            "purpose": cls.purpose,
            "standard": cls.standard,
            "standalone_conduct": bool(cls.standalone_conduct),
            "severity": severity(r["score"]),
            "explanation": format_explanation(cls.explain, fields),
            "explanations_checked": checked,
            "evidence": json.dumps(evidence, sort_keys=True, default=str),
        }
        if sid not in rows or row["score"] > rows[sid]["score"]:
            rows[sid] = row
    ordered = sorted(rows.values(), key=lambda x: (x["staff_id"], str(x["period_start"]), x["signal_id"]))
    return pa.Table.from_pylist(ordered, schema=SIGNAL_SCHEMA)


class NoRun(LookupError):
    """The workspace has no (such) run."""


@dataclass
class RunResult:
    """What `fairwitness.detectors.runner.run` returns: the committed run."""

    run_id: str
    path: Path
    record: dict[str, Any]
    signals: pa.Table
    candidates: list[CaseCandidate] = field(default_factory=list)

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
