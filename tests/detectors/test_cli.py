"""The detector commands, registered on a Typer app as the main CLI does."""

from __future__ import annotations

import csv
import io
import json

import ibis
import pytest
import typer
from typer.testing import CliRunner

from fairwitness.detectors import cli
from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import load_registry


class Edits(Detector):
    name = "edits"
    version = "1"
    title = "Roster edits"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id")}
    explain = "{value} roster edits."
    scenarios = ("roster_premium_edit",)

    def build(self, src):
        t = src.table("roster_changes")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())
        return g.select(
            staff_id=g.staff_id, period_start=ibis.literal(src.period_start), period_end=ibis.literal(src.period_end),
            value=g.n.cast("float64"), peer_median=ibis.null("float64"), peer_percentile=ibis.null("float64"),
            peer_group=ibis.null("string"), score=ibis.literal(0.9), route=ibis.literal("misconduct_assessment"),
            evidence_table=ibis.literal("roster_changes"), evidence_keys=g.keys,
            explanations_found=ibis.literal([], "array<string>"), detail=ibis.null("string"),
        )


class NeedsExpenses(Edits):
    name = "needs_expenses"
    reads = {"expenses": ("claim_id", "staff_id")}


@pytest.fixture
def app(make_workspace, contract_table, monkeypatch):
    ws = make_workspace({
        "roster_changes": contract_table("roster_changes", [
            dict(change_id="C1", shift_id="S", staff_id="P1", changed_by="P9", changed_at="2025-01-10 10:00", field="f"),
        ]),
        "shifts": contract_table("shifts", [
            dict(shift_id="S", staff_id="P1", start="2025-01-10 08:00", end="2025-01-10 18:00", duty_type="normal", site_id="X"),
        ]),
    })
    registry = load_registry([Edits, NeedsExpenses], plugins=False)
    monkeypatch.setattr(cli, "_open", lambda path: ws)
    monkeypatch.setattr(cli, "_registry", lambda: registry)
    _signed_in_reader(ws.path, monkeypatch)
    app = typer.Typer()
    cli.register(app)
    app.ws = ws  # type: ignore[attr-defined]
    return app


def _signed_in_reader(path, monkeypatch):
    """flags and explain need a signed-in user (issue 15): an analyst on the workspace's store."""
    from fairwitness.governance import db, users, workforce

    monkeypatch.setenv("FAIRWITNESS_PSEUDONYM_KEY", "4d" * 32)
    monkeypatch.setenv("FAIRWITNESS_PASSWORD", "correct horse battery")
    monkeypatch.delenv("FAIRWITNESS_DB", raising=False)
    store = db.create_store(db.store_url(workspace=path))
    with store.session() as s:
        workforce.refresh(session=s, actor="test", people={"P1": None, "P9": None})
        admin = users.create_user(session=s, actor=None, username="admin", password="correct horse battery", role="admin")
        users.create_user(session=s, actor=admin, username="ann", password="correct horse battery", role="analyst")
    store.dispose()


def test_run_flags_explain_evaluate_and_list(app, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["run", "-w", "WS", "--detectors", "edits", "--from", "2025-01-01", "--to", "2025-01-31"])
    assert res.exit_code == 0, res.output
    assert "1 signals, 1 case candidates" in res.output

    ws = ["-w", str(app.ws.path), "--as", "ann"]
    res = runner.invoke(app, ["flags", *ws, "--format", "csv"])
    assert res.exit_code == 0, res.output
    (row,) = list(csv.DictReader(io.StringIO(res.output)))
    assert (row["route"], row["explanation"]) == ("misconduct_assessment", "1 roster edits.")
    who = row["staff_id"]
    assert who.startswith("P-"), "flags show pseudonyms"
    assert json.loads(runner.invoke(app, ["flags", *ws, "--format", "json"]).output)["candidates"][0]["staff_id"] == who

    res = runner.invoke(app, ["explain", *ws, who])
    assert res.exit_code == 0 and "1 roster edits." in res.output and "C1" in res.output
    res = runner.invoke(app, ["explain", *ws, "P404"])
    assert res.exit_code == 1 and "P404 has no flag" in res.output

    truth = tmp_path / "truth.csv"
    truth.write_text("staff_id,scenario,start,end,kind\nP1,roster_premium_edit,2025-01-01,2025-01-31,misconduct\nP2,overtime_no_presence,2025-01-01,2025-01-31,misconduct\n")
    res = runner.invoke(app, ["evaluate", "-w", "WS", "--truth", str(truth)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", "-w", "WS", "--truth", str(truth), "--min-recall", "0.95", "--max-decoys", "0"])
    assert res.exit_code == 1 and "recall for overtime_no_presence" in res.output

    res = runner.invoke(app, ["detectors", "--json"])
    assert [d["name"] for d in json.loads(res.output)["detectors"]] == ["edits", "needs_expenses"]


def test_a_failing_detector_is_reported_and_exits_non_zero(app):
    res = CliRunner().invoke(app, ["run", "-w", "WS"])
    assert res.exit_code == 1
    assert "needs source 'expenses'" in res.output and "1 detector(s) failed" in res.output
    res = CliRunner().invoke(app, ["run", "-w", "WS", "--detectors", "nope"])
    assert res.exit_code == 1 and "no detector named 'nope'" in res.output
    res = CliRunner().invoke(app, ["run", "-w", "WS", "--from", "January"])
    assert res.exit_code == 2 and "not a date" in res.output
