"""Cases from candidates: import, workflow, assignment, notes, pseudonymised views."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from fairwitness.governance import cases, intake, pseudonyms
from fairwitness.governance.errors import (
    ConcurrentModification,
    ConflictOfInterest,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from fairwitness.governance.models import AuditEvent, Case

from .governance_world import World, candidate, signal, write_candidates


def test_load_candidates_reads_the_run_parquet(tmp_path: Path) -> None:
    two = (signal("a"), signal("b", route="misconduct_assessment"))
    cands = [candidate("c1", staff_id="S1"), candidate("c2", staff_id="S2", signals=two, route="misconduct_assessment")]
    path = write_candidates(cands, intake.candidates_path(workspace=tmp_path, run_id="run-1"))
    assert path == tmp_path / "runs" / "run-1" / "case_candidates.parquet"
    assert intake.load_candidates(path) == cands


def test_load_candidates_refuses_missing_or_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no case candidates"):
        intake.load_candidates(tmp_path / "nope.parquet")
    pq.write_table(pa.Table.from_pylist([{"candidate_id": "x"}]), tmp_path / "bad.parquet")
    with pytest.raises(InvalidInput, match="not valid"):
        intake.load_candidates(tmp_path / "bad.parquet")
    row = write_candidates([candidate("c1", staff_id="S1")], tmp_path / "ok.parquet")
    table = pq.read_table(row)
    miscounted = table.set_column(table.schema.get_field_index("n_signals"), "n_signals", pa.array([5]))
    pq.write_table(miscounted, tmp_path / "miscounted.parquet")
    with pytest.raises(InvalidInput, match="n_signals"):
        intake.load_candidates(tmp_path / "miscounted.parquet")
    with pytest.raises(InvalidInput):
        intake.candidates_path(workspace=tmp_path, run_id="../etc")


def test_import_is_idempotent_and_audited(world: World, tmp_path: Path) -> None:
    cands = [candidate("c1", staff_id="S1"), candidate("c2", staff_id="S2")]
    path = write_candidates(cands, tmp_path / "c.parquet")
    with world.session() as s:
        first = intake.import_candidates(session=s, actor=world.analyst, candidates=intake.load_candidates(path))
    with world.session() as s:
        more = [*intake.load_candidates(path), candidate("c3", staff_id="S3")]
        again = intake.import_candidates(session=s, actor=world.analyst, candidates=more)
    assert len(first.created) == 2 and first.skipped == []
    assert len(again.created) == 1 and again.skipped == ["c1", "c2"]
    with world.session() as s:
        states = s.scalars(select(Case.state)).all()
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("case.%"))).all()
    assert states == ["new"] * 3
    assert actions.count("case.create") == 3 and actions.count("case.import") == 2


def test_people_appear_under_stable_pseudonyms(world: World) -> None:
    a = world.case("S1")
    b = world.case("S1")
    c = world.case("S2")
    with world.session() as s:
        views = [cases.show_case(session=s, actor=world.reviewer, case_id=i) for i in (a, b, c)]
        expected = pseudonyms.pseudonym(session=s, staff_id="S1")
    assert views[0].pseudonym == views[1].pseudonym == expected != views[2].pseudonym
    assert expected.startswith("P-") and len(expected) == 12
    for v in views:
        assert v.staff_id is None
        assert "S1" not in v.model_dump_json() and "S2" not in v.model_dump_json()


def test_protected_characteristics_never_reach_a_case_view(world: World) -> None:
    evidence = {
        "sex": "F",
        "ethnicity_group": "Asian",
        "age_band": "30-39",
        "disability": "yes",
        "date_of_birth": "1990-01-01",
        "display_name": "Jane Doe",
        "peer_group": {"unit": "U1", "religion": "x", "sexual_orientation": "y"},
        "rows": [{"shift": "A", "pregnancy": "z"}],
        "counterparty_staff_id": "S77",
        "witness_staff_ids": ["S78", "S79"],
    }
    case_id = world.case("S5", cand=candidate("p1", staff_id="S5", signals=(signal("p1-s", **evidence),)))
    with world.session() as s:
        stored = s.get(Case, case_id).signals[0].evidence  # type: ignore[union-attr]
        view = cases.show_case(session=s, actor=world.reviewer, case_id=case_id)
    text = view.model_dump_json()
    for forbidden in ("Jane Doe", "1990-01-01", "Asian", "30-39", "religion", "orientation", "pregnancy", '"sex"', "disability"):
        assert forbidden not in text
        assert forbidden not in json.dumps(stored)  # never even stored
    ev = view.signals[0].evidence
    assert ev["peer_group"] == {"unit": "U1"} and ev["rows"] == [{"shift": "A"}]
    assert ev["counterparty_staff_id"].startswith("P-") and all(p.startswith("P-") for p in ev["witness_staff_ids"])
    assert "S77" not in text and "S78" not in text


def test_the_subjects_staff_number_is_masked_inside_evidence_and_texts(world: World) -> None:
    sig = signal("m-1", composite_keys=["S5|2026-01-03", "S55|2026-01-04"], note="S5 claimed 4h")
    case_id = world.case("S5", cand=candidate("m", staff_id="S5", signals=(sig,)))
    with world.session() as s:
        view = cases.show_case(session=s, actor=world.reviewer, case_id=case_id)
    ev = view.signals[0].evidence
    assert ev["composite_keys"] == [f"{view.pseudonym}|2026-01-03", "S55|2026-01-04"]  # only the subject, whole tokens
    assert ev["note"] == f"{view.pseudonym} claimed 4h" and view.explanation.startswith(view.pseudonym)


def test_workflow_transitions(world: World) -> None:
    case_id = world.case("S1")
    path = [("triaged", world.analyst), ("under_review", world.reviewer), ("triaged", world.reviewer), ("under_review", world.reviewer)]
    for state, actor in path:
        with world.session() as s:
            assert cases.transition(session=s, actor=actor, case_id=case_id, to_state=state).state == state
    with pytest.raises(InvalidTransition, match="record a decision"), world.session() as s:
        cases.transition(session=s, actor=world.reviewer, case_id=case_id, to_state="decided")


@pytest.mark.parametrize(
    "start,to",
    [("new", "under_review"), ("new", "closed"), ("triaged", "closed"), ("under_review", "closed"), ("closed", "triaged"), ("new", "bogus")],
)
def test_invalid_transitions_are_refused(world: World, start: str, to: str) -> None:
    case_id = world.case("S1", state=start)
    with pytest.raises(InvalidTransition), world.session() as s:
        cases.transition(session=s, actor=world.senior, case_id=case_id, to_state=to)


def test_close_and_reopen(world: World) -> None:
    case_id = world.case("S1", state="closed")
    with world.session() as s:
        assert s.get(Case, case_id).closed_at is not None  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="reason"), world.session() as s:
        cases.transition(session=s, actor=world.senior, case_id=case_id, to_state="reopened")
    with world.session() as s:
        cases.transition(session=s, actor=world.senior, case_id=case_id, to_state="reopened", reason="the subject sent new evidence")
        cases.transition(session=s, actor=world.reviewer, case_id=case_id, to_state="under_review")
        case = s.get(Case, case_id)
        assert case is not None and case.state == "under_review" and case.closed_at is None
    with world.session() as s:
        reopened = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "case.reopened"))
    assert reopened is not None and "new evidence" in reopened


def test_assignment(world: World) -> None:
    case_id = world.case("S1")
    with world.session() as s:
        assert cases.assign(session=s, actor=world.senior, case_id=case_id, assignee="rob", line_managers={}).assignee == "rob"
    with world.session() as s:
        assert [c.id for c in cases.list_cases(session=s, actor=world.reviewer, assignee="rob")] == [case_id]
    with pytest.raises(InvalidInput, match="cannot review"), world.session() as s:
        cases.assign(session=s, actor=world.senior, case_id=case_id, assignee="ann", line_managers={})
    with pytest.raises(NotFound), world.session() as s:
        cases.assign(session=s, actor=world.senior, case_id=case_id, assignee="ghost", line_managers={})


def test_assignment_refuses_a_conflicted_reviewer(world: World) -> None:
    world.user("reviewer", "boss", staff_id="M1")
    case_id = world.case("S1")
    with pytest.raises(InvalidInput, match="choose an independent reviewer") as refused, world.session() as s:
        cases.assign(session=s, actor=world.senior, case_id=case_id, assignee="boss")
    assert "level" not in str(refused.value) and "reports" not in str(refused.value)  # says nothing about the chain


def test_notes(world: World) -> None:
    case_id = world.case("S1")
    with world.session() as s:
        cases.add_note(session=s, actor=world.analyst, case_id=case_id, text="roster checked with the unit")
    with pytest.raises(InvalidInput), world.session() as s:
        cases.add_note(session=s, actor=world.analyst, case_id=case_id, text="   ")
    with world.session() as s:
        [note] = cases.show_case(session=s, actor=world.reviewer, case_id=case_id).notes
    assert note.author == "ann" and note.text == "roster checked with the unit"


def test_stale_version_is_refused_and_nothing_saved(world: World) -> None:
    case_id = world.case("S1")
    with world.session() as s:
        seen = cases.show_case(session=s, actor=world.analyst, case_id=case_id).version
        cases.transition(session=s, actor=world.analyst, case_id=case_id, to_state="triaged", expected_version=seen)
    with pytest.raises(ConcurrentModification, match="reload"), world.session() as s:
        cases.assign(session=s, actor=world.senior, case_id=case_id, assignee="rob", line_managers={}, expected_version=seen)
    with world.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.assignee_id is None and case.version == seen + 1


def test_lists_and_views_are_audited_reads(world: World) -> None:
    case_id = world.case("S1")
    with world.session() as s:
        assert [c.id for c in cases.list_cases(session=s, actor=world.auditor, state="new")] == [case_id]
        cases.show_case(session=s, actor=world.auditor, case_id=case_id)
    with world.session() as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.subject).where(AuditEvent.actor == "audrey")).all()
        subject = pseudonyms.pseudonym(session=s, staff_id="S1")
    assert [(a, who) for a, who, _ in events] == [("case.list", "audrey"), ("case.view", "audrey")]
    assert events[1][2] == subject
    with pytest.raises(InvalidInput), world.session() as s:
        cases.list_cases(session=s, actor=world.auditor, state="pending")
    with pytest.raises(NotFound), world.session() as s:
        cases.show_case(session=s, actor=world.auditor, case_id=9999)


def test_nobody_sees_a_case_about_themselves(world: World) -> None:
    subject = world.user("analyst", "subject", staff_id="S1")
    own, other = world.case("S1"), world.case("S2")
    with world.session() as s:
        assert [c.id for c in cases.list_cases(session=s, actor=subject)] == [other]
    with pytest.raises(NotFound) as refused, world.session() as s:
        cases.show_case(session=s, actor=subject, case_id=own)
    with pytest.raises(NotFound) as missing, world.session() as s:
        cases.show_case(session=s, actor=subject, case_id=9999)
    assert str(refused.value) == f"no case {own}" and str(missing.value) == "no case 9999"  # no tip-off
    with world.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "security.own_case_refused"))
    assert event is not None and event.actor == "subject" and event.object_id == str(own)
