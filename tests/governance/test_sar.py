"""Subject access: everything about the person is in the export, and nothing about anyone else."""

from __future__ import annotations

import re

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from fairwitness.governance import cases, decisions, pseudonyms, responses, retention, sar
from fairwitness.governance.models import AuditEvent, Case, Decision, Response, Signal

from .governance_world import RATIONALE, World, candidate, signal

SOURCE_SUMMARY = {
    "shifts": {"rows": 412, "first": "2025-01-01", "last": "2026-03-31"},
    "overtime_claims": {"rows": 37, "first": "2025-02-03", "last": "2026-03-20"},
}


def _build(world: World) -> None:
    """S1: three cases in different states (one purged), a response, notes, a re-identification, an account.
    S2: a case full of markers that must never appear in S1's export."""
    world.user("analyst", "subject-account", staff_id="S1")
    sigs = (signal("a-1", detector="alpha", counterparty_staff_id="S3"), signal("a-2", detector="beta"))
    first = world.case("S1", state="under_review", cand=candidate("a", staff_id="S1", signals=sigs, route="misconduct_assessment"))
    with world.session() as s:
        decisions.decide(session=s, actor=world.reviewer, case_id=first, outcome="misconduct_assessment", rationale=RATIONALE,
                         line_managers={}, signal_outcomes={"a-2": "false_positive"})  # fmt: skip
        decisions.concur(session=s, actor=world.senior, case_id=first, rationale="agree: the claims cannot be explained", line_managers={})
        cases.add_note(session=s, actor=world.reviewer, case_id=first, text="asked the unit for the roster")
        responses.record_response(session=s, actor=world.analyst, case_id=first, text="I dispute this", attachments=[("note.txt", b"n")])
        pseudonyms.reidentify(session=s, actor=world.reviewer, case_id=first, reason="to request the personnel file", line_managers={})
    world.case("S1", state="new")
    purged = world.case("S1", state="closed", outcome="false_positive")
    with world.session() as s:
        s.get(Case, purged).closed_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # type: ignore[union-attr]
    with world.session() as s:
        retention.run(session=s, actor=world.dpo)
    other = world.case("S2", state="under_review", cand=candidate("b", staff_id="S2", signals=(signal("OTHER-SIGNAL"),)))
    with world.session() as s:
        cases.add_note(session=s, actor=world.reviewer, case_id=other, text="OTHER-PERSON-NOTE")
        responses.record_response(session=s, actor=world.analyst, case_id=other, text="OTHER-PERSON-RESPONSE")
        pseudonyms.reidentify(session=s, actor=world.reviewer, case_id=other, reason="OTHER-PERSON-REASON", line_managers={})


def test_export_is_complete_and_about_the_subject_only(world: World, tmp_path: Path) -> None:
    _build(world)
    with world.session() as s:
        result = sar.export(session=s, actor=world.dpo, staff_id="S1", out=tmp_path / "sar-S1", source_summary=SOURCE_SUMMARY)
    data = json.loads(result.json_path.read_text())
    html = result.html_path.read_text()
    with world.session() as s:
        subject = pseudonyms.pseudonym(session=s, staff_id="S1")
        case_ids = set(s.scalars(select(Case.id).where(Case.staff_id == "S1")))
        signal_ids = set(s.scalars(select(Signal.signal_id).join(Case).where(Case.staff_id == "S1")))
        decision_ids = set(s.scalars(select(Decision.id).join(Case).where(Case.staff_id == "S1")))
        response_ids = set(s.scalars(select(Response.id).join(Case).where(Case.staff_id == "S1")))
        event_seqs = set(s.scalars(select(AuditEvent.seq).where(AuditEvent.subject == subject, AuditEvent.action != "sar.export")))
        others = set(s.scalars(select(AuditEvent.seq).where(AuditEvent.subject != subject)))

    assert data["subject"] == {"staff_id": "S1", "pseudonym": subject}
    assert data["source_summary"] == SOURCE_SUMMARY
    assert [a["username"] for a in data["accounts"]] == ["subject-account"]
    assert {c["id"] for c in data["cases"]} == case_ids and len(case_ids) == 2
    assert {g["signal_id"] for c in data["cases"] for g in c["signals"]} == signal_ids
    assert len(signal_ids) == 3 and {"a-1", "a-2"} <= signal_ids
    assert {d["id"] for c in data["cases"] for d in c["decisions"]} == decision_ids
    assert {r["id"] for c in data["cases"] for r in c["responses"]} == response_ids
    assert [g["reason"] for g in data["reidentifications"]] == ["to request the personnel file"]
    exported = {e["seq"] for e in data["audit_events"]}
    assert exported == event_seqs and not exported & others
    assert "retention.purge" in {e["action"] for e in data["audit_events"]}  # the purged case left its event
    decided = next(c for c in data["cases"] if c["decisions"])
    assert decided["decisions"][0]["signal_outcomes"] == {"a-1": "misconduct_assessment", "a-2": "false_positive"}
    assert decided["notes"][0]["text"] == "asked the unit for the roster"
    assert data["counts"] == {"source_tables": 2, "cases": 2, "signals": 3, "decisions": 1, "responses": 1, "notes": 1,
                              "reidentifications": 1, "audit_events": len(event_seqs), "events_as_actor": 0,
                              "cases_naming_them": 0}  # fmt: skip

    for text in (result.json_path.read_text(), html):
        for marker in ("OTHER-PERSON", "OTHER-SIGNAL", "S2", "S3"):
            # whole tokens only: a random pseudonym such as P-ZSQZ4A2AS2 may contain "S2"
            assert not re.search(rf"(?<![A-Za-z0-9]){marker}(?![A-Za-z0-9])", text), marker
    assert "staff number S1" in html and "I dispute this" in html and "to request the personnel file" in html
    assert "overtime_claims" in html and "retention.purge" in html


def test_the_export_is_itself_audited(world: World, tmp_path: Path) -> None:
    with world.session() as s:
        result = sar.export(session=s, actor=world.dpo, staff_id="S9", out=tmp_path / "x.json")
    assert result.json_path.name == "x.json" and result.html_path.name == "x.html"
    assert result.counts["cases"] == 0
    with world.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "sar.export"))
        assert event is not None and event.subject == pseudonyms.pseudonym(session=s, staff_id="S9")
