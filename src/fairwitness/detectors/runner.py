"""The runner: the only place detectors are executed.

`run` records one run of the selected detectors over a workspace on DuckDB or Spark:

1. resolves the period (given, or the coverage of the activity tables) and the run id —
   ``sha256`` over the normalised configuration (`run_config`: period, detectors with
   versions and parameters, derived sources, the data batches' hashes; never the engine,
   so both engines give the same id; `fairwitness.detectors.runconfig`);
2. computes the derived sources the selected detectors read, once, on DuckDB, and
   registers them on the run's engine (`fairwitness.detectors.runconfig`);
3. executes each detector independently over each window of the period (the whole period,
   or calendar months: `fairwitness.detectors.windows`; scheduled, reused and merged by
   `fairwitness.detectors.schedule`): builds its `Sources` (declared
   columns, window, privacy filter), compiles and records its SQL (on DuckDB, a statement
   compiled by an earlier run for the same code, window, parameters and tables is taken
   instead: `fairwitness.detectors.statements`), executes, calls
   ``finish``, validates the result against ``SIGNAL_COLUMNS`` and finalises the signals
   (`finalise`, `fairwitness.detectors.signals`): route rules, explanation, ``signal_id``,
   severity, evidence JSON. A detector with invalid parameters, a missing source or a
   failing expression gets a clear error in the run record while the others still run;
4. combines the signals into case candidates (`fairwitness.detectors.combine`) and commits
   ``signals.parquet``, ``case_candidates.parquet`` and ``run.json`` atomically
   (`fairwitness.detectors.runs`).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from fairwitness.detectors import coverage as data_coverage
from fairwitness.detectors import engines, runs, schedule
from fairwitness.detectors.compiler import compile_sql
from fairwitness.detectors.copies import share_views
from fairwitness.detectors import settings as detector_settings
from fairwitness.detectors.fingerprint import framework_fingerprint, unit_fingerprints
from fairwitness.detectors.incremental import InputKeys, ResultCache, measure_coverage
from fairwitness.detectors.ranges import LakeRanges, updated_batches
from fairwitness.detectors.base import Detector
from fairwitness.detectors.combine import candidate_table
from fairwitness.detectors.registry import Registry, check_detector, load_registry
from fairwitness.detectors.runconfig import (
    RunError,
    _compute_derived,
    _declared_params,
    _describe,
    config_params,
    data_period,
    run_config,
    run_id_of,
)
from fairwitness.detectors.execution import (
    DetectorOutcome,
    PreparedDetector,
    execute_prepared,
    finish_prepared,
    prepare_detector,
    query_prepared,
    run_detector,
    warm_imports,
)
from fairwitness.detectors.runs import RunResult
from fairwitness.detectors.signals import SIGNAL_SCHEMA
from fairwitness.detectors.statements import Statement, StatementCache, StatementKey, describe_tables, prepare_from, query_statement
from fairwitness.detectors.shared import SharedTables
from fairwitness.detectors.sources import declared_columns, source_tables, visible_tables
from fairwitness.detectors.windows import WINDOW_KINDS, run_windows
from fairwitness.routes import ROUTES

Progress = Callable[[str, int, int], None]


# -- a whole run ----------------------------------------------------------------------
def open_workspace(workspace: Any) -> Any:
    if isinstance(workspace, (str, Path)):
        from fairwitness.workspace import Workspace

        return Workspace(workspace)
    return workspace


def run(
    workspace: Any,
    *,
    engine: str = "duckdb",
    detectors: Sequence[str | type[Detector]] | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    params: Mapping[str, Mapping[str, Any] | BaseModel] | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    spark_master: str | None = None,
    incremental: bool = False,
    window: str = "run",
    settings: str | Path | None = None,
) -> RunResult:
    """Run detectors over ``workspace`` on ``engine`` and commit the run (see module doc).

    ``detectors``: names (or classes) to run, default every registered one. ``params``:
    detector name -> parameters. Raises `RunError` / `UnknownDetector` only for a run that
    cannot start; a failing detector is reported in ``RunResult.errors``.

    ``window``: ``run`` (one window, the whole period) or ``month`` (each detector runs over
    each calendar month of the period; `fairwitness.detectors.windows`). ``incremental``: reuse
    the stored result of every (detector, window) and derived source whose inputs are unchanged
    since it last ran (`fairwitness.detectors.incremental`); the signals are those of a full
    run. ``spark_master``: the Spark master URL when ``engine`` is spark. ``settings``: a
    detector settings file to apply instead of the workspace's ``detectors.toml``
    (`fairwitness.detectors.settings`); ``params`` override either, key by key."""
    engines.check_engine(engine)
    if window not in WINDOW_KINDS:
        raise RunError(f"unknown window {window!r}; expected one of {', '.join(WINDOW_KINDS)}")
    if spark_master and engine != "spark":
        raise RunError("a Spark master URL was given but the engine is not spark (use --engine spark)")
    ws = open_workspace(workspace)
    reg = registry if registry is not None else load_registry()
    selected = reg.select(detectors)
    unknown = sorted(set(params or {}) - {c.name for c in selected})
    if unknown:
        raise RunError(f"parameters given for detectors not in this run: {', '.join(unknown)}")
    try:
        force = detector_settings.of_workspace(ws, reg, settings)
    except detector_settings.SettingsError as e:
        raise RunError(str(e)) from None
    params = {n: p for n, p in force.merged(params).items() if n in {c.name for c in selected}}
    if period_start is None or period_end is None:
        lo, hi = data_period(ws)
        period_start, period_end = period_start or lo, period_end or hi
    if period_end < period_start:
        raise RunError(f"the period ends ({period_end}) before it starts ({period_start})")
    period = (period_start, period_end)
    refused = {c: check_detector(c, derived=reg.derived) for c in selected if reg.detectors.get(c.name) is not c}
    needed = sorted(
        {
            t
            for c in selected
            if not refused.get(c)
            for t in (*c.reads, *c.optional_reads)
            if t in reg.derived
        }
    )
    derived = [reg.derived[n] for n in needed]
    rows_of = {d.name: d.rows_of for d in derived if d.rows_of}
    config = run_config(
        period=period,
        detectors=[(c.name, c.version, _declared_params(c, params.get(c.name))) for c in selected],
        derived=derived,
        batches=ws.batch_hashes(),
        window=window,
    )
    rid = run_id_of(config)
    windows = run_windows(period, window)
    started = dt.datetime.now(dt.UTC)
    total = len(selected) + len(derived) + 2
    step = 0

    def tick(msg: str) -> None:
        nonlocal step
        if progress:
            progress(msg, step, total)
        step += 1

    phases: dict[str, float] = {}
    lap_at = [time.perf_counter()]

    def lap(name: str) -> None:
        """Seconds since the previous lap, recorded as the run's ``phases``."""
        now = time.perf_counter()
        phases[name] = round(phases.get(name, 0.0) + now - lap_at[0], 4)
        lap_at[0] = now

    tables = engines.lake_tables(ws)
    ranges = LakeRanges(ws.runs_dir).of(tables, updated_batches(ws))
    by_name = {d.name: d for d in derived}
    keys = InputKeys(
        tables, period, engine, framework_fingerprint(), by_name, ranges, units=unit_fingerprints(selected, by_name)
    )
    cache = ResultCache(ws.runs_dir)
    tmp = runs.begin(ws.runs_dir)
    lap("keys")
    try:
        tick(f"connecting to {engine}")
        t_prep = time.perf_counter()
        con = engines.connect(engine, ws, spark_master=spark_master)
        prepare_seconds = time.perf_counter() - t_prep
        lap("connect")
        derived_records = _compute_derived(
            derived, ws, con, engine, period, tmp, keys=keys, cache=cache, incremental=incremental
        )
        step += len(derived)
        lap("derived")
        t_prep = time.perf_counter()
        base = source_tables(con)
        visible = visible_tables(base)
        views = {n: compile_sql(con, t) for n, t in visible.items() if t is not base[n]}
        declared = {c: _declared_params(c, params.get(c.name)) for c in selected if not refused.get(c)}
        pieces = schedule.plan(list(declared), windows, keys=keys, declared=declared, cache=cache, incremental=incremental, run_id=rid, kind=window)
        lap("plan")
        warm_imports({p.cls for ps in pieces.values() for p in ps if p.stored is None})
        # share the privacy-filtered views only when a detector that runs reads them, and only
        # over the time the windows that run see (a daily run: the last month, not the lake)
        read = declared_columns(p.cls for ps in pieces.values() for p in ps if p.stored is None)
        seen = {n: schedule.seen_range(pieces, n) for n in read if n in visible}
        bounded = {n: r for n, r in seen.items() if r is not None and r[0] is not None and r[1] is not None}
        shared = visible_tables(base, bounded)
        visible |= share_views(con, {n: shared[n] for n in read if n in visible}, base, read)
        prepare_seconds += time.perf_counter() - t_prep
        lap("share")
        cov = measure_coverage(
            ws,
            {t for c in selected for t in data_coverage.sources_of(c)},
            period,
            keys=keys,
            cache=cache,
            reuse=incremental,
            con=con.con if engine == "duckdb" else None,  # counted in the run's own views of the current rows
        )
        blind = data_coverage.unheld(ws, selected)
        lap("coverage")
        kept = StatementCache(ws.runs_dir) if engine == "duckdb" else None
        shared_tables = SharedTables(con, visible)
        share, keep = shared_tables.share, shared_tables.keep
        statement_key = StatementKey(keys.code, keys.units, describe_tables(con, visible), rows_of) if kept else None

        def prepare(p: schedule.Piece) -> tuple[PreparedDetector, Statement | None]:
            """Build and compile a piece, or take its statement kept from an earlier run."""
            build = lambda: prepare_detector(  # noqa: E731
                p.cls, con, period_start=p.window[0], period_end=p.window[1], params=params.get(p.cls.name),
                visible=visible, rows_of=rows_of, share=share, keep=keep,
            )
            if kept is None or statement_key is None:
                return build(), None
            key = statement_key.of(p.cls, declared[p.cls], p.window)
            st = kept.get(p.name, key)
            if st is not None:
                try:
                    return prepare_from(p.cls, st, params.get(p.cls.name)), st
                except Exception:  # noqa: BLE001 - e.g. invalid parameters: the build reports them
                    pass
            prep = build()
            if prep.out.error is None and prep.expr is not None and prep.out.sql:
                st = Statement.of(prep.expr, prep.out.sql, prep.shared)
                if st is not None:
                    kept.put(p.name, key, st)
            return prep, None

        lap("statements")
        done = schedule.execute(
            pieces,
            prepare=prepare,
            query=lambda ps: (ps[0], query_statement(ps[0], ps[1], con) if ps[1] else query_prepared(ps[0], con)),
            finish=lambda done: finish_prepared(*done, run_id=rid),
            cache=cache,
            tick=tick,
        )
        outcomes: list[DetectorOutcome] = []
        for cls in selected:
            if refused.get(cls):
                tick(f"detector {cls.name}")
                outcomes.append(DetectorOutcome(cls.name, str(cls.version), error="refused: " + "; ".join(refused[cls])))
                continue
            out = done[cls]
            # the coverage gate is applied on every run, to fresh and reused results alike
            out.signals = data_coverage.gate(cls, out.signals, cov)
            failed = [f"{t} ({derived_records[t]['error']})" for t in cls.reads if t in derived_records and derived_records[t]["error"]]
            if out.error and failed:
                out.error = f"needs derived source {', '.join(failed)}"
            outcomes.append(out)
        lap("detectors")
        tick("combining signals into case candidates")
        parts = [o.signals for o in outcomes if o.signals is not None and o.signals.num_rows]
        signals = pa.concat_tables(parts) if parts else SIGNAL_SCHEMA.empty_table()
        signals = signals.sort_by([("staff_id", "ascending"), ("detector", "ascending"), ("signal_id", "ascending")])
        candidates = candidate_table(signals, run_id=rid)
        person = pc.index_in(signals["staff_id"], value_set=candidates["staff_id"])
        signals = signals.set_column(
            signals.schema.get_field_index("candidate_id"), "candidate_id", candidates["candidate_id"].take(person)
        )
        counted = pc.value_counts(candidates["route"]).flatten() if candidates.num_rows else [pa.array([]), pa.array([])]
        by_route = dict(zip(counted[0].to_pylist(), counted[1].to_pylist(), strict=True))
        lap("combine")
        record = {
            "run_id": rid,
            "config": config,
            "engine": engine,
            **({"spark_master": con._session.sparkContext.master} if engine == "spark" else {}),  # noqa: SLF001
            "started_at": started.isoformat(),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3),
            "detectors": [
                {
                    "name": o.name,
                    "version": o.version,
                    "params": o.params or config_params(config, o.name),
                    **_describe(cls),
                    "status": "ok" if o.ok else "error",
                    "error": o.error,
                    "sql": o.sql,
                    "rows": o.rows,
                    "signals": 0 if o.signals is None else o.signals.num_rows,
                    "seconds": o.seconds,
                }
                for o, cls in zip(outcomes, selected, strict=True)
            ],
            "derived": list(derived_records.values()),
            **({"settings": force.record()} if force.path else {}),
            "coverage": data_coverage.record(cov, selected, blind),
            "prepare_seconds": round(prepare_seconds, 4),
            "phases": phases,
            "incremental": incremental,
            "window": window,
            "windows": [[a.isoformat(), b.isoformat()] for a, b in windows],
            "computed": [p.name for ps in pieces.values() for p in ps if p.stored is None],
            "reused": [o.name for o in outcomes if o.seconds.get("reused")],
            "views": views,
            "counts": {
                "signals": signals.num_rows,
                "candidates": candidates.num_rows,
                "by_route": {r: by_route.get(r, 0) for r in ROUTES},
            },
        }
        runs.write_table(tmp / runs.SIGNALS, signals)
        runs.write_table(tmp / runs.CANDIDATES, candidates)
        lap("write")
        runs.write_record(tmp, record)
        tick("committing the run")
        engines.close(con)
        path = runs.commit(ws.runs_dir, tmp, rid)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return runs.RunResult(run_id=rid, path=path, record=record, signals=signals, candidate_table=candidates)


__all__ = [
    "DetectorOutcome",
    "RunError",
    "RunResult",
    "PreparedDetector",
    "config_params",
    "data_period",
    "execute_prepared",
    "finish_prepared",
    "query_prepared",
    "open_workspace",
    "run",
    "run_config",
    "prepare_detector",
    "run_detector",
    "run_id_of",
]
