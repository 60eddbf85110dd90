"""Decisions: four eyes on adverse outcomes, no self or chain review, outcomes per signal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fairwitness.governance import cases, conflicts, decisions, users
from fairwitness.governance.errors import FourEyesViolation, InvalidInput, InvalidTransition, NotFound
from fairwitness.governance.models import AuditEvent, Case, Decision
from fairwitness.routes import ADVERSE_OUTCOMES, OUTCOMES

from .governance_world import RATIONALE, World, candidate, signal


def _state(world: World, case_id: int) -> tuple[str, list[str]]:
    with world.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.state, [d.status for d in case.decisions]


def _decide(world: World, case_id: int, actor, outcome: str, **kw):  # type: ignore[no-untyped-def]
    with world.session() as s:
        lm = kw.pop("lm", {})
        return decisions.decide(session=s, actor=actor, case_id=case_id, outcome=outcome, rationale=RATIONALE,
                                line_managers=lm, **kw)  # fmt: skip


def _concur(world: World, case_id: int, actor, **kw):  # type: ignore[no-untyped-def]
    with world.session() as s:
        lm = kw.pop("lm", {})
        return decisions.concur(session=s, actor=actor, case_id=case_id, rationale="I have read the evidence and agree",
                                line_managers=lm, **kw)  # fmt: skip


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o not in ADVERSE_OUTCOMES])
def test_non_adverse_decision_is_final_at_once(world: World, outcome: str) -> None:
    case_id = world.case("S1", state="under_review")
    view = _decide(world, case_id, world.reviewer, outcome)
    assert view.status == "final" and not view.requires_concurrence
    assert _state(world, case_id) == ("decided", ["final"])


@pytest.mark.parametrize("outcome", sorted(ADVERSE_OUTCOMES))
def test_adverse_decision_waits_for_a_second_reviewer(world: World, outcome: str) -> None:
    case_id = world.case("S1", state="under_review", cand=candidate("c", staff_id="S1", route=outcome))
    view = _decide(world, case_id, world.reviewer, outcome)
    assert view.status == "pending" and view.requires_concurrence
    assert _state(world, case_id) == ("under_review", ["pending"])
    with pytest.raises(InvalidTransition, match="not|only"), world.session() as s:  # not decided: cannot be closed
        cases.transition(session=s, actor=world.reviewer, case_id=case_id, to_state="closed")
    with pytest.raises(InvalidTransition, match="awaiting a second reviewer"):
        _decide(world, case_id, world.reviewer2, "no_further_action")
    final = _concur(world, case_id, world.reviewer2)
    assert final.status == "final" and final.concurred_by == "rob" and final.reviewer == "rita"
    assert _state(world, case_id) == ("decided", ["final"])


def test_the_deciding_reviewer_cannot_concur(world: World) -> None:
    case_id = world.case("S1", state="under_review")
    _decide(world, case_id, world.reviewer, "advice")
    with pytest.raises(FourEyesViolation, match="different person"):
        _concur(world, case_id, world.reviewer)
    assert _state(world, case_id) == ("under_review", ["pending"])


def test_the_same_person_with_a_second_account_cannot_concur(world: World) -> None:
    first = world.user("reviewer", "dave", staff_id="S5")
    with pytest.raises(InvalidInput, match="one person, one account"):
        world.user("senior_reviewer", "dave-senior", staff_id="S5")
    case_id = world.case("S1", state="under_review")
    _decide(world, case_id, first, "misconduct_assessment", signal_outcomes=None)
    with world.session() as s:  # only once the first account is disabled can the person have another
        users.disable_user(session=s, actor=world.admin, username="dave")
    second = world.user("senior_reviewer", "dave-senior", staff_id="S5")
    with pytest.raises(FourEyesViolation):
        _concur(world, case_id, second)


def test_dissent_rejects_the_decision_and_the_case_awaits_a_new_one(world: World) -> None:
    case_id = world.case("S1", state="under_review")
    _decide(world, case_id, world.reviewer, "advice")
    view = _concur(world, case_id, world.reviewer2, agree=False)
    assert view.status == "rejected" and view.concurred_by == "rob"
    assert _state(world, case_id) == ("under_review", ["rejected"])
    _decide(world, case_id, world.reviewer2, "no_further_action")
    assert _state(world, case_id) == ("decided", ["rejected", "final"])
    with world.session() as s:
        wanted = AuditEvent.action.in_(["case.decide", "case.dissent", "case.concur"])
        actions = s.scalars(select(AuditEvent.action).where(wanted).order_by(AuditEvent.seq)).all()
    assert actions == ["case.decide", "case.dissent", "case.decide"]


def test_concurrence_needs_a_pending_decision(world: World) -> None:
    case_id = world.case("S1", state="decided")
    with pytest.raises(InvalidTransition, match="no decision awaiting"):
        _concur(world, case_id, world.reviewer2)


def test_only_a_case_under_review_can_be_decided(world: World) -> None:
    case_id = world.case("S1", state="triaged")
    with pytest.raises(InvalidTransition, match="under review"):
        _decide(world, case_id, world.reviewer, "false_positive")


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"outcome": "sack_them"}, "unknown outcome"),
        ({"outcome": "advice", "rationale": "because"}, "written rationale"),
        ({"outcome": "advice", "signal_outcomes": {"nope": "advice"}}, "no signal"),
        ({"outcome": "advice", "signal_outcomes": {"c-a": "bogus"}}, "unknown outcome"),
        ({"outcome": "no_further_action", "signal_outcomes": {"c-a": "advice"}}, "gravest"),
    ],
)
def test_invalid_decisions_are_refused(world: World, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    case_id = world.case("S1", state="under_review", cand=candidate("c", staff_id="S1", signals=(signal("c-a"), signal("c-b"))))
    args = {"rationale": RATIONALE, **kwargs}
    with pytest.raises(InvalidInput, match=message), world.session() as s:
        decisions.decide(session=s, actor=world.reviewer, case_id=case_id, line_managers={}, **args)
    assert _state(world, case_id) == ("under_review", [])


# -- self and line-management chain --------------------------------------------------------------

# C reports to B, B to A (the top); D reports to C; X is elsewhere.
CHAIN = {"A": None, "B": "A", "C": "B", "D": "C", "X": "Y", "Y": None}


@pytest.mark.parametrize(
    "reviewer,subject,conflicted",
    [
        ("C", "C", True),  # self
        ("C", "B", True),  # own manager
        ("C", "A", True),  # manager's manager
        ("B", "C", True),  # direct report
        ("A", "D", True),  # indirect report, three levels down
        ("C", "X", False),  # unrelated
        ("D", "Y", False),  # unrelated manager elsewhere
        ("B", "D", True),
    ],
)
def test_nobody_decides_about_themselves_or_their_chain(world: World, reviewer: str, subject: str, conflicted: bool) -> None:
    for person, manager in CHAIN.items():
        world.link(person, manager)
    me = world.user("reviewer", f"rev-{reviewer}", staff_id=reviewer)
    case_id = world.case(subject, state="under_review")
    if conflicted:
        with pytest.raises(NotFound, match=f"^no case {case_id}$"):
            _decide(world, case_id, me, "no_further_action", lm=CHAIN)
        assert _state(world, case_id) == ("under_review", [])
    else:
        assert _decide(world, case_id, me, "no_further_action", lm=CHAIN).status == "final"


def test_nobody_concurs_about_their_chain(world: World) -> None:
    for person, manager in CHAIN.items():
        world.link(person, manager)
    manager = world.user("senior_reviewer", "mgr", staff_id="B")
    case_id = world.case("C", state="under_review")
    _decide(world, case_id, world.reviewer, "advice", lm=CHAIN)
    with pytest.raises(NotFound, match=f"^no case {case_id}$"):
        _concur(world, case_id, manager, lm=CHAIN)
    assert _concur(world, case_id, world.reviewer2, lm=CHAIN).status == "final"


def test_chain_walk_survives_cycles_and_unknown_people() -> None:
    cyclic = {"P": "Q", "Q": "P"}
    assert conflicts.managers_of(staff_id="P", line_managers=cyclic) == ["Q"]
    assert conflicts.conflict(reviewer_staff_id="P", subject_staff_id="Q", line_managers=cyclic) is not None
    assert conflicts.conflict(reviewer_staff_id="Z", subject_staff_id="Q", line_managers=cyclic) is None
    assert conflicts.conflict(reviewer_staff_id=None, subject_staff_id="Q", line_managers=cyclic) is None


# -- outcomes per signal and detector precision ---------------------------------------------------


def test_outcomes_are_recorded_per_signal_and_give_detector_precision(world: World) -> None:
    two = (signal("k-a", detector="alpha"), signal("k-b", detector="beta"))
    first = world.case("S1", state="under_review", cand=candidate("k", staff_id="S1", signals=two))
    view = _decide(world, first, world.reviewer, "advice", signal_outcomes={"k-a": "false_positive"})
    assert view.signal_outcomes == {"k-a": "false_positive", "k-b": "advice"}
    with world.session() as s:
        assert decisions.detector_precision(session=s, actor=world.analyst) == []  # pending: not counted yet
    _concur(world, first, world.senior)
    second = world.case("S2", state="under_review", cand=candidate("m", staff_id="S2", signals=(signal("m-a", detector="alpha"),)))
    _decide(world, second, world.reviewer, "no_further_action")
    with world.session() as s:
        rows = {r.detector: r for r in decisions.detector_precision(session=s, actor=world.analyst)}
    assert rows["alpha"].decided == 2 and rows["alpha"].outcomes == {"false_positive": 1, "no_further_action": 1}
    assert rows["alpha"].precision == 0.5 and rows["alpha"].actionable == 0.0
    assert rows["beta"].precision == 1.0 and rows["beta"].actionable == 1.0


def test_a_new_decision_after_reopening_supersedes_the_old_one(world: World) -> None:
    case_id = world.case("S1", state="closed", outcome="false_positive")
    with world.session() as s:
        cases.transition(session=s, actor=world.senior, case_id=case_id, to_state="reopened", reason="a complaint arrived later")
        cases.transition(session=s, actor=world.reviewer, case_id=case_id, to_state="under_review")
    _decide(world, case_id, world.reviewer2, "wellbeing")
    assert _state(world, case_id) == ("decided", ["superseded", "final"])
    with world.session() as s:
        [row] = decisions.detector_precision(session=s, actor=world.analyst)
        assert s.scalar(select(Decision.outcome).where(Decision.status == "final")) == "wellbeing"
    assert row.outcomes == {"wellbeing": 1}
