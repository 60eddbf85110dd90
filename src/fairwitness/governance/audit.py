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
on PostgreSQL); `verify` checks they are present and enabled. Decisions are
covered too: every decide/concur/dissent event carries the digest of each
decision of its case, and `verify` compares the decisions table with the latest
digests. `verify` reports, with the sequence number, any edited, unsealed or
missing event, events out of order, and, against a signed `Anchor` kept outside
the database, truncation or rewriting of the tail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import stat
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from fairwitness.governance.access import require
from fairwitness.governance.keys import audit_key
from fairwitness.governance.models import AuditEvent, Decision, Setting, User

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


def _seal_key(session: Session) -> bytes:
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


def _head(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (0, GENESIS) if row is None else (row.seq, row.hash)


def write_pending(session: Session) -> None:
    """Append the queued events to the chain (called before commit; safe to call early)."""
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    seq, prev = _head(session)
    key = _seal_key(session)
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


class Anchor(BaseModel):
    """The head of the chain at one moment, signed; keep it outside the database, where the app cannot write."""

    seq: int
    hash: str
    at: dt.datetime | None
    exported_at: dt.datetime
    signature: str | None = None
    """``HMAC(audit key, [seq, hash, at, exported_at])``: a forged or edited anchor fails `verify`."""

    def payload(self) -> str:
        at = self.at.isoformat() if self.at else None
        return canonical_json([self.seq, self.hash, at, self.exported_at.isoformat()])


class Problem(BaseModel):
    seq: int | None
    kind: str
    """edited, unsealed, broken_link, out_of_order, missing, truncated, anchor_mismatch, anchor_forged,
    triggers, decision_edited, decision_missing."""
    message: str


class VerifyReport(BaseModel):
    ok: bool
    events: int
    head_seq: int
    head_hash: str
    anchor: Anchor | None
    problems: list[Problem]
    warnings: list[str] = []

    def summary(self) -> str:
        if self.ok:
            checked = (
                f", matches anchor at event {self.anchor.seq}"
                if self.anchor
                else " (no anchor given: truncation of the newest events cannot be detected)"
            )
            head = f"audit log intact: {self.events} events, head {self.head_seq} {self.head_hash[:16]}…{checked}"
            return "\n".join([head, *(f"  warning: {w}" for w in self.warnings)])
        lines = [f"audit log TAMPERED: {len(self.problems)} problem(s)"]
        lines += [f"  event {p.seq if p.seq is not None else '-'}: [{p.kind}] {p.message}" for p in self.problems]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _link_problem(session: Session, row: Any, prev_seq: int, gap: bool) -> Problem | None:
    if gap:
        return None  # already reported as missing events
    linked = session.execute(select(AuditEvent.seq).where(AuditEvent.hash == row.prev_hash)).scalar()
    if linked is not None and linked != prev_seq:
        return Problem(
            seq=row.seq,
            kind="out_of_order",
            message=f"links to event {linked}, but sits after event {prev_seq or 'GENESIS'}: events were reordered",
        )
    what = "the start of the log" if prev_seq == 0 else f"event {prev_seq}"
    return Problem(
        seq=row.seq,
        kind="broken_link",
        message=f"does not link to {what}: {what} was altered and re-hashed, or events between were removed",
    )


def _rows(session: Session, batch: int = 5000) -> Iterator[Any]:
    """All events in sequence order, fetched in keyset pages (no ORM identity map)."""
    table = AuditEvent.__table__
    last = None
    while True:
        query = select(table).order_by(table.c.seq).limit(batch)
        if last is not None:
            query = query.where(table.c.seq > last)
        page = session.execute(query).all()
        yield from page
        if len(page) < batch:
            return
        last = page[-1].seq


def _sealed_after(session: Session) -> int:
    value = session.execute(select(Setting.value).where(Setting.key == SEALED_AFTER)).scalar()
    return int(value) if value is not None else 0


def _walk(session: Session, rows: Iterable[Any]) -> tuple[int, int, str, list[Problem]]:
    problems: list[Problem] = []
    count, prev_seq, prev_hash = 0, 0, GENESIS
    key, sealed_after = _seal_key(session), _sealed_after(session)
    for row in rows:
        if row.seq > sealed_after and not hmac.compare_digest(row.mac or "", seal(key=key, value=row.hash)):
            message = (
                "its seal does not match: the event was forged, or edited and re-hashed, "
                "by someone without the store's key"
            )
            problems.append(Problem(seq=row.seq, kind="unsealed", message=message))
        count += 1
        expected = digest(
            prev_hash=row.prev_hash,
            at=row.at,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            subject=row.subject,
            detail=row.detail,
        )
        if expected != row.hash:
            message = "content does not match its hash: the event was edited"
            problems.append(Problem(seq=row.seq, kind="edited", message=message))
        gap = row.seq != prev_seq + 1
        if gap:
            first, last = prev_seq + 1, row.seq - 1
            span = f"event {first}" if first == last else f"events {first}..{last}"
            message = f"{span} missing before event {row.seq}: deleted"
            problems.append(Problem(seq=row.seq, kind="missing", message=message))
        if row.prev_hash != prev_hash and (p := _link_problem(session, row, prev_seq, gap)):
            problems.append(p)
        prev_seq, prev_hash = row.seq, row.hash
    return count, prev_seq, prev_hash, problems


def sign_anchor(*, session: Session, anchor: Anchor) -> Anchor:
    return anchor.model_copy(update={"signature": seal(key=_seal_key(session), value=anchor.payload())})


def _check_anchor(session: Session, anchor: Anchor, head_seq: int) -> list[Problem]:
    expected = seal(key=_seal_key(session), value=anchor.payload())
    if not hmac.compare_digest(anchor.signature or "", expected):
        message = "the anchor's signature does not match: it was forged or edited (or made for another store)"
        return [Problem(seq=anchor.seq, kind="anchor_forged", message=message)]
    if anchor.seq == 0:
        return []
    stored = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq)).scalar()
    if stored is None and head_seq < anchor.seq:
        return [
            Problem(
                seq=anchor.seq,
                kind="truncated",
                message=f"the log ends at event {head_seq} but the anchor exported {anchor.exported_at:%Y-%m-%d %H:%M} "
                f"records event {anchor.seq}: events {head_seq + 1}..{anchor.seq} were removed (truncation)",
            )
        ]
    if stored is not None and stored != anchor.hash:
        return [
            Problem(
                seq=anchor.seq,
                kind="anchor_mismatch",
                message=f"event {anchor.seq} does not match the anchor: "
                f"the log was rewritten at or before event {anchor.seq}",
            )
        ]
    return []


def verify_chain(*, session: Session, anchor: Anchor | None = None) -> VerifyReport:
    """Check the whole chain (no permission check, no event: for tests and internal use)."""
    count, head_seq, head_hash, problems = _walk(session, _rows(session))
    from fairwitness.governance import integrity  # the checks beyond the chain itself

    problems = integrity.check_triggers(session) + problems + integrity.check_decisions(session)
    if anchor is not None:
        problems += _check_anchor(session, anchor, head_seq)
    return VerifyReport(
        ok=not problems, events=count, head_seq=head_seq, head_hash=head_hash, anchor=anchor, problems=problems
    )


def verify(*, session: Session, actor: User, anchor: Anchor | None = None) -> VerifyReport:
    """Verify the chain (and the anchor, if given); records that it was verified."""
    user = require(session=session, actor=actor, action="audit.verify")
    report = verify_chain(session=session, anchor=anchor)
    record(
        session=session,
        actor=user,
        action="audit.verify",
        object_type="audit_log",
        detail={
            "ok": report.ok,
            "events": report.events,
            "problems": len(report.problems),
            "anchor_seq": anchor.seq if anchor else None,
        },
    )
    return report


def anchor(*, session: Session, actor: User) -> Anchor:
    """The current head of the chain, to be kept outside the database (and compared by `verify`)."""
    user = require(session=session, actor=actor, action="audit.anchor")
    write_pending(session)
    seq, h = _head(session)
    at = session.execute(select(AuditEvent.at).where(AuditEvent.seq == seq)).scalar()
    result = sign_anchor(session=session, anchor=Anchor(seq=seq, hash=h, at=at, exported_at=now()))
    detail = {"hash": h}
    record(session=session, actor=user, action="audit.anchor", object_type="audit_log", object_id=seq, detail=detail)
    return result


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


def anchor_file_warnings(path: str | Path) -> list[str]:
    """Why an anchor file may not be a trustworthy external record (empty if none)."""
    mode = stat.S_IMODE(Path(path).stat().st_mode)
    if mode & 0o222:
        return [f"{path} is writable (mode {mode:o}): keep anchors where the application cannot write"]
    return []
