"""The case page, its charts and attachments, and every action on a case (POST, CSRF-checked).

Each read passes `casefile.readable_case` (the library's role check and `governed_case`:
existence, not about the viewer or their chain); each action calls the one library
function the CLI calls for the same thing, which makes every check itself.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from fairwitness.governance import audit, cases, decisions, pseudonyms, responses
from fairwitness.governance.errors import NotFound
from fairwitness.governance.models import Attachment, Response as ResponseRow, User
from fairwitness.governance.roles import allowed
from fairwitness.routes import OUTCOMES
from fairwitness.web import charts
from fairwitness.web.casefile import case_file, evidence_file, masker_for, readable_case
from fairwitness.web.deps import Actor, CaseId, ObjectId, State, Viewer
from fairwitness.web.pages import account, render
from fairwitness.web.timeline import read_timeline

router = APIRouter(prefix="/cases", tags=["pages"], include_in_schema=False)
Text = Annotated[str, Form(max_length=20_000)]
Version = Annotated[int | None, Form()]


def _back(case_id: CaseId) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def svg(text: str) -> Response:
    return Response(text, media_type="image/svg+xml", headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})


@router.get("/{case_id}")
def case_page(request: Request, state: State, viewer: Viewer, case_id: CaseId) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        case = readable_case(session=s, actor=me, case_id=case_id)
        file = case_file(session=s, actor=me, case=case, runs=state.runs, status=state.coverage())
        reviewers = [
            u.username
            for u in s.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
            if allowed(role=u.role, action="case.decide") and u.id != me.id
        ]
    transitions = [b for (a, b) in cases.TRANSITIONS if a == file.view.state]
    pending = next((d for d in file.view.decisions if d.status == "pending"), None)
    return render(
        request, state, viewer, me, "case.html", file=file, case=file.view, outcomes=OUTCOMES,
        transitions=transitions, pending=pending, reviewers=reviewers, max_hours=int(pseudonyms.MAX_TTL.total_seconds() // 3600),
    )  # fmt: skip


@router.get("/{case_id}/evidence")
def evidence(request: Request, state: State, viewer: Viewer, case_id: CaseId) -> Response:
    """Each signal's evidence rows: a fragment for the case page's script, or a page of its own."""
    with state.session() as s:
        me = account(s, viewer, state)
        case = readable_case(session=s, actor=me, case_id=case_id)
        tables = evidence_file(session=s, actor=me, case=case, workspace=state.settings.workspace)
        signals = [(g.signal_id, g.detector) for g in case.signals]
    fragment = request.headers.get("x-fragment") == "1"
    return render(request, state, viewer, me, "_evidence.html" if fragment else "evidence.html", case_id=case_id,
                  tables=tables, signals=signals)  # fmt: skip


@router.get("/{case_id}/timeline.svg")
def timeline_chart(state: State, viewer: Viewer, case_id: CaseId) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        case = readable_case(session=s, actor=me, case_id=case_id)
        staff_id, start, end, pseudonym = case.staff_id, case.period_start, case.period_end, case.pseudonym
        audit.record(session=s, actor=me, action="case.timeline.view", object_type="case", object_id=case.id,
                     subject=pseudonym, detail={"from": start.isoformat(), "to": end.isoformat()})  # fmt: skip
    timeline = read_timeline(state.settings.workspace, staff_id=staff_id, period_start=start, period_end=end)
    return svg(charts.timeline_svg(timeline, title=f"{pseudonym}: duty, overtime, absence and presence"))


@router.get("/{case_id}/peers.svg")
def peer_chart(state: State, viewer: Viewer, case_id: CaseId) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        case = readable_case(session=s, actor=me, case_id=case_id)
        mask = masker_for(session=s, actor=me, case=case)  # peer groups are free text: the library's masker
        rows = [mask({"detector": g.detector, **(g.evidence.get("peer_comparison") or {})}) for g in case.signals]
        audit.record(session=s, actor=me, action="case.peers.view", object_type="case", object_id=case.id,
                     subject=case.pseudonym)  # fmt: skip
        title = f"{case.pseudonym} against their peer group"
    return svg(charts.peer_svg(rows, title=title))


@router.get("/{case_id}/attachments/{attachment_id}")
def attachment(state: State, viewer: Viewer, case_id: CaseId, attachment_id: ObjectId) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        readable_case(session=s, actor=me, case_id=case_id)
        row = s.get(Attachment, attachment_id)
        owner = s.get(ResponseRow, row.response_id) if row else None
        if owner is None or owner.case_id != case_id:
            raise NotFound(f"no attachment {attachment_id}")
        name, content = responses.read_attachment(session=s, actor=me, attachment_id=attachment_id)
    return Response(content, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="attachment-{attachment_id}{Path(name).suffix}"'})  # fmt: skip


@router.post("/{case_id}/assign")
def assign(state: State, viewer: Actor, case_id: CaseId, reviewer: Annotated[str, Form(max_length=64)], version: Version = None) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        cases.assign(session=s, actor=me, case_id=case_id, assignee=reviewer,
                     expected_version=version)  # fmt: skip
    return _back(case_id)


@router.post("/{case_id}/transition")
def transition(
    state: State, viewer: Actor, case_id: CaseId, to: Annotated[str, Form(max_length=20)],
    reason: Annotated[str | None, Form(max_length=5000)] = None, version: Version = None,
) -> Response:  # fmt: skip
    with state.session() as s:
        me = account(s, viewer, state)
        cases.transition(session=s, actor=me, case_id=case_id, to_state=to, reason=reason or None, expected_version=version)
    return _back(case_id)


@router.post("/{case_id}/note")
def note(state: State, viewer: Actor, case_id: CaseId, text: Text) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        cases.add_note(session=s, actor=me, case_id=case_id, text=text)
    return _back(case_id)


@router.post("/{case_id}/decide")
async def decide(request: Request, state: State, viewer: Actor, case_id: CaseId) -> Response:
    form = await request.form()
    per_signal = {k[3:]: str(v) for k, v in form.items() if k.startswith("so_") and v}
    version = str(form.get("version") or "")
    with state.session() as s:
        me = account(s, viewer, state)
        decisions.decide(
            session=s, actor=me, case_id=case_id, outcome=str(form.get("outcome") or ""),
            rationale=str(form.get("rationale") or ""), signal_outcomes=per_signal,
            expected_version=int(version) if version.isdigit() else None,
        )  # fmt: skip
    return _back(case_id)


@router.post("/{case_id}/concur")
def concur(
    state: State, viewer: Actor, case_id: CaseId, rationale: Text, verdict: Annotated[str, Form(pattern="^(concur|dissent)$")],
    version: Version = None,
) -> Response:  # fmt: skip
    with state.session() as s:
        me = account(s, viewer, state)
        decisions.concur(session=s, actor=me, case_id=case_id, rationale=rationale, agree=verdict == "concur",
                         expected_version=version)  # fmt: skip
    return _back(case_id)


@router.post("/{case_id}/respond")
async def respond(
    state: State, viewer: Actor, case_id: CaseId, text: Annotated[str, Form(max_length=50_000)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:  # fmt: skip
    attached = [(f.filename or "attachment", await f.read()) for f in files or [] if f.filename]
    with state.session() as s:
        me = account(s, viewer, state)
        responses.record_response(session=s, actor=me, case_id=case_id, text=text, attachments=attached)
    return _back(case_id)


@router.post("/{case_id}/reidentify")
def reidentify(
    state: State, viewer: Actor, case_id: CaseId, reason: Annotated[str, Form(max_length=2000)],
    minutes: Annotated[int, Form(ge=1, le=480)] = 60,
) -> Response:  # fmt: skip
    with state.session() as s:
        me = account(s, viewer, state)
        pseudonyms.reidentify(session=s, actor=me, case_id=case_id, reason=reason,
                              ttl=dt.timedelta(minutes=minutes))  # fmt: skip
    return _back(case_id)


@router.post("/{case_id}/disclose")
def disclose(state: State, viewer: Actor, case_id: CaseId) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        with tempfile.TemporaryDirectory() as tmp:
            path = responses.export_disclosure_pack(session=s, actor=me, case_id=case_id, out=Path(tmp) / "pack.zip")
            content = path.read_bytes()
    return Response(content, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="disclosure-case-{case_id}.zip"'})  # fmt: skip
