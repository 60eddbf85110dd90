"""Rendering a page: the signed-in account, the navigation its role allows, the CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from fairwitness.governance.models import User
from fairwitness.governance.roles import allowed
from fairwitness.web.deps import NotSignedIn
from fairwitness.web.sessions import WebSession
from fairwitness.web.state import WebState

NAV: tuple[tuple[str, str, str | None], ...] = (
    ("/queue", "Queue", "case.list"),
    ("/audit", "Audit log", "audit.verify"),
    ("/dpo", "Data protection", "retention.plan"),
    ("/admin/accounts", "Accounts", "user.create"),
    ("/runs", "Runs", None),
    ("/detectors", "Detectors", None),
)


def account(session: Session, viewer: WebSession, state: WebState) -> User:
    """The viewer's account, fresh from the store; a disabled account is signed out at once."""
    user = session.get(User, viewer.user_id)
    if user is None or not user.active:
        state.sessions.end(viewer.token)
        raise NotSignedIn()
    return user


def nav_for(role: str) -> list[tuple[str, str]]:
    return [(href, label) for href, label, action in NAV if action is None or allowed(role=role, action=action)]


def render(
    request: Request, state: WebState, viewer: WebSession | None, user: User | None, template: str, **context: Any
) -> HTMLResponse:
    ctx = {
        "viewer": {"username": user.username, "role": user.role} if user else None,
        "nav": nav_for(user.role) if user else [],
        "csrf": viewer.csrf if viewer else "",
        "can": (lambda action: allowed(role=user.role, action=action)) if user else (lambda action: False),
        **context,
    }
    return state.templates.TemplateResponse(request, template, ctx)
