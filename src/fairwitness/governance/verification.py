"""Verifying the audit log (`fairwitness.governance.audit`): the chain walked from its first
event (edited, unsealed, missing or reordered events), the checks beyond the chain
(`fairwitness.governance.integrity`: triggers present, decisions as the log records them), and a
signed `Anchor` kept outside the database (truncation or rewriting of the tail)."""

from __future__ import annotations

import datetime as dt
import hmac
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairwitness.governance.access import require
from fairwitness.governance.audit import (
    GENESIS,
    SEALED_AFTER,
    canonical_json,
    digest,
    head,
    now,
    record,
    seal,
    seal_key,
    write_pending,
)
from fairwitness.governance.models import AuditEvent, Setting, User


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
    key, sealed_after = seal_key(session), _sealed_after(session)
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
    return anchor.model_copy(update={"signature": seal(key=seal_key(session), value=anchor.payload())})


def _check_anchor(session: Session, anchor: Anchor, head_seq: int) -> list[Problem]:
    expected = seal(key=seal_key(session), value=anchor.payload())
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
    seq, h = head(session)
    at = session.execute(select(AuditEvent.at).where(AuditEvent.seq == seq)).scalar()
    result = sign_anchor(session=session, anchor=Anchor(seq=seq, hash=h, at=at, exported_at=now()))
    detail = {"hash": h}
    record(session=session, actor=user, action="audit.anchor", object_type="audit_log", object_id=seq, detail=detail)
    return result


def anchor_file_warnings(path: str | Path) -> list[str]:
    """Why an anchor file may not be a trustworthy external record (empty if none)."""
    mode = stat.S_IMODE(Path(path).stat().st_mode)
    if mode & 0o222:
        return [f"{path} is writable (mode {mode:o}): keep anchors where the application cannot write"]
    return []
