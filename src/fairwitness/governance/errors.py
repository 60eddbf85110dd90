"""What the governance layer refuses, and why.

Every refusal is a `GovernanceError` with a message written for the person who
hit it. Refusals that matter for security (a failed sign-in, a permission
denied) carry an ``audit`` record; `fairwitness.governance.db.Store.session`
rolls the failed work back and then records that event in a fresh transaction,
so the refusal itself is on the audit log.
"""

from __future__ import annotations

from typing import Any


class GovernanceError(Exception):
    """Base class: something the governance layer will not do."""

    audit: dict[str, Any] | None = None


class NotFound(GovernanceError):
    """No such case, user, decision, attachment..."""


class SubjectAccessRefused(NotFound):
    """A reader asked for a case about themselves: answered as "no such case", and audited.

    The tool must not tip off the subject of an investigation; their own data
    reaches them through a subject access export or a disclosure pack.
    """

    def __init__(self, message: str, *, username: str, case_id: int) -> None:
        super().__init__(message)
        self.audit = {
            "actor": username,
            "action": "security.own_case_refused",
            "object_type": "case",
            "object_id": str(case_id),
            "detail": {"reason": "the case is about the reader"},
        }


class InvalidInput(GovernanceError):
    """An argument that can never be accepted (unknown outcome, empty rationale...)."""


class AuthenticationFailed(GovernanceError):
    """Unknown user, wrong password or disabled account."""

    def __init__(self, message: str, *, username: str) -> None:
        super().__init__(message)
        self.audit = {
            "actor": username,
            "action": "security.sign_in_refused",
            "object_type": "user",
            "object_id": username,
            "detail": {"reason": message},
        }


class PermissionDenied(GovernanceError):
    """The actor's role does not allow the action."""

    def __init__(self, message: str, *, username: str, action: str) -> None:
        super().__init__(message)
        self.action = action
        self.audit = {
            "actor": username,
            "action": "security.permission_denied",
            "object_type": "permission",
            "object_id": action,
            "detail": {"reason": message},
        }


class InvalidTransition(GovernanceError):
    """The case is not in a state that allows this."""


class ConflictOfInterest(GovernanceError):
    """Self review, or review of someone in one's own line-management chain."""


class FourEyesViolation(GovernanceError):
    """The concurring reviewer is the deciding reviewer (same account or same person): refused and audited."""

    def __init__(self, message: str, *, username: str, case_id: int, subject: str | None = None) -> None:
        super().__init__(message)
        self.audit = {
            "actor": username,
            "action": "security.four_eyes_refused",
            "object_type": "case",
            "object_id": str(case_id),
            "subject": subject,
            "detail": {"reason": "the concurring reviewer made the decision (same account or same person)"},
        }


class AccountLocked(AuthenticationFailed):
    """Too many failed sign-ins: the account is locked for a while (the refusal is audited)."""


class ConcurrentModification(GovernanceError):
    """Someone else changed the case first: reload it and try again. Nothing was saved."""
