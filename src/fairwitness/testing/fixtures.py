"""A tiny, valid, hand-written data set: one or two rows in every contract table.

Tests start from it and break one thing at a time. Values are written as the
contract's text form (the CSV a force would export).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

MINIMAL: dict[str, list[dict[str, str]]] = {
    "sites": [
        {"site_id": "S1", "name": "Central", "kind": "station", "lat": "51.50", "lon": "-0.10"},
        {"site_id": "S2", "name": "Headquarters", "kind": "office", "lat": "51.51", "lon": "-0.12"},
    ],
    "units": [
        {"unit_id": "U1", "name": "Response A", "unit_type": "response", "command": "West", "site_id": "S1"},
        {"unit_id": "U2", "name": "Finance", "unit_type": "hq", "command": "Central", "site_id": "S2"},
    ],
    "people": [
        {"staff_id": "P1", "rank_grade": "Inspector", "role": "Response inspector", "unit_id": "U1",
         "employment_type": "officer", "fte": "1", "start_date": "2010-01-04", "end_date": "",
         "hybrid_policy": "false", "line_manager_id": "", "display_name": "Anne Smith", "date_of_birth": "1975-02-03"},
        {"staff_id": "P2", "rank_grade": "Constable", "role": "Response officer", "unit_id": "U1",
         "employment_type": "officer", "fte": "1", "start_date": "2015-09-01", "end_date": "",
         "hybrid_policy": "false", "line_manager_id": "P1", "display_name": "Bob Jones", "date_of_birth": "1990-06-30"},
        {"staff_id": "P3", "rank_grade": "Grade 5", "role": "Finance officer", "unit_id": "U2",
         "employment_type": "staff", "fte": "0.6", "start_date": "2019-03-11", "end_date": "",
         "hybrid_policy": "true", "line_manager_id": "P1", "display_name": "Siobhán Ní Bhriain", "date_of_birth": "1985-11-12"},
    ],
    "people_protected": [
        {"staff_id": "P1", "sex": "female", "ethnicity_group": "white", "age_band": "45-54", "disability": "no"},
    ],
    "identities": [
        {"system": "access_control", "identifier": "B100", "staff_id": "P2", "valid_from": "2024-01-01", "valid_to": "2025-06-30"},
        {"system": "access_control", "identifier": "B100", "staff_id": "P3", "valid_from": "2025-07-01", "valid_to": ""},
    ],
    "shifts": [
        {"shift_id": "SH1", "staff_id": "P2", "start": "2025-01-06 07:00", "end": "2025-01-06 17:00", "duty_type": "normal", "site_id": "S1"},
        {"shift_id": "SH2", "staff_id": "P2", "start": "2025-07-07T22:00:00", "end": "2025-07-08T08:00:00", "duty_type": "rest_day_working", "site_id": "S1"},
    ],
    "roster_changes": [
        {"change_id": "RC1", "shift_id": "SH2", "staff_id": "P2", "changed_by": "P1", "changed_at": "2025-07-01 09:15",
         "field": "duty_type", "old_value": "normal", "new_value": "rest_day_working"},
    ],
    "overtime_claims": [
        {"claim_id": "OT1", "staff_id": "P2", "start": "2025-01-06 17:00", "end": "2025-01-06 19:00", "hours": "2",
         "rate": "1.33", "reason_code": "late_job", "submitted_at": "2025-01-07 08:00", "authorised_by": "P1",
         "authorised_at": "2025-01-08 10:00", "status": "approved"},
    ],
    "absences": [
        {"absence_id": "A1", "staff_id": "P3", "type": "annual_leave", "start": "2025-08-04 00:00", "end": "2025-08-08 23:59", "reason_category": ""},
    ],
    "badge_events": [
        {"staff_id": "P2", "ts": "2025-01-06 06:55", "site_id": "S1", "direction": "in"},
        {"staff_id": "P2", "ts": "2025-01-06 19:05", "site_id": "S1", "direction": "out"},
    ],
    "device_events": [
        {"staff_id": "P2", "device_id": "D1", "ts": "2025-01-06 07:05", "kind": "login", "site_id": "S1", "lat": "", "lon": ""},
    ],
    "system_access": [
        {"event_id": "E1", "staff_id": "P2", "ts": "2025-01-06 09:30", "system": "PNC", "action": "search", "subject_ref": "X1", "case_ref": "C1"},
        {"event_id": "E2", "staff_id": "P2", "ts": "2025-01-06 10:30", "system": "PNC", "action": "view", "subject_ref": "X9", "case_ref": ""},
    ],
    "comms_events": [
        {"event_id": "M1", "staff_id": "P2", "ts": "2025-01-06 11:00", "channel": "call", "counterpart_ref": "X1", "direction": "out", "duration_s": "120"},
    ],
    "expenses": [
        {"claim_id": "X1", "staff_id": "P2", "date": "2025-01-06", "category": "meal", "amount_gbp": "7.50", "site_id": "S1", "authorised_by": "P1"},
    ],
    "case_parties": [
        {"case_ref": "C1", "subject_ref": "X1", "role": "victim", "vulnerable": "true", "officer_in_case": "P2", "opened": "2025-01-02 10:00", "closed": "2025-03-01 12:00"},
    ],
    "declarations": [
        {"declaration_id": "DC1", "staff_id": "P2", "kind": "secondary_employment", "counterparty": "City Gym Ltd", "declared_at": "2024-11-01 12:00", "status": "approved"},
    ],
    "external_records": [
        {"record_id": "ER1", "kind": "directorship", "counterparty": "City Gym Ltd", "source": "companies_register", "observed_at": "2025-02-01 00:00",
         "strength": "confirmed", "staff_id": "", "full_name": "Robert Jones", "date_of_birth": "1990-06-30"},
    ],
    "complaints": [
        {"complaint_id": "CO1", "staff_id": "P2", "received_at": "2025-02-14 16:20", "allegation": "incivility", "outcome": "not_upheld"},
    ],
}


def write_table(folder: Path, name: str, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    path = folder / f"{name}.csv"
    cols = list(rows[0]) if rows else []
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    return path


def with_references(tables: dict[str, list[dict[str, str]]], about: Iterable[str] = (),
                    base: dict[str, list[dict[str, str]]] = MINIMAL) -> dict[str, list[dict[str, str]]]:
    """The tables of ``tables`` that differ from ``base`` (or are not in it) and the tables named
    in ``about`` (those a test writes itself), with every table their rows need to load: the
    tables their columns reference, transitively, and the identity table for tables whose rows
    may name a person by a system identifier. All of ``tables`` when none differs and ``about``
    names none.

    A test of one export form ingests what it changed and what that needs, not the whole set:
    an ingest of the 18-table set costs about 1.8 s whatever its size, five tables about 0.6 s."""
    from fairwitness.contract import BY_NAME

    todo = [n for n, rows in tables.items() if base.get(n) != rows] + list(about)
    if not todo:
        return tables
    keep: set[str] = set()
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        decl = BY_NAME.get(name)
        if decl is None:
            continue
        if decl.identity_resolvable:
            todo.append("identities")
        todo.extend(c.references.split(".")[0] for c in decl.columns if c.references)
    return {n: rows for n, rows in tables.items() if n in keep}


def write_minimal(folder: Path, tables: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write the minimal data set (or ``tables``) as contract CSV files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (tables or MINIMAL).items():
        write_table(folder, name, rows)
    return folder
