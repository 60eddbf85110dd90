"""Account administration: list, create, disable (the library's `users` functions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fairwitness.governance import users
from fairwitness.governance.roles import ROLE_DOC, ROLES
from fairwitness.web.deps import Actor, State, Viewer
from fairwitness.web.pages import account, render

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)


@router.get("/accounts")
def accounts(request: Request, state: State, viewer: Viewer) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        rows = users.list_users(session=s, actor=me)
    return render(request, state, viewer, me, "admin.html", accounts=rows, roles=ROLES, role_doc=ROLE_DOC)


@router.post("/accounts")
def create(
    state: State, viewer: Actor, username: Annotated[str, Form(max_length=64)], role: Annotated[str, Form(max_length=32)],
    new_password: Annotated[str, Form(max_length=1024)], staff_id: Annotated[str | None, Form(max_length=64)] = None,
) -> Response:  # fmt: skip
    with state.session() as s:
        me = account(s, viewer, state)
        users.create_user(session=s, actor=me, username=username, password=new_password, role=role, staff_id=staff_id or None)
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/disable")
def disable(state: State, viewer: Actor, username: Annotated[str, Form(max_length=64)]) -> Response:
    with state.session() as s:
        me = account(s, viewer, state)
        user = users.disable_user(session=s, actor=me, username=username)
        user_id = user.id
    state.sessions.end_for_user(user_id)
    return RedirectResponse("/admin/accounts", status_code=303)
