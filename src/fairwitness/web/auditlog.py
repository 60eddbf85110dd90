"""The audit log for auditors: filtered, newest first, paged.

A face on the library's `audit.list_events` (for the roles that may verify the log;
the read recorded as ``audit.read``): the page's filters and its paging.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.models import User

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
    since = dt.datetime.combine(filters.since, dt.time(), dt.UTC) if filters.since else None
    until = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC) if filters.until else None
    found = audit.list_events(
        session=session, actor=actor, action=filters.action, by=filters.actor, case_id=filters.case, since=since,
        until=until, limit=PAGE_SIZE, offset=(filters.page - 1) * PAGE_SIZE,
    )  # fmt: skip
    rows = [EventRow(**e) for e in found.events]
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    return AuditPage(rows=rows, total=found.total, page=filters.page, pages=pages, actions=found.actions)
