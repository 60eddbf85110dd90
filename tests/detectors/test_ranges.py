"""Lake ranges: the time range a lake file can change, its own rows and the rows it supersedes."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from fairwitness.detectors.incremental import InputKeys
from fairwitness.detectors.ranges import LakeRanges

T = dt.datetime


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    t = pa.table(
        {
            "access_id": pa.array([r[0] for r in rows], pa.string()),
            "ts": pa.array([r[1] for r in rows], pa.timestamp("us")),
        }
    )
    pq.write_table(t, path)
    return path


def test_a_correction_reaches_back_to_the_row_it_supersedes_and_is_cached(tmp_path):
    lake = tmp_path / "lake"
    a = _write(lake / "batch=a" / "system_access" / "part-0.parquet", [("1", T(2025, 1, 3)), ("2", T(2025, 2, 10))])
    b = _write(lake / "batch=b" / "system_access" / "part-0.parquet", [("3", T(2025, 3, 1, 9))])
    c = _write(lake / "batch=c" / "system_access" / "part-0.parquet", [("1", T(2025, 3, 2))])  # moves row 1
    e = _write(lake / "batch=e" / "system_access" / "part-0.parquet", [("9", None)])
    tables = {"system_access": ([a, b, c, e], ("access_id",)), "people": ([lake / "batch=a" / "people" / "p.parquet"], None)}
    ranges = LakeRanges(tmp_path / "runs")
    got = ranges.of(tables, updated={("c", "system_access")})
    assert got["batch=a/system_access/part-0.parquet"] == (T(2025, 1, 3), T(2025, 2, 10))
    assert got["batch=b/system_access/part-0.parquet"] == (T(2025, 3, 1, 9), T(2025, 3, 1, 9))
    assert got["batch=c/system_access/part-0.parquet"] == (T(2025, 1, 3), T(2025, 3, 2))
    assert got["batch=e/system_access/part-0.parquet"] is None  # no dated row: visible nowhere
    assert "batch=a/people/p.parquet" not in got  # not restricted by time
    a.unlink()  # cached: the files are not read again
    assert LakeRanges(tmp_path / "runs").of(tables, updated=set()) == got

    class Reader:
        name, version, reads, optional_reads = "reader", "1", {"system_access": ("ts",)}, {}

    keys = InputKeys(tables, (dt.date(2025, 1, 1), dt.date(2025, 3, 2)), "duckdb", "code", {}, got)
    jan, feb, mar = (dt.date(2025, 1, 1), dt.date(2025, 1, 31)), (dt.date(2025, 2, 1), dt.date(2025, 2, 28)), (dt.date(2025, 3, 1), dt.date(2025, 3, 2))
    files = {w: keys._inputs(Reader.reads, {}, w, 0, 0, False)["system_access"]["files"] for w in (jan, feb, mar)}
    assert files[jan] == ["batch=a/system_access/part-0.parquet", "batch=c/system_access/part-0.parquet"]
    assert files[feb] == ["batch=a/system_access/part-0.parquet", "batch=c/system_access/part-0.parquet"]
    assert files[mar] == ["batch=b/system_access/part-0.parquet", "batch=c/system_access/part-0.parquet"]


def test_a_pure_derived_source_is_keyed_on_the_rows_its_period_shows_not_on_the_bounds(tmp_path):
    from fairwitness.detectors.sources import DerivedSource

    lake = tmp_path / "lake"
    a = lake / "batch=a" / "external_records" / "part-0.parquet"
    a.parent.mkdir(parents=True)
    pq.write_table(pa.table({"record_id": ["R1"], "observed_at": pa.array([T(2025, 1, 10)], pa.timestamp("us"))}), a)
    people = lake / "batch=a" / "people" / "part-0.parquet"
    tables = {"external_records": ([a], None), "people": ([people], None)}
    ranges = LakeRanges(tmp_path / "runs").of(tables)

    def compute(src):  # pragma: no cover - never called: only keyed
        raise AssertionError

    pure = DerivedSource("links", compute, reads={"external_records": ("record_id",), "people": ("staff_id",)})
    compute.reads_period = False

    def key(end, d=pure, t=tables):
        return InputKeys(t, (dt.date(2025, 1, 1), end), "duckdb", "code", {"links": d}, ranges).derived_key(d)

    # moving the end past the last row shows no new row: same key
    assert key(dt.date(2025, 1, 31)) == key(dt.date(2025, 2, 1)) == key(dt.date(2025, 3, 31))
    # an end before the row hides it
    assert key(dt.date(2025, 1, 5)) != key(dt.date(2025, 1, 31))
    # a new batch touching the period
    b = lake / "batch=b" / "external_records" / "part-0.parquet"
    b.parent.mkdir(parents=True)
    pq.write_table(pa.table({"record_id": ["R2"], "observed_at": pa.array([T(2025, 2, 3)], pa.timestamp("us"))}), b)
    more = {**tables, "external_records": ([a, b], None)}
    ranges.update(LakeRanges(tmp_path / "runs").of(more))
    assert key(dt.date(2025, 3, 31), t=more) != key(dt.date(2025, 3, 31))
    assert key(dt.date(2025, 1, 31), t=more) == key(dt.date(2025, 1, 31))  # after the end: not seen
    # a derived source that may read the period itself is keyed on its bounds
    other = DerivedSource("links", lambda src: None, reads=pure.reads)
    assert key(dt.date(2025, 2, 1), d=other) != key(dt.date(2025, 3, 31), d=other)
