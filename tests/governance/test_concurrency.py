"""Two reviewers deciding the same case at the same moment on PostgreSQL: one wins, one is told.

Each reviewer has their own thread and connection. The winner holds the case row
until the loser is seen blocked on it inside PostgreSQL, so the two decisions
really are simultaneous, not merely close together.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import func, select

from fairwitness.governance import cases, decisions, verification
from fairwitness.governance.errors import ConcurrentModification
from fairwitness.governance.models import AuditEvent, Case, Decision, User

from .governance_world import RATIONALE, World

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"])]


def _wait_for_blocked_backend(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
            if row and row[0] > 0:
                return True
            time.sleep(0.01)
    return False


@pytest.mark.timeout(60)
def test_one_wins_the_other_gets_a_clear_conflict_and_nothing_is_lost(world: World, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    case_id = world.case("S1", state="under_review")
    with world.session() as s:
        version = s.get(Case, case_id).version  # type: ignore[union-attr]
    both_read = threading.Barrier(2, timeout=15)
    results: dict[str, object] = {}

    def reviewer(actor: User, outcome: str, first: bool) -> None:
        try:
            with world.store.session() as s:
                case = s.get(Case, case_id)
                assert case is not None and case.version == version
                _ = list(case.decisions), list(case.signals)  # what this reviewer has on screen
                both_read.wait()
                if not first:
                    time.sleep(0.2)  # let the winner take the row first
                view = decisions.decide(session=s, actor=actor, case_id=case_id, outcome=outcome, rationale=RATIONALE, line_managers={})
                if first:
                    results["loser_was_blocked"] = _wait_for_blocked_backend(pg_cluster.port)
            results[actor.username] = view
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[actor.username] = exc

    threads = [
        threading.Thread(target=reviewer, args=(world.reviewer, "misconduct_assessment", True)),
        threading.Thread(target=reviewer, args=(world.reviewer2, "no_further_action", False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)

    assert results["loser_was_blocked"] is True  # they really collided inside PostgreSQL
    winner, loser = results["rita"], results["rob"]
    assert isinstance(winner, decisions.DecisionView) and winner.outcome == "misconduct_assessment"
    assert isinstance(loser, ConcurrentModification), loser
    assert "changed by someone else" in str(loser) and "reload" in str(loser) and "nothing was saved" in str(loser)

    with world.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.version == version + 1 and case.state == "under_review"
        stored = s.execute(select(Decision.reviewer_id, Decision.outcome, Decision.status).where(Decision.case_id == case_id)).all()
        assert stored == [(world.reviewer.id, "misconduct_assessment", "pending")]
        assert s.scalars(select(AuditEvent.actor).where(AuditEvent.action == "case.decide")).all() == ["rita"]
        assert verification.verify_chain(session=s).ok

    # the loser reloads, sees the winner's decision, and acts on it: as the second pair of eyes
    with world.session() as s:
        seen = cases.show_case(session=s, actor=world.reviewer2, case_id=case_id)
        assert seen.decisions[0].reviewer == "rita" and seen.version == version + 1
        decisions.concur(session=s, actor=world.reviewer2, case_id=case_id, rationale="having reloaded, I agree with it",
                         line_managers={}, expected_version=seen.version)  # fmt: skip
    with world.session() as s:
        assert s.get(Case, case_id).state == "decided"  # type: ignore[union-attr]


@pytest.mark.timeout(60)
def test_concurrent_writers_keep_one_unbroken_chain(world: World) -> None:
    case_id = world.case("S1")
    start = threading.Barrier(4, timeout=15)
    errors: list[BaseException] = []

    def reader(actor: User) -> None:
        try:
            start.wait()
            for _ in range(5):
                with world.store.session() as s:
                    cases.show_case(session=s, actor=actor, case_id=case_id)
                    cases.list_cases(session=s, actor=actor)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(a,)) for a in (world.analyst, world.reviewer, world.reviewer2, world.auditor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with world.session() as s:
        views = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(["case.view", "case.list"])))
        report = verification.verify_chain(session=s)
    assert views == 4 * 5 * 2
    assert report.ok, report.summary()
