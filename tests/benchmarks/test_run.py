"""`make bench`'s printed table (`benchmarks.run.report`)."""

from __future__ import annotations

from benchmarks.run import report


def test_the_table_gives_each_exports_ingest_against_its_plain_read_and_write():
    step = {"peak_rss_mb": 1000.0}
    res = {"people": 10, "months": 3, "ids": "numeric",
           "ingest": {**step, "seconds": 33.0, "rows_by_source": {"people": 10}}, "plain": {**step, "seconds": 11.0},
           "csv_ingest": {**step, "seconds": 40.0}, "csv_plain": {**step, "seconds": 20.0}}
    text = report([res])
    assert "plain DuckDB read+write   11.0 s  ->   3.0x" in text
    assert "ingest of CSV exports    40.0 s" in text and "20.0 s  ->   2.0x" in text
    assert "CSV" not in report([{k: v for k, v in res.items() if not k.startswith("csv")}])
