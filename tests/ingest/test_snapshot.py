"""Snapshot exports (`fairwitness.ingest.snapshot`): a register exported whole, so a row it no
longer holds was deleted at source and leaves the current rows; a value changed and changed back
is the export's again; nothing is deleted on doubt."""

from __future__ import annotations

import datetime as dt

import pytest

from fairwitness.detectors import engines
from fairwitness.ingest import ingest
from fairwitness.ingest.declaration import load_declaration
from fairwitness.ingest.formats import DeclarationError

SNAPSHOT = {"absences": {"snapshot": "true"}, "complaints": {"snapshot": "true"}}


def sick(aid: str, staff: str, day: int) -> dict[str, str]:
    return {"absence_id": aid, "staff_id": staff, "type": "sickness", "start": f"2025-03-{day:02d} 00:00",
            "end": f"2025-03-{day + 2:02d} 00:00", "reason_category": ""}


def current(ws, table: str, column: str) -> list:
    return sorted(r[0] for r in ws.connect().execute(f'SELECT "{column}" FROM {table}').fetchall())


def engine_rows(ws, table: str, column: str, engine: str = "duckdb") -> list:
    con = engines.connect(engine, ws)
    try:
        return sorted(con.table(table).select(column).to_pyarrow().column(0).to_pylist())
    finally:
        engines.close(con)


@pytest.fixture
def with_sickness(tables):
    tables["absences"] += [sick("S1", "P1", 3), sick("S2", "P2", 10)]
    return tables


def test_a_row_the_snapshot_no_longer_holds_is_deleted(with_sickness, dataset, ws):
    """An absence entered in error and deleted in the HR system is gone from the next export:
    gone from the current rows too, for the catalogue's views and the detectors' alike, and kept
    in the lake's history. Without the declaration the export only adds: it stays."""
    ingest(dataset(with_sickness, "mon"), ws, declare=SNAPSHOT)
    assert current(ws, "absences", "absence_id") == ["A1", "S1", "S2"]
    with_sickness["absences"] = [a for a in with_sickness["absences"] if a["absence_id"] != "S2"]
    report = ingest(dataset(with_sickness, "tue"), ws, declare=SNAPSHOT)
    assert report.by_table()["absences"]["deleted"] == 1
    assert current(ws, "absences", "absence_id") == ["A1", "S1"]
    assert engine_rows(ws, "absences", "absence_id") == ["A1", "S1"]
    history = ws.connect().execute(
        f"SELECT count(*) FROM read_parquet({[str(f) for f in ws.table_files('absences')]}, union_by_name=true) "
        "WHERE absence_id = 'S2'"
    ).fetchone()
    assert history == (2,)  # the row as loaded, and its deletion
    # the same export again changes nothing; the row back in a later export is current again
    assert ingest(dataset(with_sickness, "tue"), ws, declare=SNAPSHOT).batch_id is None
    with_sickness["absences"].append(sick("S2", "P2", 10))
    ingest(dataset(with_sickness, "wed"), ws, declare=SNAPSHOT)
    assert current(ws, "absences", "absence_id") == ["A1", "S1", "S2"]


def test_without_the_declaration_an_export_only_adds(with_sickness, dataset, ws):
    ingest(dataset(with_sickness, "mon"), ws)
    with_sickness["absences"] = [a for a in with_sickness["absences"] if a["absence_id"] != "S2"]
    report = ingest(dataset(with_sickness, "tue"), ws)
    assert report.by_table()["absences"]["deleted"] == 0
    assert current(ws, "absences", "absence_id") == ["A1", "S1", "S2"]


def test_a_value_changed_back_is_the_exports_again(tables, dataset, ws):
    """A complaint's outcome not upheld, then upheld, then corrected back: the third export is
    byte for byte the first, which a plain export skips as already read (and the lake stayed at
    upheld); a snapshot is read again unless it is the very export last read."""
    ingest(dataset(tables, "one"), ws, declare=SNAPSHOT)
    tables["complaints"][0]["outcome"] = "upheld"
    ingest(dataset(tables, "two"), ws, declare=SNAPSHOT)
    assert current(ws, "complaints", "outcome") == ["upheld"]
    tables["complaints"][0]["outcome"] = "not_upheld"
    report = ingest(dataset(tables, "three"), ws, declare=SNAPSHOT)
    assert report.batch_id is not None and report.by_table()["complaints"]["updated"] == 1
    assert current(ws, "complaints", "outcome") == ["not_upheld"]
    assert engine_rows(ws, "complaints", "outcome") == ["not_upheld"]


def test_nothing_is_deleted_when_a_key_cannot_be_read(with_sickness, dataset, ws):
    """A row of the export whose key is unreadable may be one of the rows held: no deletions,
    and the report says why."""
    ingest(dataset(with_sickness, "mon"), ws, declare=SNAPSHOT)
    with_sickness["absences"] = [a for a in with_sickness["absences"] if a["absence_id"] != "S2"]
    with_sickness["absences"].append(dict(sick("", "P2", 10)))
    report = ingest(dataset(with_sickness, "tue"), ws, declare=SNAPSHOT)
    assert report.by_table()["absences"]["deleted"] == 0
    assert any(f.note and "nothing deleted" in f.note for f in report.files)
    assert current(ws, "absences", "absence_id") == ["A1", "S1", "S2"]


def test_a_snapshot_since_a_date_leaves_older_rows(with_sickness, dataset, ws):
    """An export of the year's absences from 10 March: older rows are not its business."""
    ingest(dataset(with_sickness, "mon"), ws, declare=SNAPSHOT)
    since = {"absences": {"snapshot": "true", "snapshot_since": "2025-03-10"}}
    with_sickness["absences"] = [a for a in with_sickness["absences"] if a["absence_id"] not in ("S1", "S2")]
    report = ingest(dataset(with_sickness, "tue"), ws, declare=since)
    assert report.by_table()["absences"]["deleted"] == 1  # S2 (10 March); S1 (3 March) is older
    assert current(ws, "absences", "absence_id") == ["A1", "S1"]


def test_two_systems_each_exporting_their_rows_whole_from_their_own_folder(with_sickness, dataset, ws):
    """Officers' absences come whole from SAP, staff's from SuccessFactors, each into its own
    folder: with snapshot_scope = "folder" an export deletes only the rows its folder loaded; with
    the table scope SuccessFactors' export (holding no SAP rows) deleted every SAP absence."""
    sap = {**with_sickness, "absences": [a for a in with_sickness["absences"] if a["staff_id"] != "P2"]}
    sf = {**with_sickness, "absences": [a for a in with_sickness["absences"] if a["staff_id"] == "P2"]}
    scoped = {"absences": {"snapshot": "true", "snapshot_scope": "folder"}}
    ingest(dataset(sap, "sap"), ws, declare=scoped)
    ingest(dataset(sf, "sf"), ws, declare=scoped)
    assert current(ws, "absences", "absence_id") == ["A1", "S1", "S2"]
    sap["absences"] = [a for a in sap["absences"] if a["absence_id"] != "S1"]  # deleted in SAP
    report = ingest(dataset(sap, "sap"), ws, declare=scoped)
    assert report.by_table()["absences"]["deleted"] == 1
    assert current(ws, "absences", "absence_id") == ["A1", "S2"]  # S2 is SuccessFactors'
    sf["absences"].append(sick("S3", "P2", 20))
    assert ingest(dataset(sf, "sf"), ws, declare=scoped).by_table()["absences"]["deleted"] == 0
    assert current(ws, "absences", "absence_id") == ["A1", "S2", "S3"]
    with pytest.raises(DeclarationError, match="snapshot_scope needs snapshot = true"):
        load_declaration(ws.path, "absences", overrides={"snapshot_scope": "folder"})


def test_a_row_deleted_in_the_same_batch_is_no_longer_known_to_references(tables, dataset, ws, quarantine):
    """Sites exported whole without S2: a unit of the same export still at S2 names a site the
    force no longer has (quarantined as a dangling reference, as for a site never loaded)."""
    snap = {"sites": {"snapshot": "true"}}
    ingest(dataset(tables, "one"), ws, declare=snap)
    tables["sites"] = [s for s in tables["sites"] if s["site_id"] != "S2"]
    used = {u["unit_id"] for u in tables["units"] if u["site_id"] == "S2"}
    assert used  # the minimal force has a unit at S2
    tables["units"] = [dict(u, name=u["name"] + " (renamed)") for u in tables["units"]]  # read again
    report = ingest(dataset(tables, "two"), ws, declare=snap)
    assert report.by_table()["sites"]["deleted"] == 1
    assert {(t, c) for t, _, _, c, r in quarantine(ws) if "dangling reference" in r} >= {("units", "site_id")}


def test_snapshot_since_needs_a_snapshot_and_a_dated_table(tmp_path):
    with pytest.raises(DeclarationError, match="needs snapshot = true"):
        load_declaration(tmp_path, "absences", overrides={"snapshot_since": "2025-01-01"})
    with pytest.raises(DeclarationError, match="no time column"):
        load_declaration(tmp_path, "sites", overrides={"snapshot": "true", "snapshot_since": "2025-01-01"})
    fmt = load_declaration(tmp_path, "absences", overrides={"snapshot": "true", "snapshot_since": "2025-01-01"})
    assert fmt.snapshot and fmt.snapshot_since == dt.date(2025, 1, 1)


@pytest.mark.spark
def test_deletions_on_spark(with_sickness, dataset, ws):
    """Spark reads the lake's current rows the same way (mergeSchema: the deletions' column)."""
    ingest(dataset(with_sickness, "mon"), ws, declare=SNAPSHOT)
    with_sickness["absences"] = [a for a in with_sickness["absences"] if a["absence_id"] != "S2"]
    ingest(dataset(with_sickness, "tue"), ws, declare=SNAPSHOT)
    assert engine_rows(ws, "absences", "absence_id", "spark") == engine_rows(ws, "absences", "absence_id") == ["A1", "S1"]
