"""Run history and the detector catalogue with each detector's measured precision (everyone signed in)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fairwitness.detectors.registry import load_registry
from fairwitness.governance import decisions
from fairwitness.governance.roles import allowed
from fairwitness.web.deps import State, Viewer
from fairwitness.web.pages import account, render
from fairwitness.web.runhistory import run_history

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/runs")
def runs_page(request: Request, state: State, viewer: Viewer) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
    return render(request, state, viewer, me, "runs.html", runs=run_history(state.settings.workspace))


@router.get("/detectors")
def detectors_page(request: Request, state: State, viewer: Viewer) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        precision = (
            {(p.detector, p.detector_version): p for p in decisions.detector_precision(session=s, actor=me)}
            if allowed(role=me.role, action="stats.precision")
            else None
        )
    catalogue = load_registry().describe()
    return render(request, state, viewer, me, "detectors.html", catalogue=catalogue, precision=precision)
