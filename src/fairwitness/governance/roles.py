"""Roles and the permission matrix, as data.

The matrix is the single source of truth: every library function that reads or
changes governed data calls `require` with one of ``ACTIONS`` before it does
anything. Duties are separated: the administrator manages accounts but cannot
read cases; the auditor can read cases and the audit log but not change a case;
the data protection officer answers subject access requests and runs retention
but does not review; only reviewers decide, and only a reviewer other than the
decider can concur.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("analyst", "reviewer", "senior_reviewer", "dpo", "auditor", "admin")

ROLE_DOC: dict[str, str] = {
    "analyst": "Imports runs, triages and annotates cases; does not decide.",
    "reviewer": "Reviews cases, re-identifies with a reason, decides and concurs.",
    "senior_reviewer": "A reviewer who also assigns, reopens and exports disclosure packs.",
    "dpo": "Data protection officer: subject access, retention, disclosure, oversight.",
    "auditor": "Reads cases and verifies the audit log; changes nothing.",
    "admin": "Manages accounts and anchors the audit log; cannot read cases.",
}

_A, _R, _S, _D, _U, _M = ROLES
_REVIEWERS = (_R, _S)
_CASE_READERS = (_A, _R, _S, _U)

ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    # action:             (what it allows, roles allowed)
    "user.create": ("Create an account", (_M,)),
    "user.disable": ("Disable an account", (_M,)),
    "user.list": ("List accounts", (_M, _U, _D)),
    "case.import": ("Import a run's case candidates as cases", (_A, _S)),
    "case.list": ("List cases (pseudonymised)", _CASE_READERS),
    "case.view": ("Read a case, its signals, notes, decisions and responses", _CASE_READERS),
    "case.assign": ("Assign a case to a reviewer", (_S,)),
    "case.triage": ("Move a new case to triaged", (_A, _R, _S)),
    "case.review": ("Start (or hand back) a review", _REVIEWERS),
    "case.close": ("Close a decided case", _REVIEWERS),
    "case.reopen": ("Reopen a decided or closed case", (_S,)),
    "case.note": ("Add a note to a case", (_A, _R, _S)),
    "case.decide": ("Record a decision with a written rationale", _REVIEWERS),
    "case.concur": ("Concur with (or dissent from) another reviewer's adverse decision", _REVIEWERS),
    "case.respond": ("Record the subject's response and attachments", (_A, _R, _S)),
    "case.disclose": ("Export a disclosure pack for the subject", (_S, _D)),
    "case.reidentify": ("Re-identify the person behind a case's pseudonym", _REVIEWERS),
    "stats.precision": ("Read each detector's precision (aggregate)", (_A, _R, _S, _D, _U)),
    "audit.verify": ("Verify the audit log's hash chain", (_U, _D, _M)),
    "audit.anchor": ("Export the audit log's head hash as an anchor", (_U, _M)),
    "retention.plan": ("See what retention would purge (dry run)", (_D, _U)),
    "retention.run": ("Purge cases past their retention period", (_D,)),
    "sar.export": ("Export everything held about one person", (_D,)),
    "purposes.export": ("Export the purpose register", ROLES),
    "workforce.refresh": ("Refresh the store's workforce (staff ids, line managers) from the lake", (_M,)),
    "run.flags": ("List a detector run's flags (pseudonymised)", _CASE_READERS),
    "run.explain": ("Read the evidence behind one person's flags (pseudonymised)", _CASE_READERS),
    "detector.reenable": ("Re-enable a detector under review, with a written reason", (_D,)),
}
"""Every governed action, what it allows, and the roles allowed to do it."""

PERMISSIONS: dict[str, frozenset[str]] = {action: frozenset(roles) for action, (_, roles) in ACTIONS.items()}


def allowed(*, role: str, action: str) -> bool:
    """Whether ``role`` may do ``action``; an unknown action is never allowed."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return role in PERMISSIONS.get(action, frozenset())


def matrix() -> list[dict[str, object]]:
    """The matrix as rows (action, description, one boolean per role), for display and export."""
    return [
        {"action": action, "description": doc, **{role: role in roles for role in ROLES}}
        for action, (doc, roles) in ACTIONS.items()
    ]
