"""The governance commands, added to the main ``fairwitness`` Typer app by `register`.

Every command takes ``--workspace WS`` (default store ``WS/governance.sqlite``),
``--db URL`` (overrides; ``postgresql://...`` for PostgreSQL), and acts as
``--as USERNAME`` with the password from ``--password`` or ``FAIRWITNESS_PASSWORD``
(prompted for if neither is given). Commands are thin: each signs in, calls one
library function, prints the result. Refusals print ``error: ...`` and exit 1.

Conflict checks read the workforce kept in the store (refreshed by
``fairwitness ingest`` and by ``workforce refresh``, which reads the lake through
the ``line_managers`` hook passed to `register`); the per-table source summary
of a subject access export comes from the lake through the ``source_summary``
hook. Free text is printed with control characters escaped. Exports never
replace an existing file unless ``--force``, and never a file in a workspace or
the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from fairwitness.governance import (
    audit,
    cases,
    decisions,
    intake,
    pseudonyms,
    purposes,
    responses,
    retention,
    users,
    workforce,
)
from fairwitness.governance import sar as subject_access
from fairwitness.governance.db import Store, create_store, store_url
from fairwitness.governance.errors import GovernanceError, InvalidInput
from fairwitness.governance.views import printable
from fairwitness.governance.models import User
from fairwitness.governance.reports import to_json

LineManagers = Callable[[Path], Mapping[str, str | None]]
"""``workspace -> {staff_id: line manager staff_id or None}`` (from ``people``)."""
SourceSummary = Callable[[Path, str], Mapping[str, dict[str, Any]] | None]
"""``(workspace, staff_id) -> {table: {"rows": n, "first": ..., "last": ...}}``."""

_HERE = Path(".")
Workspace = Annotated[Path, typer.Option("--workspace", "-w", envvar="FAIRWITNESS_WORKSPACE", help="Workspace.")]
Db = Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")]
As = Annotated[str, typer.Option("--as", envvar="FAIRWITNESS_USER", help="Acting user.")]
Password = Annotated[str | None, typer.Option("--password", envvar="FAIRWITNESS_PASSWORD", help="Your password.")]
Version = Annotated[int | None, typer.Option("--expect-version", help="Case version you read (refused if changed).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CaseId = Annotated[int, typer.Argument(help="Case id.")]
Force = Annotated[bool, typer.Option("--force", help="Replace the file if it exists (never one in a workspace).")]
Text = Annotated[str, typer.Option(help="Written rationale (recorded).")]
NewPassword = Annotated[
    str, typer.Option(envvar="FAIRWITNESS_NEW_PASSWORD", prompt=True, hide_input=True, confirmation_prompt=True)
]
FirstAs = Annotated[str | None, typer.Option("--as", envvar="FAIRWITNESS_USER", help="Acting admin (not for the 1st).")]


def no_line_managers(workspace: Path) -> Mapping[str, str | None]:
    raise GovernanceError(
        "line management is not available: register(app, line_managers=...) must be given the workspace's "
        "people.line_manager_id to refresh the store's workforce"
    )


def parse_signal_outcomes(items: list[str] | None) -> dict[str, str]:
    """``["ID=OUTCOME", ...]`` as a mapping; `InvalidInput` naming the item that is not ``ID=OUTCOME``."""
    result: dict[str, str] = {}
    for item in items or []:
        sid, sep, outcome = item.partition("=")
        if not sep or not sid.strip() or not outcome.strip():
            raise InvalidInput(f"--signal {item!r}: expected SIGNAL_ID=OUTCOME")
        result[sid.strip()] = outcome.strip()
    return result


def refresh_workforce(
    *, workspace: Path, db: str | None, people: Mapping[str, str | None], actor: str = "ingest"
) -> workforce.RefreshReport:
    """Replace the store's workforce with ``people`` (the ingest hook and ``workforce refresh``)."""
    store = create_store(store_url(workspace=workspace, db=db))
    try:
        with store.session() as s:
            return workforce.refresh(session=s, actor=actor, people=people)
    finally:
        store.dispose()


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except GovernanceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@contextmanager
def opening(workspace: Path, db: str | None) -> Iterator[Store]:
    """The store (migrated to the newest schema), closed afterwards."""
    if not db and not workspace.is_dir():
        raise GovernanceError(f"workspace {workspace} does not exist")
    store = create_store(store_url(workspace=workspace, db=db))
    try:
        yield store
    finally:
        store.dispose()


@contextmanager
def acting(workspace: Path, db: str | None, username: str, password: str | None) -> Iterator[tuple[Session, User]]:
    """Open the store, sign in, and yield a session and the acting user (one transaction)."""
    with _refusals(), opening(workspace, db) as store, store.session() as session:
        if password is None:
            password = typer.prompt(f"password for {username}", hide_input=True)
        yield session, users.authenticate(session=session, username=username, password=password)


def _show(data: Any, as_json: bool, lines: Callable[[], list[str]]) -> None:
    typer.echo(to_json(data) if as_json else "\n".join(lines()))


def _users_app() -> typer.Typer:
    app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)

    @app.command("create")
    def create(
        username: str,
        role: Annotated[str, typer.Option(help="analyst, reviewer, senior_reviewer, dpo, auditor or admin.")],
        new_password: NewPassword,
        staff_id: Annotated[str | None, typer.Option(help="The person's staff_id, if in the workforce.")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: FirstAs = None, password: Password = None,
    ) -> None:  # fmt: skip
        """Create an account (a store's first account is an admin, created without --as)."""
        if as_ is None:
            with _refusals(), opening(workspace, db) as store, store.session() as s:
                users.create_user(
                    session=s, actor=None, username=username, password=new_password, role=role, staff_id=staff_id
                )
        else:
            with acting(workspace, db, as_, password) as (s, me):
                users.create_user(
                    session=s, actor=me, username=username, password=new_password, role=role, staff_id=staff_id
                )
        typer.echo(f"created {username} ({role})")

    @app.command("disable")
    def disable(
        username: str, workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None
    ) -> None:
        """Disable an account (it can no longer sign in or act)."""
        with acting(workspace, db, as_, password) as (s, me):
            users.disable_user(session=s, actor=me, username=username)
        typer.echo(f"disabled {username}")

    @app.command("list")
    def list_(
        json: Json = False, workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None
    ) -> None:
        """List accounts."""
        with acting(workspace, db, as_, password) as (s, me):
            rows = users.list_users(session=s, actor=me)
        _show(rows, json, lambda: [
            f"{u.username:<20} {u.role:<16} {'active' if u.active else 'disabled':<9} {u.staff_id or ''}" for u in rows
        ])  # fmt: skip

    return app


def _cases_app() -> typer.Typer:
    app = typer.Typer(help="Cases: import, triage, review, decide, respond, disclose.", no_args_is_help=True)

    @app.command("import")
    def import_(
        run: Annotated[str | None, typer.Option(help="Run id: reads WS/runs/RUN/case_candidates.parquet.")] = None,
        candidates: Annotated[Path | None, typer.Option(help="A case_candidates.parquet file.")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Import a run's case candidates as new cases (idempotent)."""
        with acting(workspace, db, as_, password) as (s, me):
            if (run is None) == (candidates is None):
                raise GovernanceError("give exactly one of --run and --candidates")
            path = candidates or intake.candidates_path(workspace=workspace, run_id=run or "")
            result = intake.import_candidates(session=s, actor=me, candidates=intake.load_candidates(path))
        purged = f", {len(result.purged)} purged by retention (not brought back)" if result.purged else ""
        typer.echo(f"imported {len(result.created)} case(s), skipped {len(result.skipped)} already imported{purged}")

    @app.command("list")
    def list_(
        state: Annotated[str | None, typer.Option()] = None,
        run: Annotated[str | None, typer.Option()] = None,
        assignee: Annotated[str | None, typer.Option()] = None,
        json: Json = False,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """List cases (pseudonymised), newest first."""
        with acting(workspace, db, as_, password) as (s, me):
            rows = cases.list_cases(session=s, actor=me, state=state, run_id=run, assignee=assignee)
        _show(rows, json, lambda: [
            f"{c.id:>5}  {c.pseudonym}  {c.state:<12} {c.route:<28} {c.score:5.2f}  v{c.version}  {c.assignee or '-'}"
            for c in rows
        ])  # fmt: skip

    @app.command("show")
    def show(
        case_id: CaseId, json: Json = False,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Show a case: signals and evidence, notes, decisions, responses."""
        with acting(workspace, db, as_, password) as (s, me):
            v = cases.show_case(session=s, actor=me, case_id=case_id)
        p = printable
        _show(v, json, lambda: [
            f"case {v.id} {v.pseudonym}{' = ' + p(v.staff_id) if v.staff_id else ''}  [{v.state}]  version {v.version}",
            f"route {v.route} score {v.score:.2f}  {v.period_start}..{v.period_end}  assignee {v.assignee or '-'}",
            p(v.explanation),
            *[f"  signal {p(g.signal_id)} {g.detector} {g.route} {g.score:.2f}: {p(g.explanation)}" for g in v.signals],
            *[f"  decision {d.id} {d.outcome} [{d.status}] by {d.reviewer}: {p(d.rationale)}" for d in v.decisions],
            *[f"  response {r.id} ({len(r.attachments)} attachment(s)): {p(r.text)}" for r in v.responses],
            *[f"  note {n.author}: {p(n.text)}" for n in v.notes],
        ])  # fmt: skip

    @app.command("assign")
    def assign(
        case_id: CaseId, reviewer: str, version: Version = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Assign a case to a reviewer independent of its subject."""
        with acting(workspace, db, as_, password) as (s, me):
            c = cases.assign(session=s, actor=me, case_id=case_id, assignee=reviewer, expected_version=version)
        typer.echo(f"case {c.id} assigned to {reviewer} (version {c.version})")

    @app.command("transition")
    def transition(
        case_id: CaseId, to: Annotated[str, typer.Argument(help="triaged, under_review, closed or reopened.")],
        reason: Annotated[str | None, typer.Option(help="Why (required to reopen).")] = None, version: Version = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Move a case along its workflow."""
        with acting(workspace, db, as_, password) as (s, me):
            c = cases.transition(session=s, actor=me, case_id=case_id, to_state=to, reason=reason,
                                 expected_version=version)  # fmt: skip
        typer.echo(f"case {c.id} is {c.state} (version {c.version})")

    @app.command("note")
    def note(
        case_id: CaseId, text: str,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Add a working note to a case."""
        with acting(workspace, db, as_, password) as (s, me):
            n = cases.add_note(session=s, actor=me, case_id=case_id, text=text)
        typer.echo(f"note {n.id} added to case {case_id}")

    @app.command("decide")
    def decide(
        case_id: CaseId,
        outcome: Annotated[str, typer.Option(help="A route, no_further_action or false_positive.")],
        rationale: Text,
        signal: Annotated[list[str] | None, typer.Option(help="One signal's outcome: ID=OUTCOME (repeatable).")] = None,
        version: Version = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Decide a case under review (an adverse outcome waits for a second reviewer)."""
        with acting(workspace, db, as_, password) as (s, me):
            per_signal = parse_signal_outcomes(signal)
            d = decisions.decide(session=s, actor=me, case_id=case_id, outcome=outcome, rationale=rationale,
                                 signal_outcomes=per_signal, expected_version=version)  # fmt: skip
        typer.echo(f"decision {d.id} on case {case_id}: {d.outcome} [{d.status}]")

    @app.command("concur")
    def concur(
        case_id: CaseId, rationale: Text,
        dissent: Annotated[bool, typer.Option("--dissent", help="Disagree instead of concurring.")] = False,
        version: Version = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Concur with (or --dissent from) another reviewer's pending adverse decision."""
        with acting(workspace, db, as_, password) as (s, me):
            d = decisions.concur(session=s, actor=me, case_id=case_id, rationale=rationale, agree=not dissent,
                                 expected_version=version)  # fmt: skip
        typer.echo(f"decision {d.id} on case {case_id}: {d.outcome} [{d.status}]")

    @app.command("respond")
    def respond(
        case_id: CaseId,
        text: Annotated[str, typer.Option(help="The subject's response.")] = "",
        attach: Annotated[list[Path] | None, typer.Option(help="A file to attach (repeatable).")] = None,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Record the subject's response (text and attachments); reviewers see it with the case."""
        with acting(workspace, db, as_, password) as (s, me):
            files = [(p.name, p.read_bytes()) for p in attach or []]
            r = responses.record_response(session=s, actor=me, case_id=case_id, text=text, attachments=files)
        typer.echo(f"response {r.id} recorded on case {case_id} with {len(r.attachments)} attachment(s)")

    @app.command("disclose")
    def disclose(
        case_id: CaseId, out: Annotated[Path, typer.Option(help="Zip file to write (outside any workspace).")],
        force: Force = False,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Export the disclosure pack (zip: JSON, HTML, attachments) for the case's subject."""
        with acting(workspace, db, as_, password) as (s, me):
            path = responses.export_disclosure_pack(session=s, actor=me, case_id=case_id, out=out, force=force)
        typer.echo(f"wrote {path}")

    @app.command("precision")
    def precision(
        json: Json = False, workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None
    ) -> None:
        """Each detector's precision from final per-signal outcomes."""
        with acting(workspace, db, as_, password) as (s, me):
            rows = decisions.detector_precision(session=s, actor=me)
        _show(rows, json, lambda: [
            f"{r.detector} {r.detector_version}: {r.decided} decided, precision {r.precision:.2f}" for r in rows
        ])  # fmt: skip

    return app


def register(
    app: typer.Typer, *, line_managers: LineManagers | None = None, source_summary: SourceSummary | None = None
) -> None:
    """Add the governance commands to ``app``.

    ``line_managers(workspace)`` returns staff_id -> line manager staff_id (from
    ``people``); ``source_summary(workspace, staff_id)`` returns the per-table
    summary of source rows about a person (rows, first, last) for ``sar``.
    """
    managers = line_managers or no_line_managers
    app.add_typer(_users_app(), name="users")
    app.add_typer(_cases_app(), name="cases")
    from fairwitness.governance import cli_oversight as oversight

    app.add_typer(oversight.workforce_app(managers), name="workforce")
    app.add_typer(oversight.store_app(), name="store")
    app.add_typer(oversight.audit_app(), name="audit")
    app.add_typer(oversight.retention_app(), name="retention")
    app.add_typer(oversight.purposes_app(), name="purposes")

    @app.command("reidentify")
    def reidentify(
        case_id: CaseId,
        reason: Annotated[str, typer.Option(help="Why you need to know who this is (recorded and audited).")],
        minutes: Annotated[int, typer.Option(help="How long the re-identification lasts.")] = 60,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Re-identify the person behind a case's pseudonym (reviewers; recorded, audited, expires)."""
        with acting(workspace, db, as_, password) as (s, me):
            g = pseudonyms.reidentify(session=s, actor=me, case_id=case_id, reason=reason,
                                      ttl=dt.timedelta(minutes=minutes))  # fmt: skip
        typer.echo(f"case {g.case_id}: {g.pseudonym} is staff number {g.staff_id} "
                   f"(for you, until {g.expires_at:%Y-%m-%d %H:%M} UTC)")  # fmt: skip

    @app.command("sar")
    def sar_(
        staff_id: str, out: Annotated[Path, typer.Option(help="Output file (written as .json and .html).")],
        force: Force = False,
        workspace: Workspace = _HERE, db: Db = None, as_: As = ..., password: Password = None,
    ) -> None:  # fmt: skip
        """Subject access export: everything held and derived about one person, as JSON and HTML."""
        with acting(workspace, db, as_, password) as (s, me):
            summary = source_summary(workspace, staff_id.strip()) if source_summary and workspace.is_dir() else None
            result = subject_access.export(session=s, actor=me, staff_id=staff_id, out=out, source_summary=summary,
                                           force=force)  # fmt: skip
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        typer.echo(f"wrote {result.json_path} and {result.html_path}: {counts}")
