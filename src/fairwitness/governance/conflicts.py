"""Conflicts of interest, checked against the store's workforce, failing closed.

Nobody acts on a case about themselves or anyone in their line-management chain,
both ways: not their manager, their manager's manager and so on up, nor anyone
who reports to them directly or indirectly. The chain comes from the store
(`fairwitness.governance.workforce`), not a workspace.

Failing closed: with no workforce in the store, an account of a reviewing role
without a staff id, or an account whose staff id is not in the workforce, every
action that needs a conflict check is refused. An account of another role with
no staff id is someone outside the workforce (an external auditor, say).

A conflicted case is answered exactly as a case that does not exist ("no case
N"), so the refusal re-identifies nobody; the real reason goes to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from fairwitness.governance import workforce
from fairwitness.governance.errors import ConflictOfInterest, SubjectAccessRefused
from fairwitness.governance.models import Case, User

STAFF_ID_REQUIRED: frozenset[str] = frozenset({"reviewer", "senior_reviewer"})
"""Roles whose accounts must be linked to a person of the workforce (one person, one pair of eyes)."""


class ConflictsUncheckable(ConflictOfInterest):
    """The check cannot be made (no workforce, or an account not in it): refused, and audited."""

    def __init__(self, message: str, *, username: str, case_id: int | None) -> None:
        super().__init__(message)
        self.audit = {
            "actor": username,
            "action": "security.conflict_uncheckable",
            "object_type": "case",
            "object_id": None if case_id is None else str(case_id),
            "detail": {"reason": message},
        }


def managers_of(*, staff_id: str, line_managers: Mapping[str, str | None]) -> list[str]:
    """The chain above ``staff_id``, nearest first (stops at the top or at a cycle)."""
    chain: list[str] = []
    seen = {staff_id}
    current = line_managers.get(staff_id)
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = line_managers.get(current)
    return chain


def reports_of(*, staff_id: str, line_managers: Mapping[str, str | None]) -> set[str]:
    """Everyone below ``staff_id``, directly or indirectly."""
    children: dict[str, list[str]] = {}
    for sid, manager in line_managers.items():
        if manager:
            children.setdefault(manager, []).append(sid)
    found: set[str] = set()
    todo = list(children.get(staff_id, []))
    while todo:
        sid = todo.pop()
        if sid not in found and sid != staff_id:
            found.add(sid)
            todo.extend(children.get(sid, []))
    return found


def conflict(
    *, reviewer_staff_id: str | None, subject_staff_id: str, line_managers: Mapping[str, str | None]
) -> str | None:
    """Why the reviewer may not act on the subject's case (for the audit log, never the user), or ``None``."""
    if not reviewer_staff_id:
        return None
    if reviewer_staff_id == subject_staff_id:
        return "the case is about the account's own person"
    if subject_staff_id in managers_of(staff_id=reviewer_staff_id, line_managers=line_managers):
        return "the subject is above the account's person in their line-management chain"
    if reviewer_staff_id in managers_of(staff_id=subject_staff_id, line_managers=line_managers):
        return "the subject reports to the account's person"
    return None


def _checkable(session: Session, user: User, case_id: int | None) -> None:
    if not workforce.is_loaded(session):
        raise ConflictsUncheckable(
            "conflicts of interest cannot be checked: the store holds no workforce "
            "(run `fairwitness ingest`, or `fairwitness workforce refresh`)",
            username=user.username,
            case_id=case_id,
        )
    if user.staff_id is None:
        if user.role in STAFF_ID_REQUIRED:
            raise ConflictsUncheckable(
                f"account {user.username!r} ({user.role}) is not linked to a staff id: conflicts cannot be checked",
                username=user.username,
                case_id=case_id,
            )
        return
    if user.staff_id not in workforce.staff_ids(session):
        raise ConflictsUncheckable(
            f"account {user.username!r} is linked to a staff id that is not in the workforce: "
            "conflicts cannot be checked",
            username=user.username,
            case_id=case_id,
        )


def conflicted_staff(*, session: Session, user: User) -> frozenset[str]:
    """The staff ids whose cases ``user`` may not see or touch (themselves and their chain both ways)."""
    _checkable(session, user, None)
    staff_id = user.staff_id
    if staff_id is None:
        return frozenset()

    def chain_of(chain: Mapping[str, str | None]) -> frozenset[str]:
        return frozenset(
            {staff_id}
            | set(managers_of(staff_id=staff_id, line_managers=chain))
            | reports_of(staff_id=staff_id, line_managers=chain)
        )

    # kept with the workforce snapshot: recomputed exactly when the store's workforce changes
    return workforce.derived(session, ("conflicted_staff", staff_id), chain_of)


def guard(*, session: Session, user: User, case: Case) -> None:
    """Refuse, as "no case N" and audited, any action by ``user`` on a case they are conflicted on."""
    _checkable(session, user, case.id)
    reason = conflict(
        reviewer_staff_id=user.staff_id, subject_staff_id=case.staff_id, line_managers=workforce.line_managers(session)
    )
    if reason:
        refusal = SubjectAccessRefused(f"no case {case.id}", username=user.username, case_id=case.id)
        assert refusal.audit is not None
        own = user.staff_id == case.staff_id
        refusal.audit["action"] = "security.own_case_refused" if own else "security.conflict_refused"
        refusal.audit["subject"] = case.pseudonym
        refusal.audit["detail"] = {"reason": reason}
        raise refusal


def ensure_independent(*, session: Session, user: User, case: Case) -> None:
    """Raise unless ``user`` is independent of the subject of ``case`` (see `guard`)."""
    guard(session=session, user=user, case=case)

