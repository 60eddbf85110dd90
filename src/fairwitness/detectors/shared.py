"""Tables that many detectors compute alike, computed once per run (DuckDB).

Every detector that compares people with their peers builds the same peer groups from the
people, units and roster of its period (`fairwitness.detectors.peers.peer_groups`: a grouping
of every shift for the shift patterns, then window functions over the workforce). Inlined in
each detector's query, that was done about twenty times per run (at 46,000 x 12: 7.9 M shifts
scanned and grouped each time, about a CPU-second each).

A build asks its `Sources` for such a table (`Sources.shared`). Outside a run it is the
expression itself. In a run, `SharedTables.share` builds it from the run's visible tables,
restricted to the same period and to the tables the detector itself sees (a detector that does
not read the roster gets groups without shift patterns, as it would alone), and names it after
its SQL, so two detectors share a table exactly when they would have computed the same rows
(the SQL compiled once per run for each expression, known by its digest).
On DuckDB the build gets a reference to that name and the run creates the table before the
first query that names it (`ensure`; builds run in a thread beside the queries, which a DuckDB
connection does not allow); the table lives in the run's in-memory database and goes with it,
and a kept statement (`fairwitness.detectors.statements`) carries the SQL of the shared tables
it names. On Spark it is a temporary view of the run's session, created by the build and
cached in full before the first query that names it (`ensure`).

A part of one detector's own query read many times (`Sources.once`, ``keep``) is a CTE on
DuckDB, which computes a CTE once; on Spark, which writes a CTE into each reader and computes
it for each, it is such a view too.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ibis

from fairwitness.detectors import profiling
from fairwitness.detectors.sources import Sources, build_sources

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

PREFIX = "_fw_shared_"


class SharedTables:
    """The shared tables of one run (``visible``: the run's privacy-filtered tables)."""

    def __init__(self, con: BaseBackend, visible: Mapping[str, ir.Table]) -> None:
        from fairwitness.detectors.engines import engine_of

        self.con = con
        self.visible = visible
        self.duckdb = engine_of(con) == "duckdb"
        self._views: dict[str, ir.Table] = {}
        self._compiled: dict[tuple[str, str], tuple[str, str]] = {}
        """(key, the expression's digest) -> (the table's name, its SQL)."""
        self._lock = threading.Lock()

    def share(
        self, src: Sources, key: str, build: Callable[[Sources], ir.Table], reads: Mapping[str, tuple[str, ...]]
    ) -> ir.Table:
        """`Sources.shared` in a run: a reference to the table ``build`` gives over the run's
        tables that ``src`` sees, in ``src``'s period (on DuckDB its SQL is recorded in
        ``src.shared_sql``; on Spark the view is created here). A table ``src`` sees without
        every column of ``reads`` declared is read as the detector sees it (``build(src)``,
        computed in its own query)."""
        seen = {t: tuple(cols) for t, cols in reads.items() if src.has(t)}
        if any(not set(cols) <= set(src.allowed.get(t, ())) or t not in self.visible for t, cols in seen.items()):
            return build(src)
        from fairwitness.detectors.compiler import compile_sql, digest

        canonical = build_sources(self.visible, reads=seen, period_start=src.period_start, period_end=src.period_end)
        expr = build(canonical)
        # compiled once per run and expression: a dozen detectors ask for the same peer groups
        # (compiling each time was a sixth of the catalogue's builds on the 400-person force)
        memo = (key, digest(expr))
        with self._lock:
            known = self._compiled.get(memo)
        if known is None:
            sql = compile_sql(self.con, expr)
            known = (PREFIX + re.sub(r"\W", "_", key) + "_" + hashlib.sha256(sql.encode()).hexdigest()[:16], sql)
            with self._lock:
                self._compiled[memo] = known
        name, sql = known
        src.shared_sql[name] = sql
        if self.duckdb:
            return ibis.table(expr.schema(), name=name)
        return self._view(name, expr)

    def keep(self, src: Sources, t: ir.Table) -> ir.Table:
        """`Sources.once` in a run: on Spark, ``t`` (an expression over the run's views) as a
        view of the session named after its SQL, cached before the first query naming it
        (``ensure``); on DuckDB ``t`` itself (the caller makes it a CTE, which DuckDB computes
        once however many parts of the query read it)."""
        if self.duckdb:
            return t
        from fairwitness.detectors.compiler import compile_sql

        sql = compile_sql(self.con, t)
        name = PREFIX + "once_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
        src.shared_sql[name] = sql
        return self._view(name, t)

    def _view(self, name: str, t: ir.Table) -> ir.Table:
        with self._lock:
            if name not in self._views:
                from fairwitness.detectors.copies import spark_view

                self._views[name] = spark_view(self.con, name, t)
            return self._views[name]


def ensure(con: Any, shared: Mapping[str, str]) -> None:
    """Create the shared tables ``shared`` (name -> SQL) on a DuckDB connection (raw or an Ibis
    backend) unless it already holds them; on Spark, cache their views unless cached.

    On Spark a view is cached here, in full, before the query that names it runs, so every part
    of that query reads the cache (`fairwitness.detectors.copies.spark_view`: the cache of a
    view kept as SQL holding a CTE never matched; victim_contact at 10,000 x 3 computed the same
    join 8 times in one query)."""
    if getattr(con, "name", None) == "pyspark":
        session = con._session  # noqa: SLF001 - the documented way to reach the session
        for name in shared:
            if not session.catalog.isCached(name):
                session.sql(f"CACHE TABLE `{name}`")
        return
    raw = getattr(con, "con", con)
    for name, sql in shared.items():
        if profiling.enabled() and raw.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall():
            continue  # created already: no profile of a statement that does nothing
        with profiling.profiled(raw, "shared-" + name):
            raw.execute(f'CREATE TABLE IF NOT EXISTS "{name}" AS {sql}')


__all__ = ["PREFIX", "SharedTables", "ensure"]
