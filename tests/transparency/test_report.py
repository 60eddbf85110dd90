"""The transparency report builds as HTML and PDF, says what it must, and publishes no personal data."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from audited import with_plugin
from fairwitness.cli import app
from fairwitness.detectors.registry import load_registry
from fairwitness.detectors import runs
from fairwitness.fairness.assessment import assess
from fairwitness.governance.db import create_store
from fairwitness.transparency.content import gather
from fairwitness.transparency.render import ReportExists, render_html, write


@pytest.fixture(scope="module")
def content(audited_force, tmp_path_factory):
    store = create_store(f"sqlite:///{tmp_path_factory.mktemp('report') / 'g.sqlite'}")
    try:
        store.record_event(actor="system", action="sar.export", object_type="person", object_id="x")
        fairness = assess(audited_force.workspace, truth=audited_force.data, store=store)
        registry = load_registry(loader=with_plugin)
        yield gather(audited_force.workspace, store=store, fairness=fairness, min_group=25, registry=registry)
    finally:
        store.dispose()


def test_figures_match_the_run(content, audited_force):
    cands = runs.read_candidates_table(audited_force.workspace, audited_force.run_id).column("route").to_pylist()
    assert content.flagged == len(cands)
    assert content.by_route["advice"] == cands.count("advice")
    assert content.sar_exports == 1 and content.audit_events == 1 and content.audit_intact
    assert any(s.table == "people_protected" and "fairness_audit" in s.purposes for s in content.sources)
    by_name = {d.name: d for d in content.detectors}
    assert {"part_time_suspicion", "office_attendance"} <= set(by_name)
    assert by_name["part_time_suspicion"].flagged > 0 and by_name["part_time_suspicion"].description.startswith("Flags part-time")


def test_small_groups_are_suppressed(content):
    small = [g for g in content.groups if g.suppressed]
    assert small, "min_group=25 suppresses some groups of the 400-person force"
    assert all(g.people is None and g.fpr is None and g.flag_rate is None for g in small)
    html = render_html(content)
    assert html.count("suppressed: fewer than 25 people") == len(small)


def test_html_and_pdf_carry_the_headline_figures_and_no_staff_ids(content, audited_force, tmp_path):
    html_path = write(content, tmp_path, fmt="html")
    pdf_path = write(content, tmp_path, fmt="pdf")
    html = html_path.read_text()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    squashed = re.sub(r"\s+", "", text)
    for figure in (f"{content.people:,}", f"{content.flagged:,}", f"{content.flagged_adverse:,}", content.audit_head_hash):
        assert re.sub(r"\s+", "", figure) in squashed, figure
    assert "people flagged (any route)" in text and "Sources and lawful basis" in text
    assert html.count("data:image/png;base64,") == 3
    visible = re.sub(r'src="data:[^"]+"', "", html)
    staff = set(runs.read_signals(audited_force.workspace, audited_force.run_id).column("staff_id").to_pylist())
    assert staff and not [s for s in staff if re.search(rf"\b{re.escape(s)}\b", visible)]


def test_an_existing_report_is_never_overwritten_without_force(content, tmp_path):
    path = write(content, tmp_path, fmt="html")
    path.write_text("published earlier")
    with pytest.raises(ReportExists):
        write(content, tmp_path, fmt="html")
    assert path.read_text() == "published earlier"
    write(content, tmp_path, fmt="html", force=True)
    assert path.read_text() != "published earlier"


def test_report_command(audited_force, tmp_path):
    args = ["report", "--workspace", str(audited_force.workspace), "--out", str(tmp_path), "--truth",
            str(audited_force.data), "--db", f"sqlite:///{tmp_path / 'g.sqlite'}"]  # fmt: skip
    res = CliRunner().invoke(app, [*args, "--period", "2025-01-01..2025-01-31"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "transparency-report.html").is_file()
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    assert res.exit_code == 2 and "--force" in res.output
    res = CliRunner().invoke(app, [*args, "--period", "2030-01-01..2030-12-31", "--force"], catch_exceptions=False)
    assert res.exit_code == 2 and "does not overlap" in res.output
    res = CliRunner().invoke(app, [*args, "--period", "2025-02-01"], catch_exceptions=False)
    assert res.exit_code == 2 and "FROM..TO" in res.output


def test_the_report_publishes_the_thresholds_a_force_set(content):
    """A run at the catalogue's defaults publishes no settings; one with the force's detectors.toml
    names each parameter it changed, so a published threshold is the one used."""
    from fairwitness.detectors.catalogue.undeclared_interest import UndeclaredInterest
    from fairwitness.transparency.content import _changed

    assert all(d.settings == {} for d in content.detectors)
    defaults = UndeclaredInterest().params.model_dump(mode="json")
    run_params = {**defaults, "grace_days": 60, "membership_declarable_from": "2025-12-11"}
    assert _changed(UndeclaredInterest, run_params) == {"grace_days": 60, "membership_declarable_from": "2025-12-11"}
    assert _changed(UndeclaredInterest, {"invalid": {"grace_days": "x"}}) == {}
    rows = [d.model_copy(update={"settings": {"grace_days": 60}}) if d.name == "office_attendance" else d
            for d in content.detectors]
    html = render_html(content.model_copy(update={"detectors": rows}))
    assert html.count("Set by this force") == 1
    assert "Set by this force (the catalogue's defaults otherwise): grace_days = 60." in html
