"""Each kind of bad input gives the documented error and quarantines only the affected rows."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.ingest import ingest
from fairwitness.ingest.timeparse import BAD_FORMAT, DST_GAP, DST_OVERLAP
from fairwitness.status import readers_of, status
from fairwitness.workspace import Workspace
from fairwitness.testing.fixtures import write_table


_REVERSED = ("ends before it starts (start {start}); an end on the next day needs the next day's date, "
             "or the source declares overnight_ends = true")


def _loaded(ws, table):
    if table not in ws.loaded_tables():
        return 0
    return ws.connect().execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


@pytest.fixture
def dataset(changed_dataset):
    """Each test writes the tables it changed and those they reference (`changed_dataset`)."""
    return changed_dataset


def test_missing_required_column_quarantines_every_row_of_that_file(tables, dataset, ws, quarantine):
    for r in tables["shifts"]:
        del r["duty_type"]
    report = ingest(dataset(tables, about=("overtime_claims", "roster_changes", "shifts")), ws)
    q = quarantine(ws)
    assert q == [
        ("roster_changes", "roster_changes.csv", 1, "shift_id",
         "dangling reference: no shifts row with shift_id = SH2 (shifts.csv row 2 was quarantined: column missing from file)"),
        ("shifts", "shifts.csv", 1, "duty_type", "column missing from file"),
        ("shifts", "shifts.csv", 2, "duty_type", "column missing from file"),
    ]
    assert report.by_table()["shifts"]["loaded"] == 0
    # nothing else was affected
    assert report.by_table()["overtime_claims"]["loaded"] == 1


def test_missing_optional_column_is_fine(tables, dataset, ws):
    for r in tables["people"]:
        del r["display_name"]
        del r["date_of_birth"]
    report = ingest(dataset(tables, about=("people",)), ws)
    assert report.by_table()["people"] == {**report.by_table()["people"], "loaded": 3, "quarantined": 0}


def test_a_column_whose_empty_cells_are_read_is_declared_when_a_source_lacks_it(tables, dataset, ws, quarantine):
    """A current-staff export has no leaving dates: without the column the people are refused, the
    reason naming what an empty cell means and the declaration that says every row is empty."""
    for r in tables["people"]:
        del r["end_date"]
    ingest(dataset(tables, about=("people",)), ws)
    q = [r for r in quarantine(ws) if r[0] == "people"]
    assert len(q) == 3 and all("empty = in post" in r[4] and 'fill.end_date = ""' in r[4] for r in q)
    ingest(dataset(tables, "again", about=("people",)), Workspace(ws.path.parent / "ws2"), declare={"people": {"fill.end_date": ""}})
    assert [r for r in quarantine(Workspace(ws.path.parent / "ws2")) if r[0] == "people"] == []


def test_status_reads_a_lake_written_before_a_column_joined_the_contract(tables, dataset, ws):
    """A workspace ingested by an earlier version has no ``absences.status`` column in its files
    at all: `status` reports it as held by no row rather than fail."""
    ingest(dataset(tables, about=("absences",)), ws)
    for f in ws.table_files("absences"):
        t = pq.read_table(f)
        pq.write_table(t.drop([c for c in ("status", "days", "hours") if c in t.column_names]), f)
    (absences,) = [t for t in status(Workspace(ws.path)).tables if t.table == "absences"]
    assert {"status", "days", "hours"} <= set(absences.unheld) and absences.rows == len(tables["absences"])


def test_a_bad_boolean_in_an_optional_column_leaves_the_cell_empty(tables, dataset, ws, quarantine):
    tables["people"][-1]["hybrid_policy"] = "maybe"
    report = ingest(dataset(tables, about=("people",)), ws)
    assert quarantine(ws) == [("people", "people.csv", 3, "hybrid_policy",
                               "not a boolean (true/false, t/f, yes/no, y/n, 1/0); the cell was left empty and the row loaded")]
    assert report.by_table()["people"]["loaded"] == 3


def test_columns_a_source_may_not_hold_are_optional(tables, dataset, ws, quarantine):
    """A site list without coordinates, a device export without positions or sites (logins only),
    an absence export without reasons, an identity list without end dates, expenses without a
    site, protected characteristics not all recorded, messages without durations, cases without
    closing times or vulnerability markers, a roster log without its values, an audit log without
    subjects, system or action, claims without the pay multiplier or submission time, people without
    the office-attendance flag, units without their command: every row loads. (A column whose emptiness a
    detector reads as a statement, such as a lookup's ``case_ref``, must still be present.)"""
    drop = {"sites": ("lat", "lon"), "device_events": ("lat", "lon", "site_id"), "absences": ("reason_category",),
            "identities": ("valid_to",), "expenses": ("site_id",), "people_protected": ("disability", "age_band"),
            "comms_events": ("duration_s",), "case_parties": ("closed", "vulnerable"), "overtime_claims": ("rate", "submitted_at"), "roster_changes": ("old_value", "new_value"),
            "system_access": ("subject_ref", "system", "action"), "people": ("hybrid_policy",), "units": ("command",)}
    for table, cols in drop.items():
        for r in tables[table]:
            for c in cols:
                r.pop(c, None)
    report = ingest(dataset(tables), ws)
    assert quarantine(ws) == []
    for table in drop:
        assert report.by_table()[table]["loaded"] == len(tables[table]) > 0, table
    # `fairwitness status` names each such column, and what reads it as unknown
    unheld = {(t.table, c) for t in status(ws).tables for c in t.unheld}
    assert {(t, c) for t, cols in drop.items() for c in cols} <= unheld
    assert ("shifts", "start") not in unheld and ("absences", "status") in unheld
    assert readers_of("comms_events", "duration_s") == ["victim_contact"]


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        ("people", "fte", "full", "not a number"),
        ("people", "fte", "1.2", "out of range (≤ 1 required)"),
        ("people", "fte", "0", "out of range (> 0 required)"),
        ("people", "start_date", "01/02/2015", "not a date (YYYY-MM-DD)"),
        ("people", "employment_type", "contractor",
         "not one of: officer, staff, special, volunteer (a source's own words are declared in [values.employment_type])"),
        ("shifts", "start", "next Tuesday", BAD_FORMAT),
        ("shifts", "start", "2025-02-30 07:00", BAD_FORMAT),
        ("shifts", "start", "2025-03-30 01:30", DST_GAP),
        ("shifts", "start", "2025-10-26 01:30", DST_OVERLAP),
        ("shifts", "staff_id", "", "required value is empty"),
        ("overtime_claims", "hours", "-2", "out of range (> 0 required)"),
        # an overnight shift exported with its start's date for its end
        ("shifts", "end", "2025-07-07T08:00:00", _REVERSED.format(start="2025-07-07T22:00:00")),
        # a date alone ends with its day: 2025-08-03 would end as the absence starts (kept)
        ("absences", "end", "2025-08-02", _REVERSED.format(start="2025-08-04 00:00")),
    ],
)
def test_bad_value_quarantines_only_that_row(tables, dataset, ws, table, column, value, reason, quarantine):
    tables[table][-1][column] = value
    report = ingest(dataset(tables), ws)
    q = [r for r in quarantine(ws) if r[0] == table]
    n = len(tables[table])
    assert (table, f"{table}.csv", n, column, reason) in q
    assert {r[2] for r in q} == {n}
    assert report.by_table()[table]["loaded"] == n - 1


def test_dst_overlap_with_offset_loads(tables, dataset, ws):
    tables["shifts"][0]["start"] = "2025-10-26T01:30:00+00:00"
    tables["shifts"][1]["start"] = "2025-10-26T01:30:00+01:00"
    for r in tables["shifts"]:
        r["end"] = "2025-10-26T09:00:00+00:00"
    report = ingest(dataset(tables, about=("shifts",)), ws)
    assert report.by_table()["shifts"]["quarantined"] == 0


def test_duplicate_key_with_different_values_quarantines_both(tables, dataset, ws, quarantine):
    tables["shifts"][1]["shift_id"] = "SH1"
    ingest(dataset(tables, about=("shifts",)), ws)
    q = [r for r in quarantine(ws) if r[0] == "shifts"]
    assert [r[2] for r in q if r[3] == "shift_id"] == [1, 2]
    assert all("duplicate key (shift_id)" in r[4] for r in q if r[3] == "shift_id")
    assert _loaded(ws, "shifts") == 0


def test_exact_duplicate_row_keeps_the_first(tables, dataset, ws, quarantine):
    tables["complaints"].append(dict(tables["complaints"][0]))
    ingest(dataset(tables, about=("complaints",)), ws)
    assert [r for r in quarantine(ws) if r[0] == "complaints"] == [
        ("complaints", "complaints.csv", 2, None, "exact duplicate of row 1")
    ]
    assert _loaded(ws, "complaints") == 1


def test_a_key_three_times_and_a_four_column_key_twice(tables, dataset, ws, quarantine):
    # the duplicate pass compares each key's hash with the next in sorted order: a key seen three
    # times is three neighbours, and a four-column key (device events) is hashed whole
    first = tables["complaints"][0]
    tables["complaints"] += [dict(first), dict(first)]
    tables["device_events"].append(dict(tables["device_events"][0], site_id="S2"))
    ingest(dataset(tables, about=("complaints", "device_events")), ws)
    q = quarantine(ws)
    assert [r for r in q if r[0] == "complaints"] == [
        ("complaints", "complaints.csv", 2, None, "exact duplicate of row 1"),
        ("complaints", "complaints.csv", 3, None, "exact duplicate of row 1"),
    ]
    device = [r for r in q if r[0] == "device_events"]
    assert [r[2] for r in device] == [1, 2]
    assert all("duplicate key (staff_id, device_id, ts, kind)" in r[4] for r in device)
    assert _loaded(ws, "complaints") == 1 and _loaded(ws, "device_events") == 0


def test_dangling_reference(tables, dataset, ws, quarantine):
    tables["overtime_claims"][0]["authorised_by"] = "P404"
    ingest(dataset(tables, about=("overtime_claims",)), ws)
    assert quarantine(ws) == [
        ("overtime_claims", "overtime_claims.csv", 1, "authorised_by", "dangling reference: no people row with staff_id = P404")
    ]


def test_dangling_reference_to_a_quarantined_parent(tables, dataset, ws, quarantine):
    """A row whose parent was quarantined is itself quarantined, not silently orphaned."""
    tables["people"][1]["fte"] = "2"
    ingest(dataset(tables, about=("people", "shifts")), ws)
    q = quarantine(ws)
    assert ("people", "people.csv", 2, "fte", "out of range (≤ 1 required)") in q
    assert ("shifts", "shifts.csv", 1, "staff_id", "dangling reference: no people row with staff_id = P2 "
            "(people.csv row 2 was quarantined: out of range (≤ 1 required))") in q


def test_identity_resolution_by_validity_period(tables, dataset, ws, quarantine):
    tables["badge_events"] = [
        {"staff_id": "", "ts": "2025-03-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
        {"staff_id": "", "ts": "2025-08-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
        {"staff_id": "", "ts": "2025-08-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B999"},
    ]
    ingest(dataset(tables, about=("badge_events",)), ws)
    got = ws.connect().execute("SELECT staff_id FROM badge_events ORDER BY ts, staff_id").fetchall()
    assert got == [("P2",), ("P3",)]  # the badge was re-issued on 1 July
    assert quarantine(ws) == [
        ("badge_events", "badge_events.csv", 3, "identifier",
         "unknown identity: system access_control, identifier B999 on 2025-08-01")
    ]


def test_identity_validity_uses_the_local_date(tables, dataset, ws):
    """00:30 on 1 July in London is 23:30 UTC on 30 June: the badge is already P3's."""
    tables["badge_events"] = [
        {"staff_id": "", "ts": "2025-07-01 00:30", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
    ]
    ingest(dataset(tables, about=("badge_events",)), ws)
    assert ws.connect().execute("SELECT staff_id, ts FROM badge_events").fetchall() == [
        ("P3", __import__("datetime").datetime(2025, 6, 30, 23, 30))
    ]


def test_a_validity_ending_on_a_date_covers_the_night_that_began_on_it(tables, dataset, ws, quarantine):
    """A leaver's card end-dated on the last day of service, badging out of the final night shift:
    the morning after still resolves to its holder, the afternoon does not, and a badge re-issued
    the next day is the new holder's (B100, P2 until 30 June, P3 from 1 July)."""
    tables["identities"].append(
        {"system": "access_control", "identifier": "B200", "staff_id": "P1", "valid_from": "2024-01-01", "valid_to": "2025-03-14"})
    row = {"staff_id": "", "site_id": "S1", "direction": "out", "system": "access_control"}
    tables["badge_events"] = [
        {**row, "ts": "2025-03-15 07:13", "identifier": "B200"},
        {**row, "ts": "2025-03-15 13:00", "identifier": "B200"},
        {**row, "ts": "2025-03-16 07:00", "identifier": "B200"},
        {**row, "ts": "2025-07-01 07:00", "identifier": "B100"},
    ]
    ingest(dataset(tables, about=("badge_events", "identities")), ws)
    got = ws.connect().execute("SELECT strftime(ts, '%m-%d %H:%M'), staff_id FROM badge_events ORDER BY ts").fetchall()
    assert got == [("03-15 07:13", "P1"), ("07-01 06:00", "P3")]  # times are kept in UTC
    assert [(r[2], r[4]) for r in quarantine(ws) if r[0] == "badge_events"] == [
        (2, "unknown identity: system access_control, identifier B200 on 2025-03-15"),
        (3, "unknown identity: system access_control, identifier B200 on 2025-03-16"),
    ]


def test_empty_file(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("complaints", "people"))
    (folder / "complaints.csv").write_bytes(b"")
    report = ingest(folder, ws)
    assert quarantine(ws) == [("complaints", "complaints.csv", None, None, "empty file: no header row")]
    assert report.by_table()["complaints"]["loaded"] == 0
    assert report.by_table()["people"]["loaded"] == 3


def test_wrong_encoding_refuses_the_file_and_names_the_option(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("people",))
    write_table(folder, "people", tables["people"], encoding="latin-1")  # Siobhán: 0xe1
    report = ingest(folder, ws)
    q = [r for r in quarantine(ws) if r[0] == "people"]
    assert len(q) == 1 and q[0][2:4] == (None, None)
    assert "not valid UTF-8 text (data row 3, column display_name: byte 0xe1)" in q[0][4]
    assert "--encoding cp1252" in q[0][4]
    assert report.by_table()["people"]["read"] == 0
    assert any("people.csv was not read" in p for p in report.problems())


def test_declared_encoding_reads_the_file(tables, dataset, ws):
    folder = dataset(tables, about=("people",))
    write_table(folder, "people", tables["people"], encoding="cp1252")
    report = ingest(folder, ws, encoding="cp1252")
    assert report.by_table()["people"]["loaded"] == 3
    names = {r[0] for r in ws.connect().execute("SELECT display_name FROM people").fetchall()}
    assert "Siobhán Ní Bhriain" in names


def test_row_with_wrong_number_of_fields(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("complaints",))
    text = (folder / "complaints.csv").read_text()
    (folder / "complaints.csv").write_text(text + "CO2,P2,2025-03-01 10:00\nCO3,P2,2025-03-02 10:00,rudeness,pending\n")
    ingest(folder, ws)
    q = quarantine(ws)
    assert q == [("complaints", "complaints.csv", 2, None, "row has 3 fields, the header has 5")]
    got = ws.connect().execute("SELECT complaint_id, _source_row FROM complaints ORDER BY 1").fetchall()
    assert got == [("CO1", 1), ("CO3", 3)]


def test_truncated_parquet(tables, dataset, ws, quarantine):
    folder = dataset({k: v for k, v in tables.items() if k != "complaints"}, about=("complaints", "shifts"))
    cols = list(tables["complaints"][0])
    pq.write_table(pa.table({c: [r[c] for r in tables["complaints"]] for c in cols}), folder / "complaints.parquet")
    data = (folder / "complaints.parquet").read_bytes()
    (folder / "complaints.parquet").write_bytes(data[: len(data) // 2])
    report = ingest(folder, ws)
    q = quarantine(ws)
    assert len(q) == 1 and q[0][:4] == ("complaints", "complaints.parquet", None, None)
    assert q[0][4].startswith("unreadable Parquet file (truncated or corrupt)")
    assert report.by_table()["shifts"]["loaded"] == 2


def test_quarantine_keeps_the_raw_row(tables, dataset, ws):
    tables["complaints"][0]["outcome"] = "maybe"
    ingest(dataset(tables, about=("complaints",)), ws)
    with ws.catalog() as con:
        (raw,) = con.execute("SELECT raw FROM quarantine").fetchone()
    assert '"outcome":"maybe"' in raw.replace(" ", "")


def test_dangling_reference_within_a_table_with_an_empty_key(tables, dataset, ws, quarantine):
    """A line manager who is nobody is found even when another row's staff_id is empty
    (a NULL among the keys made ``NOT IN`` unknown, so no reference in the file was checked)."""
    tables["people"][2]["line_manager_id"] = "P404"
    tables["people"].append({**tables["people"][1], "staff_id": "", "display_name": "No Id"})
    ingest(dataset(tables, about=("people",)), ws)
    q = quarantine(ws)
    assert ("people", "people.csv", 3, "line_manager_id", "dangling reference: no people row with staff_id = P404") in q
    assert ("people", "people.csv", len(tables["people"]), "staff_id", "required value is empty") in q


def test_typed_numbers_in_parquet_are_checked_as_numbers(tables, dataset, ws, quarantine):
    """A Parquet export's numbers keep their values (cast as numbers, not printed and parsed)
    and are still range-checked; an integer column is read as a number too."""
    rows = [dict(tables["overtime_claims"][0]), {**tables["overtime_claims"][0], "claim_id": "OT2", "hours": "30"}]
    folder = dataset({k: v for k, v in tables.items() if k != "overtime_claims"}, about=("overtime_claims",))
    cols = {c: [r[c] for r in rows] for c in rows[0]}
    cols["hours"] = [2.25, 30.0]
    cols["rate"] = [1, 2]
    pq.write_table(pa.table(cols), folder / "overtime_claims.parquet")
    ingest(folder, ws)
    assert quarantine(ws) == [
        ("overtime_claims", "overtime_claims.parquet", 2, "hours", "out of range (≤ 24 required)")
    ]
    got = ws.connect().execute("SELECT claim_id, hours, rate FROM overtime_claims").fetchall()
    assert got == [("OT1", 2.25, 1.0)]


def test_each_quarantined_row_keeps_its_raw_row_when_a_table_has_several_files(tables, dataset, ws, quarantine):
    """Only the files holding quarantined rows or emptied cells are read again for the rows as
    read; each entry keeps its own row, from its own file, and the clean file loads."""
    import json

    folder = dataset(tables, about=("device_events",))
    header, *rows = (folder / "device_events.csv").read_text().splitlines()
    (folder / "device_events.csv").unlink()
    (folder / "device_events").mkdir()
    (folder / "device_events" / "a.csv").write_text("\n".join([header, *rows]) + "\n")
    cols = header.split(",")
    first = dict(zip(cols, rows[0].split(","), strict=True))
    bad_kind = {**first, "device_id": "D-bad-kind", "kind": "teleport"}
    bad_lat = {**first, "device_id": "D-bad-lat", "lat": "north"}
    (folder / "device_events" / "b.csv").write_text(
        "\n".join([header, *(",".join(r[c] for c in cols) for r in (bad_kind, bad_lat))]) + "\n")
    report = ingest(folder, ws)
    assert report.by_table()["device_events"]["loaded"] == len(rows) + 1
    assert report.by_table()["device_events"]["quarantined"] == 1
    with ws.catalog() as con:
        got = con.execute("""SELECT file, "row", "column", raw FROM quarantine
                             WHERE table_name = 'device_events' ORDER BY "row\"""").fetchall()
    assert [(f, r, c) for f, r, c, _ in got] == [("device_events/b.csv", 1, "kind"), ("device_events/b.csv", 2, "lat")]
    assert json.loads(got[0][3])["device_id"] == "D-bad-kind" and json.loads(got[1][3])["device_id"] == "D-bad-lat"


def test_a_span_ending_as_it_starts_loads_and_one_ending_before_does_not(tables, dataset, ws, quarantine):
    """An empty span is kept; a reversed one in a column that is not required (a case party's
    ``closed``) is left empty and the row loads; in a typed Parquet file it is quarantined too."""
    tables["overtime_claims"][0]["end"] = tables["overtime_claims"][0]["start"]
    tables["case_parties"][0]["closed"] = "2025-01-01 09:00"
    folder = dataset(tables, about=("case_parties", "overtime_claims", "shifts"))
    shifts = pa.table({
        "shift_id": ["SH1", "SH2"], "staff_id": ["P2", "P2"],
        "start": pa.array([dt.datetime(2025, 1, 6, 7), dt.datetime(2025, 7, 7, 22)], pa.timestamp("us", "UTC")),
        "end": pa.array([dt.datetime(2025, 1, 6, 17), dt.datetime(2025, 7, 7, 6)], pa.timestamp("us", "UTC")),
        "duty_type": ["normal", "normal"], "site_id": ["S1", "S1"],
    })
    (folder / "shifts.csv").unlink()
    pq.write_table(shifts, folder / "shifts.parquet")
    report = ingest(folder, ws)
    assert report.by_table()["overtime_claims"]["loaded"] == 1
    assert report.by_table()["case_parties"]["loaded"] == 1
    assert ws.connect().execute("SELECT closed FROM case_parties").fetchall() == [(None,)]
    q = {(r[0], r[2], r[3]): r[4] for r in quarantine(ws)}
    assert q[("case_parties", 1, "closed")] == (
        _REVERSED.format(start="2025-01-02 10:00").replace("(start", "(opened") + "; the cell was left empty and the row loaded")
    assert q[("shifts", 2, "end")].startswith("ends before it starts (start 2025-07-07 22:00:00")
    assert report.by_table()["shifts"]["loaded"] == 1


def test_a_shift_ending_at_24_00_ends_at_the_next_days_midnight(tables, dataset, ws, quarantine):
    tables["shifts"][0].update(start="2025-01-06 16:00", end="2025-01-06 24:00")
    report = ingest(dataset(tables, about=("shifts",)), ws)
    assert report.by_table()["shifts"]["quarantined"] == 0
    end = ws.connect().execute("SELECT \"end\" FROM shifts WHERE shift_id = 'SH1'").fetchone()[0]
    assert end == dt.datetime(2025, 1, 7, 0, 0)  # GMT in January: UTC is local
