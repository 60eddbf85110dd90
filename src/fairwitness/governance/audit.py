"""The tamper-evident audit log: hash-chained and append-only.

Every read of personal data, import, re-identification, decision, export and
configuration change records an event. Events are queued on the session by
`record` and appended when the session commits (so an action that rolls back
leaves no event, and the chain lock is taken last, after any row locks, which
keeps concurrent transactions free of deadlocks). Appending takes a
transaction-scoped advisory lock on PostgreSQL; SQLite transactions are already
exclusive (``BEGIN IMMEDIATE``).

Each event stores ``hash = sha256(canonical [prev_hash, at, actor, action,
object_type, object_id, subject, detail])`` and the previous event's hash; the
first event links to ``GENESIS``. Each event is also sealed: ``mac =
HMAC(audit key, hash)`` with a key kept outside the database
(`fairwitness.governance.keys`), so an edit re-hashed along the chain, or a
forged event correctly chained after the last anchor, is named at the first bad
event. Triggers created by the migrations refuse UPDATE and DELETE (and TRUNCATE
on PostgreSQL). Decisions are covered too: every decide/concur/dissent event
carries the digest of each decision of its case. Verifying all of this (the
triggers present and enabled, the decisions table against the latest digests,
every event and link, and a signed anchor kept outside the database) is
`fairwitness.governance.verification`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from fairwitness.governance.access import require
from fairwitness.governance.keys import audit_key
from fairwitness.governance.models import AuditEvent, Decision, User

SEALED_AFTER = "audit_sealed_after_seq"
"""Setting: events up to this sequence number predate sealing (migration ``0002_hardening``)."""
_KEY_INFO = "fairwitness.store_key"  # = pseudonyms.KEY_INFO (not imported: pseudonyms imports this module)

GENESIS = "0" * 64
_PENDING = "fairwitness.audit.pending"
_LOCK_KEY = 0x46574155444954  # "FWAUDIT": PostgreSQL advisory lock for the chain head


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def canonical_json(value: Any) -> str:
    """The one JSON spelling of ``value`` that is hashed and stored."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(
    *,
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | None,
    subject: str | None,
    detail: str,
) -> str:
    """The hash of one event, chained to the previous one."""
    stamp = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = canonical_json([prev_hash, stamp, actor, action, object_type, object_id, subject, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal_key(session: Session) -> bytes:
    key = session.info.get(_KEY_INFO)
    if key is None:
        raise RuntimeError("this session has no store key: open stores with fairwitness.governance.db.create_store")
    return audit_key(key)


def seal(*, key: bytes, value: str) -> str:
    """``HMAC-SHA256(key, value)`` as hex."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def decision_digest(decision: Decision) -> str:
    """The hash of what a decision says (what `verify` compares with the audit log)."""
    content = [
        decision.id,
        decision.case_id,
        decision.reviewer_id,
        decision.outcome,
        decision.rationale,
        decision.status,
        decision.requires_concurrence,
        decision.concurred_by_id,
        decision.concurrence_rationale,
        sorted([o.signal_pk, o.outcome] for o in decision.signal_outcomes),
    ]
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def record(
    *,
    session: Session,
    actor: User | str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Queue an event; it is appended to the chain when the session commits."""
    name = actor if isinstance(actor, str) else actor.username
    session.info.setdefault(_PENDING, []).append(
        {  # clipped to the column sizes: a refused sign-in may carry any user name
            "actor": name[:64],
            "action": action[:64],
            "object_type": object_type[:32],
            "object_id": None if object_id is None else str(object_id)[:128],
            "subject": None if subject is None else subject[:32],
            "detail": canonical_json(detail or {}),
        }
    )


def head(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (0, GENESIS) if row is None else (row.seq, row.hash)


def write_pending(session: Session) -> None:
    """Append the queued events to the chain (called before commit; safe to call early)."""
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    seq, prev = head(session)
    key = seal_key(session)
    for item in pending:
        seq += 1
        at = now()
        h = digest(prev_hash=prev, at=at, **item)
        session.add(AuditEvent(seq=seq, at=at, prev_hash=prev, hash=h, mac=seal(key=key, value=h), **item))
        prev = h
    session.flush()


def _discard(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


def install(sessions: sessionmaker[Session]) -> None:
    """Make sessions from ``sessions`` (a new sessionmaker) append queued events on commit, drop them on rollback."""
    event.listen(sessions, "before_commit", write_pending)
    event.listen(sessions, "after_rollback", _discard)


class EventPage(BaseModel):
    total: int
    events: list[dict[str, Any]]
    """Newest first: seq, at, actor, action, object_type, object_id, subject, detail."""
    actions: list[str]


def list_events(
    *,
    session: Session,
    actor: User,
    action: str | None = None,
    by: str | None = None,
    case_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> EventPage:
    """A page of the log, newest first, for the roles that verify it; ``action`` ending in '.' is a prefix.

    The read itself is recorded (``audit.read``)."""
    user = require(session=session, actor=actor, action="audit.verify")
    q = select(AuditEvent)
    if action:
        q = q.where(AuditEvent.action.startswith(action) if action.endswith(".") else AuditEvent.action == action)
    if by:
        q = q.where(AuditEvent.actor == by)
    if case_id is not None:
        q = q.where(AuditEvent.object_type == "case", AuditEvent.object_id == str(case_id))
    if since:
        q = q.where(AuditEvent.at >= since)
    if until:
        q = q.where(AuditEvent.at < until)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(AuditEvent.seq.desc()).limit(limit).offset(offset))
    events = [
        {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "object_type": e.object_type,
         "object_id": e.object_id, "subject": e.subject, "detail": json.loads(e.detail)}
        for e in rows
    ]  # fmt: skip
    actions = list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    filters = {"action": action, "actor": by, "case": case_id, "since": since, "until": until, "offset": offset}
    detail = {"filters": {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in filters.items() if v},
              "count": total}  # fmt: skip
    record(session=session, actor=user, action="audit.read", object_type="audit_log", detail=detail)
    return EventPage(total=total, events=events, actions=actions)


def events_about(*, session: Session, subject: str) -> list[AuditEvent]:
    """Every event about the person with pseudonym ``subject``, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.subject == subject).order_by(AuditEvent.seq)))
