"""Integrity checks beyond the hash chain: append-only triggers present, decisions as recorded.

`fairwitness.governance.verification.verify_chain` runs them. An attacker with the
database credential (and owner rights) can switch the triggers off, edit events
and switch them on again: the first check says the triggers were not in place
when verified; decisions live outside the chain, so every decide, concur and
dissent event records each decision's digest, and the second check compares.
"""

from __future__ import annotations

import json

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from fairwitness.governance.audit import decision_digest
from fairwitness.governance.verification import Problem
from fairwitness.governance.models import AuditEvent, Decision

TRIGGERS = {
    "sqlite": frozenset({"audit_events_no_update", "audit_events_no_delete"}),
    "postgresql": frozenset({"audit_events_no_update", "audit_events_no_delete", "audit_events_no_truncate"}),
}


def check_triggers(session: Session) -> list[Problem]:
    """A problem if an append-only trigger of ``audit_events`` is missing or disabled."""
    dialect = session.get_bind().dialect.name
    expected = TRIGGERS.get(dialect, frozenset())
    if dialect == "sqlite":
        rows = session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
        ).scalars()
        present = set(rows)
    elif dialect == "postgresql":
        rows = session.execute(
            text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
                "AND NOT tgisinternal AND tgenabled IN ('O', 'A')"
            )
        ).scalars()
        present = set(rows)
    else:
        return []
    if missing := sorted(expected - present):
        message = (
            f"append-only trigger(s) {', '.join(missing)} missing or disabled: events may have been "
            "changed or deleted while they were off"
        )
        return [Problem(seq=None, kind="triggers", message=message)]
    return []


def check_decisions(session: Session) -> list[Problem]:
    """A problem for each decision that no longer matches the digest its latest audit event recorded."""
    recorded: dict[int, tuple[int, str, str | None]] = {}
    purged: set[str | None] = set()
    events = select(AuditEvent.seq, AuditEvent.action, AuditEvent.object_id, AuditEvent.detail).where(
        AuditEvent.action.in_(("case.decide", "case.concur", "case.dissent", "retention.purge"))
    )
    for seq, action, object_id, detail in session.execute(events.order_by(AuditEvent.seq)):
        if action == "retention.purge":
            purged.add(object_id)
            continue
        for decision_id, value in (json.loads(detail).get("decisions") or {}).items():
            recorded[int(decision_id)] = (seq, value, object_id)
    rows = {d.id: d for d in session.scalars(select(Decision).order_by(Decision.id))}
    problems = []
    for decision_id, (seq, value, case_id) in sorted(recorded.items()):
        row = rows.get(decision_id)
        if row is None and case_id not in purged:
            message = f"decision {decision_id}, recorded by event {seq}, was deleted outside retention"
            problems.append(Problem(seq=seq, kind="decision_missing", message=message))
        elif row is not None and decision_digest(row) != value:
            message = f"decision {decision_id} no longer matches what event {seq} recorded: it was edited"
            problems.append(Problem(seq=seq, kind="decision_edited", message=message))
    return problems
