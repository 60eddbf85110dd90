"""The ``report`` command: the publishable transparency report (added to the main app by `register`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def _period(value: str | None) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    a, sep, b = value.partition("..")
    try:
        if not sep:
            raise ValueError
        p = (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
    except ValueError:
        raise typer.BadParameter(f"{value!r}: expected FROM..TO, e.g. 2025-01-01..2025-06-30", param_hint="--period") from None
    if p[0] > p[1]:
        raise typer.BadParameter(f"{value!r}: FROM is after TO", param_hint="--period")
    return p


def report_command(
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace directory.")],
    out: Annotated[Path, typer.Option(help="Folder to write transparency-report.html or .pdf into.")],
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    period: Annotated[str | None, typer.Option(help="FROM..TO (YYYY-MM-DD): cases and events in this period.")] = None,
    truth: Annotated[Path | None, typer.Option(help="Ground truth for the fairness figures (synthetic forces only).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")] = None,
    min_group: Annotated[int, typer.Option(help="Suppress groups with fewer people than this.")] = 10,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing report.")] = False,
) -> None:
    """Write the publishable transparency report (HTML or PDF, with charts; no personal data)."""
    from fairwitness.transparency.publication import publish

    if fmt not in ("html", "pdf"):
        raise typer.BadParameter("expected html or pdf", param_hint="--format")
    try:
        path = publish(workspace, out, fmt=fmt, period=_period(period), truth=truth, db=db, min_group=min_group, force=force)
    except (FileExistsError, ValueError, LookupError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
