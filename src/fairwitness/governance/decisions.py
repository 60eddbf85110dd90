"""Decisions: written rationale, four eyes on adverse outcomes, outcomes per signal.

A reviewer decides a case under review with an outcome from
`fairwitness.routes.OUTCOMES` and a written rationale, and an outcome for each
signal (by default the case's outcome; the case's outcome must be the gravest of
them). A non-adverse decision is final at once and the case becomes
``decided``. An adverse one (advice or graver, for the case or any signal) stays
``pending`` until a second, different reviewer concurs; if they dissent the
decision is ``rejected`` and the case awaits a new decision. Nobody decides or
concurs on a case about themselves or their own line-management chain (the
store's workforce; refused as "no case N" and audited), and one person cannot be
both pairs of eyes (same account or same staff id: refused and audited).

Every decision is hash-linked into the audit chain: each decide, concur and
dissent event carries the digest of every decision of the case
(`fairwitness.governance.audit.decision_digest`), so `audit verify` finds a
decision edited or deleted in the database behind the application's back.

Final per-signal outcomes (and the tallies kept when retention purges cases)
give each detector's precision.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.access import require
from fairwitness.governance.cases import governed_case, save
from fairwitness.governance.errors import FourEyesViolation, InvalidInput, InvalidTransition
from fairwitness.governance.models import Case, Decision, OutcomeTally, Signal, SignalOutcome, User
from fairwitness.governance.views import DecisionView, decision_view
from fairwitness.routes import ADVERSE_OUTCOMES, OUTCOMES, ROUTES

MIN_RATIONALE = 20
SEVERITY_ORDER: tuple[str, ...] = ("false_positive", "no_further_action", *ROUTES)
"""Outcomes from least to most grave."""


def _rationale(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_RATIONALE:
        raise InvalidInput(f"{what} needs a written rationale (at least {MIN_RATIONALE} characters)")
    return text


def _per_signal(case: Case, outcome: str, given: Mapping[str, str] | None) -> dict[str, str]:
    if outcome not in OUTCOMES:
        raise InvalidInput(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    given = dict(given or {})
    known = {s.signal_id for s in case.signals}
    if unknown := sorted(set(given) - known):
        raise InvalidInput(f"case {case.id} has no signal(s) {', '.join(unknown)}")
    if bad := sorted(o for o in given.values() if o not in OUTCOMES):
        raise InvalidInput(f"unknown outcome(s) {', '.join(bad)}; expected one of {', '.join(OUTCOMES)}")
    result = {s.signal_id: given.get(s.signal_id, outcome) for s in case.signals}
    if result:
        gravest = max(result.values(), key=SEVERITY_ORDER.index)
        if gravest != outcome:
            raise InvalidInput(f"the case outcome must be the gravest signal outcome ({gravest}), not {outcome}")
    return result


def _digests(case: Case) -> dict[str, str]:
    return {str(d.id): audit.decision_digest(d) for d in case.decisions}


def pending_decision(case: Case) -> Decision | None:
    return next((d for d in case.decisions if d.status == "pending"), None)


def _finalise(case: Case, decision: Decision) -> None:
    for earlier in case.decisions:
        if earlier is not decision and earlier.status == "final":
            earlier.status = "superseded"
    decision.status = "final"
    case.state = "decided"


def decide(
    *,
    session: Session,
    actor: User,
    case_id: int,
    outcome: str,
    rationale: str,
    line_managers: Mapping[str, str | None] | None = None,
    signal_outcomes: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> DecisionView:
    """Record a decision on a case under review (final at once unless adverse).

    ``line_managers`` is ignored (kept for callers of the earlier signature): the chain is the store's workforce.
    """
    user = require(session=session, actor=actor, action="case.decide")
    case = governed_case(session=session, user=user, case_id=case_id, expected_version=expected_version)
    if case.state != "under_review":
        raise InvalidTransition(f"case {case_id} is {case.state}: only a case under review can be decided")
    if (waiting := pending_decision(case)) is not None:
        raise InvalidTransition(
            f"case {case_id} already has decision {waiting.id} awaiting a second reviewer: concur or dissent first"
        )
    text = _rationale(rationale, "a decision")
    per_signal = _per_signal(case, outcome, signal_outcomes)
    adverse = outcome in ADVERSE_OUTCOMES or any(o in ADVERSE_OUTCOMES for o in per_signal.values())
    decision = Decision(
        reviewer=user,
        outcome=outcome,
        rationale=text,
        status="pending",
        requires_concurrence=adverse,
        created_at=audit.now(),
        signal_outcomes=[SignalOutcome(signal=s, outcome=per_signal[s.signal_id]) for s in case.signals],
    )
    case.decisions.append(decision)
    if not adverse:
        _finalise(case, decision)
    save(session=session, case=case)
    audit.record(
        session=session,
        actor=user,
        action="case.decide",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={
            "decision": decision.id,
            "outcome": outcome,
            "status": decision.status,
            "signal_outcomes": per_signal,
            "decisions": _digests(case),
        },
    )
    return decision_view(decision)


def concur(
    *,
    session: Session,
    actor: User,
    case_id: int,
    rationale: str,
    line_managers: Mapping[str, str | None] | None = None,
    agree: bool = True,
    expected_version: int | None = None,
) -> DecisionView:
    """A second reviewer concurs with (``agree``) or dissents from the pending adverse decision.

    ``line_managers`` is ignored (kept for callers of the earlier signature): the chain is the store's workforce.
    """
    user = require(session=session, actor=actor, action="case.concur")
    case = governed_case(session=session, user=user, case_id=case_id, expected_version=expected_version)
    decision = pending_decision(case)
    if decision is None:
        raise InvalidTransition(f"case {case_id} has no decision awaiting concurrence")
    first = decision.reviewer
    if first.id == user.id or (user.staff_id is not None and user.staff_id == first.staff_id):
        raise FourEyesViolation(
            f"{user.username!r} made decision {decision.id}: a different person must concur (four eyes)",
            username=user.username,
            case_id=case.id,
            subject=case.pseudonym,
        )
    decision.concurrence_rationale = _rationale(rationale, "a concurrence or dissent")
    decision.concurred_by = user
    decision.concurred_at = audit.now()
    if agree:
        _finalise(case, decision)
    else:
        decision.status = "rejected"
    save(session=session, case=case)
    audit.record(
        session=session,
        actor=user,
        action="case.concur" if agree else "case.dissent",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={
            "decision": decision.id,
            "outcome": decision.outcome,
            "decided_by": first.username,
            "decisions": _digests(case),
        },
    )
    return decision_view(decision)


class DetectorPrecision(BaseModel):
    detector: str
    detector_version: str
    decided: int
    """Signals with a final outcome (including cases since purged by retention)."""
    outcomes: dict[str, int]
    precision: float | None
    """Share of decided signals not found to be false positives."""
    actionable: float | None
    """Share of decided signals that led to wellbeing support or any conduct route."""


def detector_precision(*, session: Session, actor: User) -> list[DetectorPrecision]:
    """Each detector's precision from final per-signal outcomes (aggregate; no personal data)."""
    user = require(session=session, actor=actor, action="stats.precision")
    counts: dict[tuple[str, str], dict[str, int]] = {}
    live = (
        select(Signal.detector, Signal.detector_version, SignalOutcome.outcome, func.count())
        .join(SignalOutcome, SignalOutcome.signal_pk == Signal.id)
        .join(Decision, Decision.id == SignalOutcome.decision_id)
        .where(Decision.status == "final")
        .group_by(Signal.detector, Signal.detector_version, SignalOutcome.outcome)
    )
    purged = select(OutcomeTally.detector, OutcomeTally.detector_version, OutcomeTally.outcome, OutcomeTally.count)
    for detector, version, outcome, n in [*session.execute(live), *session.execute(purged)]:
        bucket = counts.setdefault((detector, version), {})
        bucket[outcome] = bucket.get(outcome, 0) + n
    result = []
    for (detector, version), outcomes in sorted(counts.items()):
        decided = sum(outcomes.values())
        fp = outcomes.get("false_positive", 0)
        nfa = outcomes.get("no_further_action", 0)
        result.append(
            DetectorPrecision(
                detector=detector,
                detector_version=version,
                decided=decided,
                outcomes=outcomes,
                precision=(decided - fp) / decided if decided else None,
                actionable=(decided - fp - nfa) / decided if decided else None,
            )
        )
    detail = {"detectors": len(result)}
    audit.record(session=session, actor=user, action="stats.precision", object_type="detector", detail=detail)
    return result
