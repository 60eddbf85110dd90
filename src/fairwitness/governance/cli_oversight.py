"""The oversight commands: workforce, store roles, audit log, retention, purpose register.

Added to the ``fairwitness`` app by `fairwitness.governance.cli.register`, with the
same options and sign-in as the case commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fairwitness.governance import outputs, privileges, purposes, retention, verification, workforce
from fairwitness.governance.cli import _HERE, As, Db, LineManagers, Password, Workspace, _refusals, acting
from fairwitness.governance.db import create_engine_for, create_store, store_url


def workforce_app(line_managers: LineManagers) -> typer.Typer:
    app = typer.Typer(help="The workforce kept in the store for conflict checks.", no_args_is_help=True)

    @app.command("refresh")
    def refresh(
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Replace the store's workforce (staff ids, line managers) with the workspace's people (admins)."""
        with acting(workspace, db, as_, password) as (s, me):
            report = workforce.refresh_by(session=s, actor=me, people=line_managers(workspace))
        typer.echo(f"workforce: {report.people} people ({report.with_manager} with a line manager), was {report.before}")

    return app


def store_app() -> typer.Typer:
    app = typer.Typer(help="The store itself (PostgreSQL roles).", no_args_is_help=True)

    @app.command("grant-app-role")
    def grant(
        role: Annotated[str, typer.Argument(help="The application's PostgreSQL role (not the owner).")],
        db: Annotated[str, typer.Option("--db", help="The store's URL, signed in as its owner.")],
    ) -> None:
        """As the database owner: migrate, then give the application role only what it needs (PostgreSQL)."""
        with _refusals():
            create_store(store_url(db=db)).dispose()
            engine = create_engine_for(store_url(db=db))
            try:
                statements = privileges.grant_application_role(engine=engine, role=role)
            finally:
                engine.dispose()
        typer.echo("\n".join(statements))

    return app


def audit_app() -> typer.Typer:
    app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

    @app.command("verify")
    def verify(
        anchor: Annotated[Path | None, typer.Option(help="Anchor from `audit anchor` (detects truncation).")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Verify the hash chain; exit 1, saying where, if anything was edited, deleted, reordered or truncated."""
        with acting(workspace, db, as_, password) as (s, me):
            given = verification.Anchor.model_validate_json(anchor.read_text()) if anchor else None
            report = verification.verify(session=s, actor=me, anchor=given)
        if anchor:
            report.warnings += verification.anchor_file_warnings(anchor)
        typer.echo(report.summary())
        if not report.ok:
            raise typer.Exit(1)

    @app.command("anchor")
    def anchor(
        out: Annotated[Path | None, typer.Option(help="Write the anchor to this new file, then make it read-only.")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Export the chain's head hash as a signed anchor; keep it outside the database, where the app cannot write."""
        with acting(workspace, db, as_, password) as (s, me):
            target = outputs.check(out, protected=outputs.store_files(s.get_bind().engine.url.render_as_string())) if out else None
            text = verification.anchor(session=s, actor=me).model_dump_json(indent=2)
        if target:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text + "\n", encoding="utf-8")
            target.chmod(0o444)
        typer.echo(f"wrote {target} (read-only)" if target else text)

    return app


def retention_app() -> typer.Typer:
    app = typer.Typer(help="Retention of closed cases.", no_args_is_help=True)

    @app.command("run")
    def run(
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Only report what would be purged.")] = False,
        months: Annotated[int, typer.Option(help="Retention period in months.")] = retention.DEFAULT_MONTHS,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Purge closed no-further-action and false-positive cases older than the period."""
        with acting(workspace, db, as_, password) as (s, me):
            report = retention.run(session=s, actor=me, months=months, dry_run=dry_run)
        typer.echo(f"{'would purge' if dry_run else 'purged'} {len(report.cases)} case(s) closed before "
                   f"{report.cutoff:%Y-%m-%d}")  # fmt: skip
        for item in report.cases:
            typer.echo(f"  case {item.case_id} {item.pseudonym} {item.outcome} closed {item.closed_at:%Y-%m-%d}")

    return app


def purposes_app() -> typer.Typer:
    app = typer.Typer(help="The purpose register.", no_args_is_help=True)

    @app.command("export")
    def export(
        out: Annotated[Path | None, typer.Option(help="Directory (default: WS/exports).")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Export the purpose register as JSON and Markdown for a data protection impact assessment."""
        with acting(workspace, db, as_, password) as (s, me):
            paths = purposes.export_register(session=s, actor=me, out_dir=out or workspace / "exports")
        typer.echo("wrote " + ", ".join(str(p) for p in paths))

    return app
