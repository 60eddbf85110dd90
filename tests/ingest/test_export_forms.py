"""Values as forces' own systems write them (issue 13, item 1): each form loads, or is
refused with a reason that says how to fix it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.ingest import ingest
from fairwitness.ingest.timeparse import BAD_OFFSET


def write_csv(folder: Path, name: str, rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8",
              header=None, lineterminator: str = "\r\n") -> Path:  # noqa: ANN001
    cols = list(rows[0])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    w.writerow([header(c) if header else c for c in cols])
    w.writerows([[r[c] for c in cols] for r in rows])
    path = folder / f"{name}.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def dataset(changed_dataset):
    """Each test writes the tables it changed and those they reference (`changed_dataset`)."""
    return changed_dataset


def rows_of(ws, sql: str) -> list[tuple]:  # noqa: ANN001
    return ws.connect().execute(sql).fetchall()


def table_q(quarantine, ws, table: str) -> list[tuple]:  # noqa: ANN001
    return [r for r in quarantine(ws) if r[0] == table]


# -- date-only values ------------------------------------------------------------------
def test_date_only_start_is_start_of_local_day_and_span_end_is_the_whole_day(tables, dataset, ws, quarantine):
    tables["absences"][0].update(start="2025-08-04", end="2025-08-08")
    tables["case_parties"][0].update(opened="2025-01-02", closed="2025-03-01")
    tables["declarations"][0]["declared_at"] = "2024-11-01"
    tables["complaints"][0]["received_at"] = "2025-02-14"
    report = ingest(dataset(tables, about=("absences", "case_parties", "complaints", "declarations")), ws)
    assert table_q(quarantine, ws, "absences") == []
    assert rows_of(ws, "SELECT start, \"end\" FROM absences") == [
        (dt.datetime(2025, 8, 3, 23, 0), dt.datetime(2025, 8, 8, 23, 0))  # BST: local midnight is 23:00 UTC
    ]
    assert rows_of(ws, "SELECT opened, closed FROM case_parties") == [
        (dt.datetime(2025, 1, 2, 0, 0), dt.datetime(2025, 3, 2, 0, 0))  # GMT
    ]
    assert report.by_table()["declarations"]["loaded"] == 1
    assert report.by_table()["complaints"]["loaded"] == 1


def test_typed_parquet_date_columns_in_timestamp_columns(tables, dataset, ws, quarantine):
    folder = dataset({k: v for k, v in tables.items() if k != "absences"}, about=("absences",))
    pq.write_table(
        pa.table({"absence_id": ["A1"], "staff_id": ["P3"], "type": ["sickness"],
                  "start": pa.array([dt.date(2025, 8, 4)], pa.date32()), "end": pa.array([dt.date(2025, 8, 8)], pa.date32()),
                  "reason_category": pa.nulls(1, pa.string())}),
        folder / "absences.parquet",
    )
    ingest(folder, ws)
    assert table_q(quarantine, ws, "absences") == []
    assert rows_of(ws, "SELECT start, \"end\" FROM absences") == [(dt.datetime(2025, 8, 3, 23), dt.datetime(2025, 8, 8, 23))]


# -- identity-only event files ---------------------------------------------------------
def test_identity_resolvable_table_without_a_staff_id_column(tables, dataset, ws, quarantine):
    tables["badge_events"] = [
        {"ts": "2025-03-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
        {"ts": "2025-08-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
    ]
    report = ingest(dataset(tables, about=("badge_events",)), ws)
    assert table_q(quarantine, ws, "badge_events") == []
    assert report.by_table()["badge_events"]["loaded"] == 2
    assert rows_of(ws, "SELECT staff_id FROM badge_events ORDER BY ts") == [("P2",), ("P3",)]


def test_neither_staff_id_nor_identifier_names_both_ways(tables, dataset, ws, quarantine):
    for r in tables["complaints"]:
        del r["staff_id"]
    ingest(dataset(tables, about=("complaints",)), ws)
    assert table_q(quarantine, ws, "complaints") == [
        ("complaints", "complaints.csv", 1, "staff_id", "column missing from file (give staff_id, or system + identifier)")
    ]


# -- headers -----------------------------------------------------------------------------
def test_headers_in_spreadsheet_case_and_padding(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("absences", "people"))
    write_csv(folder, "people", tables["people"], header=lambda c: f" {c.replace('_id', '_ID').title()}\t")
    write_csv(folder, "absences", tables["absences"], header=lambda c: c.upper())
    report = ingest(folder, ws)
    assert report.by_table()["people"]["loaded"] == 3
    assert report.by_table()["absences"]["loaded"] == 1
    assert quarantine(ws) == []


def test_ambiguous_header_is_a_file_level_error(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("complaints", "people"))
    rows = [{**r, "Staff_ID": r["staff_id"]} for r in tables["complaints"]]
    write_csv(folder, "complaints", rows)
    report = ingest(folder, ws)
    q = table_q(quarantine, ws, "complaints")
    assert q == [("complaints", "complaints.csv", None, None,
                  "ambiguous header: columns 2 ('staff_id') and 6 ('Staff_ID') both match 'staff_id'; rename or remove one")]
    assert report.by_table()["people"]["loaded"] == 3


# -- booleans, NULL tokens, trimming -----------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("Y", True), ("n", False), ("YES", True), ("no", False), ("1", True), ("0", False), ("T", True), ("f", False),
    ("True", True), ("FALSE", False),
])
def test_booleans_in_any_case(tables, dataset, ws, text, value):
    tables["people"][2]["hybrid_policy"] = text
    ingest(dataset(tables, about=("people",)), ws)
    assert rows_of(ws, "SELECT hybrid_policy FROM people WHERE staff_id = 'P3'") == [(value,)]


@pytest.mark.parametrize("token", ["NULL", "null", "N/A", "NA", "-", ""])
def test_null_tokens_are_empty(tables, dataset, ws, quarantine, token):
    tables["people"][1]["end_date"] = token
    tables["people"][1]["line_manager_id"] = "P1"
    tables["absences"][0]["reason_category"] = token
    ingest(dataset(tables, about=("absences", "people")), ws)
    assert quarantine(ws) == []
    assert rows_of(ws, "SELECT end_date FROM people WHERE staff_id = 'P2'") == [(None,)]
    assert rows_of(ws, "SELECT reason_category FROM absences") == [(None,)]


def test_tabs_and_nbsp_are_trimmed(tables, dataset, ws, quarantine):
    tables["shifts"][0]["staff_id"] = "\tP2"
    tables["shifts"][1]["staff_id"] = "P2\u00a0"
    tables["shifts"][1]["duty_type"] = "\u00a0rest_day_working "
    report = ingest(dataset(tables, about=("shifts",)), ws)
    assert table_q(quarantine, ws, "shifts") == []
    assert report.by_table()["shifts"]["loaded"] == 2


def test_impossible_offset_is_refused(tables, dataset, ws, quarantine):
    tables["complaints"][0]["received_at"] = "2025-02-14T16:20:00+99:99"
    ingest(dataset(tables, about=("complaints",)), ws)
    assert table_q(quarantine, ws, "complaints") == [("complaints", "complaints.csv", 1, "received_at", BAD_OFFSET)]


# -- delimiters and encodings ------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_detected(tables, dataset, ws, quarantine, delimiter):
    folder = dataset(tables, about=("case_parties", "people", "shifts"))
    for name in ("people", "shifts", "case_parties"):
        write_csv(folder, name, tables[name], delimiter=delimiter)
    report = ingest(folder, ws)
    assert quarantine(ws) == []
    assert report.by_table()["people"]["loaded"] == 3


def test_delimiter_given(tables, dataset, ws, quarantine):
    folder = dataset(tables)
    for name, rows in tables.items():
        write_csv(folder, name, rows, delimiter=";")
    report = ingest(folder, ws, delimiter=";")
    assert quarantine(ws) == []
    assert report.by_table()["people"]["loaded"] == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tables, dataset, ws, quarantine, encoding):
    folder = dataset(tables, about=("people",))
    write_csv(folder, "people", tables["people"], encoding=encoding)
    report = ingest(folder, ws)
    assert quarantine(ws) == []
    assert report.by_table()["people"]["loaded"] == 3
    assert ("Siobhán Ní Bhriain",) in rows_of(ws, "SELECT display_name FROM people")


def test_encoding_fallback_leaves_utf8_files_alone(tables, dataset, ws):
    folder = dataset(tables, about=("people", "units"))
    write_csv(folder, "people", tables["people"], encoding="cp1252")
    tables["units"][0]["name"] = "Réponse A"
    write_csv(folder, "units", tables["units"])  # UTF-8
    ingest(folder, ws, encoding="cp1252")
    assert ("Réponse A",) in rows_of(ws, "SELECT name FROM units")
    assert ("Siobhán Ní Bhriain",) in rows_of(ws, "SELECT display_name FROM people")


# -- source-system formats, declared ------------------------------------------------------
def test_ambiguous_slashed_date_is_refused_with_the_fix(tables, dataset, ws, quarantine):
    tables["complaints"][0]["received_at"] = "01/03/2026 10:00"
    ingest(dataset(tables, about=("complaints",)), ws)
    (q,) = table_q(quarantine, ws, "complaints")
    assert q[3] == "received_at" and "day-first or month-first" in q[4] and "complaints.format.toml" in q[4]


def test_sap_yyyymmdd_with_inclusive_end(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("absences",))
    rows = [{"PERNR": "P3", "AWART": "annual_leave", "BEGDA": "20250804", "ENDDA": "20250808", "ABSENCE_ID": "A1",
             "reason_category": ""}]
    write_csv(folder, "absences", rows, delimiter=";")
    (folder / "absences.format.toml").write_text(
        'timestamps = "yyyymmdd"\n[columns]\nstaff_id = "PERNR"\ntype = "AWART"\nstart = "BEGDA"\nend = "ENDDA"\n'
    )
    ingest(folder, ws)
    assert table_q(quarantine, ws, "absences") == []
    assert rows_of(ws, "SELECT start, \"end\" FROM absences") == [(dt.datetime(2025, 8, 3, 23), dt.datetime(2025, 8, 8, 23))]


def test_sap_part_days_as_hours_and_days_with_decimal_commas(tables, dataset, ws, quarantine):
    """SAP infotype 2001 as a continental export: absence type codes (AWART), a date for a part
    day, its hours (ABMST) and days (ABWTG) with decimal commas. The part day keeps its hours and
    days, so the detectors know its hours of the day are unknown (`_common.located`); a negative
    hour count is refused and its cell left empty, the row loaded."""
    folder = dataset(tables, about=("absences",))
    rows = [
        {"PERNR": "P3", "AWART": "0200", "BEGDA": "20250805", "ENDDA": "20250805", "ABMST": "2,5", "ABWTG": "0,31",
         "ABSENCE_ID": "A1", "reason_category": ""},
        {"PERNR": "P3", "AWART": "0100", "BEGDA": "20250811", "ENDDA": "20250815", "ABMST": "40,0", "ABWTG": "5,0",
         "ABSENCE_ID": "A2", "reason_category": ""},
        {"PERNR": "P3", "AWART": "0200", "BEGDA": "20250820", "ENDDA": "20250820", "ABMST": "-1", "ABWTG": "",
         "ABSENCE_ID": "A3", "reason_category": ""},
    ]
    write_csv(folder, "absences", rows, delimiter=";")
    (folder / "absences.format.toml").write_text(
        'timestamps = "yyyymmdd"\ndelimiter = ";"\ndecimal = ","\n'
        '[columns]\nstaff_id = "PERNR"\ntype = "AWART"\nstart = "BEGDA"\nend = "ENDDA"\nhours = "ABMST"\n'
        'days = "ABWTG"\nabsence_id = "ABSENCE_ID"\n[values.type]\n"0100" = "annual_leave"\n"0200" = "sickness"\n'
    )
    ingest(folder, ws)
    assert rows_of(ws, 'SELECT absence_id, type, start, "end", hours, days FROM absences ORDER BY absence_id') == [
        ("A1", "sickness", dt.datetime(2025, 8, 4, 23), dt.datetime(2025, 8, 5, 23), 2.5, 0.31),
        ("A2", "annual_leave", dt.datetime(2025, 8, 10, 23), dt.datetime(2025, 8, 15, 23), 40.0, 5.0),
        ("A3", "sickness", dt.datetime(2025, 8, 19, 23), dt.datetime(2025, 8, 20, 23), None, None),
    ]
    (q,) = table_q(quarantine, ws, "absences")
    assert q[3] == "hours" and q[2] == 3


def test_successfactors_ms_dates_and_open_end(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("absences", "case_parties"))
    start = int(dt.datetime(2025, 8, 4, tzinfo=dt.UTC).timestamp() * 1000)
    tables["absences"][0].update(start=f"/Date({start})/", end="/Date(253402214400000)/")
    write_csv(folder, "absences", tables["absences"])
    tables["case_parties"][0].update(opened="/Date(1735812000000)/", closed="/Date(253402214400000)/")
    write_csv(folder, "case_parties", tables["case_parties"])
    for name in ("absences", "case_parties"):
        (folder / f"{name}.format.json").write_text(json.dumps({"timestamps": "ms-epoch"}))
    ingest(folder, ws)
    assert quarantine(ws) == []
    # a whole number of days is a date: the start of that local day; an open required end is kept far away
    assert rows_of(ws, "SELECT start, \"end\" FROM absences") == [(dt.datetime(2025, 8, 3, 23), dt.datetime(9999, 12, 31))]
    # an instant stays an instant; an open end that may be empty is empty
    assert rows_of(ws, "SELECT opened, closed FROM case_parties") == [(dt.datetime(2025, 1, 2, 10, 0), None)]


def test_gallagher_day_first_with_am_pm(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("badge_events",))
    tables["badge_events"][0]["ts"] = "06/01/2025 6:55:00 AM"
    tables["badge_events"][1]["ts"] = "06/01/2025 07:05:00 PM"
    write_csv(folder, "badge_events", tables["badge_events"])
    (folder / "badge_events.format.toml").write_text('timestamps = "day-first"\n')
    ingest(folder, ws)
    assert table_q(quarantine, ws, "badge_events") == []
    assert rows_of(ws, "SELECT ts FROM badge_events ORDER BY ts") == [(dt.datetime(2025, 1, 6, 6, 55),), (dt.datetime(2025, 1, 6, 19, 5),)]


def test_prowatch_month_first_pipe_delimited(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("badge_events",))
    tables["badge_events"][0]["ts"] = "01/06/2025 6:55:00"
    tables["badge_events"][1]["ts"] = "13/06/2025 19:05:00"  # not month-first: refused with the declared form
    write_csv(folder, "badge_events", tables["badge_events"], delimiter="|")
    report = ingest(folder, ws, declare={"badge_events": {"timestamps": "month-first"}})
    assert rows_of(ws, "SELECT ts FROM badge_events") == [(dt.datetime(2025, 1, 6, 6, 55),)]
    (q,) = table_q(quarantine, ws, "badge_events")
    assert q[2:4] == (2, "ts") and "declared month-first form" in q[4]
    assert report.by_table()["badge_events"]["quarantined"] == 1


def test_lenel_utc_column_declared(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("badge_events",))
    rows = [{"EMPID": "P2", "EVENT_TIME_UTC": "2025-07-07 05:55:00", "EVENT_LOCAL_TIME": "2025-07-07 06:55:00",
             "site_id": "S1", "direction": "in"}]
    write_csv(folder, "badge_events", rows)
    (folder / "badge_events.format.toml").write_text('zone = "UTC"\n[columns]\nstaff_id = "EMPID"\nts = "EVENT_TIME_UTC"\n')
    ingest(folder, ws)
    assert table_q(quarantine, ws, "badge_events") == []
    assert rows_of(ws, "SELECT ts, EVENT_LOCAL_TIME FROM badge_events") == [(dt.datetime(2025, 7, 7, 5, 55), "2025-07-07 06:55:00")]


def test_workspace_one_never_sentinel(tables, dataset, ws, quarantine):
    tables["overtime_claims"][0]["authorised_at"] = "0001-01-01T00:00:00.000"
    ingest(dataset(tables, about=("overtime_claims",)), ws)
    assert table_q(quarantine, ws, "overtime_claims") == []
    assert rows_of(ws, "SELECT authorised_at FROM overtime_claims") == [(None,)]


def test_bad_declaration_refuses_that_table_only(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("complaints", "people"))
    (folder / "complaints.format.toml").write_text('timestamps = "whenever"\n')
    report = ingest(folder, ws)
    (q,) = table_q(quarantine, ws, "complaints")
    assert q[2] is None and "complaints.format.toml" in q[4] and "timestamps" in q[4]
    assert report.by_table()["people"]["loaded"] == 3
    assert "complaints.format.toml" not in report.ignored


# -- overnight ends ----------------------------------------------------------------------
def _night_shifts(tables) -> list[dict[str, str]]:  # noqa: ANN001
    """A roster written as a date with start and end times: night shifts end 'earlier'."""
    rows = tables["shifts"]
    rows[1].update(start="2025-07-07 22:00", end="2025-07-07 06:00")
    base = {k: rows[0][k] for k in ("staff_id", "duty_type", "site_id")}
    rows.append({"shift_id": "SH3", **base, "start": "2025-10-25 22:00", "end": "2025-10-25 06:00"})  # clocks go back
    rows.append({"shift_id": "SH4", **base, "start": "2025-07-09 22:00", "end": "2025-07-08 06:00"})  # an earlier day
    return rows


def test_overnight_ends_declared_are_on_the_next_day(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("shifts",))
    write_csv(folder, "shifts", _night_shifts(tables))
    (folder / "shifts.format.toml").write_text("overnight_ends = true\n")
    ingest(folder, ws)
    assert rows_of(ws, 'SELECT shift_id, start, "end" FROM shifts ORDER BY shift_id') == [
        ("SH1", dt.datetime(2025, 1, 6, 7), dt.datetime(2025, 1, 6, 17)),
        ("SH2", dt.datetime(2025, 7, 7, 21), dt.datetime(2025, 7, 8, 5)),  # BST
        ("SH3", dt.datetime(2025, 10, 25, 21), dt.datetime(2025, 10, 26, 6)),  # nine hours: the clocks went back
    ]
    # an end on an earlier day is no overnight end: still quarantined
    (q,) = table_q(quarantine, ws, "shifts")
    assert q[2:4] == (4, "end") and q[4].startswith("ends before it starts (start 2025-07-09 22:00)")


def test_overnight_ends_undeclared_are_quarantined_with_the_declaration_named(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("shifts",))
    write_csv(folder, "shifts", _night_shifts(tables))
    report = ingest(folder, ws)
    q = table_q(quarantine, ws, "shifts")
    assert [r[2] for r in q] == [2, 3, 4] and all("overnight_ends = true" in r[4] for r in q)
    assert report.by_table()["shifts"]["loaded"] == 1


def test_overnight_ends_in_typed_local_parquet(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("shifts",))
    (folder / "shifts.csv").unlink()
    pq.write_table(pa.table({
        "shift_id": ["SH1", "SH2"], "staff_id": ["P2", "P2"],
        "start": [dt.datetime(2025, 1, 6, 7), dt.datetime(2025, 7, 7, 22)],
        "end": [dt.datetime(2025, 1, 6, 17), dt.datetime(2025, 7, 7, 6)],
        "duty_type": ["normal", "rest_day_working"], "site_id": ["S1", "S1"],
    }), folder / "shifts.parquet")
    ingest(folder, ws, declare={"shifts": {"overnight_ends": "true"}})
    assert table_q(quarantine, ws, "shifts") == []
    assert rows_of(ws, 'SELECT "end" FROM shifts ORDER BY shift_id') == [(dt.datetime(2025, 1, 6, 17),), (dt.datetime(2025, 7, 8, 5),)]


def test_telestaff_times_alone_read_on_the_declared_day_column(tables, dataset, ws, quarantine):
    """UKG TeleStaff before 6.4.3 writes a shift's start and end as HH:mm with the date in its
    own column: declared ``day_column``, the times are read on that date, and with
    ``overnight_ends`` a night shift's end on the next day. A row without the date is refused."""
    folder = dataset(tables, about=("shifts",))
    (folder / "shifts.csv").unlink()
    rows = [
        {"shift_id": "SH1", "Emp": "P2", "Date": "06/01/2025", "Start": "7:00", "End": "17:00", "duty_type": "normal", "site_id": "S1"},
        {"shift_id": "SH2", "Emp": "P2", "Date": "07/07/2025", "Start": "22:00", "End": "06:00", "duty_type": "normal", "site_id": "S1"},
        {"shift_id": "SH3", "Emp": "P2", "Date": "", "Start": "22:00", "End": "06:00", "duty_type": "normal", "site_id": "S1"},
    ]
    write_csv(folder, "shifts", rows)
    (folder / "shifts.format.toml").write_text(
        'timestamps = "day-first"\nday_column = "Date"\novernight_ends = true\n'
        '[columns]\nstaff_id = "Emp"\nstart = "Start"\nend = "End"\n'
    )
    ingest(folder, ws)
    assert rows_of(ws, 'SELECT shift_id, start, "end" FROM shifts ORDER BY shift_id') == [
        ("SH1", dt.datetime(2025, 1, 6, 7), dt.datetime(2025, 1, 6, 17)),
        ("SH2", dt.datetime(2025, 7, 7, 21), dt.datetime(2025, 7, 8, 5)),  # BST
    ]
    q = table_q(quarantine, ws, "shifts")
    assert {(r[2], r[3]) for r in q} == {(3, "start"), (3, "end")} and all("day-first" in r[4] for r in q)


def test_times_alone_undeclared_are_refused(tables, dataset, ws, quarantine):
    tables["shifts"][0].update(start="07:00", end="17:00")
    report = ingest(dataset(tables, about=("shifts",)), ws)
    assert {(r[2], r[3], r[4]) for r in table_q(quarantine, ws, "shifts")} == {
        (1, "start", "not an ISO 8601 timestamp"), (1, "end", "not an ISO 8601 timestamp")}
    assert report.by_table()["shifts"]["loaded"] == 1


# -- decimal commas (continental Excel: `;` between fields, `,` before the fraction) ----------


def _comma_decimals(tables) -> None:  # noqa: ANN001
    tables["sites"][0].update(lat="51,50", lon="-0,10")
    tables["sites"][1].update(lat="51,51", lon="-0,12")
    tables["overtime_claims"][0].update(hours="2,25", rate="1,33")
    tables["expenses"][0]["amount_gbp"] = "1.234,50"


def test_decimal_comma_declared(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("expenses", "overtime_claims", "sites"))
    _comma_decimals(tables)
    for name in ("sites", "overtime_claims", "expenses"):
        write_csv(folder, name, tables[name], delimiter=";")
        (folder / f"{name}.format.toml").write_text('decimal = ","\n')
    ingest(folder, ws)
    assert quarantine(ws) == []
    assert rows_of(ws, "SELECT lat, lon FROM sites WHERE site_id = 'S1'") == [(51.5, -0.1)]
    assert rows_of(ws, "SELECT hours, rate FROM overtime_claims") == [(2.25, 1.33)]
    assert rows_of(ws, "SELECT amount_gbp FROM expenses") == [(1234.5,)]


def test_decimal_comma_undeclared_is_refused_with_the_declaration_named(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("overtime_claims", "sites"))
    _comma_decimals(tables)
    write_csv(folder, "overtime_claims", tables["overtime_claims"], delimiter=";")
    write_csv(folder, "sites", tables["sites"], delimiter=";")
    report = ingest(folder, ws)
    q = table_q(quarantine, ws, "overtime_claims")
    assert sorted(r[2:4] for r in q) == [(1, "hours")] and all('declares decimal = ","' in r[4] for r in q)
    assert report.by_table()["overtime_claims"]["loaded"] == 0
    # lat and lon may be empty: the cells are left empty, the site loads, the cells are recorded
    assert rows_of(ws, "SELECT lat, lon FROM sites WHERE site_id = 'S1'") == [(None, None)]
    assert sorted(r[2:4] for r in table_q(quarantine, ws, "sites")) == [(1, "lat"), (1, "lon"), (2, "lat"), (2, "lon")]


def test_decimal_comma_declared_refuses_a_point_that_groups_nothing(tables, dataset, ws, quarantine):
    """Under a decimal comma a point only groups thousands: `2.5` is ambiguous, never 25."""
    folder = dataset(tables, about=("expenses", "overtime_claims"))
    tables["overtime_claims"][0].update(hours="2.5", rate="1")
    tables["expenses"][0]["amount_gbp"] = "1.234"  # thousands grouped: 1234
    for name in ("overtime_claims", "expenses"):
        write_csv(folder, name, tables[name], delimiter=";")
    ingest(folder, ws, declare={"overtime_claims": {"decimal": ","}, "expenses": {"decimal": "comma"}})
    (q,) = table_q(quarantine, ws, "overtime_claims")
    assert q[2:4] == (1, "hours") and "decimal comma" in q[4]
    assert rows_of(ws, "SELECT amount_gbp FROM expenses") == [(1234.0,)]


@pytest.mark.parametrize(
    ("shown", "read"),
    [("£7.50", 7.5), ("£1,234.50", 1234.5), ("GBP 12", 12.0), ("£ 12", 12.0), ("1,234.50", 1234.5),
     ("12,345,678.9", 12345678.9), ("7.50", 7.5)],
)
def test_amounts_as_a_spreadsheet_shows_them_are_read(tables, dataset, ws, quarantine, shown, read):
    """Excel saves a cell as it shows it: a currency format writes the pound sign and commas
    between the thousands."""
    tables["expenses"][0]["amount_gbp"] = shown
    ingest(dataset(tables, about=("expenses",)), ws)
    assert quarantine(ws) == []
    assert rows_of(ws, "SELECT amount_gbp FROM expenses") == [(read,)]


@pytest.mark.parametrize(
    ("shown", "reason"),
    [("1,234", "thousands grouped by commas (1,234) or a decimal comma (1.234)?"), ("7,5", 'declares decimal = ","'),
     ("£1,23.4", "not a number"), ("$12", "not a number"), ("0,500", 'declares decimal = ","')],
)
def test_an_amount_that_could_be_read_two_ways_is_refused(tables, dataset, ws, quarantine, shown, reason):
    """`1,234` is a thousand and more under a decimal point and 1.234 under a decimal comma: without
    a pound sign or pence to tell, it is refused with both readings named, never guessed."""
    tables["expenses"][0]["amount_gbp"] = shown
    ingest(dataset(tables, about=("expenses",)), ws)
    (q,) = table_q(quarantine, ws, "expenses")
    assert q[2:4] == (1, "amount_gbp") and reason in q[4]


def test_decimal_declaration_must_be_a_point_or_a_comma(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("expenses",))
    (folder / "expenses.format.toml").write_text('decimal = "_"\n')
    ingest(folder, ws)
    assert any("decimal '_' is not one of" in r[4] for r in table_q(quarantine, ws, "expenses"))


def test_identifiers_mangled_by_excel_are_refused(tables, dataset, ws, quarantine):
    """Excel shows a 15-digit card number or IMEI as 3.56938E+14 and saves it so: its digits are
    gone, and every such number sharing the first six collapses into one identifier."""
    folder = dataset(tables, about=("device_events", "identities", "sites", "system_access"))
    tables["identities"][0]["identifier"] = "3.56938E+14"
    tables["device_events"][0]["device_id"] = "3.56938E+14"
    tables["system_access"][0]["subject_ref"] = "1E+15"
    tables["sites"][0]["name"] = "3.5E+14"  # a name is no identifier: kept as written
    write_csv(folder, "identities", tables["identities"])
    write_csv(folder, "device_events", tables["device_events"])
    write_csv(folder, "system_access", tables["system_access"])
    write_csv(folder, "sites", tables["sites"])
    ingest(folder, ws)
    q = {(r[0], r[2], r[3]): r[4] for r in quarantine(ws) if "scientific notation" in r[4]}
    assert set(q) == {("identities", 1, "identifier"), ("device_events", 1, "device_id"), ("system_access", 1, "subject_ref")}
    assert all("export the column as text" in reason for reason in q.values())
    assert rows_of(ws, "SELECT name FROM sites WHERE site_id = 'S1'") == [("3.5E+14",)]


# -- a source's own words for a vocabulary -------------------------------------------------


def test_gallagher_event_types_declared_as_directions(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("badge_events",))
    tables["badge_events"][0]["direction"] = "Card entry granted"
    tables["badge_events"][1]["direction"] = "CARD EXIT GRANTED"  # any case
    tables["badge_events"].append({**tables["badge_events"][0], "direction": "Door forced open"})
    write_csv(folder, "badge_events", tables["badge_events"])
    (folder / "badge_events.format.toml").write_text(
        '[values.direction]\n"Card entry granted" = "in"\n"Card exit granted" = "out"\n'
    )
    report = ingest(folder, ws)
    assert sorted(rows_of(ws, "SELECT direction FROM badge_events")) == [("in",), ("out",)]
    (q,) = table_q(quarantine, ws, "badge_events")
    assert q[2:4] == (3, "direction") and "not one of: in, out" in q[4] and "[values.direction]" in q[4]
    assert report.by_table()["badge_events"]["loaded"] == 2


def test_a_column_the_export_does_not_hold_filled_as_declared(tables, dataset, ws, quarantine):
    """Lenel entry readers alone: no direction column (its EVDESCR says only "Access Granted"), so
    `fill.direction = "in"`; an audit log of one system with no system column, filled on the command
    line. A file of the same export that holds the column keeps its own values."""
    folder = dataset(tables, about=("badge_events", "system_access"))
    write_csv(folder, "badge_events", [{k: v for k, v in r.items() if k != "direction"} for r in tables["badge_events"]])
    (folder / "badge_events.format.toml").write_text('[fill]\ndirection = "IN"\n')  # read as the file's would be
    sa = tables["system_access"]
    write_csv(folder, "system_access", [{k: v for k, v in r.items() if k != "system"} for r in sa[:1]])
    write_csv(folder, "system_access_2", sa[1:])  # another part of the same table
    ingest(folder, ws, declare={"system_access": {"fill.system": "Niche"}})
    assert quarantine(ws) == []
    assert rows_of(ws, "SELECT DISTINCT direction FROM badge_events") == [("in",)]
    assert sorted(rows_of(ws, "SELECT event_id, system FROM system_access")) == [
        (sa[0]["event_id"], "Niche"), *[(r["event_id"], r["system"]) for r in sa[1:]]]


@pytest.mark.parametrize(("declare", "message"), [
    ({"fill.staff_id": "P2"}, "fill.staff_id: not a column of badge_events a file may leave out"),
    ({"fill.direction": "sideways"}, "not one of: in, out"),
])
def test_a_fill_is_checked_like_the_files_own_values(tables, dataset, ws, quarantine, declare, message):
    folder = dataset(tables, about=("badge_events",))
    write_csv(folder, "badge_events", [{k: v for k, v in r.items() if k != "direction"} for r in tables["badge_events"]])
    ingest(folder, ws, declare={"badge_events": declare})
    assert any(message in r[4] for r in table_q(quarantine, ws, "badge_events"))
    assert rows_of(ws, "SELECT count(*) FROM people") == [(3,)]


def test_values_declared_on_the_command_line(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("overtime_claims",))
    tables["overtime_claims"][0]["status"] = "AUTHORISED"
    write_csv(folder, "overtime_claims", tables["overtime_claims"])
    ingest(folder, ws, declare={"overtime_claims": {"values.status.Authorised": "approved"}})
    assert table_q(quarantine, ws, "overtime_claims") == []
    assert rows_of(ws, "SELECT status FROM overtime_claims") == [("approved",)]


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ('[values.direction]\n"Card entry granted" = "entered"\n', "'entered' is not one of: in, out"),
        ('[values.staff_id]\n"Bob" = "P2"\n', "values.staff_id: not a vocabulary column of badge_events (those are: "
                                                  "direction), nor a reference one may map to its codes (those are: site_id)"),
    ],
)
def test_values_declaration_must_map_a_vocabulary_to_its_words(tables, dataset, ws, quarantine, declaration, message):
    folder = dataset(tables, about=("badge_events", "people"))
    (folder / "badge_events.format.toml").write_text(declaration)
    report = ingest(folder, ws)
    (q,) = table_q(quarantine, ws, "badge_events")
    assert q[2] is None and message in q[4] and "badge_events.format.toml" in q[4]
    assert report.by_table()["people"]["loaded"] == 3


def test_values_declared_for_a_typed_parquet_export(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").unlink()
    pq.write_table(pa.table({
        "staff_id": ["P2", "P2"], "ts": [dt.datetime(2025, 1, 6, 7, 55), dt.datetime(2025, 1, 6, 17, 5)],
        "site_id": ["S1", "S1"], "direction": ["Access Granted - Entry", "Access Granted - Exit"],
    }), folder / "badge_events.parquet")
    ingest(folder, ws, declare={"badge_events": {"values.direction.Access Granted - Entry": "in",
                                                 "values.direction.Access Granted - Exit": "out"}})
    assert table_q(quarantine, ws, "badge_events") == []
    assert rows_of(ws, "SELECT direction FROM badge_events ORDER BY ts") == [("in",), ("out",)]


# -- identifiers whose leading zeros were lost ---------------------------------------------
ZERO_IDS = {"P1": "004511", "P2": "004512", "P3": "004513", "B100": "000451"}


def _zero_led(tables):  # noqa: ANN001, ANN202
    """The minimal force with staff numbers and a badge number written with leading zeros."""
    for rows in tables.values():
        for r in rows:
            for k, v in r.items():
                r[k] = ZERO_IDS.get(v, v)
    return tables


def test_staff_numbers_without_their_leading_zeros_are_refused_with_the_fix(tables, dataset, ws, quarantine):
    """A badge export saved through a spreadsheet: `004512` became `4512`. Refused, the reason
    says the people keys have leading zeros and which declaration restores them; declared, every
    row loads under the right person, and re-reading the same export is idempotent."""
    tables = _zero_led(tables)
    for r in tables["badge_events"]:
        r["staff_id"] = r["staff_id"].lstrip("0")
    folder = dataset(tables, about=("badge_events",))
    report = ingest(folder, ws)
    assert report.by_table()["badge_events"]["quarantined"] == 2
    q = table_q(quarantine, ws, "badge_events")
    assert {x[3] for x in q} == {"staff_id"}
    assert all("no people row with staff_id = 4512 (the people keys are written with leading zeros, up to 6 digits" in x[4]
               and "zero_pad.staff_id = 6 in badge_events.format.toml" in x[4] for x in q)
    (folder / "badge_events.format.toml").write_text("[zero_pad]\nstaff_id = 6\n")
    report = ingest(folder, ws)
    assert report.by_table()["badge_events"]["loaded"] == 2
    assert rows_of(ws, "SELECT DISTINCT staff_id FROM badge_events") == [("004512",)]
    assert ingest(folder, ws).by_table()["badge_events"]["loaded"] == 0


def test_a_typed_export_with_integer_ids_and_a_card_number_without_its_zeros(tables, dataset, ws, quarantine):
    """Parquet written with staff_id as an integer loses the zeros too; a card number (an
    identity's identifier) the same, with its own hint; ``--declare`` pads both."""
    tables = _zero_led(tables)
    folder = dataset({k: v for k, v in tables.items() if k not in ("badge_events", "device_events")},
                     about=("badge_events", "device_events", "identities"))
    pq.write_table(pa.table({"staff_id": pa.array([4512], pa.int64()), "device_id": ["D1"],
                             "ts": [dt.datetime(2025, 1, 6, 7, 5)], "kind": ["login"], "site_id": ["S1"],
                             "lat": pa.nulls(1, pa.float64()), "lon": pa.nulls(1, pa.float64())}),
                   folder / "device_events.parquet")
    write_csv(folder, "badge_events", [{"system": "access_control", "identifier": "451", "ts": "2025-01-06 06:55",
                                        "site_id": "S1", "direction": "in"}])
    ingest(folder, ws)
    reasons = {x[0]: x[4] for x in quarantine(ws)}
    assert "zero_pad.staff_id = 6 in device_events.format.toml" in reasons["device_events"]
    assert reasons["badge_events"].startswith("unknown identity: system access_control, identifier 451 on 2025-01-06 (the "
                                              "identities' identifiers are written with leading zeros, up to 6 digits")
    report = ingest(folder, ws, declare={"device_events": {"zero_pad.staff_id": "6"},
                                         "badge_events": {"zero_pad.identifier": "6"}})
    assert report.by_table()["device_events"]["loaded"] == report.by_table()["badge_events"]["loaded"] == 1
    assert rows_of(ws, "SELECT staff_id FROM badge_events UNION ALL SELECT staff_id FROM device_events") == [
        ("004512",), ("004512",)
    ]


@pytest.mark.parametrize(("declared", "says"), [
    ({"zero_pad.ts": "6"}, "zero_pad.ts: not a text column of badge_events"),
    ({"zero_pad.staff_id": "1"}, "zero_pad.staff_id: a width of 2 to 64 digits, not 1"),
])
def test_a_zero_pad_that_cannot_apply_refuses_the_table(tables, dataset, ws, quarantine, declared, says):
    report = ingest(dataset(tables, about=("badge_events",)), ws, declare={"badge_events": declared})
    assert report.by_table()["badge_events"]["loaded"] == 0
    assert any(says in x[4] for x in quarantine(ws) if x[0] == "badge_events")


def test_a_header_that_drifted_between_files_is_declared_as_the_names_it_has_had(tables, dataset, ws, quarantine):
    """One badge export in monthly parts whose time column was renamed between them
    (`EVENT_TIME` then `Event Time (Local)`): both names declared, every part loads; a part
    holding both names is refused as ambiguous, the others still load."""
    folder = dataset({k: v for k, v in tables.items() if k != "badge_events"}, about=("badge_events",))
    parts = folder / "badge_events"
    parts.mkdir()
    first, second = ({**r} for r in tables["badge_events"])
    write_csv(parts, "2025-01", [{("EVENT_TIME" if k == "ts" else k): v for k, v in first.items()}])
    write_csv(parts, "2025-02", [{("Event Time (Local)" if k == "ts" else k): v for k, v in second.items()}])
    (parts / "format.toml").write_text('[columns]\nts = ["EVENT_TIME", "Event Time (Local)"]\n')
    report = ingest(folder, ws)
    assert report.by_table()["badge_events"]["loaded"] == 2 and table_q(quarantine, ws, "badge_events") == []
    write_csv(parts, "2025-03", [{**{("EVENT_TIME" if k == "ts" else k): v for k, v in second.items()},
                                  "Event Time (Local)": second["ts"]}])
    ingest(folder, ws)
    (q,) = table_q(quarantine, ws, "badge_events")
    assert q[1].endswith("2025-03.csv") and "ambiguous header" in q[4] and "'ts'" in q[4]


def test_headers_are_matched_without_case_or_word_separators(tables, dataset, ws, quarantine):
    """`Staff ID`, `SiteId`, `claim-id`: ordinary spreadsheet headers name the contract's columns
    without a declaration; a file with two spellings of one column is refused as ambiguous."""
    spell = {"staff_id": "Staff ID", "site_id": "SiteId", "ts": "TS", "direction": "Direction"}
    rows = [{spell[k]: v for k, v in r.items()} for r in tables["badge_events"]]
    claims = [{k.replace("_", "-").upper(): v for k, v in r.items()} for r in tables["overtime_claims"]]
    folder = dataset({k: v for k, v in tables.items() if k not in ("badge_events", "overtime_claims")},
                     about=("badge_events", "overtime_claims"))
    write_csv(folder, "badge_events", rows)
    write_csv(folder, "overtime_claims", claims)
    report = ingest(folder, ws)
    assert quarantine(ws) == []
    assert report.by_table()["badge_events"]["loaded"] == 2 and report.by_table()["overtime_claims"]["loaded"] == 1
    write_csv(folder, "badge_events", [{**r, "staff_id": r["Staff ID"]} for r in rows])
    ingest(folder, ws)
    (q,) = table_q(quarantine, ws, "badge_events")
    assert "ambiguous header: columns 1 ('Staff ID') and 5 ('staff_id') both match 'staff_id'" in q[4]


def test_files_named_as_exports_name_them(tables, dataset, ws, quarantine):
    """Monthly files beside each other (`Absences_2025-01.CSV`), a tab-separated `.tsv`, a table
    name in capitals: each is its table's part; `people_protected_2025.csv` is people_protected,
    not people; a file that names no table is listed as ignored, not read."""
    folder = dataset({k: v for k, v in tables.items() if k not in ("absences", "badge_events", "people_protected")},
                     about=("absences", "badge_events", "people_protected", "shifts"))
    a = tables["absences"][0]
    write_csv(folder, "Absences_2025-01", [a]).rename(folder / "Absences_2025-01.CSV")
    write_csv(folder, "absences - February", [{**a, "absence_id": "A2", "start": "2025-02-03 00:00", "end": "2025-02-04 00:00"}])
    write_csv(folder, "BADGE_EVENTS", tables["badge_events"], delimiter="\t").rename(folder / "BADGE_EVENTS.tsv")
    write_csv(folder, "people_protected_2025", tables["people_protected"])
    write_csv(folder, "rota summary", tables["shifts"])
    report = ingest(folder, ws)
    assert quarantine(ws) == []
    got = report.by_table()
    assert (got["absences"]["loaded"], got["badge_events"]["loaded"], got["people_protected"]["loaded"]) == (2, 2, 1)
    assert report.ignored == ["rota summary.csv"]


@pytest.mark.parametrize(("written", "utc"), [
    ("2025-07-07 6:55", dt.datetime(2025, 7, 7, 5, 55)),             # Excel's h:mm: a one-digit hour, local (BST)
    ("2025-7-7 06:55:00", dt.datetime(2025, 7, 7, 5, 55)),           # a one-digit month and day
    ("2025/07/07 06:55", dt.datetime(2025, 7, 7, 5, 55)),            # year first with slashes
    ("2025-07-07 05:55:00 UTC", dt.datetime(2025, 7, 7, 5, 55)),     # a SQL console's UTC suffix
    ("2025-07-07 05:55:00.250 GMT", dt.datetime(2025, 7, 7, 5, 55, 0, 250000)),
])
def test_iso_values_spelt_as_tools_write_them(tables, dataset, ws, quarantine, written, utc):
    """Year-first values are ISO 8601 but for their spelling: read as such, with no declaration
    (a day-first or month-first date still needs one: `test_ambiguous_slashed_date_is_refused_with_the_fix`)."""
    tables["badge_events"] = [{**tables["badge_events"][0], "ts": written}]
    ingest(dataset(tables, about=("badge_events",)), ws)
    assert table_q(quarantine, ws, "badge_events") == []
    assert rows_of(ws, "SELECT ts FROM badge_events") == [(utc,)]


def test_year_first_dates_spelt_as_tools_write_them(tables, dataset, ws, quarantine):
    tables["people"][0].update(start_date="2010/1/4", end_date="2030-01-05 00:00:00")
    ingest(dataset(tables, about=("people",)), ws)
    assert table_q(quarantine, ws, "people") == []
    assert rows_of(ws, "SELECT start_date, end_date FROM people WHERE staff_id = 'P1'") == [
        (dt.date(2010, 1, 4), dt.date(2030, 1, 5))
    ]
