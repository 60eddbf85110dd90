"""What a run is of: its period, its configuration and id, and the derived sources it computes.

- `data_period`: the default period of a run, the coverage of the activity tables
  (`ACTIVITY_TABLES`);
- `run_config` / `run_id_of`: the normalised configuration (period, window, detectors with
  versions and parameters, derived sources, the data batches' hashes; never the engine, so
  both engines give the same id) and the run id, ``sha256`` over it;
- `_compute_derived`: the derived sources the selected detectors read, computed once, on
  DuckDB, and registered on the run's engine;
- `_describe` / `config_params`: what the run record says about each detector.

The runner (`fairwitness.detectors.runner`) uses these; they are re-exported from there too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from fairwitness.detectors import derived_rows, engines, runs
from fairwitness.detectors.incremental import table_hash
from fairwitness.detectors.sources import DerivedSource, build_sources, source_tables, visible_tables

if TYPE_CHECKING:  # pragma: no cover
    from ibis.backends import BaseBackend

    from fairwitness.detectors.base import Detector

CONFIG_VERSION = "1"
ACTIVITY_TABLES: dict[str, str] = {
    "shifts": "start",
    "overtime_claims": "start",
    "badge_events": "ts",
    "device_events": "ts",
    "system_access": "ts",
    "comms_events": "ts",
}
"""Tables whose time coverage is the default period of a run: the roster (``shifts``) when it
is loaded — events spill past it, e.g. the morning after the last night shift —, else the
others together."""


class RunError(RuntimeError):
    """A run that cannot start (nothing loaded, bad configuration)."""


def data_period(ws: engines.WorkspaceLike) -> tuple[dt.date, dt.date]:
    """Coverage of the activity tables (`ACTIVITY_TABLES`): the default period of a run.

    The roster's span when it is loaded (else the others' together), narrowed to the days every
    other activity export covers when one was cut later or sooner: exports are extracted to
    different dates (a roster from the 18th with two weeks' lead-in, overtime claims from the 1st),
    and the days only some of them cover would leave every detector reading the others with a
    month that looks thin (`fairwitness.detectors.coverage`). An export narrows the period only when
    its gap is no chance of a sparse source (at its own rate the gap would hold at least
    `coverage.MIN_EXPECTED_ROWS` rows) and it covers at least half the span (an export of a part of it,
    one month's call records, is partial: the coverage gate says so, and the period stays)."""
    import duckdb

    from fairwitness.detectors.coverage import MIN_EXPECTED_ROWS

    loaded = ws.loaded_tables()
    spans: dict[str, tuple[dt.date, dt.date, int]] = {}
    con = duckdb.connect()
    try:
        for name in loaded:
            col = ACTIVITY_TABLES.get(name)
            files = [str(f) for f in ws.table_files(name)] if col else []
            if not files:
                continue
            # the files' statistics (a scan of every event's time took 2 s at 46,000 x 12); a file
            # written without them is scanned
            a, b, n, groups, with_stats = con.execute(
                "SELECT CAST(left(min(stats_min_value), 10) AS DATE), CAST(left(max(stats_max_value), 10) AS DATE), "
                "sum(num_values), count(*), count(stats_min_value) FROM parquet_metadata(?) WHERE path_in_schema = ?",
                [files, col],
            ).fetchone()
            if not groups or with_stats < groups:
                a, b, n = con.execute(
                    f'SELECT min("{col}")::DATE, max("{col}")::DATE, count("{col}") FROM read_parquet(?, union_by_name = true)',
                    [files],
                ).fetchone()
            if a is not None:
                spans[name] = (a, b, int(n))
    finally:
        con.close()
    spine = ["shifts"] if "shifts" in spans else list(spans)
    if not spine:
        raise RunError("no activity data loaded (shifts, overtime, badge, device, systems or comms events)")
    lo, hi = min(spans[t][0] for t in spine), max(spans[t][1] for t in spine)
    days = (hi - lo).days + 1
    for name, (a, b, n) in spans.items():
        if name in spine or (min(b, hi) - max(a, lo)).days + 1 < days / 2:
            continue
        rate = n / ((b - a).days + 1)
        if a > lo and (a - lo).days * rate >= MIN_EXPECTED_ROWS:
            lo = a
        if b < hi and (hi - b).days * rate >= MIN_EXPECTED_ROWS:
            hi = b
    return lo, hi


def run_config(
    *,
    period: tuple[dt.date, dt.date],
    detectors: Sequence[tuple[str, str, Mapping[str, Any]]],
    derived: Sequence[DerivedSource],
    batches: Sequence[str],
    window: str = "run",
) -> dict[str, Any]:
    """The normalised configuration the run id is computed from (engine-independent); the
    window (`fairwitness.detectors.windows`) enters it only when it is not the default ``run``,
    so a default run keeps its id."""
    return {
        **({"window": window} if window != "run" else {}),
        "config_version": CONFIG_VERSION,
        "period_start": period[0].isoformat(),
        "period_end": period[1].isoformat(),
        "detectors": sorted(
            ({"name": n, "version": v, "params": dict(p)} for n, v, p in detectors), key=lambda d: d["name"]
        ),
        "derived": sorted(({"name": d.name, "version": d.version} for d in derived), key=lambda d: d["name"]),
        "batches": list(batches),
    }


def run_id_of(config: Mapping[str, Any]) -> str:
    blob = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _declared_params(cls: type[Detector], given: Any) -> dict[str, Any]:
    try:
        return cls(given).params.model_dump(mode="json")
    except Exception:  # noqa: BLE001 - invalid ones are recorded as given
        return {"invalid": json.loads(json.dumps(given, default=str))} if given is not None else {}


def _compute_derived(
    needed: list[DerivedSource],
    ws: Any,
    con: BaseBackend,
    engine: str,
    period: tuple[dt.date, dt.date],
    tmp: Path,
    *,
    keys: Any = None,
    cache: Any = None,
    incremental: bool = False,
) -> dict[str, dict[str, Any]]:
    """Compute (or, ``incremental``, reuse from ``cache`` under ``keys``) each derived source,
    keep a copy in the run directory and register it on ``con``."""
    records: dict[str, dict[str, Any]] = {}
    if not needed:
        return records
    duck: BaseBackend | None = con if engine == "duckdb" else None
    visible: Any = None
    (tmp / "derived").mkdir(exist_ok=True)
    for d in needed:
        rec: dict[str, Any] = {"name": d.name, "version": d.version, "purpose": d.purpose, "error": None}
        t0 = time.perf_counter()
        try:
            key = keys.derived_key(d) if keys is not None else None
            table = cache.get("derived", d.name, key) if incremental and cache is not None and key else None
            rec["reused"] = table is not None
            if table is None:
                if visible is None:
                    duck = duck or engines.connect("duckdb", ws)
                    visible = visible_tables(source_tables(duck))
                src = build_sources(
                    visible, reads=d.reads, optional_reads=d.optional_reads, period_start=period[0], period_end=period[1]
                )
                inputs = None
                if d.rows_of and getattr(d.compute, "reads_period", True) is False and cache is not None and key:
                    # row by row: only the origin rows changed since the stored result (`derived_rows`)
                    last = cache.latest("derived", d.name) if incremental else None
                    previous = (last[1], cache.get(derived_rows.INPUTS, d.name, last[0])) if last else None
                    table, inputs, rec["computed_rows"] = derived_rows.compute(
                        d, src, context=keys.derived_context(d), previous=previous
                    )
                else:
                    table = d.compute(src)
                    if not isinstance(table, pa.Table):
                        raise TypeError(f"returned {type(table).__name__}, not a pyarrow.Table")
                    table = engines.normalise(table)
                if cache is not None and key:
                    cache.put("derived", d.name, key, table)
                    if inputs is not None:
                        cache.put(derived_rows.INPUTS, d.name, key, inputs)
            if keys is not None:
                keys.derived_hashes[d.name] = table_hash(engines.normalise(table.replace_schema_metadata(None)))
            runs.write_table(tmp / "derived" / f"{d.name}.parquet", table)
            engines.register_arrow(con, d.name, table)
            rec["rows"] = table.num_rows
        except Exception as e:  # noqa: BLE001
            rec["error"] = f"{type(e).__name__}: {' '.join(str(e).split())}"
            if keys is not None:  # its readers run without it: their results must not be reused
                keys.derived_hashes[d.name] = "error:" + rec["error"]
        rec["seconds"] = round(time.perf_counter() - t0, 4)
        records[d.name] = rec
    return records


def _describe(cls: type[Detector]) -> dict[str, Any]:
    return {
        "title": getattr(cls, "title", None),
        "standard": getattr(cls, "standard", None),
        "purpose": getattr(cls, "purpose", None),
        "reads": {t: list(c) for t, c in getattr(cls, "reads", {}).items()},
        "optional_reads": {t: list(c) for t, c in getattr(cls, "optional_reads", {}).items()},
        "scenarios": list(getattr(cls, "scenarios", ())),
        "explanations_checked": list(getattr(cls, "explanations_checked", ())),
        "max_route": getattr(cls, "max_route", None),
        "lookback_days": getattr(cls, "lookback_days", 0),
        "lookahead_days": getattr(cls, "lookahead_days", 0),
        "standalone_conduct": getattr(cls, "standalone_conduct", True),
        "explain": getattr(cls, "explain", None),
    }


def config_params(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    for d in config["detectors"]:
        if d["name"] == name:
            return dict(d["params"])
    return {}


__all__ = [
    "ACTIVITY_TABLES",
    "CONFIG_VERSION",
    "RunError",
    "config_params",
    "data_period",
    "run_config",
    "run_id_of",
]
