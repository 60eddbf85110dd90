"""The case workflow: list, show, assign, move between states, annotate.

States: ``new → triaged → under_review → decided → closed``, and ``reopened``
(from decided or closed, by a senior reviewer, with a reason) back to
``under_review``. A case reaches ``decided`` only through a final decision
(`fairwitness.governance.decisions`), never by a bare transition.

Nobody sees or acts on a case about themselves or anyone in their
line-management chain (`fairwitness.governance.conflicts`, failing closed): it
is missing from their lists, and every action on it (show, assign, transition,
close, reopen, note, respond, disclose, decide, concur, re-identify) answers "no
case N" exactly as for a case that does not exist, and is audited, so the tool
cannot tip off its subject.

Every change bumps the case's ``version``; pass ``expected_version`` (the
version you read) and a change made meanwhile by someone else raises
`ConcurrentModification` instead of being overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from fairwitness.governance import audit, conflicts, pseudonyms
from fairwitness.governance.access import require
from fairwitness.governance.errors import (
    ConcurrentModification,
    GovernanceError,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from fairwitness.governance.models import Case, Note, User
from fairwitness.governance.roles import allowed
from fairwitness.governance.usernames import normalise_username
from fairwitness.governance.views import CaseSummary, CaseView, NoteView, case_view, summary

STATES: tuple[str, ...] = ("new", "triaged", "under_review", "decided", "closed", "reopened")

TRANSITIONS: dict[tuple[str, str], str] = {
    ("new", "triaged"): "case.triage",
    ("triaged", "under_review"): "case.review",
    ("under_review", "triaged"): "case.review",
    ("reopened", "under_review"): "case.review",
    ("decided", "closed"): "case.close",
    ("decided", "reopened"): "case.reopen",
    ("closed", "reopened"): "case.reopen",
}
"""Manual transitions and the permission each needs. ``under_review → decided`` is a decision."""


def load_case(*, session: Session, case_id: int, expected_version: int | None = None) -> Case:
    """The case, checked against the version the caller read (if given)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentModification(
            f"case {case_id} has changed since you read it (version {expected_version}, now {case.version}): "
            "reload it and try again; nothing was saved"
        )
    return case


def ensure_not_subject(*, user: User, case: Case, session: Session | None = None) -> None:
    """Refuse (as "no case N", audited) any action on a case about ``user`` or their chain.

    ``session`` defaults to the case's own (so callers of the earlier signature keep working).
    """
    session = session or object_session(case)
    if session is None:
        raise ValueError("ensure_not_subject needs a case attached to a session")
    conflicts.guard(session=session, user=user, case=case)


def governed_case(
    *, session: Session, user: User, case_id: int, expected_version: int | None = None
) -> Case:
    """The case, if it exists and ``user`` is independent of its subject; else "no case N"."""
    case = load_case(session=session, case_id=case_id)
    conflicts.guard(session=session, user=user, case=case)
    if expected_version is not None:
        load_case(session=session, case_id=case_id, expected_version=expected_version)
    return case


def save(*, session: Session, case: Case) -> None:
    """Flush changes to ``case``, bumping its version; a concurrent change raises `ConcurrentModification`."""
    case.updated_at = audit.now()
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise ConcurrentModification(
            f"case {case.id} was changed by someone else at the same moment: reload it and try again; nothing was saved"
        ) from exc


def list_cases(
    *, session: Session, actor: User, state: str | None = None, run_id: str | None = None, assignee: str | None = None
) -> list[CaseSummary]:
    """Cases (pseudonymised), newest first, optionally filtered."""
    user = require(session=session, actor=actor, action="case.list")
    query = select(Case).order_by(Case.id.desc())
    if state is not None:
        if state not in STATES:
            raise InvalidInput(f"unknown state {state!r}; expected one of {', '.join(STATES)}")
        query = query.where(Case.state == state)
    if run_id is not None:
        query = query.where(Case.run_id == run_id)
    if assignee is not None:
        query = query.join(Case.assignee).where(User.username == normalise_username(assignee))
    if hidden := conflicts.conflicted_staff(session=session, user=user):
        query = query.where(Case.staff_id.not_in(sorted(hidden)))  # never one's own or one's chain's cases
    rows = [summary(c) for c in session.scalars(query)]
    filters = {"state": state, "run_id": run_id, "assignee": assignee}
    detail = {"filters": filters, "count": len(rows)}
    audit.record(session=session, actor=user, action="case.list", object_type="case", detail=detail)
    return rows


def show_case(*, session: Session, actor: User, case_id: int, now: dt.datetime | None = None) -> CaseView:
    """One case in full; the staff number only while ``actor`` holds an unexpired re-identification."""
    user = require(session=session, actor=actor, action="case.view")
    case = governed_case(session=session, user=user, case_id=case_id)
    grant = pseudonyms.active_grant(session=session, user=user, case_id=case.id, now=now)
    result = case_view(session=session, case=case, reveal_until=grant.expires_at if grant else None)
    audit.record(
        session=session,
        actor=user,
        action="case.view",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"reidentified": grant is not None},
    )
    return result


def assign(
    *,
    session: Session,
    actor: User,
    case_id: int,
    assignee: str,
    line_managers: Mapping[str, str | None] | None = None,
    expected_version: int | None = None,
) -> CaseSummary:
    """Assign a case to a reviewer who is independent of its subject.

    ``line_managers`` is ignored (kept for callers of the earlier signature): the
    chain is the store's workforce. The assigner and the assignee must both be
    independent of the subject; a conflicted assignee is refused without saying why.
    """
    user = require(session=session, actor=actor, action="case.assign")
    case = governed_case(session=session, user=user, case_id=case_id, expected_version=expected_version)
    if case.state == "closed":
        raise InvalidTransition(f"case {case_id} is closed: reopen it first")
    target = session.scalar(select(User).where(User.username == normalise_username(assignee)))
    if target is None or not target.active:
        raise NotFound(f"no active account {assignee!r}")
    if not allowed(role=target.role, action="case.decide"):
        raise InvalidInput(f"{assignee!r} ({target.role}) cannot review cases")
    try:
        conflicts.guard(session=session, user=target, case=case)
    except GovernanceError as exc:
        refusal = InvalidInput(f"{assignee!r} cannot be assigned case {case_id}: choose an independent reviewer")
        refusal.audit = {**(exc.audit or {}), "actor": user.username, "detail": {
            "reason": str((exc.audit or {}).get("detail", {}).get("reason", exc)), "assignee": target.username}}
        raise refusal from None
    previous = case.assignee.username if case.assignee else None
    case.assignee = target
    save(session=session, case=case)
    audit.record(
        session=session,
        actor=user,
        action="case.assign",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"from": previous, "to": assignee},
    )
    return summary(case)


def transition(
    *,
    session: Session,
    actor: User,
    case_id: int,
    to_state: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> CaseSummary:
    """Move a case along its workflow (see ``TRANSITIONS``)."""
    case = load_case(session=session, case_id=case_id)
    action = TRANSITIONS.get((case.state, to_state))
    user = require(session=session, actor=actor, action=action or "case.view")
    conflicts.guard(session=session, user=user, case=case)
    if action is None:
        hint = "record a decision instead" if to_state == "decided" else "allowed: " + ", ".join(
            f"{a} → {b}" for a, b in TRANSITIONS if a == case.state
        )
        raise InvalidTransition(f"case {case_id} cannot go from {case.state} to {to_state} ({hint})")
    case = load_case(session=session, case_id=case_id, expected_version=expected_version)
    if to_state == "reopened" and len((reason or "").strip()) < 10:
        raise InvalidInput("reopening a case needs a written reason (at least 10 characters)")
    previous = case.state
    case.state = to_state
    if to_state == "closed":
        case.closed_at = audit.now()
    elif to_state == "reopened":
        case.closed_at = None
    save(session=session, case=case)
    audit.record(
        session=session,
        actor=user,
        action=f"case.{to_state}" if to_state in {"closed", "reopened"} else "case.transition",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"from": previous, "to": to_state, "reason": reason},
    )
    return summary(case)


def add_note(*, session: Session, actor: User, case_id: int, text: str) -> NoteView:
    """Add a working note to a case."""
    user = require(session=session, actor=actor, action="case.note")
    case = governed_case(session=session, user=user, case_id=case_id)
    if not text or not text.strip():
        raise InvalidInput("a note needs text")
    note = Note(case_id=case.id, author_id=user.id, text=text.strip(), created_at=audit.now())
    session.add(note)
    session.flush()
    audit.record(
        session=session,
        actor=user,
        action="case.note",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"note": note.id},
    )
    return NoteView(id=note.id, author=user.username, text=note.text, created_at=note.created_at)
