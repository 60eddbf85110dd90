"""The ``fairwitness serve`` command (added to the main app by `register`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        workspace: Annotated[Path, typer.Option("--workspace", "-w", envvar="FAIRWITNESS_WORKSPACE", help="Workspace.")],
        db: Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")] = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure (behind a TLS proxy).")] = False,
    ) -> None:
        """Serve the reviewers' web app and JSON API (sign in with an existing account)."""
        import uvicorn

        from fairwitness.web import WebSettings, create_app

        app_ = create_app(WebSettings(workspace=workspace, db=db, secure_cookies=secure_cookies))
        typer.echo(f"fairwitness is serving {workspace} at http://{host}:{port}/ (Ctrl+C to stop)")
        uvicorn.run(app_, host=host, port=port, proxy_headers=True, log_level="info")
