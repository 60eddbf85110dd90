"""The engine layer: lake tables as views on DuckDB and Spark, identical results."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from fairwitness.contract import BY_NAME
from fairwitness.detectors import engines
from fairwitness.detectors.parquet_schema import spark_schema


def test_workspace_views_keep_current_rows_and_contract_columns(engine, make_workspace, contract_table):
    shifts = contract_table(
        "shifts",
        [
            dict(shift_id="SH1", staff_id="P1", start="2025-01-06 07:00", end="2025-01-06 17:00", duty_type="normal", site_id="S1"),
            dict(shift_id="SH2", staff_id="P2", start="2025-03-30 00:30", end="2025-03-30 10:30", duty_type="normal", site_id="S1"),
        ],
    ).append_column("force_extra", pa.array(["x", "y"]))
    ws = make_workspace({"shifts": shifts})
    # a later batch corrects SH1: the view keeps only the latest version of each key
    ws.add_batch({"shifts": contract_table("shifts", [dict(shift_id="SH1", staff_id="P1", start="2025-01-06 08:00", end="2025-01-06 18:00", duty_type="bank_holiday", site_id="S1")])})
    con = engines.connect(engine, ws)
    out = engines.execute(con, con.table("shifts").order_by("shift_id"))
    assert out.column_names == BY_NAME["shifts"].column_names  # no _batch/_seq, no extras
    assert out.schema.field("start").type == pa.timestamp("us")
    assert out.to_pylist() == [
        dict(shift_id="SH1", staff_id="P1", start=dt.datetime(2025, 1, 6, 8), end=dt.datetime(2025, 1, 6, 18), duty_type="bank_holiday", site_id="S1"),
        dict(shift_id="SH2", staff_id="P2", start=dt.datetime(2025, 3, 30, 0, 30), end=dt.datetime(2025, 3, 30, 10, 30), duty_type="normal", site_id="S1"),
    ]


def test_missing_declared_columns_become_typed_empty_columns():
    con = engines.from_arrow("duckdb", {"people": pa.table({"staff_id": ["P1"]})})
    out = engines.execute(con, con.table("people"))
    assert out.column_names == BY_NAME["people"].column_names
    assert out.schema.field("fte").type == pa.float64()
    assert out.schema.field("start_date").type == pa.date32()
    assert out.column("fte").null_count == 1


def test_normalise_gives_naive_utc_and_plain_types():
    t = pa.table(
        {
            "ts": pa.array([dt.datetime(2025, 6, 1, 12)], pa.timestamp("ns", tz="UTC")),
            "s": pa.array(["a"], pa.large_string()),
            "l": pa.array([["x"]], pa.large_list(pa.large_string())),
        }
    )
    out = engines.normalise(t)
    assert out.schema == pa.schema([("ts", pa.timestamp("us")), ("s", pa.string()), ("l", pa.list_(pa.string()))])
    assert out.column("ts")[0].as_py() == dt.datetime(2025, 6, 1, 12)


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(engines.EngineError, match="unknown engine 'polars'"):
        engines.backend("polars")


def test_connect_reads_a_real_ingested_workspace(tmp_path):
    ingest = pytest.importorskip("fairwitness.ingest")
    from fairwitness.testing.fixtures import write_minimal
    from fairwitness.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    ingest.ingest(write_minimal(tmp_path / "export"), ws)
    con = engines.connect("duckdb", ws)
    for name in ws.loaded_tables():
        assert con.table(name).columns == tuple(BY_NAME[name].column_names)
    badge = engines.execute(con, con.table("badge_events").order_by("ts"))
    # 06:55 Europe/London in January is 06:55 UTC
    assert badge.column("ts")[0].as_py() == dt.datetime(2025, 1, 6, 6, 55)
    shifts = engines.execute(con, con.table("shifts").order_by("shift_id"))
    # 22:00 in July (BST) is 21:00 UTC
    assert shifts.column("start")[1].as_py() == dt.datetime(2025, 7, 7, 21, 0)


def test_a_run_connection_gets_the_memory_limit(monkeypatch):
    """`fairwitness.memory.duckdb_memory_limit` is what a run's DuckDB connection is given."""
    monkeypatch.setenv("FAIRWITNESS_MEMORY_LIMIT", "12GB")
    assert "SET memory_limit = '12GB'" in engines.duckdb_settings()
    con = engines.backend("duckdb")
    try:
        (limit,) = con.con.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        engines.close(con)
    assert limit == "11.1 GiB"  # DuckDB reports 12 GB (10^9 bytes) in GiB


@pytest.mark.spark
def test_the_spark_schema_read_from_the_footers_is_the_one_spark_infers(spark_session, tmp_path, make_workspace, contract_table):
    """Connecting to a lake on Spark gives each table the schema Spark's own schema merging
    would (every type an ingested lake holds: strings, numbers, unsigned hashes, dates, naive
    timestamps, lists), read from the files' footers instead of by a Spark job per table; a
    batch that adds a column merges as Spark merges it; a type not mirrored is left to Spark."""
    import pyarrow.parquet as pq

    from fairwitness.ingest import ingest
    from fairwitness.testing.fixtures import write_minimal
    from fairwitness.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    ingest(write_minimal(tmp_path / "export"), ws)
    for name, (paths, _) in engines.lake_tables(ws).items():
        files = [str(f) for f in paths]
        assert spark_schema(files, spark_session) == spark_session.read.option("mergeSchema", "true").parquet(*files).schema, name

    shifts = contract_table("shifts", [dict(shift_id="SH1", staff_id="P1", start="2025-01-06 07:00", end="2025-01-06 17:00", duty_type="normal", site_id="S1")])
    two = make_workspace({"shifts": shifts})
    two.add_batch({"shifts": shifts.append_column("force_extra", pa.array(["x"]))})
    files = [str(f) for f in engines.lake_tables(two)["shifts"][0]]
    assert len(files) == 2
    merged = spark_schema(files, spark_session)
    assert merged == spark_session.read.option("mergeSchema", "true").parquet(*files).schema
    assert "force_extra" in merged.fieldNames()

    kinds = tmp_path / "kinds.parquet"  # every integer width, signed and not, as Spark reads them
    ints = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]
    pq.write_table(pa.table({f"c{i}": pa.array([1], t) for i, t in enumerate(ints)} | {
        "f": pa.array([1.5], pa.float32()),
        "zoned": pa.array([dt.datetime(2025, 1, 1)], pa.timestamp("us", tz="UTC")),
        "ms": pa.array([dt.datetime(2025, 1, 1)], pa.timestamp("ms")),
        "day": pa.array([dt.date(2025, 1, 1)], pa.date32()),
    }), kinds)
    assert spark_schema([str(kinds)], spark_session) == spark_session.read.parquet(str(kinds)).schema

    odd = tmp_path / "odd.parquet"
    pq.write_table(pa.table({"x": pa.array([1], pa.decimal128(5, 2))}), odd)
    assert spark_schema([str(odd)], spark_session) is None
    assert spark_schema([str(tmp_path / "elsewhere.parquet")], spark_session) is None  # not readable here: Spark reads it
