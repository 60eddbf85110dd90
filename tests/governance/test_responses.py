"""The right to respond: responses and attachments shown to reviewers; the disclosure pack."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from fairwitness.governance import cases, responses
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import AuditEvent

from .governance_world import World, candidate, signal

LETTER = b"%PDF-1.4 letter from my GP"


def _respond(world: World, case_id: int) -> None:
    with world.session() as s:
        responses.record_response(
            session=s,
            actor=world.analyst,
            case_id=case_id,
            text="I was on a rest day swap approved by my sergeant.",
            attachments=[("gp-letter.pdf", LETTER), ("../../etc/rota.csv", b"date,shift\n2026-01-03,early\n")],
        )


def test_response_and_attachments_are_shown_to_reviewers(world: World) -> None:
    case_id = world.case("S1", state="under_review")
    _respond(world, case_id)
    with world.session() as s:
        [response] = cases.show_case(session=s, actor=world.reviewer, case_id=case_id).responses
    assert response.text.startswith("I was on a rest day swap") and response.recorded_by == "ann"
    letter, rota = response.attachments
    assert (letter.filename, letter.media_type, letter.size) == ("gp-letter.pdf", "application/pdf", len(LETTER))
    assert letter.sha256 == hashlib.sha256(LETTER).hexdigest()
    assert rota.filename == "rota.csv"  # no paths
    with world.session() as s:
        assert responses.read_attachment(session=s, actor=world.reviewer, attachment_id=letter.id) == ("gp-letter.pdf", LETTER)
    with world.session() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("case.%")).order_by(AuditEvent.seq)).all()
    assert actions[-3:] == ["case.respond", "case.view", "case.attachment.read"]


def test_a_response_needs_content(world: World) -> None:
    case_id = world.case("S1")
    with pytest.raises(InvalidInput), world.session() as s:
        responses.record_response(session=s, actor=world.analyst, case_id=case_id, text="  ")


def test_disclosure_pack(world: World, tmp_path: Path) -> None:
    sig = signal("d-1", counterparty_staff_id="S900", sex="M")
    case_id = world.case("S1", state="decided", cand=candidate("d", staff_id="S1", signals=(sig,)), outcome="advice")
    with world.session() as s:
        cases.add_note(session=s, actor=world.reviewer, case_id=case_id, text="internal: speak to HR first")
    _respond(world, case_id)
    with world.session() as s:
        path = responses.export_disclosure_pack(session=s, actor=world.dpo, case_id=case_id, out=tmp_path / "pack.zip")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        pack = json.loads(zf.read("disclosure.json"))
        html = zf.read("disclosure.html").decode()
        assert zf.read(next(n for n in names if n.endswith("gp-letter.pdf"))) == LETTER
    assert {"disclosure.json", "disclosure.html"} <= names and len(names) == 4
    case = pack["case"]
    assert case["staff_id"] == "S1" and case["decisions"][0]["outcome"] == "advice"
    assert case["decisions"][0]["concurred_by"] == "sam" and case["responses"][0]["attachments"][0]["filename"] == "gp-letter.pdf"
    assert "notes" not in case
    for text in (json.dumps(pack), html):
        assert "S900" not in text and "internal: speak to HR" not in text and '"sex"' not in text
    assert "staff number S1" in html and "rest day swap approved" in html and "Decision" in html
    with world.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "case.disclose"))
    assert event is not None and event.actor == "dora"
