"""Sign-in and sign-out pages (the form carries a login CSRF token, double-submitted in a cookie)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fairwitness.governance.roles import allowed
from fairwitness.web.deps import Actor, State
from fairwitness.web.pages import render
from fairwitness.web.security import CsrfRefused
from fairwitness.web.signin import client_of, set_cookie, sign_in, sign_out

router = APIRouter(tags=["pages"], include_in_schema=False)
LOGIN_COOKIE = "fw_login"


def home_for(role: str) -> str:
    if allowed(role=role, action="case.list"):
        return "/queue"
    if allowed(role=role, action="retention.plan"):
        return "/dpo"
    return "/admin/accounts"


@router.get("/login")
def login_page(request: Request, state: State) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, state, None, None, "login.html", login_csrf=token, error=None)
    secure = state.settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=secure, max_age=3600, path="/login")
    return response


@router.post("/login")
def login(
    request: Request,
    state: State,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf.encode()):
        raise CsrfRefused("the sign-in form has expired: reload the page and try again")
    session = sign_in(state, username=username, password=password, client=client_of(request))
    with state.session() as s:
        from fairwitness.governance.models import User

        role = s.get(User, session.user_id).role  # type: ignore[union-attr]
    response = RedirectResponse(home_for(role), status_code=303)
    set_cookie(response, request, state, session)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(state: State, viewer: Actor) -> Response:
    response = RedirectResponse("/login", status_code=303)
    sign_out(state, viewer, response)
    return response
