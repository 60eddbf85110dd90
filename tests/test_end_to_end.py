"""The whole job through the CLI on a small synthetic force, and engine parity on it."""

from __future__ import annotations

import json
import re

import pyarrow.compute as pc
import pytest
from typer.testing import CliRunner

from fairwitness.cli import app

runner = CliRunner()


def cli(*args: str, ok: bool = True) -> str:
    res = runner.invoke(app, list(args), catch_exceptions=False)
    if ok:
        assert res.exit_code == 0, res.output
    return res.output


def test_status_reports_every_loaded_table(small_force):
    _, ws = small_force
    out = json.loads(cli("status", "--workspace", str(ws.path), "--json"))
    names = {t["table"] for t in out["tables"]}
    assert {"people", "shifts", "badge_events", "system_access", "external_records"} <= names
    shifts = next(t for t in out["tables"] if t["table"] == "shifts")
    assert shifts["rows"] > 0 and shifts["first"] < shifts["last"]


def test_run_flags_explain_evaluate_and_audit(small_force, tmp_path):
    data, ws = small_force
    out = cli("run", "--workspace", str(ws.path))
    assert "People by route" in out
    # flags and explain need a signed-in user (the workforce comes from the workspace's people)
    w = ["--workspace", str(ws.path)]
    cli("users", "create", "ada", "--role", "admin", "--new-password", "pw-ada-123456", *w)
    cli("workforce", "refresh", *w, "--as", "ada", "--password", "pw-ada-123456")
    for name, role in (("ann", "analyst"), ("aud", "auditor")):
        cli("users", "create", name, "--role", role, "--new-password", f"pw-{name}-123456", *w,
            "--as", "ada", "--password", "pw-ada-123456")
    ann = ["--as", "ann", "--password", "pw-ann-123456"]
    flags = json.loads(cli("flags", *w, "--format", "json", *ann))["candidates"]
    assert flags, "a force with planted misconduct produces flags"
    for row in flags:
        assert {"staff_id", "route", "detectors", "score", "explanation"} <= set(row)
        assert row["staff_id"].startswith("P-"), "flags show pseudonyms, not staff numbers"
    who = flags[0]["staff_id"]
    text = cli("explain", *w, who, *ann)
    assert who in text
    # no staff number of the workforce anywhere in what a reader sees (details such as reciprocal loops included)
    from fairwitness.subjects import line_managers

    signals = cli("flags", *w, "--format", "json", "--signals", *ann)
    explained = [cli("explain", *w, row["staff_id"], *ann) for row in flags[:10]]
    seen = "\n".join([signals, text, *explained])
    leaked = {sid for sid in line_managers(ws.path) if re.search(rf"(?<![A-Za-z0-9]){re.escape(sid)}(?![A-Za-z0-9])", seen)}
    assert not leaked, sorted(leaked)[:5]
    ev = cli("evaluate", "--workspace", str(ws.path), "--truth", str(data), ok=False)
    assert "recall" in ev.lower()
    # people decide: the run's candidates become cases, and the run is in the audit log
    run_id = (ws.runs_dir / "CURRENT").read_text().strip()
    cli("cases", "import", "--run", run_id, *w, *ann)
    listed = cli("cases", "list", *w, *ann)
    assert who in listed, "case lists show the same pseudonyms as flags"
    verify = cli("audit", "verify", *w, "--as", "aud", "--password", "pw-aud-123456")
    assert "intact" in verify.lower() or "ok" in verify.lower()


@pytest.mark.spark
def test_engine_parity_on_the_synthetic_force(small_force, spark_session):
    from fairwitness.detectors.runner import run

    _, ws = small_force
    duck = run(ws, engine="duckdb")
    spark = run(ws, engine="spark")
    assert duck.run_id == spark.run_id
    assert duck.errors == {} and spark.errors == {}
    cols = ["signal_id", "staff_id", "detector", "route", "score", "explanation", "evidence"]
    a = duck.signals.select(cols).sort_by([("signal_id", "ascending")])
    b = spark.signals.select(cols).sort_by([("signal_id", "ascending")])
    assert a.num_rows > 0
    assert a.equals(b)
    assert pc.count_distinct(a["detector"]).as_py() >= 5
    # the peer groups many detectors compare with are one shared, cached view on Spark too
    # (`fairwitness.detectors.shared`)
    from fairwitness.detectors.shared import PREFIX

    sql = {d["name"]: d["sql"] for d in spark.record["detectors"]}
    for name in ["lookups_without_case_ref", "lookups_outside_own_cases", "excess_hours", "self_authorisation", "peer_anomaly"]:
        assert PREFIX + "peer_groups_" in sql[name], name
    # no NOT IN (subquery): SQL's null-aware NOT IN is a nested loop over every pair of rows on
    # Spark (duty_presence_gaps at 10,000 x 3: no result after 24 minutes; 191 s as NOT EXISTS)
    not_in = re.compile(r"NOT\s*\(\s*[`\w.]+\s+IN\s*\(\s*SELECT", re.IGNORECASE)
    assert not [name for name, text in sql.items() if not_in.search(text or "")]
