"""Shared fixtures: run detectors and engine code on DuckDB and on Spark.

Fixtures
--------
``engine``
    Parametrised over ``"duckdb"`` and ``"spark"``; the Spark case carries the ``spark``
    marker (deselect with ``-m "not spark"``) and starts the session-wide Spark session
    on first use (local[2], ``SPARK_LOCAL_IP=127.0.0.1``, time zone UTC, ≈6 s once per
    test run). Any test taking ``engine`` runs once per engine.

``spark_session``
    The one `pyspark.sql.SparkSession` of the test run. Do not create another; code under
    test gets it through `fairwitness.detectors.engines.spark_session()`.

``make_backend(tables)``
    ``dict[str, pyarrow.Table] -> ibis backend`` on the current ``engine``: each table is
    a view named by its key. Contract tables are projected onto their declared columns
    with their declared types, missing columns becoming empty ones, exactly as the lake
    is read — so a test table only needs the columns the detector reads. Each call gives a
    fresh namespace (a new DuckDB connection or a new Spark session over the shared JVM).

``run_detector(detector, tables, *, period_start, period_end, params=None, outcome=False)``
    Runs one detector class exactly as `fairwitness run` does (declared columns only,
    period restriction, the off-duty privacy filter, ``finish``, validation, route rules,
    explanation) on the current ``engine`` and returns the finalised signals as a
    ``pyarrow.Table`` with the columns of `fairwitness.detectors.signals.SIGNAL_SCHEMA`
    (``signal_id``, ``staff_id``, ``route``, ``score``, ``severity``, ``explanation``,
    ``evidence`` JSON…). A detector error raises `RunError` with the message the run record
    would hold; ``outcome=True`` returns the `DetectorOutcome` instead (``.error``,
    ``.sql``, ``.signals``). Results are identical on both engines (types normalised,
    floats rounded to 6 decimals, rows sorted), so one expected table serves both.
    A derived source is passed like any table: ``{"external_links": links, ...}``
    (e.g. ``fairwitness.linkage.external_links(records, people)`` or hand-made rows).

``make_workspace(tables)``
    Writes Arrow tables as a one-batch Parquet lake under ``tmp_path`` and returns a
    `ParquetWorkspace` with the engine-facing API of `fairwitness.workspace.Workspace`
    (``loaded_tables``, ``table_files``, ``dedup_key``, ``batch_hashes``, ``runs_dir``), so
    `fairwitness.detectors.runner.run` can run end to end. ``ws.add_batch(tables)`` adds a
    later batch whose rows supersede earlier rows with the same contract key.

``contract_table(name, rows)``
    ``list[dict] -> pyarrow.Table`` typed by the contract declaration of table ``name``
    (timestamps as naive UTC ``timestamp[us]``, dates ``date32``); only the columns
    present in the rows are included. Values may be Python objects or ISO strings.

Example (a catalogue test)::

    def test_flags_heavy_editor(engine, run_detector):
        out = run_detector(RosterEdits, {"roster_changes": changes, "people": people},
                           period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))
        assert out.column("staff_id").to_pylist() == ["P2"]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")


TEST_KEY = "5a" * 32


@pytest.fixture(scope="session", autouse=True)
def store_key() -> Iterator[str]:
    """Every governance store of the test run shares one key, from the environment, set before any
    store is made. (Set only by the governance tests' session, it reached a test process when a
    governance module ran there, and a web store made earlier in that process with a key file was
    then read with the other key: its audit chain reported forged, depending on how the files were
    shared among the workers.) A test that needs a key file removes it with ``monkeypatch``."""
    from fairwitness.governance import keys

    old = os.environ.get(keys.ENV_KEY)
    os.environ[keys.ENV_KEY] = TEST_KEY
    yield TEST_KEY
    if old is None:
        os.environ.pop(keys.ENV_KEY, None)
    else:
        os.environ[keys.ENV_KEY] = old


@pytest.fixture(scope="session", autouse=True)
def statement_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder of compiled statements for every workspace of a test process
    (``FAIRWITNESS_STATEMENT_CACHE``): the tests make dozens of workspaces of the same contract, and
    each compiled the catalogue's statements again (about 11 of the 15 s of a first run on the
    400-person force). The statements' own tests keep each workspace's (``own_statements``)."""
    from fairwitness.detectors.statements import SHARED_DIR_ENV

    old = os.environ.get(SHARED_DIR_ENV)
    folder = tmp_path_factory.mktemp("statements")
    os.environ[SHARED_DIR_ENV] = str(folder)
    yield folder
    if old is None:
        os.environ.pop(SHARED_DIR_ENV, None)
    else:
        os.environ[SHARED_DIR_ENV] = old


@pytest.fixture
def own_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each workspace keeps its compiled statements in its own runs folder (the default)."""
    from fairwitness.detectors.statements import SHARED_DIR_ENV

    monkeypatch.delenv(SHARED_DIR_ENV, raising=False)


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    from fairwitness.detectors import engines

    session = engines.spark_session(
        master="local[2]",
        conf={
            "spark.sql.shuffle.partitions": "2",
            # tests run many tiny queries, where planning dominates: adaptive re-planning and
            # whole-stage code generation cost more than they save (the catalogue on the 400-person
            # force: 4 detectors 70-92 s with them, 37 s without). Results do not depend on either;
            # the standalone-cluster test runs `fairwitness run` with the product's own settings.
            "spark.sql.adaptive.enabled": "false",
            "spark.sql.codegen.wholeStage": "false",
            # the quick JIT tier and a simple GC start faster; the JVM does not verify the bytecode
            # of the classes it loads, Spark's own and those Spark generates for every query
            # (six detectors on the 400-person force: 81.5 -> 76.2 s and 75.0 -> 68.9 s, alternated).
            # The optimising tier runs a Spark test process alone faster (the Spark tests 535.6 ->
            # 407.8 s) but the whole suite slower, most likely as its compiler threads take CPU the other
            # test process needs (-n 2; fresh clones in round 29: 16:53 with it, 14:48, 15:54 and 14:31
            # without; alternated in round 30: 14:59 with it, 14:04 and 14:22 without). Two shuffle
            # partitions on local[2] and one on local[1] ran three detectors alike (59.6/52.1 s
            # against 59.7/54.4 s, the other core busy). Keeping generated classes for 10,000 expressions
            # instead of 100 (spark.sql.codegen.cache.maxEntries) ran the lookup detectors' Spark tests
            # 6% faster alone but a fresh clone's suite in 17:25 against 17:02 (round 31): not kept.
            # The quick tier reserves 48 MB for compiled code (240 MB with both tiers), which the whole
            # catalogue fills; 256 MB (-XX:ReservedCodeCacheSize) ran the Spark tests (-m spark, -n 2)
            # in 503.7 s against 492.5 s (round 32): not kept.
            "spark.driver.extraJavaOptions": "-Duser.timezone=UTC -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
            "-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote -XX:-BytecodeVerificationLocal",
        },
    )
    yield session
    session.stop()


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    return str(request.param)


@pytest.fixture
def make_backend(engine: str) -> Callable[[Mapping[str, pa.Table]], Any]:
    from fairwitness.detectors import engines

    def make(tables: Mapping[str, pa.Table]) -> Any:
        return engines.from_arrow(engine, tables)

    return make


@pytest.fixture
def run_detector(make_backend: Callable[[Mapping[str, pa.Table]], Any]) -> Callable[..., Any]:
    from fairwitness.detectors.runner import run_detector as _run

    def run(
        detector: Any,
        tables: Mapping[str, pa.Table],
        *,
        period_start: dt.date,
        period_end: dt.date,
        params: Mapping[str, Any] | None = None,
        outcome: bool = False,
    ) -> Any:
        con = make_backend(tables)
        out = _run(detector, con, period_start=period_start, period_end=period_end, params=params)
        return out if outcome else out.raise_for_error().signals

    return run


class ParquetWorkspace:
    """A test lake: the engine-facing API of `fairwitness.workspace.Workspace` over Parquet files."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._files: dict[str, list[Path]] = {}
        self._batches: list[str] = []
        self._updated: set[str] = set()

    @property
    def runs_dir(self) -> Path:
        return self.path / "runs"

    def add_batch(self, tables: Mapping[str, pa.Table]) -> str:
        seq = len(self._batches) + 1
        digest = hashlib.sha256()
        for name in sorted(tables):
            t = tables[name]
            digest.update(name.encode())
            digest.update(str(t.to_pylist()).encode())
        batch = digest.hexdigest()[:16]
        for name, t in tables.items():
            t = t.append_column("_batch", pa.array([batch] * t.num_rows, pa.string()))
            t = t.append_column("_seq", pa.array([seq] * t.num_rows, pa.int64()))
            d = self.path / "lake" / f"batch={batch}" / name
            d.mkdir(parents=True, exist_ok=True)
            pq.write_table(t, d / "part-0.parquet")
            if self._files.get(name):
                self._updated.add(name)
            self._files.setdefault(name, []).append(d / "part-0.parquet")
        self._batches.append(batch)
        return batch

    def loaded_tables(self) -> list[str]:
        return sorted(self._files)

    def table_files(self, name: str) -> list[Path]:
        return list(self._files.get(name, []))

    def dedup_key(self, name: str) -> tuple[str, ...] | None:
        from fairwitness.contract import BY_NAME

        return BY_NAME[name].key if name in self._updated and name in BY_NAME else None

    def batch_hashes(self) -> list[str]:
        return list(self._batches)


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[[Mapping[str, pa.Table]], ParquetWorkspace]:
    counter = iter(range(1_000_000))

    def make(tables: Mapping[str, pa.Table]) -> ParquetWorkspace:
        ws = ParquetWorkspace(tmp_path / f"ws{next(counter)}")
        ws.add_batch(tables)
        return ws

    return make


def _coerce(value: Any, typ: pa.DataType) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if pa.types.is_timestamp(typ):
        return dt.datetime.fromisoformat(value)
    if pa.types.is_date(typ):
        return dt.date.fromisoformat(value)
    if pa.types.is_boolean(typ):
        return value.lower() == "true"
    if pa.types.is_floating(typ):
        return float(value)
    if pa.types.is_integer(typ):
        return int(value)
    return value


def build_contract_table(name: str, rows: list[Mapping[str, Any]]) -> pa.Table:
    from fairwitness.contract import table as contract_table

    schema = contract_table(name).arrow_schema()
    present = [f for f in schema if any(f.name in r for r in rows)]
    cols = {f.name: pa.array([_coerce(r.get(f.name), f.type) for r in rows], f.type) for f in present}
    return pa.table(cols) if cols else pa.table({})


@pytest.fixture
def contract_table() -> Callable[[str, list[Mapping[str, Any]]], pa.Table]:
    return build_contract_table


@pytest.fixture(scope="session")
def small_force(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """One small synthetic force (400 people x 2 months), generated and ingested once per run.

    Returns ``(data_dir, workspace)``; tests must not modify the workspace's lake (runs are fine:
    they only add run directories).
    """
    from fairwitness.ingest import ingest
    from fairwitness.synth import SynthConfig, generate
    from fairwitness.workspace import Workspace

    root = tmp_path_factory.mktemp("small_force")
    data = root / "force"
    generate(SynthConfig(people=400, months=2, seed=11), out=data)
    ws = Workspace(root / "ws")
    ingest(data, ws)
    return data, ws


LONGEST_FIRST = (
    "tests/test_end_to_end.py",
    "tests/detectors/test_spark_cluster.py",
    "tests/ingest/test_export_forms.py",
    "tests/detectors/catalogue/test_lookups_without_case_ref.py",
    "tests/ingest/test_batches.py",
    "tests/ingest/test_bad_input.py",
    "tests/detectors/test_incremental.py",
)
"""The modules that take longest (each a few minutes of one test process: the whole catalogue on
Spark, a standalone Spark cluster, dozens of ingests), sorted first in the collection. Written when
pytest-xdist handed modules out in collection order (collected last, ``tests/test_end_to_end.py``
kept one process busy for four minutes after the other had finished everything else). Version 3.8
hands them out by their number of tests (its default ``--loadscope-reorder``; each module stays on
one process, ``--dist loadfile``), so this order decides only among modules with as many tests and
for a single process: ``tests/test_end_to_end.py`` (3 tests, about 290 s) started 534 s into a 14:22
run. Keeping this order (``--no-loadscope-reorder``) ran both Spark-heavy modules at once, and the
suite took 15:49 against 14:04 and 14:22 (round 30): the default stays."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {m: i for i, m in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda it: rank.get(it.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order
