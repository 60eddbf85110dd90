"""`fairwitness evaluate`: the current run against a ground-truth ``truth`` table.

``evaluate(workspace, truth_path, thresholds)`` reads the run (signals, candidates and the
detectors' declared ``scenarios`` from the run record, so it judges the run as it was
recorded), the truth table and the number of staff in post during the run's period, and
returns a `Report` (metrics defined in `fairwitness.evaluation.metrics`). The CLI exits
non-zero when ``Report.failures`` is not empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from fairwitness.detectors import runs
from fairwitness.evaluation.metrics import Match, Report, Thresholds, score_run
from fairwitness.routes import CONDUCT_ROUTES, ROUTES


class TruthError(ValueError):
    """A truth path that cannot be read as the contract's ``truth`` table."""


def truth_files(path: str | Path) -> list[Path]:
    """The Parquet or CSV files of a truth table given as a file, a parts folder, or a data set
    folder holding ``truth.parquet``, ``truth.csv`` or ``truth/``."""
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise TruthError(f"no truth table at {p}")
    for cand in (p / "truth.parquet", p / "truth.csv"):
        if cand.is_file():
            return [cand]
    if (p / "truth").is_dir():
        return truth_files(p / "truth")
    files = sorted(p.glob("*.parquet")) or sorted(p.glob("*.csv"))
    if not files:
        raise TruthError(f"{p} holds no truth.parquet, truth.csv, truth/ or Parquet/CSV parts")
    return files


def read_truth(path: str | Path) -> list[dict[str, Any]]:
    """Truth rows: staff_id, scenario, start, end (naive UTC), kind."""
    files = [str(f) for f in truth_files(path)]
    csv = files[0].endswith(".csv")
    if csv:
        # contract CSV: a timestamp without an offset is Europe/London local time
        reader, extra, tz = "read_csv", ", all_varchar = true", "Europe/London"
        ts = "timezone('UTC', CAST(\"{c}\" AS TIMESTAMPTZ))"
    else:
        reader, extra, tz = "read_parquet", ", union_by_name = true", "UTC"
        ts = 'CAST("{c}" AS TIMESTAMP)'
    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone='{tz}'")
        rel = con.execute(
            f"SELECT CAST(staff_id AS VARCHAR), CAST(scenario AS VARCHAR), {ts.format(c='start')}, "
            f"{ts.format(c='end')}, lower(CAST(kind AS VARCHAR)) FROM {reader}(?{extra})",
            [files],
        )
        rows = rel.fetchall()
    except duckdb.Error as e:
        raise TruthError(f"cannot read the truth table from {path}: {e}") from None
    finally:
        con.close()
    bad = sorted({r[4] for r in rows} - {"misconduct", "decoy"})
    if bad:
        raise TruthError(f"truth kind must be misconduct or decoy, found {bad}")
    return [dict(zip(("staff_id", "scenario", "start", "end", "kind"), r, strict=True)) for r in rows]


def staff_in_post(workspace: Any, period: tuple[dt.date | None, dt.date | None]) -> int:
    """People in post at some point of the period (all people when the period is unknown)."""
    files = [str(f) for f in workspace.table_files("people")] if "people" in workspace.loaded_tables() else []
    if not files:
        return 0
    p0, p1 = period
    con = duckdb.connect()
    try:
        where = "TRUE"
        params: list[Any] = [files]
        if p0 and p1:
            where = "CAST(start_date AS DATE) <= ? AND (end_date IS NULL OR CAST(end_date AS DATE) >= ?)"
            params += [p1, p0]
        (n,) = con.execute(
            f"SELECT count(DISTINCT staff_id) FROM read_parquet(?, union_by_name = true) WHERE {where}", params
        ).fetchone()
    finally:
        con.close()
    return int(n)


def evaluate(
    workspace: Any,
    truth_path: str | Path,
    thresholds: Thresholds | None = None,
    *,
    run_id: str | None = None,
    match: Match = "overlap",
) -> Report:
    """Evaluate the current (or given) run against ground truth."""
    from fairwitness.detectors.runner import open_workspace

    ws = open_workspace(workspace)
    record = runs.read_record(ws, run_id)
    cfg = record["config"]
    period = (dt.date.fromisoformat(cfg["period_start"]), dt.date.fromisoformat(cfg["period_end"]))
    return score_run(
        run_id=record["run_id"],
        period=period,
        signals=runs.read_signals(ws, run_id).select(["staff_id", "detector", "period_start", "period_end"]).to_pylist(),
        candidates=runs.read_candidates_table(ws, run_id).select(["staff_id", "route"]).to_pylist(),
        detector_scenarios={d["name"]: d.get("scenarios", []) for d in record["detectors"]},
        truth=read_truth(truth_path),
        staff=staff_in_post(ws, period),
        thresholds=thresholds,
        match=match,
    )


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.1%}"


def render_report(r: Report) -> RenderableType:
    """The report as Rich tables: scenarios, people by route, summary, decoys, failures."""
    scen = RichTable("scenario", "expected route", "instances", "found", "recall", "route correct", "missed",
                     title=f"Recall per scenario · run {r.run_id} · {r.period_start} to {r.period_end}")
    for s in r.scenarios:
        ok = r.thresholds.min_recall is None or s.recall is None or s.recall >= r.thresholds.min_recall
        scen.add_row(
            s.scenario, s.expected_route or "—", str(s.instances), str(s.found),
            Text(_pct(s.recall), style="" if ok else "bold red"), str(s.route_correct),
            ", ".join(s.missed[:5]) + (" …" if len(s.missed) > 5 else ""),
        )
    routes = RichTable("route", "people", "share of staff", "with a planted breach", "precision",
                       title=f"People by route ({r.staff:,} staff; advice is adverse too)")
    by = {x.route: x for x in r.routes}
    for route in ROUTES:
        n = r.by_route.get(route, 0)
        share = _pct(n / r.staff) if r.staff else "n/a"
        x = by.get(route)
        label = route + (" (conduct)" if route in CONDUCT_ROUTES else " (adverse)" if x else "")
        routes.add_row(label, f"{n:,}", share, str(x.true_positives) if x else "—", _pct(x.precision) if x else "—")
    summary = RichTable.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row("precision on conduct routes", f"{_pct(r.precision)} ({r.true_positives}/{r.conduct_candidates})")
    summary.add_row("precision on adverse routes", f"{_pct(r.adverse_precision)} ({r.adverse_true_positives}/{r.adverse_candidates})")
    summary.add_row(
        "precision, gross misconduct + criminal referral", f"{_pct(r.grave_precision)} ({r.grave_true_positives}/{r.grave_candidates})"
    )
    summary.add_row("staff on an adverse route", _pct(r.adverse_share))
    summary.add_row("decoys on a conduct route", str(r.decoys))
    summary.add_row("decoys on an adverse route", str(len(r.decoys_on_adverse)))
    summary.add_row("route correctness", _pct(r.route_correctness))
    summary.add_row("flags per 1,000 staff", "n/a" if r.flags_per_1000 is None else f"{r.flags_per_1000:.1f}")
    summary.add_row("staff on a conduct route", _pct(r.conduct_share))
    if r.out_of_period:
        summary.add_row("truth rows outside the run period", str(r.out_of_period))
    parts: list[RenderableType] = [scen, routes, summary]
    if r.decoys_on_adverse:
        d = RichTable("staff_id", "decoy scenarios", "route", title="Decoys on an adverse route")
        for h in r.decoys_on_adverse:
            d.add_row(h.staff_id, ", ".join(h.scenarios), h.route)
        parts.append(d)
    if r.failures:
        parts.append(Text("FAILED: " + "; ".join(r.failures), style="bold red"))
    else:
        parts.append(Text("All thresholds met.", style="bold green"))
    return Group(*parts)
