"""The JSON API under ``/api``: the pages' data and actions, with the same rules.

Sign in with ``POST /api/session``; the answer sets the session cookie and gives the
CSRF token to send as ``X-CSRF-Token`` on every POST and DELETE.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from fairwitness.detectors.registry import load_registry
from fairwitness.governance import cases, decisions, pseudonyms, responses, verification
from fairwitness.governance.verification import VerifyReport
from fairwitness.governance.decisions import DetectorPrecision
from fairwitness.governance.pseudonyms import Grant
from fairwitness.governance.views import CaseSummary, DecisionView, NoteView, ResponseView
from fairwitness.web.auditlog import AuditFilters, AuditPage, audit_page
from fairwitness.web.casefile import CaseFile, case_file, readable_case
from fairwitness.web.deps import Actor, CaseId, State, Viewer
from fairwitness.web.pages import account
from fairwitness.web.queue import QueueFilters, QueuePage, queue_page
from fairwitness.web.runhistory import RunSummary, run_history
from fairwitness.web.signin import client_of, set_cookie, sign_in, sign_out

router = APIRouter(prefix="/api", tags=["api"])


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class SessionInfo(BaseModel):
    username: str
    role: str
    csrf: str
    """Send as the ``X-CSRF-Token`` header on every POST and DELETE."""


class NoteIn(BaseModel):
    text: str = Field(max_length=20_000)


class DecisionIn(BaseModel):
    outcome: str = Field(max_length=40)
    rationale: str = Field(max_length=20_000)
    signal_outcomes: dict[str, str] = Field(default_factory=dict)
    expected_version: int | None = None


class ConcurrenceIn(BaseModel):
    rationale: str = Field(max_length=20_000)
    agree: bool = True
    expected_version: int | None = None


class ReidentifyIn(BaseModel):
    reason: str = Field(max_length=2000)
    minutes: int = Field(default=60, ge=1, le=480)


class ResponseIn(BaseModel):
    text: str = Field(max_length=50_000)


class AssignIn(BaseModel):
    reviewer: str = Field(max_length=64)
    expected_version: int | None = None


class TransitionIn(BaseModel):
    to: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=5000)
    expected_version: int | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in"}, 403: {"description": "Refused"}, 404: {"description": "No such object"},
    409: {"description": "Changed meanwhile, or not in a state that allows it"}, 422: {"description": "Invalid input"},
}  # fmt: skip


@router.post("/session", response_model=SessionInfo, responses={401: {"description": "Refused"}, 429: {"description": "Throttled"}})
def create_session(request: Request, state: State, credentials: Credentials) -> Response:
    session = sign_in(state, username=credentials.username, password=credentials.password, client=client_of(request))
    with state.session() as s:
        me = account(s, session, state)
        info = SessionInfo(username=me.username, role=me.role, csrf=session.csrf)
    response = JSONResponse(info.model_dump())
    set_cookie(response, request, state, session)
    return response


@router.delete("/session", status_code=204, responses=ERRORS)
def end_session(state: State, viewer: Actor) -> Response:
    response = Response(status_code=204)
    sign_out(state, viewer, response)
    return response


@router.get("/cases", response_model=QueuePage, responses=ERRORS)
def list_cases(state: State, viewer: Viewer, filters: Annotated[QueueFilters, Query()]) -> QueuePage:
    people = state.people()
    with state.session() as s:
        me = account(s, viewer, state)
        return queue_page(session=s, actor=me, filters=filters, unit_of=people.unit_of,
                          page_size=state.settings.page_size)


@router.get("/cases/{case_id}", response_model=CaseFile, responses=ERRORS)
def get_case(state: State, viewer: Viewer, case_id: CaseId) -> CaseFile:
    with state.session() as s:
        me = account(s, viewer, state)
        case = readable_case(session=s, actor=me, case_id=case_id)
        return case_file(session=s, actor=me, case=case, runs=state.runs, status=state.coverage())


@router.post("/cases/{case_id}/notes", response_model=NoteView, responses=ERRORS)
def add_note(state: State, viewer: Actor, case_id: CaseId, body: NoteIn) -> NoteView:
    with state.session() as s:
        return cases.add_note(session=s, actor=account(s, viewer, state), case_id=case_id, text=body.text)


@router.post("/cases/{case_id}/decisions", response_model=DecisionView, responses=ERRORS)
def decide(state: State, viewer: Actor, case_id: CaseId, body: DecisionIn) -> DecisionView:
    with state.session() as s:
        me = account(s, viewer, state)
        return decisions.decide(
            session=s, actor=me, case_id=case_id, outcome=body.outcome, rationale=body.rationale,
            signal_outcomes=body.signal_outcomes,
            expected_version=body.expected_version,
        )  # fmt: skip


@router.post("/cases/{case_id}/concurrences", response_model=DecisionView, responses=ERRORS)
def concur(state: State, viewer: Actor, case_id: CaseId, body: ConcurrenceIn) -> DecisionView:
    with state.session() as s:
        me = account(s, viewer, state)
        return decisions.concur(session=s, actor=me, case_id=case_id, rationale=body.rationale, agree=body.agree,
                                expected_version=body.expected_version)  # fmt: skip


@router.post("/cases/{case_id}/reidentifications", response_model=Grant, responses=ERRORS)
def reidentify(state: State, viewer: Actor, case_id: CaseId, body: ReidentifyIn) -> Grant:
    with state.session() as s:
        me = account(s, viewer, state)
        return pseudonyms.reidentify(session=s, actor=me, case_id=case_id, reason=body.reason,
                                     ttl=dt.timedelta(minutes=body.minutes))  # fmt: skip


@router.post("/cases/{case_id}/responses", response_model=ResponseView, responses=ERRORS)
def respond(state: State, viewer: Actor, case_id: CaseId, body: ResponseIn) -> ResponseView:
    with state.session() as s:
        me = account(s, viewer, state)
        return responses.record_response(session=s, actor=me, case_id=case_id, text=body.text)


@router.post("/cases/{case_id}/assignments", response_model=CaseSummary, responses=ERRORS)
def assign(state: State, viewer: Actor, case_id: CaseId, body: AssignIn) -> CaseSummary:
    with state.session() as s:
        me = account(s, viewer, state)
        return cases.assign(session=s, actor=me, case_id=case_id, assignee=body.reviewer,
                            expected_version=body.expected_version)  # fmt: skip


@router.post("/cases/{case_id}/transitions", response_model=CaseSummary, responses=ERRORS)
def transition(state: State, viewer: Actor, case_id: CaseId, body: TransitionIn) -> CaseSummary:
    with state.session() as s:
        me = account(s, viewer, state)
        return cases.transition(session=s, actor=me, case_id=case_id, to_state=body.to, reason=body.reason,
                                expected_version=body.expected_version)  # fmt: skip


@router.get("/audit/events", response_model=AuditPage, responses=ERRORS)
def audit_events(state: State, viewer: Viewer, filters: Annotated[AuditFilters, Query()]) -> AuditPage:
    with state.session() as s:
        return audit_page(session=s, actor=account(s, viewer, state), filters=filters)


@router.post("/audit/verify", response_model=VerifyReport, responses=ERRORS)
def verify(state: State, viewer: Actor) -> VerifyReport:
    with state.session() as s:
        return verification.verify(session=s, actor=account(s, viewer, state))


@router.get("/runs", response_model=list[RunSummary], responses=ERRORS)
def runs(state: State, viewer: Viewer) -> list[RunSummary]:
    with state.session() as s:
        account(s, viewer, state)
    return run_history(state.settings.workspace)


@router.get("/detectors", response_model=list[dict[str, Any]], responses=ERRORS)
def detectors(state: State, viewer: Viewer) -> list[dict[str, Any]]:
    with state.session() as s:
        account(s, viewer, state)
    return load_registry().describe()


@router.get("/precision", response_model=list[DetectorPrecision], responses=ERRORS)
def precision(state: State, viewer: Viewer) -> list[DetectorPrecision]:
    with state.session() as s:
        return decisions.detector_precision(session=s, actor=account(s, viewer, state))
