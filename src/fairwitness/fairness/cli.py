"""The ``fairness`` and ``reenable`` commands (added to the main app by `register`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

WorkspaceOpt = Annotated[Path, typer.Option("--workspace", "-w", help="Workspace directory.")]
Db = Annotated[str | None, typer.Option("--db", envvar="FAIRWITNESS_DB", help="Database URL (default: WS store).")]


def _fmt(rate: object) -> str:
    if rate is None:
        return ""
    r = rate  # a metrics.Rate
    ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"  # type: ignore[attr-defined]
    ci = f" [{r.ratio_ci[0]:.2f}–{r.ratio_ci[1]:.2f}]" if r.ratio_ci else ""  # type: ignore[attr-defined]
    return f"{r.events}/{r.of} · {ratio}{ci} {r.judgement}"  # type: ignore[attr-defined]


def _references(items: list[str] | None) -> dict[str, str]:
    from fairwitness.fairness.groups import ATTRIBUTES

    out = {}
    for item in items or []:
        attr, sep, group = item.partition("=")
        if not sep or attr not in ATTRIBUTES:
            raise typer.BadParameter(f"{item!r}: expected ATTRIBUTE=GROUP with ATTRIBUTE one of {', '.join(ATTRIBUTES)}",
                                     param_hint="--reference")  # fmt: skip
        out[attr] = group
    return out


def fairness_command(
    workspace: WorkspaceOpt,
    truth: Annotated[Path | None, typer.Option(help="Ground truth (truth.parquet of a synthetic force); default: reviewers' outcomes.")] = None,
    db: Db = None,
    reference: Annotated[list[str] | None, typer.Option(help="Reference group ATTRIBUTE=GROUP (default: the largest); repeatable.")] = None,
    min_count: Annotated[int, typer.Option(help="Smallest denominator judged ('too few to judge' below).")] = 20,
    min_events: Annotated[int, typer.Option(help="Smallest number of errors (group + reference) a ratio is judged on.")] = 5,
    precision_floor: Annotated[float, typer.Option(help="Precision from outcomes under which a detector is put under review.")] = 0.7,
    min_decided: Annotated[int, typer.Option(help="Decided signals needed before precision is judged.")] = 20,
    detail: Annotated[str | None, typer.Option(help="Show every group of one slice, e.g. route:advice or detector:NAME.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only: put no detector under review.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Flag rate, false positive and false discovery rate by group; put unfair or imprecise detectors under review."""
    from fairwitness.detectors.runs import NoRun
    from fairwitness.evaluation import TruthError
    from fairwitness.fairness import policy
    from fairwitness.fairness.assessment import assess
    from fairwitness.fairness.metrics import Band
    from fairwitness.governance.db import create_store, store_url

    console = Console()
    store = create_store(store_url(workspace=workspace, db=db))
    try:
        try:
            report = assess(workspace, truth=truth, store=store, references=_references(reference),
                            band=Band(min_count=min_count, min_events=min_events))  # fmt: skip
        except (NoRun, TruthError, ValueError) as e:
            console.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
            raise typer.Exit(2) from None
        rules = policy.HoldPolicy(precision_floor=precision_floor, min_decided=min_decided)
        reasons = policy.findings(report, policy.outcome_precision(store, report.detector_versions), rules)
        actor = os.environ.get("FAIRWITNESS_USER", "system")
        newly = [] if dry_run else policy.apply(store, reasons, actor=actor)
        if not dry_run:
            outside = report.findings()
            store.record_event(actor=actor, action="fairness.audit", object_type="run", object_id=report.run_id,
                               detail={"source": report.source, "outside": len(outside), "under_review": newly})  # fmt: skip
    finally:
        store.dispose()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    _print(console, report, detail)
    for name, why in sorted(reasons.items()):
        verb = "now under review" if name in newly else ("would be put under review" if dry_run else "under review")
        console.print(f"[bold red]{name}[/] {verb}: " + escape("; ".join(why)), soft_wrap=True)


def _print(console: Console, report: object, detail: str | None) -> None:
    from fairwitness.fairness.assessment import FairnessReport

    assert isinstance(report, FairnessReport)
    t = RichTable("slice", "flagged", "false positives", "ratios judged", "outside", "uncertain", "no errors", "too few",
                  title=f"Fairness of run {report.run_id} ({report.period_start} to {report.period_end}), "
                        f"{report.people:,} people, labels from {report.source}")  # fmt: skip
    for s in report.slices:
        js = [r.fpr.judgement for r in s.rows if r.fpr is not None and r.group != r.reference]
        judged = sum(j in ("within", "uncertain", "outside") for j in js)
        t.add_row(s.key, str(s.flagged), str(s.false_positives) if s.adverse else "—", str(judged),
                  str(js.count("outside")), str(js.count("uncertain")), str(js.count("no_errors")),
                  str(js.count("too_few")))  # fmt: skip
    console.print(t)
    console.print(f"False positive rate ratios against the reference group ({escape(', '.join(f'{k}={v}' for k, v in report.references.items()))}); "
                  f"band {report.band.low}-{report.band.high}; too few to judge under {report.band.min_count} people or "
                  f"{report.band.min_events} errors.", soft_wrap=True)  # fmt: skip
    found = report.findings()
    if found:
        f = RichTable("slice", "attribute", "group", "FP / not wrong", "ratio", "95% CI",
                      title="FPR ratios outside the band (simultaneous interval excludes 1)")  # fmt: skip
        for x in found:
            ci = f"{x.ratio_ci[0]:.2f}–{x.ratio_ci[1]:.2f}" if x.ratio_ci else ""
            f.add_row(x.slice, x.attribute, Text(x.group), f"{x.events}/{x.of}", f"{x.ratio:.2f}" if x.ratio is not None else "", ci)
        console.print(f)
    if detail:
        try:
            s = report.slice(detail)
        except StopIteration:
            raise typer.BadParameter(f"no slice {detail!r}; slices: {', '.join(x.key for x in report.slices)}",
                                     param_hint="--detail") from None  # fmt: skip
        d = RichTable("attribute", "group", "people", "flag rate (n · ratio [CI] judgement)", "FPR", "FDR", title=detail)
        for r in s.rows:
            d.add_row(r.attribute, Text(r.group + (" (ref)" if r.group == r.reference else "")), str(r.people),
                      _fmt(r.flag), _fmt(r.fpr), _fmt(r.fdr))  # fmt: skip
        console.print(d)


def reenable_command(
    detector: Annotated[str, typer.Argument(help="The detector's name.")],
    reason: Annotated[str, typer.Option(help="Why it may run again (written, recorded, audited).")],
    workspace: WorkspaceOpt = Path("."),
    db: Db = None,
    as_: Annotated[str, typer.Option("--as", envvar="FAIRWITNESS_USER", help="Acting user (a DPO).")] = ...,  # type: ignore[assignment]
    password: Annotated[str | None, typer.Option("--password", envvar="FAIRWITNESS_PASSWORD", help="Your password.")] = None,
) -> None:
    """Re-enable a detector under review (data protection officer, with a written reason)."""
    from fairwitness.governance.cli import acting
    from fairwitness.governance.detector_state import reenable

    with acting(workspace, db, as_, password) as (s, me):
        view = reenable(session=s, actor=me, detector=detector, reason=reason)
    typer.echo(f"{view.detector} is {view.state} again ({view.held} signal(s) were held while under review)")


def register(app: typer.Typer) -> None:
    app.command("fairness")(fairness_command)
    app.command("reenable")(reenable_command)
