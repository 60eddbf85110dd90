"""Vendor-shaped exports an independent tester fed through ingest (Lenel, Intune, Workspace ONE,
police rosters): each loads as the vendor writes it, or is refused with a reason that says why."""

from __future__ import annotations

import datetime as dt

import pytest

from fairwitness.ingest import ingest
from tests.ingest.test_export_forms import rows_of, table_q, write_csv


@pytest.fixture
def dataset(changed_dataset):
    """Each test writes the tables it changed and those they reference (`changed_dataset`)."""
    return changed_dataset


def test_a_lenel_export_declares_its_identity_system_and_maps_its_panels_to_sites(tables, dataset, ws, quarantine):
    """Lenel's CARDNUM has no system column: `fill.system` names it for the whole file (here in
    another case than the identities write it); its PANELNAME is mapped to the force's site codes
    (`[values.site_id]`, in any case). A panel neither mapped nor a site is a dangling reference."""
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").unlink()
    write_csv(folder, "badge_events", [
        {"CARDNUM": "B100", "EVENT_TIME_UTC": "2025-03-01 07:00:00", "PANELNAME": "HQ-PANEL-01"},
        {"CARDNUM": "b100", "EVENT_TIME_UTC": "2025-08-01 07:00:00", "PANELNAME": "stn-panel-02"},
        {"CARDNUM": "B100", "EVENT_TIME_UTC": "2025-08-02 07:00:00", "PANELNAME": "S1"},  # already a code
        {"CARDNUM": "B100", "EVENT_TIME_UTC": "2025-08-03 07:00:00", "PANELNAME": "LOBBY-9"},
    ])
    (folder / "badge_events.format.toml").write_text(
        'zone = "UTC"\n[columns]\nts = "EVENT_TIME_UTC"\nidentifier = "CARDNUM"\nsite_id = "PANELNAME"\n'
        '[fill]\nsystem = "Access_Control"\ndirection = "in"\n'
        '[values.site_id]\n"HQ-PANEL-01" = "S2"\n"STN-PANEL-02" = "S1"\n'
    )
    ingest(folder, ws)
    assert rows_of(ws, "SELECT staff_id, site_id FROM badge_events ORDER BY ts") == [("P2", "S2"), ("P3", "S1"), ("P3", "S1")]
    (q,) = table_q(quarantine, ws, "badge_events")
    assert q[2:] == (4, "site_id", "dangling reference: no sites row with site_id = LOBBY-9")


def test_intune_upns_resolve_in_any_case(tables, dataset, ws, quarantine):
    """Entra UPNs are case-insensitive: a device row's UPN resolves to the identity that differs
    from it only in case (system filled on the command line). Two identities equal but for case
    naming different people are ambiguous. Workspace ONE's "never" in the required ts is named."""
    tables["identities"] += [
        {"system": "intune", "identifier": "Bob.Jones@force.police.uk", "staff_id": "P2", "valid_from": "2024-01-01", "valid_to": ""},
        {"system": "INTUNE", "identifier": "shared@force.police.uk", "staff_id": "P2", "valid_from": "2024-01-01", "valid_to": ""},
        {"system": "intune", "identifier": "Shared@Force.police.uk", "staff_id": "P3", "valid_from": "2024-01-01", "valid_to": ""},
    ]
    folder = dataset(tables, about=("device_events", "identities"))
    (folder / "device_events.csv").unlink()
    write_csv(folder, "device_events", [
        {"UPN": "bob.jones@FORCE.police.uk", "device_id": "D1", "ts": "2025-01-06 07:05", "kind": "login"},
        {"UPN": "shared@force.police.uk", "device_id": "D2", "ts": "2025-01-06 07:05", "kind": "login"},
        {"UPN": "bob.jones@force.police.uk", "device_id": "D1", "ts": "0001-01-01T00:00:00.000", "kind": "login"},
    ])
    ingest(folder, ws, declare={"device_events": {"fill.system": "Intune", "columns.identifier": "UPN"}})
    assert rows_of(ws, "SELECT staff_id, device_id FROM device_events") == [("P2", "D1")]
    q = [r[2:] for r in table_q(quarantine, ws, "device_events")]
    assert (2, "identifier", "ambiguous identity: Intune/shared@force.police.uk maps to more than one staff_id on that "
                             "date (identities are matched in any case)") in q
    assert (3, "ts", "required value is empty: 0001-01-01T00:00:00.000 is the 'never' sentinel") in q
    assert {r[0] for r in q} == {2, 3}


def test_a_24_hour_tour_written_as_times_alone_ends_the_next_day(tables, dataset, ws, quarantine):
    """A roster writes a 24-hour tour 07:00-07:00 on its day: declared `overnight_ends`, the end
    equal to the start is the next day's, never a shift of no length."""
    folder = dataset(tables, about=("shifts",))
    (folder / "shifts.csv").unlink()
    base = {"Emp": "P2", "duty_type": "normal", "site_id": "S1"}
    write_csv(folder, "shifts", [
        {"shift_id": "SH1", **base, "Date": "06/01/2025", "Start": "07:00", "End": "07:00"},
        {"shift_id": "SH2", **base, "Date": "07/07/2025", "Start": "22:00", "End": "06:00"},
        {"shift_id": "SH3", **base, "Date": "08/07/2025", "Start": "09:00", "End": "17:00"},
    ])
    (folder / "shifts.format.toml").write_text(
        'timestamps = "day-first"\nday_column = "Date"\novernight_ends = true\n'
        '[columns]\nstaff_id = "Emp"\nstart = "Start"\nend = "End"\n'
    )
    ingest(folder, ws)
    assert table_q(quarantine, ws, "shifts") == []
    assert rows_of(ws, 'SELECT shift_id, "end" - start FROM shifts ORDER BY shift_id') == [
        ("SH1", dt.timedelta(hours=24)), ("SH2", dt.timedelta(hours=8)), ("SH3", dt.timedelta(hours=8))]


def test_durations_grouped_by_thousands(tables, dataset, ws, quarantine):
    """`1,234` seconds: refused under the default decimal point with a reason fit for a duration
    (no pence, no pound sign), and read from a source that declares its decimal point."""
    tables["comms_events"].append({**tables["comms_events"][0], "event_id": "M2", "duration_s": "1,234"})
    folder = dataset(tables, about=("comms_events",))
    ingest(folder, ws)
    (q,) = table_q(quarantine, ws, "comms_events")
    assert q[2:4] == (2, "duration_s") and "1,234" in q[4] and 'declares decimal = "."' in q[4]
    assert "pence" not in q[4] and "£" not in q[4]
    tables["comms_events"][1]["duration_s"] = "12,345"
    write_csv(folder, "comms_events", tables["comms_events"])
    ingest(folder, ws, declare={"comms_events": {"decimal": "."}})
    assert rows_of(ws, "SELECT event_id, duration_s FROM comms_events ORDER BY 1") == [("M1", 120.0), ("M2", 12345.0)]


def test_a_cascade_of_dangling_references_is_cut_at_a_word(tables, dataset, ws, quarantine):
    """Sites refused (a header of none of its columns) quarantines the units, whose people and
    their protected characteristics follow: each quoted reason is cut at a word with `…`, and every
    parenthesis it opens is closed."""
    folder = dataset(tables, about=("people_protected", "sites"))
    (folder / "sites.csv").write_text("Site Code,Site Name,Site Type,Address\nS1,Central,station,1 High St\n")
    ingest(folder, ws)
    nested = [r[4] for r in quarantine(ws) if r[0] == "people_protected"]
    assert nested and all(r.count("(") == r.count(")") for r in nested)
    assert all(" and)" not in r and "…)" in r for r in nested)
    assert all(len(r) < 400 for r in nested)


def test_denied_cards_are_skipped_as_declared_and_counted(tables, dataset, ws, quarantine):
    """Gallagher writes denied cards beside entries: a denied card is nobody entering, so the
    declaration skips those rows (`skip.direction`, in any case); they are counted as skipped, not
    loaded and not quarantined, and a word neither skipped nor mapped is still refused."""
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").unlink()
    write_csv(folder, "badge_events", [
        {"staff_id": "P2", "ts": "2025-03-01 07:00", "site_id": "S1", "Event": "Card entry granted"},
        {"staff_id": "P2", "ts": "2025-03-01 07:01", "site_id": "S1", "Event": "Card access DENIED"},
        {"staff_id": "P3", "ts": "2025-03-01 07:02", "site_id": "S1", "Event": " Card access denied (expired) "},
        {"staff_id": "P3", "ts": "2025-03-01 17:00", "site_id": "S1", "Event": "Door forced open"},
    ])
    (folder / "badge_events.format.toml").write_text(
        '[columns]\ndirection = "Event"\n[values.direction]\n"Card entry granted" = "in"\n'
        '[skip]\ndirection = ["Card access denied", "card access denied (expired)"]\n'
    )
    report = ingest(folder, ws)
    b = report.by_table()["badge_events"]
    assert (b["read"], b["loaded"], b["skipped"], b["quarantined"]) == (4, 1, 2, 1)
    assert [r[2:4] for r in table_q(quarantine, ws, "badge_events")] == [(4, "direction")]
    for f in report.files:
        assert f.skipped or f.read == f.loaded + f.unchanged + f.quarantined + f.dropped
    assert ingest(folder, ws).batch_id is None
    # a column neither the contract's nor the export's own would skip nothing: the files are refused
    again = ingest(folder, ws, declare={"badge_events": {"skip.colour": "red"}})
    (f,) = [f for f in again.files if f.table == "badge_events"]
    assert f.error.startswith("format declaration: skip.colour: not a column of the files (they hold: ")


def test_rows_are_skipped_on_a_column_of_the_exports_own(tables, dataset, ws):
    """TeleStaff's `Working?` (1/0) is no contract column: a tour rostered but not worked is no
    shift, and `skip."Working?" = ["0"]` leaves it out (the column named as its header is matched)."""
    folder = dataset(tables, about=("shifts",))
    rows = [{**r, "Working?": w} for r, w in zip(tables["shifts"], ("1", "0"), strict=True)]
    (folder / "shifts.csv").unlink()
    write_csv(folder, "shifts", rows)
    report = ingest(folder, ws, declare={"shifts": {"skip.working": "0"}})
    s = report.by_table()["shifts"]
    assert (s["read"], s["loaded"], s["skipped"]) == (2, 1, 1)
    assert rows_of(ws, "SELECT shift_id FROM shifts") == [(tables["shifts"][0]["shift_id"],)]


@pytest.mark.parametrize(("declared", "loaded"), [(None, []), ("earlier", [dt.datetime(2025, 10, 26, 0, 59, 42)]),
                                                   ("later", [dt.datetime(2025, 10, 26, 1, 59, 42)])])
def test_a_local_time_export_declares_how_the_repeated_hour_is_read(tables, dataset, ws, quarantine, declared, loaded):
    """Pro-Watch writes its server's local time with no offset: a night-shift badge-out at 01:59:42
    on the night the clocks go back happened twice. Undeclared, the row is quarantined with the
    reason and the declaration that would read it; declared (`dst_overlap`), it loads as the first
    pass through the hour or the second. The row before it, not ambiguous, loads either way."""
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").unlink()
    write_csv(folder, "badge_events", [
        {"staff_id": "P2", "ts": "2025-10-25 22:00:00", "site_id": "S1", "direction": "in"},
        {"staff_id": "P2", "ts": "2025-10-26 01:59:42", "site_id": "S1", "direction": "out"},
    ])
    if declared:
        (folder / "badge_events.format.toml").write_text(f'dst_overlap = "{declared}"\n')
    ingest(folder, ws)
    got = [r[0] for r in rows_of(ws, "SELECT ts FROM badge_events WHERE staff_id = 'P2' AND ts > '2025-10-25 22:00' ORDER BY ts")]
    assert got == loaded
    q = table_q(quarantine, ws, "badge_events")
    assert [(r[3], r[4][:20]) for r in q] == ([] if declared else [("ts", "ambiguous local time")])
    if not declared:
        assert 'dst_overlap = "earlier" or "later"' in q[0][4]


@pytest.mark.parametrize("declaration", ["Badge Events.format.toml", "BADGE_EVENTS.FORMAT.TOML", "Badge Events/format.toml"])
def test_a_declaration_is_found_under_the_name_its_data_files_have(tables, dataset, ws, quarantine, declaration):
    """A Windows export folder holds `Units.csv` beside `Units.format.toml`: a data file's name is
    matched in any case and spelling, and so is its declaration's (before, `Units.format.toml` was
    ignored as not a contract table, and every row it should have mapped was quarantined)."""
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").unlink()
    where = folder / "Badge Events" if "/" in declaration else folder
    where.mkdir(exist_ok=True)
    write_csv(where, "Badge Events", [
        {"staff_id": "P2", "ts": "2025-03-01 07:00", "site_id": "S1", "Card Event": "Entry granted"},
        {"staff_id": "P2", "ts": "2025-03-01 17:00", "site_id": "S1", "Card Event": "Exit granted"},
    ])
    (where / declaration.split("/")[-1]).write_text(
        '[columns]\ndirection = "Card Event"\n[values.direction]\n"Entry granted" = "in"\n"Exit granted" = "out"\n'
    )
    report = ingest(folder, ws)
    assert rows_of(ws, "SELECT direction FROM badge_events WHERE staff_id = 'P2' ORDER BY ts") == [("in",), ("out",)]
    assert table_q(quarantine, ws, "badge_events") == []
    assert not any(name.casefold().endswith("format.toml") for name in report.ignored)
