"""Retention: closed no-further-action / false-positive cases go after the period; the audit event stays."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fairwitness.governance import cases, decisions, pseudonyms, responses, retention, verification
from fairwitness.governance.models import (
    Attachment,
    AuditEvent,
    Base,
    Case,
    Decision,
    Note,
    Reidentification,
    Response,
    Signal,
    SignalOutcome,
)

from .governance_world import World

NOW = dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC)
OLD = NOW - dt.timedelta(days=400)
RECENT = NOW - dt.timedelta(days=300)


def _counts(world: World) -> dict[str, int]:
    with world.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def _close_at(world: World, case_id: int, when: dt.datetime) -> None:
    with world.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        case.closed_at = when


@pytest.fixture
def estate(world: World) -> dict[str, int]:
    """Cases in every situation retention must tell apart."""
    made = {
        "old_nfa": world.case("S1", state="closed", outcome="no_further_action"),
        "old_fp": world.case("S2", state="closed", outcome="false_positive"),
        "recent_nfa": world.case("S3", state="closed", outcome="no_further_action"),
        "old_adverse": world.case("S4", state="closed", outcome="advice"),
        "old_wellbeing": world.case("S5", state="closed", outcome="wellbeing"),
        "decided_nfa": world.case("S6", state="decided", outcome="no_further_action"),
        "open": world.case("S7", state="under_review"),
    }
    for key, case_id in made.items():
        if key.startswith("old"):
            _close_at(world, case_id, OLD)
        elif key == "recent_nfa":
            _close_at(world, case_id, RECENT)
    case_id = made["old_nfa"]
    with world.session() as s:  # give the purgeable case everything that hangs off a case
        cases.add_note(session=s, actor=world.reviewer, case_id=case_id, text="nothing in it")
        responses.record_response(session=s, actor=world.analyst, case_id=case_id, text="agreed", attachments=[("a.txt", b"a")])
        pseudonyms.reidentify(session=s, actor=world.reviewer, case_id=case_id, reason="checking the roster entry", line_managers={})
    return made


def test_dry_run_reports_and_changes_nothing(world: World, estate: dict[str, int]) -> None:
    before = _counts(world)
    with world.session() as s:
        report = retention.run(session=s, actor=world.dpo, dry_run=True, now=NOW)
    assert report.dry_run and [i.case_id for i in report.cases] == [estate["old_nfa"], estate["old_fp"]]
    assert {i.outcome for i in report.cases} == {"no_further_action", "false_positive"}
    assert _counts(world) == before  # not even an audit event


def test_run_purges_only_eligible_cases_and_leaves_the_audit_events(world: World, estate: dict[str, int]) -> None:
    gone = [estate["old_nfa"], estate["old_fp"]]
    with world.session() as s:
        subjects = [s.get(Case, i).pseudonym for i in gone]  # type: ignore[union-attr]
        precision_before = decisions.detector_precision(session=s, actor=world.analyst)
    with world.session() as s:
        events_before = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
    with world.session() as s:
        report = retention.run(session=s, actor=world.dpo, now=NOW)
    assert [i.case_id for i in report.cases] == gone and not report.dry_run
    with world.session() as s:
        assert sorted(s.scalars(select(Case.id))) == sorted(v for k, v in estate.items() if k not in {"old_nfa", "old_fp"})
        for model in (Signal, Decision, SignalOutcome, Note, Response, Attachment, Reidentification):
            orphans = s.scalar(select(func.count()).select_from(model).where(*_about(model, gone)))
            assert orphans == 0, model.__name__
        assert s.scalar(select(func.count()).select_from(Note)) == 0 and s.scalar(select(func.count()).select_from(Attachment)) == 0
        for subject in subjects:
            actions = s.scalars(select(AuditEvent.action).where(AuditEvent.subject == subject).order_by(AuditEvent.seq)).all()
            assert actions[0] == "case.create" and actions[-1] == "retention.purge"
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 3  # 2 purges and the run
        assert verification.verify_chain(session=s).ok
        assert decisions.detector_precision(session=s, actor=world.analyst) == precision_before  # tallies keep precision


def _about(model: type, case_ids: list[int]) -> list:  # type: ignore[type-arg]
    if model is SignalOutcome:
        return [SignalOutcome.decision_id.in_(select(Decision.id).where(Decision.case_id.in_(case_ids)))]
    if model is Attachment:
        return [Attachment.response_id.in_(select(Response.id).where(Response.case_id.in_(case_ids)))]
    return [model.case_id.in_(case_ids)]  # type: ignore[attr-defined]


def test_the_period_is_configurable(world: World, estate: dict[str, int]) -> None:
    with world.session() as s:
        assert retention.run(session=s, actor=world.dpo, months=24, dry_run=True, now=NOW).cases == []
        nine = retention.run(session=s, actor=world.dpo, months=9, dry_run=True, now=NOW)
    assert {i.case_id for i in nine.cases} == {estate["old_nfa"], estate["old_fp"], estate["recent_nfa"]}


def test_nothing_is_eligible_before_its_time(world: World) -> None:
    world.case("S1", state="closed", outcome="false_positive")
    with world.session() as s:
        assert retention.run(session=s, actor=world.dpo).cases == []


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    at = dt.datetime(2027, 3, 31, 9, 30, tzinfo=dt.UTC)
    assert retention.months_before(moment=at, months=1) == dt.datetime(2027, 2, 28, 9, 30, tzinfo=dt.UTC)
    assert retention.months_before(moment=at, months=12) == dt.datetime(2026, 3, 31, 9, 30, tzinfo=dt.UTC)
    assert retention.months_before(moment=dt.datetime(2028, 3, 31, tzinfo=dt.UTC), months=1).day == 29
    assert retention.months_before(moment=dt.datetime(2027, 1, 15, tzinfo=dt.UTC), months=13) == dt.datetime(2025, 12, 15, tzinfo=dt.UTC)
