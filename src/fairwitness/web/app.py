"""`create_app(settings)`: the FastAPI app, its middleware, routers and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from fairwitness.web import refusals
from fairwitness.web.routes import admin, api, audit, auth, cases, dpo, runs, triage
from fairwitness.web.security import security_headers
from fairwitness.web.settings import WebSettings
from fairwitness.web.state import STATIC, WebState


def create_app(settings: WebSettings) -> FastAPI:
    """A new app over the settings' workspace and store (opened, and migrated, now)."""
    state = WebState.open(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="fairwitness",
        summary="Reviewers' web app and JSON API over the governance library.",
        version="1",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    app.middleware("http")(security_headers)
    refusals.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, triage, cases, audit, dpo, admin, runs, api):
        app.include_router(module.router)
    return app
