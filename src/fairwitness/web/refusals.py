"""Library refusals as HTTP answers: an HTML page for the browser, JSON under ``/api``.

A case the viewer may not see — about themselves, or someone in their line-management
chain — is refused before this point as a case that does not exist ("no case N", 404;
see `fairwitness.web.casefile.readable_case`), so an id changed in a URL reveals nothing.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from fairwitness.governance.errors import (
    AuthenticationFailed,
    ConcurrentModification,
    ConflictOfInterest,
    FourEyesViolation,
    GovernanceError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from fairwitness.web.deps import NotSignedIn
from fairwitness.web.security import CsrfRefused
from fairwitness.web.signin import TooManyAttempts

STATUS: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),
    (ConflictOfInterest, 403),
    (PermissionDenied, 403),
    (FourEyesViolation, 403),
    (AuthenticationFailed, 401),
    (ConcurrentModification, 409),
    (InvalidTransition, 409),
    (InvalidInput, 422),
    (TooManyAttempts, 429),
    (CsrfRefused, 403),
    (GovernanceError, 400),
)


def status_of(exc: Exception) -> int:
    return next(code for kind, code in STATUS if isinstance(exc, kind))


def message_of(exc: Exception) -> str:
    return str(exc)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def install(app: FastAPI) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        code, message = status_of(exc), message_of(exc)
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=code)
        templates = request.app.state.web.templates
        context = {"code": code, "message": message, "viewer": None, "csrf": ""}
        return templates.TemplateResponse(request, "error.html", context, status_code=code)

    async def not_signed_in(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "sign in first"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    for kind in (GovernanceError, CsrfRefused):
        app.add_exception_handler(kind, refused)
    app.add_exception_handler(NotSignedIn, not_signed_in)
