"""Signing in and out: the library's `users.authenticate`, throttled, with a fresh session.

Every sign-in, refusal and throttled attempt is on the audit log (refusals through the
library's `AuthenticationFailed`). The answer never says whether the account exists.
The account lockout is the library's (`users.authenticate`); the app adds only rate
limiting per client address, against one address trying many accounts.
"""

from __future__ import annotations

from fastapi import Request, Response

from fairwitness.governance import audit, users
from fairwitness.governance.errors import AuthenticationFailed, GovernanceError
from fairwitness.web.sessions import COOKIE, WebSession
from fairwitness.web.state import WebState


class TooManyAttempts(GovernanceError):
    """Too many failed sign-ins from this address: wait and try again (rate limiting, not the account lockout)."""


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(state: WebState, *, username: str, password: str, client: str) -> WebSession:
    """A new session for the account, or `AuthenticationFailed` / `TooManyAttempts`."""
    username = (username or "").strip()[:64]
    key = f"addr:{client}"
    if state.throttle.blocked(key):
        state.store.record_event(
            actor=username or "?", action="security.sign_in_throttled", object_type="user", object_id=username,
            detail={"minutes": state.settings.login_window_minutes},
        )  # fmt: skip
        raise TooManyAttempts(
            f"too many failed sign-ins: try again in {state.settings.login_window_minutes} minutes"
        )
    try:
        with state.session() as s:
            user = users.authenticate(session=s, username=username, password=password)
            audit.record(session=s, actor=user, action="session.sign_in", object_type="user", object_id=user.username)
            user_id, name = user.id, user.username
    except AuthenticationFailed:
        state.throttle.failed(key)
        raise AuthenticationFailed("sign-in refused: wrong user name or password", username=username) from None
    return state.sessions.create(user_id=user_id, username=name)


def set_cookie(response: Response, request: Request, state: WebState, session: WebSession) -> None:
    response.set_cookie(
        COOKIE,
        session.token,
        httponly=True,
        samesite="strict",
        secure=state.settings.secure_cookies or request.url.scheme == "https",
        max_age=state.settings.session_max_hours * 3600,
        path="/",
    )


def sign_out(state: WebState, session: WebSession, response: Response) -> None:
    state.sessions.end(session.token)
    state.store.record_event(actor=session.username, action="session.sign_out", object_type="user",
                             object_id=session.username)  # fmt: skip
    response.delete_cookie(COOKIE, path="/")
