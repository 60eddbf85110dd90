"""A run's copies: each derived view its detectors share (the privacy-filtered device events)
computed once per run, and the Spark views that hold an analysed plan.

On DuckDB a copy is a table in an in-memory database of the run's own, attached with DuckDB's
``COMPRESS`` and checkpointed after each copy (`COPIES`); on Spark a temporary view cached when
first computed (`cached_view`), released with the run (`fairwitness.detectors.engines.close`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from fairwitness.detectors.engines import engine_of
from fairwitness.detectors.profiling import profiled

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend


COPIES = "_fw_copies"
"""The compressed in-memory database (DuckDB) a run keeps its privacy-filtered copies in (`share_views`)."""


def share_views(
    con: BaseBackend,
    tables: Mapping[str, ir.Table],
    base: Mapping[str, ir.Table],
    columns: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, ir.Table]:
    """Give every derived view (a table whose expression is not the loaded table itself, e.g.
    the privacy-filtered ``device_events``) one shared copy, so the detectors reading it
    compute it once per run: a cached temporary view on Spark, a table on DuckDB, in the run's
    compressed in-memory database (`COPIES`, checkpointed: about a third of the size; at
    46,000 x 36 months the uncompressed copy held so much of the default memory limit that
    ``duty_presence_gaps`` ran out of memory, alone it did not).

    ``columns``: table -> the columns its readers declare; the copy keeps only those (in the
    table's order; at 46,000 x 12 the whole ``device_events`` copy, with its identifiers and
    positions nobody read, was most of the run's set-up)."""
    out = {}
    duck = engine_of(con) == "duckdb"
    for name, t in tables.items():
        if name in base and t is base[name]:
            out[name] = t
            continue
        keep = (columns or {}).get(name)
        if keep is not None:
            t = t.select(*[c for c in t.columns if c in set(keep)])
        view = f"_fw_visible_{name}"
        if duck:
            con.raw_sql(f"ATTACH IF NOT EXISTS ':memory:' AS {COPIES} (COMPRESS)")
            with profiled(con, "visible-" + name):
                con.raw_sql(f'CREATE OR REPLACE TABLE {COPIES}."{view}" AS {con.compile(t)}')
            con.raw_sql(f"CHECKPOINT {COPIES}")  # compressed as it is written out of the buffer
            out[name] = con.table(view, database=COPIES)
        else:
            out[name] = cached_view(con, view, t)
    return out


def spark_view(con: BaseBackend, name: str, t: ir.Table) -> ir.Table:
    """``t`` as the Spark session's temporary view ``name``, holding its analysed plan.

    Not ``CREATE TEMPORARY VIEW ... AS <SQL>`` (Ibis's ``create_view``): such a view keeps its
    SQL and is analysed again wherever it is read, giving the CTEs in it new ids each time, so
    the cache of one holding a CTE never matched its readers (the cache is found by comparing
    plans): every query computed it again. A view of a DataFrame keeps the plan analysed once."""
    con._register_in_memory_tables(t)  # noqa: SLF001 - the memtables its SQL names
    con._session.sql(con.compile(t)).createOrReplaceTempView(name)  # noqa: SLF001
    return con.table(name)


def cached_view(con: BaseBackend, name: str, t: ir.Table) -> ir.Table:
    """``t`` as the Spark session's temporary view ``name`` (`spark_view`), cached when first
    computed (and released by `close`)."""
    view = spark_view(con, name, t)
    con.raw_sql(f"CACHE LAZY TABLE `{name}`")
    return view


__all__ = ["COPIES", "cached_view", "share_views", "spark_view"]
