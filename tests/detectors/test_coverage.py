"""The data-coverage gate (issue 13, item 5): no route beyond wellbeing on missing data."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from typer.testing import CliRunner

from fairwitness.cli import app
from fairwitness.detectors.coverage import SourceCoverage, _problem, measure
from fairwitness.detectors.runner import run
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace

P = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
ABSENCE_READERS = ["office_attendance", "duty_presence_gaps"]  # absences rule out leave and sickness


def test_problems_in_order_of_gravity():
    assert _problem(SourceCoverage("absences", loaded=False), P) == "not loaded"
    assert _problem(SourceCoverage("absences", loaded=True, rows=0), P) == "empty for the run period"
    assert _problem(SourceCoverage("absences", True, rows=900, read=1000, quarantined=100), P) == "10% of its rows quarantined"
    months = {"2025-01": 310, "2025-02": 20, "2025-03": 300}
    assert _problem(SourceCoverage("absences", True, rows=630, months=months), P) == "missing or thin for 2025-02"
    ok = {"2025-01": 310, "2025-02": 270, "2025-03": 300}
    assert _problem(SourceCoverage("absences", True, rows=880, months=ok), P) is None
    sparse = {"2025-01": 3, "2025-03": 2}  # too few rows in a usual month to judge months
    assert _problem(SourceCoverage("complaints", True, rows=5, months=sparse), P) is None


def test_a_register_is_what_it_holds_up_to_the_periods_end(small_force):
    """Every declaration made before the period is still the register a detector reads: not
    "empty for the run period" (which capped undeclared_interest at wellbeing on a force whose
    register was all older); a period before the first declaration has nothing to read."""
    _, ws = small_force
    con = ws.connect()
    first, last = con.execute("SELECT min(declared_at)::DATE, max(declared_at)::DATE FROM declarations").fetchone()
    later = (last + dt.timedelta(days=400), last + dt.timedelta(days=430))
    cov = measure(ws, {"declarations", "badge_events"}, later)
    assert cov["declarations"].problem is None and cov["declarations"].rows > 0
    assert cov["badge_events"].problem == "empty for the run period"
    before = (first - dt.timedelta(days=60), first - dt.timedelta(days=30))
    assert measure(ws, {"declarations"}, before)["declarations"].problem == "empty for the run period"
    # and as a run counts it (month by month for dated sources, kept between runs)
    r = run(ws, detectors=["undeclared_interest"], period_start=later[0], period_end=later[1])
    assert r.record["coverage"]["sources"]["declarations"]["problem"] is None
    assert not any("declarations" in why for why in r.record["coverage"]["gated"].get("undeclared_interest", []))


@pytest.fixture(scope="module")
def without_absences(small_force, tmp_path_factory):
    data, _ = small_force
    folder = tmp_path_factory.mktemp("no_absences") / "force"
    shutil.copytree(data, folder, ignore=shutil.ignore_patterns("absences*", "truth*"))
    ws = Workspace(folder.parent / "ws")
    ingest(folder, ws)
    return ws


def test_complete_data_routes_as_usual(small_force):
    _, ws = small_force
    cov = measure(ws, {"absences", "shifts", "badge_events"}, (dt.date(2025, 1, 1), dt.date(2025, 2, 28)))
    assert {c.problem for c in cov.values()} == {None}


def test_a_duckdb_run_counts_in_its_own_connection_what_the_workspace_counts(small_force, without_absences):
    from dataclasses import asdict

    from fairwitness.contract import BY_NAME
    from fairwitness.detectors import engines

    for ws in (small_force[1], without_absences):
        names = {t.name for t in BY_NAME.values() if t.ingested}
        con = engines.connect("duckdb", ws)
        try:
            via_run = {k: asdict(v) for k, v in measure(ws, names, P, con=con.con).items()}
        finally:
            engines.close(con)
        assert via_run == {k: asdict(v) for k, v in measure(ws, names, P).items()}
        assert sum(c["rows"] for c in via_run.values()) > 0
        assert via_run["absences"]["loaded"] is (ws is small_force[1])


def test_missing_absences_gate_the_detectors_that_need_them(small_force, without_absences):
    _, full = small_force
    complete = run(full, detectors=ABSENCE_READERS)
    assert not complete.record["coverage"]["degraded"]
    routes = set(complete.signals.column("route").to_pylist())
    assert routes - {"wellbeing"}, "the full force must have a signal beyond wellbeing for this test to mean anything"

    gated = run(without_absences, detectors=ABSENCE_READERS)
    cov = gated.record["coverage"]
    assert cov["degraded"] is True
    assert cov["sources"]["absences"]["problem"] == "not loaded"
    assert set(cov["gated"]) == set(ABSENCE_READERS)
    assert gated.signals.num_rows, "without absences these detectors flag people on leave: the gate must hold them"
    assert set(gated.signals.column("route").to_pylist()) == {"wellbeing"}
    for e in gated.signals.column("explanation").to_pylist():
        assert "absences not loaded: leave and sickness could not be ruled out" in e
    recorded = json.loads((gated.path / "run.json").read_text())
    assert recorded["coverage"]["degraded"] is True

    out = CliRunner().invoke(app, ["status", "--workspace", str(without_absences.path)], terminal_width=200).output
    assert "DEGRADED" in out and "office_attendance" in out
    # what a signed-in reader sees is rendered by these library functions (governance adds sign-in and masking)
    from fairwitness.reports.explain import explain_text
    from fairwitness.reports.flags import flags as flags_text

    assert "DEGRADED data coverage" in " ".join(flags_text(without_absences, "table").split())
    someone = gated.signals.column("staff_id")[0].as_py()
    shown = explain_text(without_absences, someone)
    assert "absences not loaded: leave and sickness could not be ruled out" in " ".join(shown.replace("│", " ").split())


def _rewrite(folder, table, change) -> None:  # noqa: ANN001
    import pyarrow.parquet as pq

    for f in sorted(folder.glob(f"{table}/*.parquet")) + sorted(folder.glob(f"{table}.parquet")):
        pq.write_table(change(pq.read_table(f)), f)


def test_a_run_names_the_optional_columns_no_row_holds(small_force, tmp_path):
    """A comms export without call durations and a case system without vulnerability markers load,
    and are read as unknown, in the safe direction: `victim_contact` then cannot see what it
    looks for, and the run says so (``coverage.unheld``, and `fairwitness run`'s summary)."""
    import pyarrow as pa

    data, complete = small_force
    folder = tmp_path / "force"
    shutil.copytree(data, folder, ignore=shutil.ignore_patterns("truth*"))
    _rewrite(folder, "comms_events", lambda t: t.drop(["duration_s"]))
    _rewrite(folder, "case_parties", lambda t: t.set_column(
        t.schema.get_field_index("vulnerable"), "vulnerable", pa.nulls(t.num_rows, pa.bool_())))
    ws = Workspace(tmp_path / "ws")
    ingest(folder, ws)
    detectors = ["victim_contact", "lookups_outside_own_cases", "office_attendance"]
    unheld = run(ws, engine="duckdb", detectors=detectors).record["coverage"]["unheld"]
    vulnerable = "case_parties.vulnerable: which victims and witnesses are vulnerable"
    assert unheld["victim_contact"] == [vulnerable, "comms_events.duration_s: how long calls lasted"]
    assert unheld["lookups_outside_own_cases"] == [vulnerable]
    assert "office_attendance" not in unheld  # its people hold the office-attendance flag
    assert run(complete, engine="duckdb", detectors=detectors).record["coverage"]["unheld"] == {}
    out = CliRunner().invoke(app, ["run", "--workspace", str(ws.path), "--detectors", "victim_contact"])
    assert f"victim_contact cannot see (no row holds it): {vulnerable}; comms_events.duration_s" in out.output


def test_every_blind_column_is_optional_and_read_by_a_detector():
    """`coverage.BLIND` names only optional contract columns (the others cannot be missing from a
    loaded table) that some built-in detector reads (else nothing is blind without it)."""
    from fairwitness.contract import BY_NAME
    from fairwitness.detectors.coverage import BLIND
    from fairwitness.status import readers_of

    for table, column in BLIND:
        col = BY_NAME[table].column(column)
        assert not col.required and not col.nullable, (table, column)
        assert readers_of(table, column), (table, column)


def test_a_month_too_short_to_expect_rows_is_not_thin():
    """A period ending on 1 March: its March is one day, where a source of three rows a day holding
    none is chance, not a gap. Thirteen days of September with none of a source of seven a day are
    a gap (the export starts on 1 October)."""
    period = (dt.date(2023, 9, 18), dt.date(2024, 3, 1))
    months = {"2023-09": 40, "2023-10": 90, "2023-11": 85, "2023-12": 88, "2024-01": 91, "2024-02": 84}
    assert _problem(SourceCoverage("absences", True, rows=478, months=months), period) is None
    claims = {"2023-10": 200, "2023-11": 195, "2023-12": 210, "2024-01": 220, "2024-02": 190, "2024-03": 2}
    assert _problem(SourceCoverage("overtime_claims", True, rows=1017, months=claims), period) == (
        "missing or thin for 2023-09"
    )
