"""The reviewers' web app: a face on the governance library and the detector reports.

`create_app(settings)` builds a FastAPI app; `fairwitness serve` runs it on uvicorn.
Every page and every ``/api`` endpoint signs the viewer in from a server-side session,
then calls the same library functions as the CLI (`fairwitness.governance`,
`fairwitness.reports`), which check the role and record the audit event. The web layer
adds only what a browser needs: sessions, CSRF tokens, security headers, paging, charts.

Modules, one concept each:

``settings``    `WebSettings`: workspace, store URL, cookie and session limits
``sessions``    server-side sessions and the sign-in throttle
``state``       `WebState`: the open store, templates and the workspace's line management
``security``    security headers and CSRF checks
``deps``        FastAPI dependency aliases (`Viewer`, `State`)
``refusals``    library refusals mapped to HTTP answers
``queue``       the triage queue: filters, sorting, paging, counts
``casefile``    what a case page shows: the library's case view, evidence rows, coverage, SQL
``timeline``    a person's duty, overtime, absence and presence around a period (from the lake)
``charts``      the timeline and peer-position charts (Altair, rendered to SVG server-side)
``routes``      one router per resource; ``routes.api`` is the JSON API
``cli``         the ``serve`` command
"""

from __future__ import annotations

from typing import Any

__all__ = ["WebSettings", "create_app"]


def __getattr__(name: str) -> Any:
    """Import the app lazily, so the CLI does not load FastAPI until ``serve`` runs."""
    if name == "create_app":
        from fairwitness.web.app import create_app

        return create_app
    if name == "WebSettings":
        from fairwitness.web.settings import WebSettings

        return WebSettings
    raise AttributeError(name)
