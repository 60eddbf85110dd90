"""The data protection officer's pages: purpose register, retention (dry run and run), subject access export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from fairwitness.governance import purposes, retention
from fairwitness.governance import sar as subject_access
from fairwitness.governance.access import require
from fairwitness.web.deps import Actor, State, Viewer
from fairwitness.web.pages import account, render

router = APIRouter(prefix="/dpo", tags=["pages"], include_in_schema=False)


@router.get("")
def dpo(request: Request, state: State, viewer: Viewer) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        require(session=s, actor=me, action="purposes.export")
    return render(request, state, viewer, me, "dpo.html", register=purposes.document(), report=None,
                  months=retention.DEFAULT_MONTHS)  # fmt: skip


@router.post("/retention")
def run_retention(
    request: Request, state: State, viewer: Actor, months: Annotated[int, Form(ge=1, le=1200)] = retention.DEFAULT_MONTHS,
    mode: Annotated[str, Form(pattern="^(dry_run|run)$")] = "dry_run",
) -> Response:  # fmt: skip
    with state.session() as s:
        me = account(s, viewer, state)
        report = retention.run(session=s, actor=me, months=months, dry_run=mode == "dry_run")
    return render(request, state, viewer, me, "dpo.html", register=purposes.document(), report=report, months=months)


@router.post("/sar")
def sar(state: State, viewer: Actor, staff_id: Annotated[str, Form(min_length=1, max_length=64)]) -> Response:
    from fairwitness.subjects import source_summary

    with state.session() as s:
        me = account(s, viewer, state)
        require(session=s, actor=me, action="sar.export")
        summary = source_summary(state.settings.workspace, staff_id)
        with tempfile.TemporaryDirectory() as tmp:
            result = subject_access.export(session=s, actor=me, staff_id=staff_id, out=Path(tmp) / "sar",
                                           source_summary=summary)  # fmt: skip
            content = result.json_path.read_bytes()
    return Response(content, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="subject-access-export.json"'})  # fmt: skip
