"""Executing one detector: validate its parameters, build and compile its expression, run the
query, call ``finish``, validate and finalise its signals (`fairwitness.detectors.signals`).

`prepare_detector` does the Python part (no query runs, so a run prepares the next detectors in a
thread while one executes); `query_prepared` runs the query on the engine; `finish_prepared`
turns the result into signals. `run_detector` does all three, exactly as a run does
(`fairwitness.detectors.runner`, which re-exports these). A detector with invalid parameters, a
missing source or a failing expression gets a clear error in its `DetectorOutcome`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pydantic import BaseModel, ValidationError

from fairwitness.detectors import engines
from fairwitness.detectors.compiler import compile_sql
from fairwitness.detectors.profiling import profiled
from fairwitness.detectors.base import SIGNAL_COLUMNS, Detector
from fairwitness.detectors.runconfig import RunError
from fairwitness.detectors.signals import check_columns, finalise
from fairwitness.detectors.sources import SourceNotLoaded, build_sources, source_tables, visible_tables

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend


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
    shared: dict[str, str] = field(default_factory=dict)
    """Shared tables the query names (name -> SQL, `fairwitness.detectors.shared`)."""


def prepare_detector(
    detector: Detector | type[Detector],
    con: BaseBackend,
    *,
    period_start: dt.date,
    period_end: dt.date,
    params: BaseModel | Mapping[str, Any] | None = None,
    visible: Mapping[str, ir.Table] | None = None,
    rows_of: Mapping[str, tuple[str, str]] | None = None,
    share: Callable[..., Any] | None = None,
    keep: Callable[..., Any] | None = None,
) -> PreparedDetector:
    """Validate the parameters, build the expression and compile its SQL (no query runs, so a
    run prepares the next detectors in a thread while one executes); errors go into ``out``.
    ``rows_of``: derived sources' `DerivedSource.rows_of` (`build_sources`); ``share``: a run's
    `fairwitness.detectors.shared.SharedTables.share` (the query then names shared tables: on
    DuckDB created by `query_prepared`); ``keep``: its `SharedTables.keep` (`Sources.once`)."""
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
            rows_of=rows_of,
            share=share,
            keep=keep,
        )
        expr = p.det.build(src)
        p.shared = dict(src.shared_sql)
        p.overrides_finish = type(p.det).finish is not Detector.finish
        if not p.overrides_finish:
            check_columns(expr.columns, "build()")
            expr = expr.select(*SIGNAL_COLUMNS)
        out.sql = compile_sql(con, expr)
        p.expr = expr
    except SourceNotLoaded as e:
        out.error = str(e)
    except Exception as e:  # noqa: BLE001 - each detector fails on its own
        out.error = _failed("build", e)
    out.seconds["build"] = round(time.perf_counter() - t0, 4)
    return p


RESOURCE_HINT = (
    " (the engine ran out of memory or of disk to spill to: give DuckDB more memory with "
    "FAIRWITNESS_MEMORY_LIMIT, e.g. 12GB on a 24 GiB machine, free disk "
    "under WS/.spill, or run years of data with --window month)"
)
"""Added to an error that says the engine ran out of memory or disk: what the user can do."""

_RESOURCE_ERRORS = ("out of memory", "no space left on device", "could not allocate")


def warm_imports(classes: Iterable[type[Detector]]) -> threading.Thread | None:
    """Import what the detectors' ``finish`` steps import (`Detector.finish_imports`) in a
    background thread, so that it happens while the engine runs queries; None when there is
    nothing to import. A module that fails to import is left for ``finish`` to report."""
    names = sorted({m for c in classes for m in getattr(c, "finish_imports", ()) if m not in sys.modules})
    if not names:
        return None

    def load() -> None:
        for m in names:
            try:
                importlib.import_module(m)
            except Exception:  # noqa: BLE001, S112 - finish imports it again and reports the error
                continue

    t = threading.Thread(target=load, name="fairwitness-warm-imports", daemon=True)
    t.start()
    return t


def _failed(stage: str, e: Exception) -> str:
    msg = " ".join(str(e).split())
    if len(msg) > 2000:
        msg = msg[:2000] + "…"
    hint = RESOURCE_HINT if any(x in msg.lower() for x in _RESOURCE_ERRORS) else ""
    return f"{stage} failed: {type(e).__name__}: {msg}{hint}"


def timed_execute(out: Any, execute: Callable[[], pa.Table]) -> pa.Table | None:
    """``execute()``'s result, its rows and seconds in ``out`` (a detector's outcome); None on
    error (in ``out.error``): each detector fails on its own. (Sorted in `finish_prepared`, off
    the engine's thread.)"""
    t1 = time.perf_counter()
    try:
        result = execute()
    except Exception as e:  # noqa: BLE001 - each detector fails on its own
        out.error = _failed("execute", e)
        return None
    out.rows = result.num_rows
    out.seconds["execute"] = round(time.perf_counter() - t1, 4)
    return result


def query_prepared(p: PreparedDetector, con: BaseBackend) -> pa.Table | None:
    """Run a prepared detector's query on ``con`` (the engine's part); None on error (in ``p.out``)."""
    out = p.out
    if out.error is not None:
        return None
    from fairwitness.detectors.shared import ensure

    def run() -> pa.Table:
        ensure(con, p.shared)
        with profiled(con, out.name):
            return engines.execute(con, p.expr, sql=out.sql)

    return timed_execute(out, run)


def finish_prepared(p: PreparedDetector, result: pa.Table | None, *, run_id: str = "") -> DetectorOutcome:
    """Call ``finish`` on a query's result, validate and finalise the signals (Python only: a run
    does this in a thread while the engine runs the next query).

    The rows are sorted on every column first (engines return them in no set order), unless the
    detector's ``finish`` orders them itself (`Detector.orders_rows`): at 46,000 x 12 sorting
    ``peer_anomaly``'s 552,000 person-months took 2.7 s, in the engine's thread until round 18."""
    out = p.out
    if out.error is None and result is not None:
        stage = "finish"
        t2 = time.perf_counter()
        try:
            if not (p.overrides_finish and getattr(p.det, "orders_rows", False)):
                result = _sort_rows(result)
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
    rows_of: Mapping[str, tuple[str, str]] | None = None,
) -> DetectorOutcome:
    """Execute one detector on ``con`` exactly as a run does; errors go into the outcome.

    ``visible``: the privacy-filtered tables (computed from ``con`` when not given);
    ``rows_of``: derived sources' `DerivedSource.rows_of` (`build_sources`)."""
    p = prepare_detector(
        detector, con, period_start=period_start, period_end=period_end, params=params, visible=visible, rows_of=rows_of
    )
    return execute_prepared(p, con, run_id=run_id)


__all__ = [
    "DetectorOutcome",
    "PreparedDetector",
    "execute_prepared",
    "finish_prepared",
    "prepare_detector",
    "query_prepared",
    "run_detector",
]
