"""The governance commands, through `register(app)` on a small Typer app, on both databases."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from fairwitness.governance import cli, intake

from .governance_world import PASSWORD, candidate, signal, write_candidates

CHAIN = {"S1": "M1", "M1": None, "R1": "S1", "S2": None, "RITA": None, "SAM": None}  # rob (R1) reports to S1
SUMMARY = {"shifts": {"rows": 3, "first": "2026-01-01", "last": "2026-03-31"}}

Run = Callable[..., Result]


def _app(**hooks: object) -> typer.Typer:
    app = typer.Typer()
    cli.register(app, **hooks)  # type: ignore[arg-type]
    return app


@pytest.fixture
def run(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Run:
    """Invoke a command with --workspace (and --db on PostgreSQL); ``as_`` signs in."""
    app = _app(line_managers=lambda ws: CHAIN, source_summary=lambda ws, staff_id: SUMMARY if staff_id == "S1" else None)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    common = ["--workspace", str(workspace)]
    if backend == "postgresql":
        common += ["--db", request.getfixturevalue("store_url").replace("postgresql+psycopg://", "postgresql://")]
    runner = CliRunner()

    def invoke(*args: str, as_: str | None = None, password: str = PASSWORD, ok: bool = True) -> Result:
        who = ["--as", as_] if as_ else []
        env = {"FAIRWITNESS_PASSWORD": password, "FAIRWITNESS_NEW_PASSWORD": PASSWORD}
        result = runner.invoke(app, [*args, *common, *who], env=env)
        assert (result.exit_code == 0) is ok, result.output
        return result

    invoke.workspace = workspace  # type: ignore[attr-defined]
    return invoke


def _people(run: Run) -> None:
    run("users", "create", "admin", "--role", "admin")
    assert "workforce: 6 people" in run("workforce", "refresh", as_="admin").output
    for name, role, staff in [("ann", "analyst", None), ("rita", "reviewer", "RITA"), ("rob", "reviewer", "R1"),
                              ("sam", "senior_reviewer", "SAM"), ("dora", "dpo", None), ("audrey", "auditor", None)]:  # fmt: skip
        run("users", "create", name, "--role", role, *(["--staff-id", staff] if staff else []), as_="admin")


def _import(run: Run) -> None:
    sigs = (signal("x-1", detector="alpha"), signal("x-2", detector="beta"))
    cands = [candidate("x", staff_id="S1", signals=sigs), candidate("y", staff_id="S2")]
    write_candidates(cands, intake.candidates_path(workspace=run.workspace, run_id="run-1"))  # type: ignore[attr-defined]
    assert "imported 2 case(s)" in run("cases", "import", "--run", "run-1", as_="ann").output
    assert "imported 0 case(s), skipped 2" in run("cases", "import", "--run", "run-1", as_="ann").output


def test_a_case_from_import_to_disclosure(run: Run, tmp_path: Path) -> None:
    _people(run)
    _import(run)
    listed = json.loads(run("cases", "list", "--json", as_="ann").stdout)
    case = next(c for c in listed if c["run_id"] == "run-1" and "alpha" in c["detectors"])
    cid = str(case["id"])
    run("cases", "transition", cid, "triaged", as_="ann")
    run("cases", "transition", cid, "under_review", as_="rita")
    assert "assigned to rita" in run("cases", "assign", cid, "rita", as_="sam").output
    refused = run("cases", "assign", cid, "rob", as_="sam", ok=False).output
    assert "choose an independent reviewer" in refused and "level" not in refused
    run("cases", "note", cid, "asked the unit for rosters", as_="rita")
    letter = tmp_path / "letter.txt"
    letter.write_text("my sergeant approved it")
    assert "1 attachment(s)" in run("cases", "respond", cid, "--text", "It was approved", "--attach", str(letter), as_="ann").output
    decided = run("cases", "decide", cid, "--outcome", "advice", "--rationale", "the claims do not match the badge records",
                  "--signal", "x-2=false_positive", as_="rita").output  # fmt: skip
    assert "advice [pending]" in decided
    assert "different person" in run("cases", "concur", cid, "--rationale", "I agree with myself entirely", as_="rita", ok=False).output
    assert f"no case {cid}" in run("cases", "concur", cid, "--rationale", "my manager's case, agreed", as_="rob", ok=False).output
    assert "advice [final]" in run("cases", "concur", cid, "--rationale", "agree: the evidence supports advice", as_="sam").output
    shown = json.loads(run("cases", "show", cid, "--json", as_="rita").stdout)
    assert shown["state"] == "decided" and shown["staff_id"] is None and shown["responses"][0]["text"] == "It was approved"
    assert "staff number S1" in run("reidentify", cid, "--reason", "to arrange the advice meeting", as_="rita").output
    assert f"case {cid} {case['pseudonym']} = S1" in run("cases", "show", cid, as_="rita").output
    run("cases", "transition", cid, "closed", "--expect-version", str(shown["version"]), as_="rita")
    run("cases", "disclose", cid, "--out", str(tmp_path / "pack.zip"), as_="dora")
    with zipfile.ZipFile(tmp_path / "pack.zip") as zf:
        assert [n for n in zf.namelist() if n.startswith("attachments/")] == ["attachments/1-letter.txt"]
    precision = run("cases", "precision", as_="ann").output
    assert "alpha 1.0: 1 decided, precision 1.00" in precision and "beta 1.0: 1 decided, precision 0.00" in precision


def test_stale_version_is_refused(run: Run) -> None:
    _people(run)
    _import(run)
    run("cases", "transition", "1", "triaged", "--expect-version", "1", as_="ann")
    out = run("cases", "transition", "1", "under_review", "--expect-version", "1", as_="rita", ok=False).output
    assert "has changed since you read it" in out


def test_accounts_sign_in_and_permissions(run: Run) -> None:
    _people(run)
    assert "already has accounts" in run("users", "create", "eve", "--role", "admin", ok=False).output
    users = json.loads(run("users", "list", "--json", as_="admin").stdout)
    assert {u["username"] for u in users} == {"admin", "ann", "rita", "rob", "sam", "dora", "audrey"}
    assert "sign-in refused" in run("cases", "list", as_="ann", password="not the password", ok=False).output
    assert "may not" in run("sar", "S1", "--out", "x", as_="ann", ok=False).output
    run("users", "disable", "rob", as_="admin")
    assert "sign-in refused" in run("cases", "list", as_="rob", ok=False).output
    assert "intact" in run("audit", "verify", as_="audrey").output


def test_oversight_commands(run: Run, tmp_path: Path) -> None:
    _people(run)
    _import(run)
    anchor = tmp_path / "anchor.json"
    run("audit", "anchor", "--out", str(anchor), as_="audrey")
    assert json.loads(anchor.read_text())["seq"] > 0
    assert "matches anchor" in run("audit", "verify", "--anchor", str(anchor), as_="audrey").output
    assert "would purge 0 case(s)" in run("retention", "run", "--dry-run", as_="dora").output
    assert "purged 0 case(s)" in run("retention", "run", "--months", "6", as_="dora").output
    out = run("sar", "S1", "--out", str(tmp_path / "sar-S1"), as_="dora").output
    assert "cases 1" in out and "source_tables 1" in out
    assert json.loads((tmp_path / "sar-S1.json").read_text())["source_summary"] == SUMMARY
    assert (tmp_path / "sar-S1.html").read_text().startswith("<!doctype html>")
    run("purposes", "export", "--out", str(tmp_path / "dpia"), as_="dora")
    assert (tmp_path / "dpia" / "purpose_register.md").exists() and (tmp_path / "dpia" / "purpose_register.json").exists()


def test_verify_exits_non_zero_and_says_where(backend: str, isolated_store_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    app = _app(line_managers=lambda ws: {})
    common = ["--workspace", str(tmp_path), "--db", isolated_store_url]
    env = {"FAIRWITNESS_PASSWORD": PASSWORD, "FAIRWITNESS_NEW_PASSWORD": PASSWORD}
    runner = CliRunner()
    assert runner.invoke(app, ["users", "create", "admin", "--role", "admin", *common], env=env).exit_code == 0
    assert runner.invoke(app, ["users", "create", "audrey", "--role", "auditor", *common, "--as", "admin"], env=env).exit_code == 0
    engine = create_engine(isolated_store_url)
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("UPDATE audit_events SET detail = '{\"role\":\"admin\"}' WHERE seq = 2"))
    engine.dispose()
    result = runner.invoke(app, ["audit", "verify", *common, "--as", "audrey"], env=env)
    assert result.exit_code == 1
    assert "TAMPERED" in result.output and "event 2: [edited]" in result.output


def test_workforce_refresh_refuses_without_line_management(tmp_path: Path) -> None:
    app = _app()  # the lead has not wired line management: the workforce cannot be refreshed
    env = {"FAIRWITNESS_PASSWORD": PASSWORD, "FAIRWITNESS_NEW_PASSWORD": PASSWORD}
    common = ["--workspace", str(tmp_path)]
    runner = CliRunner()
    assert runner.invoke(app, ["users", "create", "admin", "--role", "admin", *common], env=env).exit_code == 0
    result = runner.invoke(app, ["workforce", "refresh", *common, "--as", "admin"], env=env)
    assert result.exit_code == 1 and "line management is not available" in result.output


def test_missing_workspace_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["cases", "list", "--workspace", str(tmp_path / "nope"), "--as", "x", "--password", "y"])
    assert result.exit_code == 1 and "does not exist" in result.output
