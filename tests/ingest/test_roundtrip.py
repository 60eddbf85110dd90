"""Every contract table round-trips through ingest, from CSV and from Parquet."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.contract import BY_NAME, TABLES
from fairwitness.ingest import ingest
from fairwitness.ingest.timeparse import to_utc
from fairwitness.testing.fixtures import MINIMAL

INGESTED = [t.name for t in TABLES if t.ingested]


def expected(table: str, row: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for col in BY_NAME[table].columns:
        v = row.get(col.name, "")
        if v == "":
            out[col.name] = None
        elif col.kind == "timestamp":
            out[col.name] = to_utc(v)
        elif col.kind == "date":
            out[col.name] = dt.date.fromisoformat(v)
        elif col.kind == "bool":
            out[col.name] = v == "true"
        elif col.kind == "float":
            out[col.name] = float(v)
        else:
            out[col.name] = v
    return out


def _current(ws, table):
    con = ws.connect()
    cols = ", ".join(f'"{c}"' for c in BY_NAME[table].column_names)
    rows = con.execute(f'SELECT {cols} FROM "{table}"').fetchall()
    names = BY_NAME[table].column_names
    return sorted((dict(zip(names, r, strict=True)) for r in rows), key=repr)


def test_every_ingested_table_is_in_the_fixture():
    assert set(INGESTED) == set(MINIMAL)


def _export(tmp_path, tables, fmt):
    """Every table of ``tables`` written to one folder as ``fmt`` (csv or parquet)."""
    from fairwitness.testing.fixtures import write_table

    folder = tmp_path / "export"
    folder.mkdir()
    for name, rows in tables.items():
        if fmt == "csv":
            write_table(folder, name, rows)
        else:
            cols = list(rows[0])
            pq.write_table(pa.table({c: [r[c] for r in rows] for c in cols}), folder / f"{name}.parquet")
    return folder


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip(fmt, tmp_path, ws, tables):
    report = ingest(_export(tmp_path, tables, fmt), ws)
    counts = report.by_table()
    for name, rows in tables.items():
        assert counts[name]["loaded"] == len(rows), (name, counts[name])
        assert counts[name]["quarantined"] == 0
        want = sorted((expected(name, r) for r in rows), key=repr)
        got = _current(ws, name)
        assert got == want, name


def test_typed_parquet_timestamps_are_used_without_text_parsing(tmp_path, ws, tables):
    folder = tmp_path / "export"
    from fairwitness.testing.fixtures import write_minimal

    write_minimal(folder, {k: v for k, v in tables.items() if k != "badge_events"})
    ts = [dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC), dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)]
    pq.write_table(
        pa.table({"staff_id": ["P2", "P2"], "ts": pa.array(ts, pa.timestamp("us", tz="UTC")), "site_id": ["S1", "S1"], "direction": ["in", "out"]}),
        folder / "badge_events.parquet",
    )
    ingest(folder, ws)
    con = ws.connect()
    got = [r[0] for r in con.execute("SELECT ts FROM badge_events ORDER BY ts").fetchall()]
    # both instants of the repeated autumn hour survive, exactly, because they carry a zone
    assert got == [t.replace(tzinfo=None) for t in ts]


def test_extra_columns_are_kept(tmp_path, ws, tables, dataset):
    tables["sites"][0]["borough"] = "Westminster"
    tables["sites"][1]["borough"] = ""
    ingest(dataset(tables), ws)
    con = ws.connect()
    assert con.execute("SELECT borough FROM sites ORDER BY site_id").fetchall() == [("Westminster",), (None,)]


# what Spark's vectorized Parquet reader decodes (it refuses BYTE_STREAM_SPLIT, which DuckDB writes for
# doubles with version 2 data pages): the lake is read by Spark as written, on any cluster's defaults
SPARK_ENCODINGS = {"PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "BIT_PACKED"}


def test_the_lake_uses_encodings_spark_reads(tmp_path, ws, tables):
    ingest(_export(tmp_path, tables, "csv"), ws)
    files = sorted(ws.lake_dir.rglob("*.parquet"))
    assert {p.parent.name for p in files} == set(tables)
    for p in files:
        meta = pq.ParquetFile(p).metadata
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                col = meta.row_group(g).column(c)
                assert set(col.encodings) <= SPARK_ENCODINGS, (p.parent.name, col.path_in_schema, col.encodings)
                assert col.compression == "ZSTD"
