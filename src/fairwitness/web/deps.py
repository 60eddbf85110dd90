"""Dependency aliases: the shared state, the signed-in viewer, and the CSRF guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from fairwitness.web.security import check_csrf
from fairwitness.web.sessions import COOKIE, WebSession
from fairwitness.web.state import WebState


class NotSignedIn(Exception):
    """No live session: pages redirect to the sign-in page, the API answers 401."""


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(get_state)]


def get_viewer(request: Request, state: State) -> WebSession:
    session = state.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise NotSignedIn()
    return session


Viewer = Annotated[WebSession, Depends(get_viewer)]


async def checked_viewer(request: Request, viewer: Viewer) -> WebSession:
    """The viewer, for a state-changing request that carries their CSRF token."""
    await check_csrf(request, viewer.csrf)
    return viewer


Actor = Annotated[WebSession, Depends(checked_viewer)]
"""Use on every POST: the signed-in viewer, CSRF-checked."""

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Case id.")]
"""A case id in a URL (within the store's integer range)."""
ObjectId = Annotated[int, Path(ge=1, le=2**31 - 1)]
