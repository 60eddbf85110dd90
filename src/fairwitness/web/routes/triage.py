"""The triage queue page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from fairwitness.governance.cases import STATES
from fairwitness.governance.models import User
from fairwitness.governance.roles import allowed
from fairwitness.routes import ROUTES
from fairwitness.web.deps import State, Viewer
from fairwitness.web.pages import account, render
from fairwitness.web.queue import QueueFilters, queue_page
from fairwitness.web.routes.auth import home_for

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/")
def home(state: State, viewer: Viewer) -> Response:
    with state.session() as s:
        role = account(s, viewer, state).role
    return RedirectResponse(home_for(role), status_code=303)


@router.get("/queue")
def queue(request: Request, state: State, viewer: Viewer, filters: Annotated[QueueFilters, Query()]) -> Response:
    people = state.people()
    with state.session() as s:
        me = account(s, viewer, state)
        page = queue_page(
            session=s, actor=me, filters=filters, unit_of=people.unit_of, page_size=state.settings.page_size,
        )  # fmt: skip
        reviewers = [
            (u.id, u.username)
            for u in s.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
            if allowed(role=u.role, action="case.decide")
        ]
    return render(
        request, state, viewer, me, "queue.html", page=page, routes=ROUTES, states=STATES,
        detectors=state.detectors(), units=people.units, reviewers=reviewers,
    )  # fmt: skip

