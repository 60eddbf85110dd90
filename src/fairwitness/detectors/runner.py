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
   columns, window, privacy filter), compiles and records its SQL, executes, calls
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pydantic import BaseModel, ValidationError

from fairwitness.detectors import coverage as data_coverage
from fairwitness.detectors import engines, runs, schedule
from fairwitness.detectors.incremental import InputKeys, ResultCache, code_fingerprint
from fairwitness.detectors.ranges import LakeRanges, updated_batches
from fairwitness.detectors.base import SIGNAL_COLUMNS, Detector
from fairwitness.detectors.combine import combine
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
from fairwitness.detectors.runs import RunResult
from fairwitness.detectors.signals import SIGNAL_SCHEMA, check_columns, finalise
from fairwitness.detectors.sources import SourceNotLoaded, build_sources, source_tables, visible_tables
from fairwitness.detectors.windows import WINDOW_KINDS, run_windows
from fairwitness.routes import ROUTES

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

Progress = Callable[[str, int, int], None]


@dataclass
class DetectorOutcome:
    """One detector's part of a run."""

    name: str
    version: str
    params: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    sql: str | None = None
    rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    signals: pa.Table | None = None
    """Finalised signals (`signals.SIGNAL_SCHEMA`), when it ran."""
    period: tuple[dt.date, dt.date] | None = None
    """The window it ran over, in a run (`fairwitness.detectors.windows`)."""

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_for_error(self) -> DetectorOutcome:
        if self.error:
            raise RunError(f"detector {self.name}: {self.error}")
        return self


# -- one detector ---------------------------------------------------------------------
def _sort_rows(table: pa.Table) -> pa.Table:
    keys = [
        (f.name, "ascending")
        for f in table.schema
        if not (pa.types.is_nested(f.type) or pa.types.is_null(f.type))
    ]
    return table.sort_by(keys) if keys and table.num_rows else table


@dataclass
class PreparedDetector:
    """A detector built and compiled, ready to execute (`prepare_detector`)."""

    out: DetectorOutcome
    det: Any = None
    expr: Any = None
    overrides_finish: bool = False


def prepare_detector(
    detector: Detector | type[Detector],
    con: BaseBackend,
    *,
    period_start: dt.date,
    period_end: dt.date,
    params: BaseModel | Mapping[str, Any] | None = None,
    visible: Mapping[str, ir.Table] | None = None,
) -> PreparedDetector:
    """Validate the parameters, build the expression and compile its SQL (no query runs, so a
    run prepares the next detectors in a thread while one executes); errors go into ``out``."""
    cls = detector if isinstance(detector, type) else type(detector)
    out = DetectorOutcome(name=getattr(cls, "name", cls.__name__), version=str(getattr(cls, "version", "?")))
    p = PreparedDetector(out)
    t0 = time.perf_counter()
    try:
        p.det = cls(dict(params) if isinstance(params, Mapping) else params) if isinstance(detector, type) else detector
        out.params = p.det.params.model_dump(mode="json")
    except ValidationError as e:
        out.error = "invalid parameters: " + "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'params'}: {err['msg']}" for err in e.errors()
        )
        return p
    except Exception as e:  # noqa: BLE001
        out.error = f"invalid parameters: {e}"
        return p
    try:
        if visible is None:
            visible = visible_tables(source_tables(con))
        src = build_sources(
            visible,
            reads=cls.reads,
            optional_reads=cls.optional_reads,
            period_start=period_start,
            period_end=period_end,
            lookback_days=cls.lookback_days,
            lookahead_days=cls.lookahead_days,
        )
        expr = p.det.build(src)
        p.overrides_finish = type(p.det).finish is not Detector.finish
        if not p.overrides_finish:
            check_columns(expr.columns, "build()")
            expr = expr.select(*SIGNAL_COLUMNS)
        out.sql = engines.compile_sql(con, expr)
        p.expr = expr
    except SourceNotLoaded as e:
        out.error = str(e)
    except Exception as e:  # noqa: BLE001 - each detector fails on its own
        out.error = _failed("build", e)
    out.seconds["build"] = round(time.perf_counter() - t0, 4)
    return p


def _failed(stage: str, e: Exception) -> str:
    msg = " ".join(str(e).split())
    if len(msg) > 2000:
        msg = msg[:2000] + "…"
    return f"{stage} failed: {type(e).__name__}: {msg}"


def query_prepared(p: PreparedDetector, con: BaseBackend) -> pa.Table | None:
    """Run a prepared detector's query on ``con`` (the engine's part); None on error (in ``p.out``)."""
    out = p.out
    if out.error is not None:
        return None
    t1 = time.perf_counter()
    try:
        result = _sort_rows(engines.execute(con, p.expr, sql=out.sql))
    except Exception as e:  # noqa: BLE001 - each detector fails on its own
        out.error = _failed("execute", e)
        return None
    out.rows = result.num_rows
    out.seconds["execute"] = round(time.perf_counter() - t1, 4)
    return result


def finish_prepared(p: PreparedDetector, result: pa.Table | None, *, run_id: str = "") -> DetectorOutcome:
    """Call ``finish`` on a query's result, validate and finalise the signals (Python only: a run
    does this in a thread while the engine runs the next query)."""
    out = p.out
    if out.error is None and result is not None:
        stage = "finish"
        t2 = time.perf_counter()
        try:
            if p.overrides_finish:
                result = p.det.finish(result)
                if not isinstance(result, pa.Table):
                    raise TypeError(f"finish() returned {type(result).__name__}, not a pyarrow.Table")
                result = engines.normalise(result)
            stage = "validate"
            out.signals = finalise(p.det, result, run_id=run_id)
            out.seconds["finish"] = round(time.perf_counter() - t2, 4)
        except Exception as e:  # noqa: BLE001 - each detector fails on its own
            out.error = _failed(stage, e)
    out.seconds["total"] = round(sum(v for k, v in out.seconds.items() if k != "total"), 4)
    return out


def execute_prepared(p: PreparedDetector, con: BaseBackend, *, run_id: str = "") -> DetectorOutcome:
    """Execute a prepared detector, call ``finish``, validate and finalise its signals."""
    return finish_prepared(p, query_prepared(p, con), run_id=run_id)


def run_detector(
    detector: Detector | type[Detector],
    con: BaseBackend,
    *,
    period_start: dt.date,
    period_end: dt.date,
    params: BaseModel | Mapping[str, Any] | None = None,
    visible: Mapping[str, ir.Table] | None = None,
    run_id: str = "",
) -> DetectorOutcome:
    """Execute one detector on ``con`` exactly as a run does; errors go into the outcome.

    ``visible``: the privacy-filtered tables (computed from ``con`` when not given)."""
    p = prepare_detector(
        detector, con, period_start=period_start, period_end=period_end, params=params, visible=visible
    )
    return execute_prepared(p, con, run_id=run_id)


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
) -> RunResult:
    """Run detectors over ``workspace`` on ``engine`` and commit the run (see module doc).

    ``detectors``: names (or classes) to run, default every registered one. ``params``:
    detector name -> parameters. Raises `RunError` / `UnknownDetector` only for a run that
    cannot start; a failing detector is reported in ``RunResult.errors``.

    ``window``: ``run`` (one window, the whole period) or ``month`` (each detector runs over
    each calendar month of the period; `fairwitness.detectors.windows`). ``incremental``: reuse
    the stored result of every (detector, window) and derived source whose inputs are unchanged
    since it last ran (`fairwitness.detectors.incremental`); the signals are those of a full
    run. ``spark_master``: the Spark master URL when ``engine`` is spark."""
    engines.check_engine(engine)
    if window not in WINDOW_KINDS:
        raise RunError(f"unknown window {window!r}; expected one of {', '.join(WINDOW_KINDS)}")
    if spark_master and engine != "spark":
        raise RunError("a Spark master URL was given but the engine is not spark (use --engine spark)")
    ws = open_workspace(workspace)
    reg = registry if registry is not None else load_registry()
    selected = reg.select(detectors)
    params = dict(params or {})
    unknown = sorted(set(params) - {c.name for c in selected})
    if unknown:
        raise RunError(f"parameters given for detectors not in this run: {', '.join(unknown)}")
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

    tables = engines.lake_tables(ws)
    ranges = LakeRanges(ws.runs_dir).of(tables, updated_batches(ws))
    keys = InputKeys(tables, period, engine, code_fingerprint(selected), {d.name: d for d in derived}, ranges)
    cache = ResultCache(ws.runs_dir)
    tmp = runs.begin(ws.runs_dir)
    try:
        tick(f"connecting to {engine}")
        t_prep = time.perf_counter()
        con = engines.connect(engine, ws, spark_master=spark_master)
        prepare_seconds = time.perf_counter() - t_prep
        derived_records = _compute_derived(
            derived, ws, con, engine, period, tmp, keys=keys, cache=cache, incremental=incremental
        )
        step += len(derived)
        t_prep = time.perf_counter()
        base = source_tables(con)
        visible = visible_tables(base)
        views = {n: engines.compile_sql(con, t) for n, t in visible.items() if t is not base[n]}
        declared = {c: _declared_params(c, params.get(c.name)) for c in selected if not refused.get(c)}
        pieces = schedule.plan(list(declared), windows, keys=keys, declared=declared, cache=cache, incremental=incremental, run_id=rid, kind=window)
        # share the privacy-filtered views only when a detector that runs reads them
        read = {t for ps in pieces.values() for p in ps if p.stored is None for t in (*p.cls.reads, *p.cls.optional_reads)}
        visible |= engines.share_views(con, {n: t for n, t in visible.items() if n in read}, base)
        prepare_seconds += time.perf_counter() - t_prep
        cov = data_coverage.measure(ws, {t for c in selected for t in data_coverage.sources_of(c)}, period)
        done = schedule.execute(
            pieces,
            prepare=lambda p: prepare_detector(
                p.cls, con, period_start=p.window[0], period_end=p.window[1], params=params.get(p.cls.name), visible=visible
            ),
            query=lambda prep: (prep, query_prepared(prep, con)),
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
        tick("combining signals into case candidates")
        parts = [o.signals for o in outcomes if o.signals is not None and o.signals.num_rows]
        signals = pa.concat_tables(parts) if parts else SIGNAL_SCHEMA.empty_table()
        signals = signals.sort_by([("staff_id", "ascending"), ("detector", "ascending"), ("signal_id", "ascending")])
        candidates = combine(signals, run_id=rid)
        by_person = {c.staff_id: c.candidate_id for c in candidates}
        signals = signals.set_column(
            signals.schema.get_field_index("candidate_id"),
            "candidate_id",
            pa.array([by_person[s] for s in signals.column("staff_id").to_pylist()], pa.string()),
        )
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
            "coverage": data_coverage.record(cov, selected),
            "prepare_seconds": round(prepare_seconds, 4),
            "incremental": incremental,
            "window": window,
            "windows": [[a.isoformat(), b.isoformat()] for a, b in windows],
            "computed": [p.name for ps in pieces.values() for p in ps if p.stored is None],
            "reused": [o.name for o in outcomes if o.seconds.get("reused")],
            "views": views,
            "counts": {
                "signals": signals.num_rows,
                "candidates": len(candidates),
                "by_route": {r: sum(1 for c in candidates if c.route == r) for r in ROUTES},
            },
        }
        runs.write_table(tmp / runs.SIGNALS, signals)
        runs.write_table(tmp / runs.CANDIDATES, runs.candidates_to_table(candidates))
        runs.write_record(tmp, record)
        tick("committing the run")
        engines.close(con)
        path = runs.commit(ws.runs_dir, tmp, rid)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return runs.RunResult(run_id=rid, path=path, record=record, signals=signals, candidates=candidates)


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
