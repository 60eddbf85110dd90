"""Conflicts of interest: nobody acts on a case about themselves or their own chain.

The line-management chain runs both ways: a reviewer may not decide about their
manager, their manager's manager and so on up, nor about anyone who reports to
them directly or indirectly. ``line_managers`` maps each staff_id to their line
manager's staff_id (``None`` at the top), from the workspace's ``people`` table.
An account with no ``staff_id`` is outside the workforce and has no chain.
"""

from __future__ import annotations

from collections.abc import Mapping

from fairwitness.governance.errors import ConflictOfInterest
from fairwitness.governance.models import User


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


def conflict(
    *, reviewer_staff_id: str | None, subject_staff_id: str, line_managers: Mapping[str, str | None]
) -> str | None:
    """Why the reviewer may not act on the subject's case, or ``None``."""
    if not reviewer_staff_id:
        return None
    if reviewer_staff_id == subject_staff_id:
        return "the case is about the reviewer themselves"
    up = managers_of(staff_id=reviewer_staff_id, line_managers=line_managers)
    if subject_staff_id in up:
        levels = up.index(subject_staff_id) + 1
        return f"the subject is {levels} level(s) above the reviewer in their line-management chain"
    down = managers_of(staff_id=subject_staff_id, line_managers=line_managers)
    if reviewer_staff_id in down:
        return f"the subject reports to the reviewer ({down.index(reviewer_staff_id) + 1} level(s) down their chain)"
    return None


def ensure_independent(*, user: User, subject_staff_id: str, line_managers: Mapping[str, str | None]) -> None:
    """Raise `ConflictOfInterest` unless ``user`` is independent of the subject."""
    reason = conflict(reviewer_staff_id=user.staff_id, subject_staff_id=subject_staff_id, line_managers=line_managers)
    if reason:
        raise ConflictOfInterest(f"{user.username!r} may not act on this case: {reason}")
