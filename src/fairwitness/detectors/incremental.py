"""Incremental runs: a (detector, window) or derived source whose inputs are unchanged is not run again.

What a detector returns over a window (`fairwitness.detectors.windows`) is a function of its
inputs alone: its name, version and parameters, the window, the engine, the current rows of
every table it reads in the window's time range (declared and optional reads, widened by its
look-back and look-ahead; ``device_events`` also through the privacy filter, so ``shifts`` and
``overtime_claims``), the derived sources it reads, and the code — the framework's and the
detector's own (`fairwitness.detectors.fingerprint`: changing how signals are combined into case
candidates reuses every result; changing one detector's module recomputes that detector's
windows alone). `InputKeys` hashes these
into one key per (detector, window) and per derived source. A table's current rows in a time
range are identified by the lake files that can change them — immutable, content-hashed
Parquet parts whose rows, or the older rows they supersede, fall in the range
(`fairwitness.detectors.ranges`) — and its de-duplication key. So a batch adding one day
changes the keys of the windows that see that day; a late correction of an old row changes
those of the windows that see the old row (and, when it moves the row, the new one); nothing
else's. A derived source read by a detector enters its key by the hash of its content.

A derived source computed by a pure function of its tables' rows (``reads_period`` False on
its ``compute``, as for `fairwitness.detectors.registry.arrow_compute`) is keyed on the rows
visible in the run's period, not on the period's bounds, so moving the period end past the
last row changes nothing. A derived source whose rows each come from one row of a table
(`fairwitness.detectors.sources.DerivedSource.rows_of`: ``external_links``, one record's links)
enters a window's key by that table's rows the window sees, not by its whole content: a new
external record moves only the windows that see it.

Every run stores each (detector, window)'s finalised signals (and each derived table) under
its key in ``WS/runs/cache/`` (`ResultCache`); ``run(..., incremental=True)`` reuses a stored
result whose key matches, re-stamped with the new run id, and runs the rest. Results are
therefore exactly those of a full run. The cache keeps one entry per (detector, window
start): the latest.

Limits: with the default window (``run``: the whole period) a batch that adds a new day moves
the period, so every detector runs again; ``month`` windows confine a new day to the last
month (and a ``people`` or other reference-table change still reaches every window).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from fairwitness.detectors.ranges import Span, lake_part
from fairwitness.detectors.windows import PRIVACY_DAYS, Range, Window, hull, run_windows, visible_range, widen

PRIVACY_INPUTS: dict[str, tuple[str, ...]] = {"device_events": ("shifts", "overtime_claims")}
"""Tables that change what a detector sees of another through the privacy filter
(`fairwitness.detectors.sources.device_events_visible`)."""


def table_hash(table: pa.Table) -> str:
    """Hash of an Arrow table's content (schema and rows)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()[:32]


def _touches(span: Span | None, rng: Range) -> bool:
    if span is None:
        return False
    lo, hi = rng
    return (hi is None or span[0] < hi) and (lo is None or span[1] >= lo)


@dataclass
class InputKeys:
    """The input keys of one run's (detector, window) results and derived sources."""

    tables: Mapping[str, tuple[Sequence[Path], Sequence[str] | None]]
    """Loaded table -> (lake files, de-duplication key)."""
    period: tuple[dt.date, dt.date]
    engine: str
    code: str
    derived: Mapping[str, Any]
    """Derived source name -> `DerivedSource`."""
    ranges: Mapping[str, Span | None] | None = None
    """Lake part -> the time range it can change (`LakeRanges.of`); a file not in it, or no
    ranges at all, is taken to touch every window."""
    derived_hashes: dict[str, str] = field(default_factory=dict)
    """Derived source name -> hash of its computed content, once computed this run (``error:…``
    when it failed: its readers then run without it)."""
    units: Mapping[str, str] = field(default_factory=dict)
    """Detector or derived source name -> hash of its own code
    (`fairwitness.detectors.fingerprint.unit_fingerprints`); ``code`` is the framework's."""

    def _table(self, name: str, rng: Range | None, clip: bool = False) -> Any:
        if name in self.derived:
            if name in self.derived_hashes:
                return {"derived": self.derived_hashes[name]}
            return {"derived": self.derived_key(self.derived[name])}
        files, key = self.tables.get(name, ((), None))
        parts = [(lake_part(f) if "batch=" in str(f) else str(f)) for f in files]
        spans = [self.ranges.get(p, "all") if self.ranges is not None else "all" for p in parts]
        if rng is None:
            return {"files": parts, "key": key}
        kept = [(p, s) for p, s in zip(parts, spans, strict=True) if s == "all" or _touches(s, rng)]
        out: dict[str, Any] = {"files": [p for p, _ in kept]}
        if any(s == "all" for _, s in kept):
            # without ranges, whether versions are collapsed is part of the input; with them, a
            # superseding file touches the window of every row it supersedes (one row per key
            # and batch), so the touching files alone determine the window's current rows
            out["key"] = key
        if clip and all(s != "all" for _, s in kept):
            # rows lie inside the touching files' hull: bounds beyond it select the same rows
            dated = [s for _, s in kept if s is not None]
            lo = rng[0] if rng[0] is not None and dated and rng[0] >= min(s[0] for s in dated) else None
            hi = rng[1] if rng[1] is not None and dated and rng[1] <= max(s[1] for s in dated) else None
            out["range"] = [None if lo is None else lo.isoformat(), None if hi is None else hi.isoformat()]
        elif clip:
            out["range"] = [None if v is None else v.isoformat() for v in rng]
        return out

    def _inputs(
        self, reads: Mapping[str, Any], optional: Mapping[str, Any], window: Window, back: int, ahead: int, clip: bool,
        rows: bool = True,
    ) -> dict[str, Any]:
        rngs: dict[str, Range | None] = {}
        unset = object()
        for name in sorted(set(reads) | set(optional)):
            r = visible_range(name, window, lookback_days=back, lookahead_days=ahead)
            rngs[name] = r if rngs.get(name, unset) is unset else hull(rngs[name], r)
            for other in PRIVACY_INPUTS.get(name, ()):
                w = widen(r, PRIVACY_DAYS)
                rngs[other] = w if other not in rngs else hull(rngs[other], w)
        out = {}
        for n in sorted(rngs):
            d = self.derived.get(n) if rows else None
            rows_of = getattr(d, "rows_of", None)
            if rows_of and not self.derived_hashes.get(n, "").startswith("error:"):
                out[n] = self._derived_rows(d, rows_of[0], window, back, ahead)
            else:
                out[n] = self._table(n, rngs[n], clip)
        return out

    def _derived_rows(self, d: Any, origin: str, window: Window, back: int, ahead: int) -> dict[str, Any]:
        """A `DerivedSource.rows_of` source as a window sees it: the rows of the ``origin`` rows
        the window sees, so its inputs are those rows (and its other reads, over the period)."""
        inputs = self._inputs(d.reads, d.optional_reads, self.period, 0, 0, clip=False, rows=False)
        inputs[origin] = self._table(origin, visible_range(origin, window, lookback_days=back, lookahead_days=ahead))
        return {"derived_rows": d.name, "version": d.version, "unit": self.units.get(d.name), "inputs": inputs}

    def _hash(self, payload: Mapping[str, Any]) -> str:
        base = {"engine": self.engine, "code": self.code}
        blob = json.dumps({**base, **payload}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def derived_key(self, d: Any) -> str:
        pure = getattr(d.compute, "reads_period", True) is False
        inputs = self._inputs(d.reads, d.optional_reads, self.period, 0, 0, clip=pure, rows=False)
        period = None if pure else [x.isoformat() for x in self.period]
        return self._hash(
            {"derived": d.name, "version": d.version, "unit": self.units.get(d.name), "period": period, "inputs": inputs}
        )

    def derived_context(self, d: Any) -> str:
        """The key of what a `DerivedSource.rows_of` source's rows depend on besides their own
        origin rows: its code, version and other reads (`fairwitness.detectors.derived_rows`)."""
        origin = d.rows_of[0]
        reads = {k: v for k, v in d.reads.items() if k != origin}
        optional = {k: v for k, v in (d.optional_reads or {}).items() if k != origin}
        inputs = self._inputs(reads, optional, self.period, 0, 0, clip=True, rows=False)
        return self._hash({"derived_context": d.name, "version": d.version, "unit": self.units.get(d.name), "inputs": inputs})

    def window_key(self, cls: type, params: Mapping[str, Any], window: Window) -> str:
        back, ahead = getattr(cls, "lookback_days", 0), getattr(cls, "lookahead_days", 0)
        inputs = self._inputs(getattr(cls, "reads", {}), getattr(cls, "optional_reads", {}) or {}, window, back, ahead, False)
        return self._hash(
            {
                "detector": cls.name,  # type: ignore[attr-defined]
                "version": str(cls.version),  # type: ignore[attr-defined]
                "unit": self.units.get(cls.name),  # type: ignore[attr-defined]
                "params": params,
                "period": [d.isoformat() for d in window],
                "lookback": back,
                "lookahead": ahead,
                "inputs": inputs,
            }
        )

    def rows_key(self, name: str, rng: Range | None, **payload: Any) -> str:
        """The key of what is computed from table ``name``'s current rows in ``rng`` alone."""
        return self._hash({**payload, "table": name, "rows": self._table(name, rng)})

    def detector_key(self, cls: type, params: Mapping[str, Any]) -> str:
        """The key of ``cls`` over the whole period (one window)."""
        return self.window_key(cls, params, self.period)


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

    def has(self, kind: str, name: str, key: str) -> bool:
        """Whether an entry of ``name`` is stored under ``key`` (without reading it)."""
        return self._path(kind, name, key).exists()

    def latest(self, kind: str, name: str) -> tuple[str, pa.Table] | None:
        """The stored entry of ``name`` whatever its key (there is one: `put` keeps the latest)."""
        for p in sorted((self.root / kind / name).glob("*.parquet")):
            got = self.get(kind, name, p.stem)
            if got is not None:
                return p.stem, got
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


def measure_coverage(
    workspace: Any,
    tables: set[str],
    period: Window,
    *,
    keys: InputKeys,
    cache: ResultCache,
    reuse: bool = True,
    con: Any = None,
) -> dict[str, Any]:
    """`fairwitness.detectors.coverage.measure` of ``tables`` over ``period``; with ``reuse``,
    counting only the months whose rows changed: each dated table's rows per month are stored
    under the key of the lake files that touch that month (`InputKeys.rows_key`), so a day's
    batch counts the last month again, not the period (at 46,000 x 12 the whole count took 17 s).
    ``con``: a DuckDB connection with the current rows' views to count in (`coverage.measure`)."""
    from fairwitness.contract import BY_NAME
    from fairwitness.detectors import coverage
    from fairwitness.detectors.sources import PERIOD_RULES

    names = sorted(t for t in tables if t in BY_NAME and BY_NAME[t].ingested)
    # a register is counted whole up to the period's end (`coverage.measure`), not month by month
    registers = {t for t in names if PERIOD_RULES.get(t, ("",))[0] == "until"}
    months = run_windows(period, "month")
    counted: dict[str, dict[str, int]] = {}
    todo: dict[str, dict[str, tuple[Window, str]]] = {}
    for name in names:
        if not BY_NAME[name].time_column or name not in keys.tables or name in registers:
            continue
        counted[name], todo[name] = {}, {}
        for w in months:
            label = f"{w[0]:%Y-%m}"
            rng = (dt.datetime.combine(w[0], dt.time()), dt.datetime.combine(w[1] + dt.timedelta(days=1), dt.time()))
            key = keys.rows_key(name, rng, coverage=[w[0].isoformat(), w[1].isoformat()])
            got = cache.get("coverage", f"{name}@{label}", key) if reuse else None
            if got is None:
                todo[name][label] = (w, key)
            else:
                counted[name][label] = int(got.column("rows")[0].as_py())
    missing = [w for t in todo.values() for w, _ in t.values()]
    # the months to count, together (a day's batch: the last month); else a day, for the rest
    span = (min(w[0] for w in missing), max(w[1] for w in missing)) if missing else (period[1], period[1])
    out = coverage.measure(workspace, set(names) - registers, span, con=con)
    if registers:
        out.update(coverage.measure(workspace, registers, period, con=con))
    for name, c in out.items():
        if name in counted:
            for label, (_, key) in todo[name].items():
                counted[name][label] = c.months.get(label, 0)
                # an entry under the same key holds this count (the key is the month's lake files): a
                # full run over an unchanged lake rewrote every month's (0.25 s at 10,000 x 3)
                if not cache.has("coverage", f"{name}@{label}", key):
                    cache.put("coverage", f"{name}@{label}", key, pa.table({"rows": pa.array([counted[name][label]], pa.int64())}))
            c.months = {k: n for k, n in sorted(counted[name].items()) if n}
            c.rows = sum(c.months.values())
        c.problem = coverage._problem(c, period)  # noqa: SLF001 - the gate's own rule, over the whole period
    return out


def stored_result(out: Any) -> pa.Table:
    """A detector outcome's signals as stored: its SQL, row count and parameters in the metadata."""
    meta = {b"fw_sql": (out.sql or "").encode(), b"fw_rows": str(out.rows).encode(), b"fw_params": json.dumps(out.params).encode()}
    return out.signals.replace_schema_metadata(meta)


def reused_outcome(cls: type, stored: pa.Table | None, run_id: str) -> Any:
    """A detector's outcome (`DetectorOutcome`) from its stored result, or None."""
    if stored is None:
        return None
    from fairwitness.detectors.execution import DetectorOutcome
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


__all__ = [
    "InputKeys",
    "ResultCache",
    "measure_coverage",
    "restamp",
    "reused_outcome",
    "stored_result",
    "table_hash",
]
