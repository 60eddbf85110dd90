"""What an ingest says of a file beyond its counts (`fairwitness.ingest.file_notes`), and the
export shapes an independent red-team export found (round 37): a header or file name with
punctuation between its words, a value in square brackets on the screen, a row with no usable
time beside an identity."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fairwitness import cli
from fairwitness.cli import app
from fairwitness.ingest import ingest


@pytest.fixture
def dataset(changed_dataset):
    return changed_dataset


def write_csv(folder: Path, name: str, rows: list[dict[str, str]], header=None) -> Path:  # noqa: ANN001
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([header(c) if header else c for c in rows[0]])
    w.writerows([list(r.values()) for r in rows])
    path = folder / name
    path.write_text(buf.getvalue())
    return path


def note_of(report, table: str) -> str | None:  # noqa: ANN001
    (note,) = {f.note for f in report.files if f.table == table}
    return note


@pytest.mark.parametrize("spelt", ["Rank/Grade", "rank.grade", "Rank (Grade)"])
def test_punctuation_between_a_headers_words_is_a_separator(tables, dataset, ws, quarantine, spelt):
    folder = dataset(tables, about=("people",))
    write_csv(folder, "people.csv", tables["people"], header=lambda c: spelt if c == "rank_grade" else c)
    report = ingest(folder, ws)
    assert report.by_table()["people"]["loaded"] == 3
    assert quarantine(ws) == []


def test_a_required_column_not_in_the_header_is_said_once_with_the_declaration(tables, dataset, ws, quarantine):
    """Every row is quarantined (each with its reason), and the file's note names the column,
    the header's unmatched names and the declaration that maps the export's own name."""
    folder = dataset(tables, about=("people",))
    write_csv(folder, "people.csv", tables["people"], header=lambda c: "Grade" if c == "rank_grade" else c)
    report = ingest(folder, ws)
    assert report.by_table()["people"]["quarantined"] == 3
    note = note_of(report, "people")
    assert note is not None and note.startswith("required column rank_grade not in the header")
    assert "the header's other names: Grade." in note
    assert '--declare people.columns.rank_grade="its header"' in note
    again = ingest(folder, ws, declare={"people": {"columns.rank_grade": "Grade"}})
    assert again.by_table()["people"]["loaded"] == 3
    assert note_of(again, "people") is None


def test_a_new_version_without_a_column_the_earlier_held_says_so(tables, dataset, ws):
    """A re-delivered person is loaded whole: the columns its file lacks are empty in the new
    version, and the note names those the earlier version held (not those it never held)."""
    ingest(dataset(tables, about=("people",)), ws)
    delta = [{k: v for k, v in r.items() if k not in ("display_name", "date_of_birth")} for r in tables["people"][1:2]]
    delta[0]["role"] = "Custody officer"
    folder = Path(ws.path).parent / "delta"
    folder.mkdir()
    write_csv(folder, "people.csv", delta)
    report = ingest(folder, ws)
    assert report.by_table()["people"]["updated"] == 1
    note = note_of(report, "people")
    # P2 had a name and a date of birth: both are named
    assert note is not None and "without display_name (1), date_of_birth (1):" in note
    assert ws.connect().execute("SELECT display_name, role FROM people WHERE staff_id = 'P2'").fetchall() == [
        (None, "Custody officer")]
    # a delivery holding every column says nothing
    again = [dict(r) for r in tables["people"]]
    again[1]["role"] = "Front counter"
    folder2 = Path(ws.path).parent / "full"
    folder2.mkdir()
    write_csv(folder2, "people.csv", again)
    assert note_of(ingest(folder2, ws), "people") is None


@pytest.mark.parametrize("name", ["Badge Events - September.csv", "BadgeEvents.csv", "badge events.csv"])
def test_a_file_named_with_the_tables_words_apart_is_that_table(tables, dataset, ws, name):
    folder = dataset(tables, about=("badge_events",))
    (folder / "badge_events.csv").rename(folder / name)
    report = ingest(folder, ws)
    assert report.by_table()["badge_events"]["loaded"] == len(tables["badge_events"])
    assert name not in report.ignored


def test_a_folder_of_parts_named_with_the_tables_words_apart(tables, dataset, ws):
    folder = dataset(tables, about=("badge_events",))
    (folder / "Badge Events").mkdir()
    (folder / "badge_events.csv").rename(folder / "Badge Events" / "September.csv")
    report = ingest(folder, ws)
    assert report.by_table()["badge_events"]["loaded"] == len(tables["badge_events"])


def test_a_row_without_a_usable_time_is_not_also_an_unknown_identity(tables, dataset, ws, quarantine):
    """An identity-only row whose time is Workspace ONE's `never` sentinel is quarantined for its
    time alone; its file is not read again on the next ingest (an unknown identity would be)."""
    tables["badge_events"] = [
        {"ts": "2025-03-01 07:00", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
        {"ts": "0001-01-01T00:00:00.000", "site_id": "S1", "direction": "in", "system": "access_control", "identifier": "B100"},
    ]
    folder = dataset(tables, about=("badge_events",))
    first = ingest(folder, ws)
    assert first.by_table()["badge_events"]["loaded"] == 1
    reasons = [r[4] for r in quarantine(ws) if r[0] == "badge_events"]
    assert len(reasons) == 1 and not reasons[0].startswith("unknown identity"), reasons
    assert ingest(folder, ws).batch_id is None  # nothing read again


def test_the_quarantine_command_prints_square_brackets_as_they_are(tables, dataset, ws, monkeypatch):
    """A value, file name or reason in square brackets is text, not screen markup: `[/REDACTED]`
    once stopped the command, and every hint naming `[values.COLUMN]` lost its declaration."""
    tables["shifts"][1]["duty_type"] = "[/REDACTED]"
    tables["shifts"][0]["duty_type"] = "Rest Day Working"
    folder = dataset(tables, about=("shifts",))
    (folder / "shifts.csv").rename(folder / "shifts (copy) [2].csv")
    ingest(folder, ws)
    monkeypatch.setattr(cli.console, "_width", 400)  # every cell on one line
    r = CliRunner().invoke(app, ["quarantine", "--workspace", str(ws.path), "--table", "shifts"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "[/REDACTED]" in out and "shifts (copy) [2].csv" in out and "[values.duty_type]" in out
