"""The auditor's pages: the audit log with filters, and verification of its hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fairwitness.governance import audit, verification
from fairwitness.web.auditlog import AuditFilters, audit_page
from fairwitness.web.deps import Actor, State, Viewer
from fairwitness.web.pages import account, render

router = APIRouter(prefix="/audit", tags=["pages"], include_in_schema=False)


@router.get("")
def log(request: Request, state: State, viewer: Viewer, filters: Annotated[AuditFilters, Query()]) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        page = audit_page(session=s, actor=me, filters=filters)
    return render(request, state, viewer, me, "audit.html", page=page, filters=filters, report=None)


@router.post("/verify")
def verify(request: Request, state: State, viewer: Actor) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        report = verification.verify(session=s, actor=me)
    with state.session() as s:
        me = account(s, viewer, state)
        page = audit_page(session=s, actor=me, filters=AuditFilters())
    return render(request, state, viewer, me, "audit.html", page=page, filters=AuditFilters(), report=report)
