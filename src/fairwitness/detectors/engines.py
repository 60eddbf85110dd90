"""Engines: the Ibis backends a run executes on, each loaded contract table a view.

``connect("duckdb" | "spark", workspace)`` returns an Ibis backend in which every
loaded contract table is a view called by its contract name, holding the current
rows (latest ``_seq`` per key when the workspace says a key was updated) and
exactly the contract's columns (lake bookkeeping ``_batch``/``_seq``/… and extra
columns are dropped; a declared column missing from every file is an empty column
of its declared type). ``from_arrow(engine, tables)`` does the same from
in-memory Arrow tables, for tests and for derived sources.

Both engines see the same values: lake timestamps are naive UTC, DuckDB runs with
``TimeZone='UTC'`` and Spark with ``spark.sql.session.timeZone=UTC``. Results come
back through `execute`, which normalises Arrow types so both engines give
identical tables.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import ibis
import pyarrow as pa

from fairwitness.contract import BY_NAME

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend
    from pyspark.sql import SparkSession

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")

_IBIS_TYPES: dict[str, str] = {
    "string": "string",
    "enum": "string",
    "bool": "boolean",
    "int": "int64",
    "float": "float64",
    "date": "date",
    "timestamp": "timestamp",
}


def _duckdb_compat() -> None:
    """ibis 12's DuckDB backend calls ``fetch_arrow_table`` / ``fetch_record_batch`` on DuckDB
    connections; DuckDB 2.0 removed both (``to_arrow_table`` / ``to_arrow_reader`` replace
    them). Restore them as thin aliases so ``list_tables``, ``to_pyarrow``… work."""
    import duckdb

    cls = duckdb.DuckDBPyConnection
    if not hasattr(cls, "fetch_arrow_table"):

        def fetch_arrow_table(self: Any) -> pa.Table:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return self.to_arrow_table()

        cls.fetch_arrow_table = fetch_arrow_table  # type: ignore[attr-defined]
    if not hasattr(cls, "fetch_record_batch"):

        def fetch_record_batch(self: Any, rows_per_batch: int = 1_000_000) -> pa.RecordBatchReader:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return self.to_arrow_reader(rows_per_batch)

        cls.fetch_record_batch = fetch_record_batch  # type: ignore[attr-defined]


_duckdb_compat()


class WorkspaceLike(Protocol):
    """What the engine layer needs from `fairwitness.workspace.Workspace`."""

    @property
    def runs_dir(self) -> Path: ...

    def loaded_tables(self) -> list[str]: ...

    def table_files(self, name: str) -> list[Path]: ...

    def dedup_key(self, name: str) -> tuple[str, ...] | None: ...

    def batch_hashes(self) -> list[str]: ...


class EngineError(RuntimeError):
    """An engine that cannot be used as asked."""


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    return engine


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The process's Spark session (created once, local mode, UTC, quiet); ``conf`` adds or
    overrides settings when it is created."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        if master and active.sparkContext.master != master:
            raise EngineError(
                f"this process already runs Spark on {active.sparkContext.master}; cannot also use {master}"
            )
        return active
    master = master or os.environ.get("FAIRWITNESS_SPARK_MASTER", "local[*]")
    builder = (
        SparkSession.builder.master(master)
        .appName("fairwitness")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("FAIRWITNESS_SPARK_PARTITIONS", "4"))
        .config("spark.sql.warehouse.dir", os.path.join(os.environ.get("TMPDIR", "/tmp"), "fairwitness-spark-warehouse"))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def duckdb_settings(spill_dir: str | Path | Any | None = None) -> list[str]:
    """DuckDB settings of every run connection: UTC, a memory limit
    (`fairwitness.memory.duckdb_memory_limit`) and a
    directory to spill to beyond it (``spill_dir``: a path or a
    workspace, whose ``.spill`` folder is used; default the system temporary folder);
    ``FAIRWITNESS_THREADS`` caps the threads."""
    import tempfile

    from fairwitness.memory import duckdb_memory_limit, duckdb_threads

    if spill_dir is not None and not isinstance(spill_dir, (str, Path)):
        spill_dir = Path(spill_dir.path) / ".spill" if hasattr(spill_dir, "path") else None
    spill = Path(spill_dir or Path(tempfile.gettempdir()) / "fairwitness-spill")
    out = [
        "SET TimeZone='UTC'",
        f"SET memory_limit = '{duckdb_memory_limit()}'",
        "SET temp_directory = '" + str(spill).replace("'", "''") + "'",
    ]
    if threads := duckdb_threads():
        out.append(f"SET threads = {threads}")
    return out


_DBAPI_ARROW_COPY = "Arrow output on a DB-API result makes an extra copy"
"""DuckDB's warning when a DB-API result is fetched as Arrow (`execute` does so on purpose)."""


def backend(engine: str, *, spill_dir: Any = None, spark_master: str | None = None) -> BaseBackend:
    """An empty backend of the given engine (DuckDB in memory, spilling to ``spill_dir``)."""
    check_engine(engine)
    if engine == "duckdb":
        # a filter, not ``catch_warnings`` (not thread-safe, and `execute` runs beside threads)
        warnings.filterwarnings("ignore", message=_DBAPI_ARROW_COPY, category=UserWarning)
        con = ibis.duckdb.connect()
        for stmt in duckdb_settings(spill_dir):
            con.raw_sql(stmt)
        return con
    # a new session shares the SparkContext (the JVM) but has its own temporary views and
    # SQL settings, so each backend sees only the tables registered on it
    return ibis.pyspark.connect(spark_session(spark_master).newSession())


def engine_of(con: BaseBackend) -> str:
    return "spark" if con.name == "pyspark" else con.name


def contract_view(t: ir.Table, name: str, key: tuple[str, ...] | None = None) -> ir.Table:
    """Current rows of a contract table: latest ``_seq`` per ``key`` unless it is a deletion
    (`fairwitness.workspace.current_rows_sql`), contract columns only.

    Tables outside the contract (derived sources, test tables) are returned unchanged."""
    decl = BY_NAME.get(name)
    if decl is None:
        return t
    if key and "_seq" in t.columns:
        t = t.mutate(_fw_rn=ibis.row_number().over(group_by=list(key), order_by=ibis.desc(t._seq)))
        t = t.filter(t._fw_rn == 0)  # ibis row_number() is 0-based
        if "_deleted" in t.columns:  # the latest version is a deletion (a snapshot export without it)
            t = t.filter(t._deleted.isnull() | ~t._deleted)
    cols = []
    for c in decl.columns:
        typ = _IBIS_TYPES[c.kind]
        if c.name in t.columns:
            col = t[c.name]
            cols.append(col if col.type() == ibis.dtype(typ) else col.cast(typ).name(c.name))
        else:
            cols.append(ibis.null(typ).name(c.name))
    return t.select(*cols)


def register_arrow(con: BaseBackend, name: str, table: pa.Table) -> ir.Table:
    """Make an Arrow table available as ``name`` on a backend (replacing any previous one)."""
    if engine_of(con) == "duckdb":
        # the raw connection: ibis 12's create_table(overwrite=True) emits SQL DuckDB 2.0 rejects
        raw = con.con
        tmp = f"_fw_arrow_{name}"
        raw.register(tmp, table)
        try:
            raw.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{tmp}"')
        finally:
            raw.unregister(tmp)
        return con.table(name)
    return con.create_view(name, ibis.memtable(table), overwrite=True)


def from_arrow(engine: str, tables: Mapping[str, pa.Table], *, con: BaseBackend | None = None) -> BaseBackend:
    """A backend on ``engine`` where each Arrow table is a view named by its key.

    Contract tables are projected onto their declared columns (missing columns become
    empty columns of the declared type), exactly like tables read from a workspace."""
    con = con or backend(engine)
    for name, table in tables.items():
        raw = register_arrow(con, f"_fw_raw_{name}", table)
        con.create_view(name, contract_view(raw, name), overwrite=True)
    return con


def lake_tables(workspace: WorkspaceLike) -> dict[str, tuple[list[Path], tuple[str, ...] | None]]:
    """Loaded table -> (its Parquet files, oldest batch first; the key to keep the latest
    version by, or None), read from the catalogue in one go when the workspace can."""
    snap = getattr(workspace, "lake_snapshot", None)
    if callable(snap):
        return snap()
    return {n: (workspace.table_files(n), workspace.dedup_key(n)) for n in workspace.loaded_tables()}


def connect(engine: str, workspace: WorkspaceLike, *, spark_master: str | None = None) -> BaseBackend:
    """A backend on ``engine`` with a view per loaded contract table of ``workspace``.

    ``spark_master``: the Spark master URL (``spark://host:7077``) when this process starts
    its Spark session (default ``FAIRWITNESS_SPARK_MASTER``, else ``local[*]``).

    (Measured: materialising the current rows as DuckDB tables before the detectors cost more
    than it saved — the detectors' own joins and windows dominate, not the Parquet scans.)"""
    from fairwitness.detectors.parquet_schema import spark_schema

    con = backend(engine, spill_dir=workspace) if engine == "duckdb" else backend(engine, spark_master=spark_master)
    for name, (paths, key) in lake_tables(workspace).items():
        files = [str(f) for f in paths]
        if not files:
            continue
        raw_name = f"_fw_raw_{name}"
        if engine == "duckdb":
            raw = con.read_parquet(files, table_name=raw_name, union_by_name=True)
        else:
            session = con._session  # noqa: SLF001 - the documented way to reach the session
            schema = spark_schema(files, session)  # the footers here, not a Spark job per table
            reader = session.read.schema(schema) if schema is not None else session.read.option("mergeSchema", "true")
            reader.parquet(*files).createOrReplaceTempView(raw_name)
            raw = con.table(raw_name)
        con.create_view(name, contract_view(raw, name, key), overwrite=True)
        if engine == "spark":
            # every detector reads the same current rows: keep them once (memory, then disk)
            con.raw_sql(f"CACHE LAZY TABLE `{name}`")
    return con


def close(con: BaseBackend) -> None:
    """Release a run's DuckDB connection (and so its database file); on Spark, the cached data of
    the run's own views (its session's temporary views: the lake's current rows, the privacy
    views, the shared tables), which the Spark context would otherwise keep while forces run one
    after another in one process. The Spark session stays."""
    if engine_of(con) == "duckdb":
        con.disconnect()
        return
    session = con._session  # noqa: SLF001 - the documented way to reach the session
    for t in session.catalog.listTables():
        if t.isTemporary:
            session.sql(f"UNCACHE TABLE IF EXISTS `{t.name}`")


def execute(con: BaseBackend, expr: ir.Table, *, sql: str | None = None) -> pa.Table:
    """Run ``expr`` on ``con`` and return a normalised Arrow table. ``sql``: the expression
    already compiled by `fairwitness.detectors.compiler.compile_sql` (the engine runs it rather
    than compiling ``expr`` again)."""
    if sql is not None and engine_of(con) == "duckdb":
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        con._run_pre_execute_hooks(expr)  # noqa: SLF001 - registers the expression's memtables
        # ``execute`` skips the relation API's Python-side tokenising and binding of the SQL
        # text (measured: 30-40% of a small query's time); a signals result is small, so the
        # extra copy DuckDB warns about costs nothing (`backend` silences that warning)
        arrow = con.con.execute(sql).to_arrow_table()
        return normalise(expr.__pyarrow_result__(arrow, data_mapper=DuckDBPyArrowData))
    with warnings.catch_warnings():
        # Spark falls back from Arrow when a column is typed NULL (``ARRAY()``): harmless
        warnings.filterwarnings("ignore", message="toPandas attempted Arrow optimization")
        return normalise(con.to_pyarrow(expr) if sql is None else _spark_result(con, expr, sql))


def _spark_result(con: BaseBackend, expr: ir.Table, sql: str) -> pa.Table:
    """What Ibis's PySpark ``to_pyarrow`` gives for ``expr``, from its SQL compiled already (the
    statement the run records is the one Spark runs, and the expression is not compiled twice)."""
    from ibis.backends.pyspark.converter import PySparkPandasData
    from ibis.formats.pyarrow import PyArrowData

    con._run_pre_execute_hooks(expr)  # noqa: SLF001 - registers the expression's memtables
    table = expr.as_table()
    schema = table.schema()
    df = PySparkPandasData.convert_table(con._session.sql(sql).toPandas(), schema)  # noqa: SLF001
    out = pa.Table.from_pandas(expr.__pandas_result__(df), preserve_index=False)
    return expr.__pyarrow_result__(PyArrowData.convert_table(out, schema))


def normalise(table: pa.Table) -> pa.Table:
    """Arrow types both engines agree on: naive UTC timestamps in µs, ``string``, ``list<string>``."""
    fields = []
    arrays = []
    for f, col in zip(table.schema, table.columns, strict=True):
        typ = _norm_type(f.type)
        if typ != f.type:
            # a zoned timestamp holds the UTC instant: dropping the zone keeps it as naive UTC
            col = col.cast(typ)
        fields.append(pa.field(f.name, typ))
        arrays.append(col)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _norm_type(t: pa.DataType) -> pa.DataType:
    if pa.types.is_timestamp(t):
        return pa.timestamp("us")
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.string()
    if pa.types.is_large_list(t) or pa.types.is_list_view(t) or pa.types.is_list(t):
        return pa.list_(_norm_type(t.value_type))
    if pa.types.is_date64(t):
        return pa.date32()
    return t


def arrow_schema_for(columns: Mapping[str, str]) -> pa.Schema:
    """Arrow schema for ibis-style type names (``array<string>``, ``float64``…)."""
    return pa.schema([pa.field(n, ibis.dtype(t).to_pyarrow()) for n, t in columns.items()])


def table_exists(con: BaseBackend, name: str) -> bool:
    try:
        return name in con.list_tables()
    except Exception:  # noqa: BLE001
        return False


def describe(con: BaseBackend) -> dict[str, Any]:
    return {"engine": engine_of(con), "version": getattr(con, "version", None)}
