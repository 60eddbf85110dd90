"""Detector commands for the `fairwitness` CLI: run, flags, explain, evaluate, detectors, tune.

``register(app)`` adds them to the main Typer app. Each command is thin: it parses options,
calls the library (`runner.run`, `reports.flags`, `reports.explain`, `evaluation.evaluate`,
`registry.load_registry`) and prints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

WorkspaceOpt = Annotated[Path, typer.Option("--workspace", "-w", help="Workspace directory.")]


def _console() -> Console:
    return Console()


def _open(path: Path) -> Any:
    """The workspace at ``path`` (tests replace this)."""
    from fairwitness.detectors.runner import open_workspace

    ws = open_workspace(path)
    require = getattr(ws, "require", None)
    return require() if callable(require) else ws


def _registry() -> Any:
    from fairwitness.detectors.registry import load_registry

    return load_registry()


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def _fail(message: str, code: int = 1) -> None:
    _console().print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def run_command(
    workspace: WorkspaceOpt,
    engine: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    detectors: Annotated[str | None, typer.Option(help="Comma-separated detector names (default: all).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day of the period (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day of the period (YYYY-MM-DD).")] = None,
    incremental: Annotated[bool, typer.Option(help="Reuse the results of detectors whose inputs are unchanged.")] = False,
    window: Annotated[str, typer.Option(help="run (the whole period) or month: each detector runs over each calendar month (daily runs: --window month --incremental).")] = "run",
    spark_master: Annotated[str | None, typer.Option(help="Spark master URL, e.g. spark://host:7077 (--engine spark).")] = None,
    settings: Annotated[Path | None, typer.Option(help="Detector settings (TOML, one [detector] table of parameters each) instead of the workspace's detectors.toml.")] = None,
) -> None:
    """Run the detectors and record the run: signals, case candidates, SQL, timings.

    Daily: after ingesting the day's export, `run --window month --incremental` recomputes only the calendar months its rows (or the old rows it corrects) touch, with exactly the signals of a full `run --window month`."""  # noqa: E501 - one paragraph in --help
    from fairwitness.detectors.runner import RunError, run
    from fairwitness.detectors.registry import UnknownDetector
    from fairwitness.detectors.engines import EngineError

    names = [d.strip() for d in detectors.split(",") if d.strip()] if detectors else None
    console = _console()
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True)
    task = progress.add_task("running detectors", total=None)
    ws = _open(workspace)
    try:
        with progress:
            result = run(
                ws, engine=engine, detectors=names, registry=_registry(),
                period_start=_date(from_, "--from"), period_end=_date(to, "--to"),
                incremental=incremental, spark_master=spark_master, window=window, settings=settings,
                progress=lambda step, done, total: progress.update(task, description=step[:60], completed=done, total=total),
            )
    except (RunError, UnknownDetector, EngineError) as e:
        _fail(str(e))
    t = RichTable("detector", "version", "status", "signals", "seconds", title=f"Run {result.run_id} ({engine})")
    reused = set(result.record.get("reused", []))
    for d in result.record["detectors"]:
        status = "[green]ok[/]" if d["status"] == "ok" else "[red]error[/]"
        status += " (reused)" if d["name"] in reused else ""
        t.add_row(d["name"], d["version"], status, str(d["signals"]), f"{d['seconds'].get('total', 0):.2f}")
    console.print(t)
    if result.record.get("settings"):
        used = result.record["settings"]
        console.print(f"Detector settings: {used['file']} ({', '.join(used['detectors']) or 'no detector'}; "
                      f"sha256 {used['sha256'][:12]})", soft_wrap=True, markup=False)
    from fairwitness.detectors.coverage import summary  # data coverage per source; DEGRADED detectors
    for line in summary(result.record.get("coverage", {})):
        console.print(line, soft_wrap=True, markup=False)
    for name, error in result.errors.items():
        console.print(f"[red]{name}[/]: {escape(str(error))}", soft_wrap=True)
    _audit_run(Path(getattr(ws, "path", workspace)), result, engine)
    counts = result.record["counts"]
    console.print("People by route: " + ", ".join(f"{k} {v}" for k, v in counts["by_route"].items()))
    console.print(f"{counts['signals']} signals, {counts['candidates']} case candidates → {result.path}")
    if result.errors:
        _fail(f"{len(result.errors)} detector(s) failed; the others' results are recorded")


def flags_command(
    workspace: WorkspaceOpt,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    signals: Annotated[bool, typer.Option("--signals", help="One row per signal instead of per person.")] = False,
    run_id: Annotated[str | None, typer.Option("--run", help="A run id (default: the current run).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")] = None,
    as_: Annotated[str, typer.Option("--as", envvar="FAIRWITNESS_USER", help="Acting user.")] = ...,  # type: ignore[assignment]
    password: Annotated[str | None, typer.Option("--password", envvar="FAIRWITNESS_PASSWORD", help="Your password.")] = None,
) -> None:
    """Export the current case candidates and signals (signed in; pseudonymised; audited)."""
    from fairwitness.detectors.runs import NoRun
    from fairwitness.governance.cli import acting
    from fairwitness.reports.flags import FORMATS
    from fairwitness.reports.governed import governed_flags

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    level = "signals" if signals else "candidates"
    try:
        ws = _open(workspace)
        with acting(workspace, db, as_, password) as (s, me):
            text = governed_flags(session=s, actor=me, workspace=ws, format=fmt, run_id=run_id, level=level)  # type: ignore[arg-type]
        typer.echo(text, nl=False)
    except NoRun as e:
        _fail(str(e))


def explain_command(
    staff_id: Annotated[str, typer.Argument(help="The person's pseudonym (as flags shows it) or staff_id.")],
    workspace: WorkspaceOpt,
    run_id: Annotated[str | None, typer.Option("--run", help="A run id (default: the current run).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")] = None,
    as_: Annotated[str, typer.Option("--as", envvar="FAIRWITNESS_USER", help="Acting user.")] = ...,  # type: ignore[assignment]
    password: Annotated[str | None, typer.Option("--password", envvar="FAIRWITNESS_PASSWORD", help="Your password.")] = None,
) -> None:
    """Print everything behind one person's flags (pseudonym or staff_id; signed in; audited)."""
    from fairwitness.detectors.runs import NoRun
    from fairwitness.governance.cli import acting
    from fairwitness.reports.explain import NotFlagged, explain
    from fairwitness.reports.governed import governed_explain_data

    try:
        ws = _open(workspace)
        with acting(workspace, db, as_, password) as (s, me):
            shown, data = governed_explain_data(session=s, actor=me, workspace=ws, who=staff_id, run_id=run_id)
        _console().print(explain(ws, shown, run_id=run_id, data=data))
    except (NoRun, NotFlagged) as e:
        _fail(str(e))


def evaluate_command(
    workspace: WorkspaceOpt,
    truth: Annotated[Path, typer.Option(help="The truth table: Parquet or CSV, file or folder.")],
    min_recall: Annotated[float | None, typer.Option(help="Minimum recall for every scenario.")] = None,
    min_precision: Annotated[float | None, typer.Option(help="Minimum precision on conduct routes.")] = None,
    max_decoys: Annotated[int | None, typer.Option(help="Maximum decoys on a conduct route.")] = None,
    max_conduct_share: Annotated[float | None, typer.Option(help="Maximum share of staff on a conduct route.")] = None,
    min_route_correctness: Annotated[float | None, typer.Option(help="Minimum route correctness.")] = None,
    min_precision_advice: Annotated[float | None, typer.Option(help="Minimum precision on the advice route.")] = None,
    min_precision_route: Annotated[
        float | None, typer.Option(help="Minimum precision on every adverse route, advice included.")
    ] = None,
    min_precision_grave: Annotated[
        float | None, typer.Option(help="Minimum precision on gross misconduct and criminal referral together.")
    ] = None,
    max_adverse_share: Annotated[
        float | None, typer.Option(help="Maximum share of staff on an adverse route, advice included.")
    ] = None,
    max_adverse_decoys: Annotated[int | None, typer.Option(help="Maximum decoys on an adverse route, advice included.")] = None,
    match: Annotated[str, typer.Option(help="overlap (signal period overlaps the truth) or person.")] = "overlap",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Evaluate the current run against ground truth; exit 1 when below the thresholds."""
    from fairwitness.detectors.runs import NoRun
    from fairwitness.evaluation import Thresholds, TruthError, evaluate

    if match not in ("overlap", "person"):
        raise typer.BadParameter("expected overlap or person", param_hint="--match")
    th = Thresholds(min_recall=min_recall, min_precision=min_precision, max_decoys=max_decoys,
                    max_conduct_share=max_conduct_share, min_route_correctness=min_route_correctness,
                    min_precision_advice=min_precision_advice, min_precision_route=min_precision_route,
                    min_precision_grave=min_precision_grave, max_adverse_share=max_adverse_share,
                    max_adverse_decoys=max_adverse_decoys)
    try:
        report = evaluate(_open(workspace), truth, th, match=match)  # type: ignore[arg-type]
    except (NoRun, TruthError) as e:
        _fail(str(e), 2)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _console().print(report.render())
    if not report.passed:
        raise typer.Exit(1)


def tune_command(
    workspace: WorkspaceOpt,
    detector: Annotated[str, typer.Option(help="The detector to tune.")],
    param: Annotated[str, typer.Option(help="The parameter to vary.")],
    values: Annotated[str, typer.Option(help="Comma-separated values to try, e.g. 2,3,4.")],
    truth: Annotated[Path | None, typer.Option(help="A truth table (Parquet or CSV) for precision and recall.")] = None,
    outcomes: Annotated[
        Path | None, typer.Option(help="Reviewer outcomes (CSV or Parquet: staff_id, outcome) for precision.")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day of the period (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day of the period (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """For each value of one detector parameter: flags per route and, with truth or reviewer
    outcomes, precision per adverse route and recall per scenario (the current run is kept)."""
    from fairwitness.detectors.registry import UnknownDetector
    from fairwitness.detectors.runner import RunError
    from fairwitness.detectors.tuning import TuningError, tune
    from fairwitness.evaluation import TruthError
    from fairwitness.routes import ROUTES

    vals = [v.strip() for v in values.split(",") if v.strip()]
    try:
        report = tune(_open(workspace), detector, param, vals, truth=truth, outcomes=outcomes,
                      period=(_date(from_, "--from"), _date(to, "--to")))
    except (TuningError, TruthError, RunError, UnknownDetector) as e:
        _fail(str(e), 2)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    judged = any(r.judged_by for r in report.rows)
    cols = ["value", *ROUTES]
    if judged:
        cols += [f"precision {r}" for r in ROUTES if r != "wellbeing"] + ["recall"]
    t = RichTable(*cols, title=f"{report.detector}: {report.param}")
    for r in report.rows:
        cells = [r.value, *[str(r.flags.get(x, 0)) for x in ROUTES]]
        if judged:
            cells += ["n/a" if r.precision.get(x) is None else f"{r.precision[x]:.2f}" for x in ROUTES if x != "wellbeing"]
            cells.append(", ".join(f"{k} {v:.2f}" for k, v in r.recall.items() if v is not None) or "n/a")
        t.add_row(*cells)
    _console().print(t)


def detectors_command(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w", help="Show each detector's state in this workspace's store.")] = None,
) -> None:
    """List the registered detectors: version, title, standard, sources, parameters (with --workspace: as the force's detectors.toml sets them, and each detector's state)."""
    from fairwitness.governance.detector_state import read_states

    from fairwitness.detectors.settings import SettingsError, of_workspace

    reg = _registry()
    rows = reg.describe()
    states = read_states(workspace=workspace, db=os.environ.get("FAIRWITNESS_DB")) if workspace else {}
    try:
        force = of_workspace(workspace, reg) if workspace else None
    except SettingsError as e:
        _fail(str(e))
    for r in rows if workspace else ():
        st = states.get(r["name"])
        r["state"] = {"state": st.state, "reasons": st.reasons, "held": st.held} if st else {"state": "active"}
        # the parameters a run applies: the defaults overlaid by the force's settings file
        r["settings"] = dict(force.params.get(r["name"], {})) if force else {}
        r["params"] = {**r["params"], **r["settings"]}
    if as_json:
        typer.echo(json.dumps({"detectors": rows, "refused": reg.refused,
                               "derived": sorted(reg.derived)}, indent=2, default=str))
        return
    console = _console()
    console.print(f"[bold]{len(rows)} detectors[/]")
    for r in rows:
        optional = f" (optional: {', '.join(r['optional_reads'])})" if r["optional_reads"] else ""
        limits = [f"purpose {r['purpose']}"]
        if r["max_route"]:
            limits.append(f"at most {r['max_route']}")
        if not r["standalone_conduct"]:
            limits.append("never alone on a conduct route")
        console.print(
            f"\n[bold]{r['name']}[/] v{r['version']} — {r['title']}\n"
            f"  standard: {r['standard']} · {' · '.join(limits)}\n"
            f"  sources: {', '.join(r['reads'])}{optional}\n"
            f"  params: {', '.join(f'{k}={v}' + (' (force setting)' if k in r.get('settings', {}) else '') for k, v in r['params'].items()) or 'none'}"
            + (f"\n  state: {r['state']['state']}" + (f" ({r['state']['held']} signals held): {r['state']['reasons']}"
               if r["state"]["state"] == "under_review" else "") if workspace else ""),
            soft_wrap=True,
            highlight=False,
        )
    for name, why in sorted(reg.refused.items()):
        console.print(f"[red]refused[/] {name}: {escape(str(why))}", soft_wrap=True)


def _audit_run(workspace: Path, result: Any, engine: str) -> None:
    """Append the run to the governance audit log (``FAIRWITNESS_DB`` or the workspace store)."""
    import os

    from fairwitness.governance.db import create_store, store_url

    store = create_store(store_url(workspace=workspace, db=os.environ.get("FAIRWITNESS_DB")))
    try:
        store.record_event(
            actor="system",  # FAIRWITNESS_USER alone is no sign-in: the run is recorded as the system's
            action="run.complete",
            object_type="run",
            object_id=result.run_id,
            detail={"engine": engine, "counts": result.record["counts"], "errors": result.errors,
                    **({"settings": result.record["settings"]} if result.record.get("settings") else {})},
        )
    finally:
        store.dispose()


def register(app: typer.Typer) -> None:
    """Add the detector commands to the `fairwitness` app."""
    app.command("run")(run_command)
    app.command("flags")(flags_command)
    app.command("explain")(explain_command)
    app.command("evaluate")(evaluate_command)
    app.command("detectors")(detectors_command)
    app.command("tune")(tune_command)
