"""`fairwitness flags`: the current run's case candidates (or signals) as a table, CSV or JSON.

One row per person (``level="candidates"``: staff_id, route, score, detectors, signals,
period, explanation, candidate_id), gravest route first, or one row per flag
(``level="signals"``). JSON nests each candidate's signals with their evidence.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from rich.table import Table as RichTable
from rich.text import Text

from fairwitness.detectors import runs
from fairwitness.routes import CONDUCT_ROUTES, gravity

Format = Literal["table", "csv", "json"]
Level = Literal["candidates", "signals"]
FORMATS: tuple[str, ...] = ("table", "csv", "json")

CANDIDATE_COLUMNS: tuple[str, ...] = (
    "staff_id", "route", "score", "detectors", "n_signals", "period_start", "period_end", "explanation", "candidate_id",
)
SIGNAL_COLUMNS: tuple[str, ...] = (
    "staff_id", "route", "score", "severity", "detector", "detector_version", "period_start", "period_end",
    "value", "peer_median", "peer_percentile", "peer_group", "evidence_table", "evidence_keys",
    "explanations_checked", "explanations_found", "explanation", "signal_id", "candidate_id",
)
ROUTE_STYLE: dict[str, str] = {
    "wellbeing": "green",
    "advice": "yellow",
    "misconduct_assessment": "red",
    "gross_misconduct_assessment": "bold red",
    "criminal_referral": "bold magenta",
}


def candidate_rows(workspace: Any, run_id: str | None = None) -> list[dict[str, Any]]:
    """The candidates as plain rows, gravest route then highest score first."""
    rows = runs.read_candidates_table(workspace, run_id).to_pylist()
    rows.sort(key=lambda r: (-gravity(r["route"]), -r["score"], r["staff_id"]))
    return rows


def signal_rows(workspace: Any, run_id: str | None = None) -> list[dict[str, Any]]:
    rows = runs.read_signals(workspace, run_id).to_pylist()
    rows.sort(key=lambda r: (r["staff_id"], -gravity(r["route"]), -r["score"], r["detector"], r["signal_id"]))
    return rows


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def _json(workspace: Any, run_id: str | None, level: Level, rows: Rows | None = None) -> str:
    record = runs.read_record(workspace, run_id)
    sigs = rows.signals if rows else signal_rows(workspace, run_id)
    for s in sigs:
        s["evidence"] = json.loads(s["evidence"])
    head = {
        "run_id": record["run_id"],
        "period_start": record["config"]["period_start"],
        "period_end": record["config"]["period_end"],
        "engine": record["engine"],
        "degraded": bool(record.get("coverage", {}).get("degraded")),
    }
    if level == "signals":
        return json.dumps({**head, "signals": sigs}, indent=2, default=str)
    by_person: dict[str, list[dict[str, Any]]] = {}
    for s in sigs:
        by_person.setdefault(s["staff_id"], []).append(s)
    cands = []
    for c in rows.candidates if rows else candidate_rows(workspace, run_id):
        c = {k: c[k] for k in (*CANDIDATE_COLUMNS, "run_id")}
        c["signals"] = by_person.get(c["staff_id"], [])
        cands.append(c)
    return json.dumps({**head, "candidates": cands}, indent=2, default=str)


class Rows:
    """A run's candidate and signal rows, as read (or as a governed reader may see them: masked, filtered)."""

    def __init__(self, candidates: list[dict[str, Any]], signals: list[dict[str, Any]]) -> None:
        self.candidates = candidates
        self.signals = signals


def flags_table(
    workspace: Any, run_id: str | None = None, *, level: Level = "candidates", rows: Rows | None = None
) -> RichTable:
    """A Rich table of the current candidates (or signals)."""
    record = runs.read_record(workspace, run_id)
    title = (
        f"Run {record['run_id']} · {record['config']['period_start']} to {record['config']['period_end']}"
        f" · {record['engine']}"
    ) + (" · DEGRADED data coverage (see `fairwitness status`)" if record.get("coverage", {}).get("degraded") else "")
    if level == "signals":
        t = RichTable("staff_id", "route", "score", "severity", "detector", "explanation", title=title, expand=False)
        for r in rows.signals if rows else signal_rows(workspace, run_id):
            style = ROUTE_STYLE.get(r["route"], "")
            t.add_row(Text(r["staff_id"]), f"[{style}]{r['route']}[/]", f"{r['score']:.2f}", r["severity"], r["detector"], Text(r["explanation"]))
        return t
    t = RichTable("staff_id", "route", "score", "detectors", "explanation", title=title, expand=False)
    cands = rows.candidates if rows else candidate_rows(workspace, run_id)
    for r in cands:
        style = ROUTE_STYLE.get(r["route"], "")
        t.add_row(Text(r["staff_id"]), f"[{style}]{r['route']}[/]", f"{r['score']:.2f}", ", ".join(r["detectors"]), Text(r["explanation"]))
    conduct = sum(1 for r in cands if r["route"] in CONDUCT_ROUTES)
    t.caption = f"{len(cands)} people flagged, {conduct} on a conduct route"
    return t


def flags(
    workspace: Any,
    format: Format = "table",  # noqa: A002
    *,
    run_id: str | None = None,
    level: Level = "candidates",
    rows: Rows | None = None,
) -> str:
    """The current run's flags as text in ``format`` (``table`` renders the Rich table)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if format == "json":
        return _json(workspace, run_id, level, rows)
    if format == "csv":
        if level == "signals":
            return _csv(rows.signals if rows else signal_rows(workspace, run_id), SIGNAL_COLUMNS)
        return _csv(rows.candidates if rows else candidate_rows(workspace, run_id), CANDIDATE_COLUMNS)
    from rich.console import Console

    console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
    console.print(flags_table(workspace, run_id, level=level, rows=rows))
    return console.export_text()
