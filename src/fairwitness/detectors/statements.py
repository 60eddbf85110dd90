"""Compiled statements: a detector's SQL for a window, kept from one run to the next.

Building a detector's Ibis expression and compiling it to SQL is Python work that does not
depend on the data: at 10,000 x 3 it took 0.1-1.0 s per detector (about 8 s for the catalogue,
beside the queries on a 2-core machine). A DuckDB run keeps each (detector, window)'s compiled
statement in ``WS/runs/cache/statements/<detector>@<window start>/<key>/`` — the SQL, the result's Ibis
schema and the in-memory tables (Ibis memtables: day spines, window lists) the SQL names — and
the next run whose key matches executes it without building the expression. A window's statement
holds its dates, so a daily run (``--window month``) compiles the last month's statements each day
(the day's batch moves that window's end; at 46,000 x 12 about 12 CPU-seconds beside the queries,
a daily run 24.5-25.6 s against 19.1-24.0 s with them kept) and takes every earlier month's.

The key (`StatementKey`) covers everything the SQL is a function of: the code (the framework's
and the detector's own, `fairwitness.detectors.fingerprint`), the detector's name, version and
validated parameters, the window, the tables it can see (each one's name, schema and view
definition, so a table loaded or dropped, a column added or a privacy view changed gives a new
key), the derived sources' row rules, and the Ibis, sqlglot and DuckDB versions. Detectors build
expressions from their sources and parameters only (never from the data: a build runs no query),
so the same key gives the same SQL. A statement that calls a Python UDF is not kept. The
`KEPT` most recently used statements of each (detector, window) are kept: a what-if run with
other parameters, or a run of another version of the code, no longer makes the next daily run
compile every statement again (at 46,000 x 12, 11 s of Python beside the queries).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.feather as feather

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

_META = "statement.json"


@dataclass
class Statement:
    """A compiled detector query: its SQL, the Ibis schema of its result, its memtables."""

    sql: str
    schema: dict[str, str]
    """Column -> Ibis type (``ibis.dtype`` string)."""
    memtables: dict[str, pa.Table] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)
    """Shared tables the SQL names: name -> the SQL creating it (`fairwitness.detectors.shared`)."""

    @classmethod
    def of(cls, expr: ir.Table, sql: str, shared: Mapping[str, str] | None = None) -> Statement | None:
        """The statement of a built expression (naming ``shared`` tables), or None when it
        cannot be kept (a Python UDF)."""
        import ibis.expr.operations as ops

        op = expr.op()
        udfs = (ops.ScalarUDF, ops.AggUDF, ops.ElementWiseVectorizedUDF, ops.ReductionVectorizedUDF, ops.AnalyticVectorizedUDF)
        if any(op.find(u) for u in udfs):
            return None
        tables = {m.name: m.data.to_pyarrow(m.schema) for m in op.find(ops.InMemoryTable)}
        return cls(sql=sql, schema={n: str(t) for n, t in expr.schema().items()}, memtables=tables, shared=dict(shared or {}))

    def execute(self, con: BaseBackend, label: str = "statement") -> pa.Table:
        """Run on a DuckDB backend: register the memtables, execute the SQL, type the result as
        Ibis would have (`fairwitness.detectors.engines.execute` for a built expression).
        ``label``: the profile's name when profiling (`fairwitness.detectors.profiling`)."""
        import ibis
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        from fairwitness.detectors.engines import normalise
        from fairwitness.detectors.profiling import profiled
        from fairwitness.detectors.shared import ensure

        raw = con.con  # type: ignore[attr-defined]
        ensure(raw, self.shared)
        for name, table in self.memtables.items():
            raw.register(name, table)
        try:
            with profiled(raw, label):
                arrow = raw.execute(self.sql).to_arrow_table()
        finally:
            for name in self.memtables:
                raw.unregister(name)
        return normalise(DuckDBPyArrowData.convert_table(arrow, ibis.schema(self.schema)))


def describe_tables(con: BaseBackend, visible: Mapping[str, ir.Table]) -> dict[str, list[str]]:
    """What a detector's SQL can depend on of each visible table: its schema and, for a view
    that is not a plain table, its definition."""
    import ibis.expr.operations as ops

    from fairwitness.detectors.compiler import compile_sql

    out = {}
    for name, t in sorted(visible.items()):
        op = t.op()
        definition = op.name if isinstance(op, ops.DatabaseTable) else compile_sql(con, t)
        out[name] = [json.dumps({c: str(d) for c, d in t.schema().items()}), definition]
    return out


@dataclass
class StatementKey:
    """The parts of a statement's key shared by a run's pieces (see module doc)."""

    framework: str
    units: Mapping[str, str]
    tables: Mapping[str, list[str]]
    rows_of: Mapping[str, Any]

    def of(self, cls: type, params: Mapping[str, Any], window: tuple[Any, Any]) -> str:
        import duckdb
        import ibis
        import sqlglot

        name = getattr(cls, "name", cls.__qualname__)
        payload = {
            "versions": [ibis.__version__, sqlglot.__version__, duckdb.__version__],
            "framework": self.framework,
            "unit": self.units.get(name),
            "detector": [name, str(getattr(cls, "version", "?")), getattr(cls, "lookback_days", 0), getattr(cls, "lookahead_days", 0)],
            "params": params,
            "window": [str(d) for d in window],
            "tables": self.tables,
            "rows_of": {k: list(v) for k, v in sorted(self.rows_of.items())},
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


KEPT = 4
"""Statements kept per (detector, window): the most recently used."""


SHARED_DIR_ENV = "FAIRWITNESS_STATEMENT_CACHE"
"""A folder where workspaces keep their compiled statements together (see `StatementCache`)."""


class StatementCache:
    """``WS/runs/cache/statements/<piece>/<key>/``: the `KEPT` most recently used statements of
    each piece (a folder's time is set when it is used).

    With ``FAIRWITNESS_STATEMENT_CACHE`` set to a folder, every workspace keeps its statements
    there instead, and a statement compiled for one serves the others: the key names the tables
    a statement reads by their name, schema and view definition (`describe_tables`), never by
    the workspace's files, so the same key gives the same SQL in any workspace (a what-if copy
    of a workspace, a training workspace, the forces of one machine: each compiles a statement
    once, not once per workspace). A key of another workspace's tables is another key; the
    `KEPT` most recently used statements of each piece stay, whichever workspace used them.
    Writes are atomic (a folder renamed into place), so runs of several workspaces can share it.
    A statement holds SQL text that names tables (a run's privacy views are tables by then) and
    the literals of its parameters and memtables, never rows; still, share the folder only
    between workspaces of one data controller."""

    def __init__(self, runs_dir: Path) -> None:
        shared = os.environ.get(SHARED_DIR_ENV)
        self.root = Path(shared) if shared else Path(runs_dir) / "cache" / "statements"

    def get(self, piece: str, key: str) -> Statement | None:
        folder = self.root / piece / key
        try:
            meta = json.loads((folder / _META).read_text())
            tables = {n: feather.read_table(folder / f"{i}.arrow") for i, n in enumerate(meta["memtables"])}
            st = Statement(sql=meta["sql"], schema=meta["schema"], memtables=tables, shared=meta.get("shared", {}))
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None  # none, or damaged: compiled again
        try:
            os.utime(folder)  # used: the last to go
        except OSError:
            pass
        return st

    def put(self, piece: str, key: str, statement: Statement) -> None:
        parent = self.root / piece
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".{key}.{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        names = list(statement.memtables)
        for i, n in enumerate(names):
            feather.write_feather(statement.memtables[n], tmp / f"{i}.arrow")
        (tmp / _META).write_text(json.dumps({"sql": statement.sql, "schema": statement.schema, "memtables": names, "shared": statement.shared}))
        final = parent / key
        try:
            os.replace(tmp, final)
        except OSError:
            # kept already, by this process or another (renaming onto a folder that is not empty
            # fails): the same statement, so theirs stays
            shutil.rmtree(tmp, ignore_errors=True)
            return
        kept = []
        for f in parent.iterdir():
            if f != final and not f.name.startswith("."):
                try:
                    kept.append((f.stat().st_mtime_ns, f))
                except OSError:
                    continue
        for _, old in sorted(kept, reverse=True)[KEPT - 1 :]:
            shutil.rmtree(old, ignore_errors=True)


def prepare_from(cls: type, statement: Statement, params: Any) -> Any:
    """A `fairwitness.detectors.execution.PreparedDetector` for a kept statement: the detector
    instantiated with its parameters (validated as a build would), no expression built."""
    from fairwitness.detectors.base import Detector
    from fairwitness.detectors.execution import DetectorOutcome, PreparedDetector

    t0 = time.perf_counter()
    out = DetectorOutcome(name=getattr(cls, "name", cls.__name__), version=str(getattr(cls, "version", "?")))
    p = PreparedDetector(out)
    p.det = cls(dict(params) if isinstance(params, Mapping) else params)
    out.params = p.det.params.model_dump(mode="json")
    p.overrides_finish = type(p.det).finish is not Detector.finish
    out.sql = statement.sql
    out.seconds["build"] = round(time.perf_counter() - t0, 4)
    return p


def query_statement(p: Any, statement: Statement, con: BaseBackend) -> pa.Table | None:
    """`fairwitness.detectors.execution.query_prepared` for a kept statement: its result, sorted
    as a built expression's; None on error (in ``p.out``)."""
    from fairwitness.detectors.execution import timed_execute

    return timed_execute(p.out, lambda: statement.execute(con, p.out.name))


__all__ = ["SHARED_DIR_ENV", "Statement", "StatementCache", "StatementKey", "describe_tables", "prepare_from", "query_statement"]
