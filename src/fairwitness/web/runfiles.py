"""`RunFiles`: the run records the case pages read, kept in memory while their files are unchanged.

A run's record (``runs/<id>/run.json``: every detector's compiled query, up to a megabyte)
is written by its run and not changed afterwards, yet reading and parsing it on every case
page costs milliseconds, and masking the case's detectors' queries (`views.Masker`: every
staff id of the workforce replaced by its pseudonym) tens of milliseconds. `RunFiles` keeps
the last few records, read again whenever a file's size or modification time changes, and
each query as masked, keyed by everything the masking depends on: the record, the detector,
the store's workforce generation (the staff ids masked) and the one staff id left unmasked
for a reader holding a re-identification. A mask over any other set of ids (a subject who is
not in the workforce) is applied afresh, never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fairwitness.governance import views, workforce

Stamp = tuple[int, int] | None


@dataclass
class RunFiles:
    workspace: Path
    max_records: int = 4
    max_queries: int = 128
    _records: OrderedDict[str, tuple[Stamp, Mapping[str, Any] | None]] = field(default_factory=OrderedDict)
    _queries: OrderedDict[Hashable, str] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _path(self, run_id: str) -> Path | None:
        from fairwitness.detectors import runs

        try:
            return runs.run_dir(self.workspace, run_id) / runs.RUN_RECORD
        except (runs.NoRun, FileNotFoundError):
            return None

    def _stamp(self, run_id: str) -> Stamp:
        path = self._path(run_id)
        try:
            st = path.stat() if path is not None else None
        except OSError:
            st = None
        return (st.st_mtime_ns, st.st_size) if st is not None else None

    def record(self, run_id: str) -> Mapping[str, Any] | None:
        """The run's record (shared: read it, never change it), or ``None`` if the run is not in the workspace."""
        from fairwitness.detectors import runs

        stamp = self._stamp(run_id)
        with self._lock:
            cached = self._records.get(run_id)
            if cached is not None and cached[0] == stamp:
                self._records.move_to_end(run_id)
                return cached[1]
        try:
            record: Mapping[str, Any] | None = runs.read_record(self.workspace, run_id) if stamp else None
        except (runs.NoRun, FileNotFoundError):
            record = None
        with self._lock:
            self._records[run_id] = (stamp, record)
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)
        return record

    def masked_query(self, *, session: Session, mask: views.Masker, run_id: str, detector: str, sql: str) -> str:
        """``mask(sql)`` for ``detector``'s query in run ``run_id`` (as `record` gave it)."""
        snapshot = workforce.snapshot(session)
        if snapshot.generation is None or mask.ids is not snapshot.staff_ids:
            return mask.text(sql)
        key = (run_id, self._stamp(run_id), detector, snapshot.generation, mask.keep)
        with self._lock:
            if (hit := self._queries.get(key)) is not None:
                self._queries.move_to_end(key)
                return hit
        masked = mask.text(sql)
        with self._lock:
            self._queries[key] = masked
            while len(self._queries) > self.max_queries:
                self._queries.popitem(last=False)
        return masked
