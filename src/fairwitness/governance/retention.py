"""Retention: cases closed with no further action (or as false positives) are purged.

A case is eligible when it is ``closed``, its final decision is
``no_further_action`` or ``false_positive`` with no adverse signal outcome, and
it was closed at least ``months`` ago (default 12). Purging deletes the case, its
signals, decisions and per-signal outcomes, notes, responses and attachments, and
re-identification grants. What remains is the audit log (a ``retention.purge``
event per case, under the person's pseudonym), anonymous per-detector outcome
counts, so detector precision does not drift upwards as false positives are
purged, and a tombstone per case (the hash of its candidate id, its run and the
pseudonym): importing the same run again does not bring the case back, and
``flags`` and ``explain`` no longer serve that run's evidence about the person.
A dry run reports what would go and writes nothing at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.access import require
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import (
    Attachment,
    Case,
    Decision,
    Note,
    OutcomeTally,
    Reidentification,
    Response,
    Signal,
    SignalOutcome,
    Tombstone,
    User,
)
from fairwitness.routes import ADVERSE_OUTCOMES

DEFAULT_MONTHS = 12
PURGEABLE_OUTCOMES = frozenset({"no_further_action", "false_positive"})


def months_before(*, moment: dt.datetime, months: int) -> dt.datetime:
    """The same moment ``months`` calendar months earlier (day clamped to the month's length)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


class PurgeItem(BaseModel):
    case_id: int
    pseudonym: str
    outcome: str
    closed_at: dt.datetime
    signals: int


class RetentionReport(BaseModel):
    dry_run: bool
    months: int
    cutoff: dt.datetime
    cases: list[PurgeItem]


def candidate_hash(candidate_id: str) -> str:
    """How a tombstone names a candidate (its id may carry a staff number)."""
    return hashlib.sha256(candidate_id.encode("utf-8")).hexdigest()


def tombstoned(*, session: Session, candidate_ids: list[str]) -> set[str]:
    """Those of ``candidate_ids`` purged by retention."""
    by_hash = {candidate_hash(c): c for c in candidate_ids}
    if not by_hash:
        return set()
    found = session.scalars(select(Tombstone.candidate_hash).where(Tombstone.candidate_hash.in_(list(by_hash))))
    return {by_hash[h] for h in found}


def purged_in_run(*, session: Session, run_id: str) -> set[str]:
    """Pseudonyms of people whose case from ``run_id`` was purged (their evidence is not served again)."""
    return set(session.scalars(select(Tombstone.pseudonym).where(Tombstone.run_id == run_id)))


def _final(case: Case) -> Decision | None:
    return next((d for d in reversed(case.decisions) if d.status == "final"), None)


def eligible(*, session: Session, months: int, now: dt.datetime) -> list[tuple[Case, Decision]]:
    """Closed no-further-action / false-positive cases closed on or before the cutoff."""
    cutoff = months_before(moment=now, months=months)
    query = (
        select(Case)
        .where(Case.state == "closed", Case.closed_at.is_not(None), Case.closed_at <= cutoff)
        .order_by(Case.id)
    )
    result = []
    for case in session.scalars(query):
        decision = _final(case)
        if decision is None or decision.outcome not in PURGEABLE_OUTCOMES:
            continue
        if any(o.outcome in ADVERSE_OUTCOMES for o in decision.signal_outcomes):
            continue
        result.append((case, decision))
    return result


def _tally(session: Session, decision: Decision) -> None:
    for o in decision.signal_outcomes:
        key = {"detector": o.signal.detector, "detector_version": o.signal.detector_version, "outcome": o.outcome}
        row = session.scalar(select(OutcomeTally).filter_by(**key))
        if row is None:
            session.add(OutcomeTally(**key, count=1))
        else:
            row.count += 1
    session.flush()


def _purge(session: Session, case_ids: list[int]) -> None:
    decisions = select(Decision.id).where(Decision.case_id.in_(case_ids))
    responses = select(Response.id).where(Response.case_id.in_(case_ids))
    for statement in (
        delete(SignalOutcome).where(SignalOutcome.decision_id.in_(decisions)),
        delete(Decision).where(Decision.case_id.in_(case_ids)),
        delete(Attachment).where(Attachment.response_id.in_(responses)),
        delete(Response).where(Response.case_id.in_(case_ids)),
        delete(Note).where(Note.case_id.in_(case_ids)),
        delete(Reidentification).where(Reidentification.case_id.in_(case_ids)),
        delete(Signal).where(Signal.case_id.in_(case_ids)),
        delete(Case).where(Case.id.in_(case_ids)),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    session.expire_all()


def run(
    *,
    session: Session,
    actor: User,
    months: int = DEFAULT_MONTHS,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RetentionReport:
    """Purge eligible cases (or, with ``dry_run``, only say which would go)."""
    user = require(session=session, actor=actor, action="retention.plan" if dry_run else "retention.run")
    if months < 1:
        raise InvalidInput("the retention period is at least one month")
    now = now or audit.now()
    found = eligible(session=session, months=months, now=now)
    items = [
        PurgeItem(
            case_id=c.id, pseudonym=c.pseudonym, outcome=d.outcome, closed_at=c.closed_at or now, signals=len(c.signals)
        )
        for c, d in found
    ]
    cutoff = months_before(moment=now, months=months)
    report = RetentionReport(dry_run=dry_run, months=months, cutoff=cutoff, cases=items)
    if dry_run:
        return report
    for case, decision in found:
        _tally(session, decision)
        session.add(
            Tombstone(
                candidate_hash=candidate_hash(case.candidate_id),
                run_id=case.run_id,
                pseudonym=case.pseudonym,
                purged_at=now,
            )
        )
    if items:
        _purge(session, [item.case_id for item in items])
    for item in items:
        detail = {"outcome": item.outcome, "closed_at": item.closed_at.isoformat(), "signals": item.signals}
        audit.record(
            session=session,
            actor=user,
            action="retention.purge",
            object_type="case",
            object_id=item.case_id,
            subject=item.pseudonym,
            detail={**detail, "months": months},
        )
    detail = {"months": months, "purged": len(items)}
    audit.record(session=session, actor=user, action="retention.run", object_type="retention", detail=detail)
    return report
