"""Incremental runs: a detector (or derived source) whose inputs are unchanged is not run again.

What a detector returns is a function of its inputs alone: its name, version and parameters,
the run's period, the engine, the current rows of every table it reads (declared and optional
reads; ``device_events`` also through the privacy filter, so ``shifts`` and
``overtime_claims``), the derived sources it reads, and the code. `InputKeys` hashes these
into one key per detector and per derived source. A table's current rows are identified by
its lake files — immutable, content-hashed Parquet parts, oldest batch first — and its
de-duplication key, so a new batch that touches a table (new rows, or a late correction of an
old row) changes the key of every detector reading it, and nothing else's.

Every run stores each detector's finalised signals (and each derived table) under its key in
``WS/runs/cache/`` (`ResultCache`); ``run(..., incremental=True)`` reuses a stored result
whose key matches, re-stamped with the new run id, and runs the rest. Results are therefore
exactly those of a full run. The cache keeps one entry per detector: the latest.

Limits: a run's default period is the coverage of the activity tables, so a batch that adds a
new day moves the period, and every detector whose signals cover the period runs again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

PRIVACY_INPUTS: dict[str, tuple[str, ...]] = {"device_events": ("shifts", "overtime_claims")}
"""Tables that change what a detector sees of another through the privacy filter
(`fairwitness.detectors.sources.device_events_visible`)."""


def code_fingerprint(classes: Sequence[type]) -> str:
    """Hash of the detector framework's and the given classes' source files."""
    import inspect

    import fairwitness.detectors as pkg

    files = set(Path(pkg.__file__).parent.rglob("*.py"))
    for cls in classes:
        try:
            files.add(Path(inspect.getfile(cls)))
        except (TypeError, OSError):
            files.add(Path(cls.__module__ + "." + cls.__qualname__))
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(f.name).encode())
        h.update(f.read_bytes() if f.is_file() else str(f).encode())
    return h.hexdigest()


@dataclass
class InputKeys:
    """The input keys of one run's detectors and derived sources."""

    tables: Mapping[str, tuple[Sequence[Path], Sequence[str] | None]]
    """Loaded table -> (lake files, de-duplication key)."""
    period: tuple[dt.date, dt.date]
    engine: str
    code: str
    derived: Mapping[str, Any]
    """Derived source name -> `DerivedSource`."""

    def _table(self, name: str) -> Any:
        if name in self.derived:
            return {"derived": self.derived_key(self.derived[name])}
        files, key = self.tables.get(name, ((), None))
        return {"files": [_lake_part(f) if "batch=" in str(f) else str(f) for f in files], "key": key}

    def _inputs(self, reads: Mapping[str, Any], optional: Mapping[str, Any]) -> dict[str, Any]:
        names = set(reads) | set(optional)
        for name in list(names):
            names.update(PRIVACY_INPUTS.get(name, ()))
        return {n: self._table(n) for n in sorted(names)}

    def _hash(self, payload: Mapping[str, Any]) -> str:
        base = {"period": [d.isoformat() for d in self.period], "engine": self.engine, "code": self.code}
        blob = json.dumps({**base, **payload}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def derived_key(self, d: Any) -> str:
        inputs = self._inputs(d.reads, d.optional_reads)
        return self._hash({"derived": d.name, "version": d.version, "inputs": inputs})

    def detector_key(self, cls: type, params: Mapping[str, Any]) -> str:
        inputs = self._inputs(getattr(cls, "reads", {}), getattr(cls, "optional_reads", {}) or {})
        return self._hash(
            {
                "detector": cls.name,  # type: ignore[attr-defined]
                "version": str(cls.version),  # type: ignore[attr-defined]
                "params": params,
                "lookback": getattr(cls, "lookback_days", 0),
                "lookahead": getattr(cls, "lookahead_days", 0),
                "inputs": inputs,
            }
        )


def _lake_part(f: Path | str) -> str:
    """``batch=<id>/<table>/<part>``: a lake file named independently of the workspace's place."""
    parts = Path(f).parts
    i = max(i for i, p in enumerate(parts) if p.startswith("batch="))
    return "/".join(parts[i:])


class ResultCache:
    """``WS/runs/cache/<kind>/<name>/<key>.parquet``: the latest result of each detector and
    derived source, written atomically; older entries of the same name are removed."""

    def __init__(self, runs_dir: Path) -> None:
        self.root = Path(runs_dir) / "cache"

    def _path(self, kind: str, name: str, key: str) -> Path:
        return self.root / kind / name / f"{key}.parquet"

    def get(self, kind: str, name: str, key: str) -> pa.Table | None:
        """The stored table (its schema metadata as stored), or None."""
        p = self._path(kind, name, key)
        if not p.exists():
            return None
        try:
            return pq.read_table(p)
        except Exception:  # noqa: BLE001 - a damaged entry is recomputed
            return None

    def put(self, kind: str, name: str, key: str, table: pa.Table) -> None:
        p = self._path(kind, name, key)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.{os.getpid()}-{secrets.token_hex(4)}")
        pq.write_table(table, tmp)
        os.replace(tmp, p)
        for old in p.parent.glob("*.parquet"):
            if old != p:
                old.unlink(missing_ok=True)


def stored_result(out: Any) -> pa.Table:
    """A detector outcome's signals as stored: its SQL, row count and parameters in the metadata."""
    meta = {b"fw_sql": (out.sql or "").encode(), b"fw_rows": str(out.rows).encode(), b"fw_params": json.dumps(out.params).encode()}
    return out.signals.replace_schema_metadata(meta)


def reused_outcome(cls: type, stored: pa.Table | None, run_id: str) -> Any:
    """A detector's outcome (`DetectorOutcome`) from its stored result, or None."""
    if stored is None:
        return None
    from fairwitness.detectors.runner import DetectorOutcome
    from fairwitness.detectors.signals import SIGNAL_SCHEMA

    meta = stored.schema.metadata or {}
    out = DetectorOutcome(name=cls.name, version=str(cls.version))  # type: ignore[attr-defined]
    out.sql = meta.get(b"fw_sql", b"").decode() or None
    out.rows = int(meta.get(b"fw_rows", b"0"))
    out.params = json.loads(meta.get(b"fw_params", b"{}"))
    out.signals = restamp(stored.replace_schema_metadata(None), run_id).cast(SIGNAL_SCHEMA)
    out.seconds = {"total": 0.0, "reused": 1.0}
    return out


def restamp(signals: pa.Table, run_id: str) -> pa.Table:
    """Stored signals as this run's: ``run_id`` set, ``candidate_id`` left to the run."""
    i = signals.schema.get_field_index("run_id")
    return signals.set_column(i, "run_id", pa.array([run_id] * signals.num_rows, pa.string()))


__all__ = ["InputKeys", "ResultCache", "code_fingerprint", "restamp", "reused_outcome", "stored_result"]
