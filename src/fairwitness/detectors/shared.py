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
its SQL, so two detectors share a table exactly when they would have computed the same rows.
On DuckDB the build gets a reference to that name and the run creates the table before the
first query that names it (`ensure`; builds run in a thread beside the queries, which a DuckDB
connection does not allow); the table lives in the run's in-memory database and goes with it,
and a kept statement (`fairwitness.detectors.statements`) carries the SQL of the shared tables
it names. On Spark it is a temporary view of the run's session, cached when first computed
(`fairwitness.detectors.engines.cached_view`, as the privacy-filtered views are).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ibis

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
        from fairwitness.detectors.compiler import compile_sql
        from fairwitness.detectors.engines import cached_view

        canonical = build_sources(self.visible, reads=seen, period_start=src.period_start, period_end=src.period_end)
        expr = build(canonical)
        sql = compile_sql(self.con, expr)
        name = PREFIX + re.sub(r"\W", "_", key) + "_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
        if self.duckdb:
            src.shared_sql[name] = sql
            return ibis.table(expr.schema(), name=name)
        with self._lock:
            if name not in self._views:
                self._views[name] = cached_view(self.con, name, expr)
            return self._views[name]


def ensure(con: Any, shared: Mapping[str, str]) -> None:
    """Create the shared tables ``shared`` (name -> SQL) on a DuckDB connection (raw or an Ibis
    backend) unless it already holds them."""
    raw = getattr(con, "con", con)
    for name, sql in shared.items():
        raw.execute(f'CREATE TABLE IF NOT EXISTS "{name}" AS {sql}')


__all__ = ["PREFIX", "SharedTables", "ensure"]
