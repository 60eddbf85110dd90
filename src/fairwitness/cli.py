"""The `fairwitness` command line: thin commands over library functions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text

from fairwitness.workspace import Workspace

app = typer.Typer(
    name="fairwitness",
    help="Open, accountable workforce-integrity analytics for professional standards departments.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()

WorkspaceOpt = Annotated[Path, typer.Option("--workspace", "-w", help="Workspace directory.")]


class _Bar:
    """A Rich progress bar fed by library progress callbacks ``(step, done, total)``."""

    def __init__(self, title: str) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self.task = self.progress.add_task(title, total=None)

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        self.progress.update(self.task, description=step[:60], completed=done, total=total)


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write the data set to.")],
    people: Annotated[int, typer.Option(help="Number of people.")] = 2000,
    months: Annotated[int, typer.Option(help="Number of months.")] = 6,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same force).")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    rota: Annotated[str, typer.Option(help="Response rota: 4on4off or 2-2-2.")] = "4on4off",
    id_format: Annotated[str, typer.Option(help="numeric, prefixed or uuid.")] = "numeric",
    world: Annotated[int | None, typer.Option(help="Sample honest behaviour from world N (docs/worlds.md).")] = None,
    export_style: Annotated[bool, typer.Option(help="Write CSV as forces' systems do: spreadsheet headers, BOM/CRLF, "
                                                     "semicolons, date-only absence and case dates, identity-only event "
                                                     "files, Y/N booleans, NULL for empty.")] = False,
) -> None:
    """Generate a synthetic police force in the import-contract format, with ground truth."""
    from fairwitness.synth import SynthConfig, generate
    from fairwitness.synth.export_style import generate_export
    from fairwitness.synth.worlds import world_config

    base = dict(people=people, months=months, seed=seed, format=fmt, rota=rota, id_format=id_format)
    cfg = world_config(world, **base) if world is not None else SynthConfig(**base)
    with _Bar("generating") as bar:
        summary = (generate_export if export_style else generate)(cfg, out=out, progress=bar)
    _print_counts("Synthetic force written to " + str(out), {k: {"rows": v} for k, v in summary.rows.items()})


@app.command()
def ingest(
    folder: Annotated[Path, typer.Argument(help="Data set folder (contract CSV/Parquet files).")],
    workspace: WorkspaceOpt,
    delimiter: Annotated[str | None, typer.Option(help="CSV delimiter for every file: comma, semicolon, tab or pipe "
                                                       "(default: detected from each header).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Encoding of CSV files that have no byte-order mark and are "
                                                      "not valid UTF-8, e.g. cp1252.")] = None,
    max_quarantine_share: Annotated[float, typer.Option(help="Exit 1 when a table quarantines more than this share "
                                                              "of its rows (what loaded stays loaded).")] = 0.01,
    declare: Annotated[list[str] | None, typer.Option(help="A source format declaration TABLE.KEY=VALUE, e.g. "
                                                            "absences.timestamps=yyyymmdd (repeatable; see the contract).")] = None,
) -> None:
    """Validate a data set and load its good rows into the workspace lake; quarantine the rest."""
    from fairwitness.ingest import ingest as run_ingest
    from fairwitness.ingest.declaration import parse_declare
    from fairwitness.ingest.formats import DeclarationError, SourceFormat

    try:
        decl = parse_declare(declare or [])
        SourceFormat().merged(delimiter=delimiter, fallback_encoding=encoding)
    except (DeclarationError, ValueError) as e:
        raise typer.BadParameter(" ".join(str(e).split())) from None
    with _Bar("ingesting") as bar:
        report = run_ingest(folder, Workspace(workspace), progress=bar, delimiter=delimiter, encoding=encoding,
                            declare=decl)
    counts = report.by_table()
    shown = ("read", "loaded", "updated", "unchanged", "quarantined") + tuple(
        c for c in ("skipped", "deleted") if any(v[c] for v in counts.values())
    )
    _print_counts(
        f"Batch {report.batch_id}" if report.batch_id else "Nothing new to ingest (every file already loaded)",
        {k: {c: v[c] for c in shown} for k, v in counts.items()},
    )
    for f in report.files:
        if f.note:
            console.print(f"[yellow]{f.table}:[/] {escape(f.note)}", soft_wrap=True)
    for name in report.ignored:
        console.print(f"[yellow]not ingested:[/] {escape(name)} (not a contract table, or evaluation-only)")
    for name in report.missing:
        console.print(f"[red]missing required table:[/] {name}")
    if any(v["quarantined"] for v in counts.values()):
        console.print("Quarantined rows: `fairwitness quarantine --workspace WS` lists file, row, column and reason.")
    _refresh_workforce(workspace)

    problems = report.problems(max_quarantine_share)
    if problems:
        console.print("[red]Not everything loaded[/] (what did load stays loaded):", soft_wrap=True)
        for p in problems:
            console.print(f"  - {p}", soft_wrap=True, markup=False)
        raise typer.Exit(1)


def _refresh_workforce(workspace: Path) -> None:
    """Hook: keep the governance store's workforce (conflict checks) in step with the lake's people."""
    import os

    from fairwitness.governance.cli import refresh_workforce
    from fairwitness.subjects import line_managers

    people = line_managers(workspace)
    if people:
        r = refresh_workforce(workspace=workspace, db=os.environ.get("FAIRWITNESS_DB"), people=people)
        console.print(f"Workforce in the governance store: {r.people} people ({r.with_manager} with a line manager)")


@app.command()
def status(workspace: WorkspaceOpt, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What is loaded, from which batches, each source's date coverage, quarantine counts."""
    from dataclasses import asdict

    from fairwitness.status import status as ws_status

    st = ws_status(Workspace(workspace))
    if as_json:
        console.print_json(json.dumps(asdict(st)))
        return
    t = RichTable("table", "rows", "batches", "from", "to", "quarantined", title=f"Workspace {st.path}")
    for r in st.tables:
        t.add_row(r.table, f"{r.rows:,}", str(r.batches), r.first or "", r.last or "", f"{r.quarantined:,}")
    console.print(t)
    from fairwitness.status import readers_of

    for r in st.tables:
        for c in r.unheld:
            who = ", ".join(readers_of(r.table, c)) or "no detector"
            console.print(f"{r.table}.{c}: empty in every row (not in the export, or never filled); read by {who}", markup=False)
    b = RichTable("seq", "batch", "created (UTC)", "files", "loaded", "quarantined", "source", title="Batches")
    for r in st.batches:
        b.add_row(str(r.seq), r.batch_id, r.created_at, str(r.files), f"{r.loaded:,}", f"{r.quarantined:,}", Text(r.source_dir))
    console.print(b)
    if st.run is not None:
        verdict = "[red]DEGRADED[/]" if st.run.degraded else "[green]complete data coverage[/]"
        console.print(f"Current run {st.run.run_id}: {verdict}")
        for det, reasons in st.run.gated.items():
            console.print(f"  {det}: routed no further than wellbeing ({'; '.join(reasons)})", soft_wrap=True, markup=False)


@app.command()
def quarantine(
    workspace: WorkspaceOpt,
    table: Annotated[str | None, typer.Option(help="Only this table.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
    history: Annotated[bool, typer.Option("--history", help="Also the entries of earlier readings of files read again since.")] = False,
) -> None:
    """List quarantined rows and cells: file, row, column, the offending value and the reason.

    Each file as last read: a file corrected in place, or read again once what its rows referred
    to was loaded, replaces its earlier entries (kept as history). Values are truncated, and never
    shown for columns the contract marks personal."""
    from fairwitness.ingest.quarantine import entries

    rows = entries(Workspace(workspace).require(), table=table, limit=limit, history=history)
    t = RichTable("table", "file", "row", "column", "value", "reason")
    for r in rows:
        # every cell as it is: a value or file name in square brackets is not markup
        t.add_row(*(Text(c) for c in (r.table, r.file, "" if r.row is None else str(r.row), r.column or "", r.value, r.reason)))
    console.print(t)


@app.command()
def contract(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Print the import contract (generated from its declarations) as Markdown."""
    from fairwitness.contract.docs import render

    text = render()
    if out:
        _write_out(out, text, force)
    else:
        typer.echo(text)


@app.command("docs-cli")
def docs_cli(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Print the command reference (generated from the commands' own help) as Markdown."""
    from fairwitness.clidoc import render

    text = render(app)
    if out:
        _write_out(out, text, force)
    else:
        typer.echo(text)


def _write_out(out: Path, text: str, force: bool) -> None:
    """Hook: never over an existing file unless --force, never into a workspace or store."""
    from fairwitness.governance.outputs import OutputRefused, write_text

    try:
        write_text(out, text, force=force)
    except OutputRefused as e:
        raise typer.BadParameter(str(e), param_hint="--out") from None


def _print_counts(title: str, counts: dict[str, dict[str, int]]) -> None:
    if not counts:
        console.print(title)
        return
    cols = list(next(iter(counts.values())))
    t = RichTable("table", *cols, title=title)
    for name, c in counts.items():
        t.add_row(name, *[f"{c[k]:,}" for k in cols])
    console.print(t)


def _register_plugins() -> None:
    """Command groups that live beside the library they drive."""
    from fairwitness.detectors.cli import register as detectors
    from fairwitness.fairness.cli import register as fairness
    from fairwitness.transparency.cli import register as report
    from fairwitness.governance.cli import register as governance
    from fairwitness.subjects import line_managers, source_summary
    from fairwitness.web.cli import register as web

    detectors(app)
    governance(app, line_managers=line_managers, source_summary=source_summary)
    fairness(app)
    report(app)
    web(app)


_register_plugins()


def main() -> None:
    """Entry point: known user errors print one clear line and exit 2, without a traceback."""
    from fairwitness.workspace import WorkspaceError

    try:
        app()
    except (WorkspaceError, FileNotFoundError, NotADirectoryError) as e:
        Console(stderr=True).print(f"[red]error:[/] {e}", soft_wrap=True)
        raise SystemExit(2) from None

