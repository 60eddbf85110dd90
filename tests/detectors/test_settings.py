"""A force's detector settings file: read, checked, applied to every run and recorded."""

from __future__ import annotations

import datetime as dt
import json

import ibis
import pytest
import typer
from pydantic import BaseModel, ConfigDict
from typer.testing import CliRunner

from fairwitness.detectors import cli, runs
from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runner import RunError, run
from fairwitness.detectors.settings import FILE_NAME, Settings, SettingsError, read


class EditParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_edits: int = 2
    route: str = "advice"


class Edits(Detector):
    """Flags people with at least ``min_edits`` roster edits."""

    name = "edits"
    version = "1"
    title = "Roster edits"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id")}
    explain = "{value} roster edits."
    scenarios = ("roster_premium_edit",)
    Params = EditParams

    def build(self, src):
        t = src.table("roster_changes")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())
        g = g.filter(g.n >= self.params.min_edits)
        return g.select(
            staff_id=g.staff_id, period_start=ibis.literal(src.period_start), period_end=ibis.literal(src.period_end),
            value=g.n.cast("float64"), peer_median=ibis.null("float64"), peer_percentile=ibis.null("float64"),
            peer_group=ibis.null("string"), score=ibis.literal(0.9), route=ibis.literal(self.params.route),
            evidence_table=ibis.literal("roster_changes"), evidence_keys=g.keys,
            explanations_found=ibis.literal([], "array<string>"), detail=ibis.null("string"),
        )


@pytest.fixture
def registry():
    return load_registry([Edits], plugins=False)


@pytest.fixture
def ws(make_workspace, contract_table):
    rows = [dict(change_id=f"C{i}", shift_id="S", staff_id=who, changed_by="P9", changed_at=f"2025-01-1{i} 10:00", field="f")
            for i, who in enumerate(["P1", "P1", "P2"])]
    return make_workspace({"roster_changes": contract_table("roster_changes", rows)})


PERIOD = dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))


def _flagged(result):
    return sorted(zip(result.signals["staff_id"].to_pylist(), result.signals["route"].to_pylist(), strict=True))


def test_the_workspace_file_sets_the_parameters_of_every_run_and_the_record_says_which(ws, registry):
    assert _flagged(run(ws, registry=registry, **PERIOD)) == [("P1", "advice")]
    text = "# our policy\n[edits]\nmin_edits = 1\nroute = \"wellbeing\"\n"
    (ws.path / FILE_NAME).write_text(text)
    res = run(ws, registry=registry, **PERIOD)
    assert _flagged(res) == [("P1", "wellbeing"), ("P2", "wellbeing")]
    record = runs.read_record(ws, res.run_id)
    assert record["settings"]["file"] == str(ws.path / FILE_NAME)
    assert record["settings"]["detectors"] == ["edits"]
    assert len(record["settings"]["sha256"]) == 64
    assert record["detectors"][0]["params"] == {"min_edits": 1, "route": "wellbeing"}
    # parameters given in code override the file's, key by key
    res = run(ws, registry=registry, params={"edits": {"route": "misconduct_assessment"}}, **PERIOD)
    assert _flagged(res) == [("P1", "misconduct_assessment"), ("P2", "misconduct_assessment")]


def test_another_file_replaces_the_workspace_one(ws, registry, tmp_path):
    (ws.path / FILE_NAME).write_text("[edits]\nmin_edits = 1\n")
    other = tmp_path / "strict.toml"
    other.write_text("[edits]\nmin_edits = 3\n")
    assert _flagged(run(ws, registry=registry, settings=other, **PERIOD)) == []
    with pytest.raises(RunError, match="missing.toml: cannot read"):
        run(ws, registry=registry, settings=tmp_path / "missing.toml", **PERIOD)


@pytest.mark.parametrize(("text", "message"), [
    ("[edits\nmin_edits = 1\n", r"not valid TOML: .*line 1"),
    ("[edit]\nmin_edits = 1\n", r"\[edit\] is not a detector of this catalogue \(detectors: edits\)"),
    ("[edits]\nmin_edit = 1\n", r"\[edits\] min_edit: not a parameter of this detector"),
    ("[edits]\nmin_edits = \"many\"\n", r"\[edits\] min_edits: .*integer.* \(got 'many'\)"),
    ("edits = 3\n", r"edits must be a table of parameters"),
])
def test_a_file_that_cannot_be_applied_names_the_file_table_and_key(tmp_path, registry, text, message):
    path = tmp_path / FILE_NAME
    path.write_text(text)
    with pytest.raises(SettingsError, match=message) as e:
        read(path, registry)
    assert str(path) in str(e.value)


def test_a_bad_file_stops_the_run_before_anything_runs(ws, registry):
    (ws.path / FILE_NAME).write_text("[edits]\nmin_edits = \"many\"\n")
    with pytest.raises(RunError, match="min_edits"):
        run(ws, registry=registry, **PERIOD)
    assert runs.current_run_id(ws) is None


def test_merging_keeps_file_keys_a_run_does_not_give():
    s = Settings({"a": {"x": 1, "y": 2}})
    assert s.merged({"a": {"y": 3}, "b": {"z": 4}}) == {"a": {"x": 1, "y": 3}, "b": {"z": 4}}
    assert Settings().record() == {}


def test_the_run_command_takes_settings_prints_them_and_audits_them(ws, registry, monkeypatch, tmp_path):
    from fairwitness.governance import db

    monkeypatch.setattr(cli, "_open", lambda path: ws)
    monkeypatch.setattr(cli, "_registry", lambda: registry)
    monkeypatch.delenv("FAIRWITNESS_DB", raising=False)
    app = typer.Typer()
    cli.register(app)
    path = tmp_path / "force.toml"
    path.write_text("[edits]\nmin_edits = 1\n")
    res = CliRunner().invoke(app, ["run", "-w", str(ws.path), "--settings", str(path), "--from", "2025-01-01", "--to", "2025-01-31"])
    assert res.exit_code == 0, res.output
    assert f"Detector settings: {path} (edits; sha256" in res.output
    assert "2 signals" in res.output
    store = db.create_store(db.store_url(workspace=ws.path))
    try:
        with store.session() as s:
            from sqlalchemy import text

            detail = s.execute(text("SELECT detail FROM audit_events WHERE action = 'run.complete'")).scalar_one()
    finally:
        store.dispose()
    detail = json.loads(detail) if isinstance(detail, str) else detail
    assert detail["settings"]["file"] == str(path)
    path.write_text("[edits]\nroute = 3\n")
    res = CliRunner().invoke(app, ["run", "-w", str(ws.path), "--settings", str(path)])
    assert res.exit_code == 1 and "route" in res.output and str(path) in res.output.replace("\n", "")


def test_the_catalogue_listing_shows_the_parameters_a_run_applies(ws, registry, monkeypatch):
    monkeypatch.setattr(cli, "_registry", lambda: registry)
    monkeypatch.delenv("FAIRWITNESS_DB", raising=False)
    app = typer.Typer()
    cli.register(app)
    (ws.path / FILE_NAME).write_text("[edits]\nmin_edits = 5\n")
    res = CliRunner().invoke(app, ["detectors", "--workspace", str(ws.path), "--json"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)["detectors"]
    assert row["params"] == {"min_edits": 5, "route": "advice"} and row["settings"] == {"min_edits": 5}
    res = CliRunner().invoke(app, ["detectors", "--workspace", str(ws.path)])
    assert "min_edits=5 (force setting), route=advice" in res.output
    res = CliRunner().invoke(app, ["detectors", "--json"])  # without a workspace: the defaults
    assert json.loads(res.output)["detectors"][0]["params"] == {"min_edits": 2, "route": "advice"}
    (ws.path / FILE_NAME).write_text("[edits]\nmin_edits = []\n")
    res = CliRunner().invoke(app, ["detectors", "--workspace", str(ws.path)])
    assert res.exit_code == 1 and "min_edits" in res.output
