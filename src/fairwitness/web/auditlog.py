"""The audit log for auditors: filtered, newest first, paged.

The library has no listing of the log, only `audit.verify` and `events_about`; this
reads it for the roles the library lets verify it (``audit.verify``) and records that
the log was read (``audit.read``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.access import require
from fairwitness.governance.models import AuditEvent, User

PAGE_SIZE = 100


class AuditFilters(BaseModel):
    action: str | None = Field(default=None, max_length=64, description="An action, or a prefix ending in '.'")
    actor: str | None = Field(default=None, max_length=64)
    case: int | None = Field(default=None, ge=1, le=2**31)
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = Field(default=1, ge=1, le=1_000_000)


class EventRow(BaseModel):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    subject: str | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    rows: list[EventRow]
    total: int
    page: int
    pages: int
    actions: list[str]


def audit_page(*, session: Session, actor: User, filters: AuditFilters) -> AuditPage:
    user = require(session=session, actor=actor, action="audit.verify")
    q = select(AuditEvent)
    if filters.action:
        a = filters.action
        q = q.where(AuditEvent.action.startswith(a) if a.endswith(".") else AuditEvent.action == a)
    if filters.actor:
        q = q.where(AuditEvent.actor == filters.actor)
    if filters.case is not None:
        q = q.where(AuditEvent.object_type == "case", AuditEvent.object_id == str(filters.case))
    if filters.since:
        q = q.where(AuditEvent.at >= dt.datetime.combine(filters.since, dt.time(), dt.UTC))
    if filters.until:
        q = q.where(AuditEvent.at < dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    page = session.scalars(q.order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE))
    rows = [
        EventRow(seq=e.seq, at=e.at, actor=e.actor, action=e.action, object_type=e.object_type, object_id=e.object_id,
                 subject=e.subject, detail=json.loads(e.detail))  # fmt: skip
        for e in page
    ]
    actions = list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    detail = {"filters": filters.model_dump(mode="json", exclude_none=True), "count": total}
    audit.record(session=session, actor=user, action="audit.read", object_type="audit_log", detail=detail)
    return AuditPage(rows=rows, total=total, page=filters.page, pages=max(1, math.ceil(total / PAGE_SIZE)), actions=actions)
