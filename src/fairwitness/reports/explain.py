"""`fairwitness explain`: everything behind one person's flags in the current run.

For each signal: the explanation, route, severity and score; the peer comparison; the
legitimate explanations checked and found; the evidence rows themselves, read back from
the lake through the same declared, period-restricted and privacy-filtered view the
detector had (so explain never shows a column the detector could not read); and the
detector's version, parameters and compiled SQL from the run record.

Evidence keys name rows by the table's contract key; a composite key is its values
joined by ``|`` in key order, each as the engine casts it to text
(``P2|2025-01-06 06:55:00|S1|in``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow.parquet as pq
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table as RichTable
from rich.text import Text

from fairwitness.contract import BY_NAME
from fairwitness.detectors import runs
from fairwitness.reports.flags import ROUTE_STYLE

MAX_EVIDENCE_ROWS = 50
KEY_SEPARATOR = "|"


class NotFlagged(LookupError):
    """The person has no signal in the run."""


def _key_expr(t: Any, key: tuple[str, ...]) -> Any:
    import ibis

    parts = [t[c].cast("string") for c in key]
    return parts[0] if len(parts) == 1 else ibis.literal(KEY_SEPARATOR).join(parts)


class _Lake:
    """Evidence rows read back through each detector's own view (DuckDB, opened once)."""

    def __init__(self, workspace: Any, record: dict[str, Any], run_path: Any) -> None:
        self.workspace = workspace
        self.record = record
        self.run_path = run_path
        self._visible: dict[str, Any] | None = None

    def visible(self) -> dict[str, Any]:
        if self._visible is None:
            from fairwitness.detectors import engines
            from fairwitness.detectors.sources import source_tables, visible_tables

            try:
                con = engines.connect("duckdb", self.workspace)
                self._visible = visible_tables(source_tables(con))
            except Exception:  # noqa: BLE001 - a moved or partial workspace: show keys only
                self._visible = {}
        return self._visible

    def rows(self, det: dict[str, Any], table: str, keys: list[str]) -> tuple[list[str], list[dict[str, Any]], str]:
        if not keys:
            return [], [], "no evidence keys"
        derived = self.run_path / "derived" / f"{table}.parquet"
        if derived.exists():
            t = pq.read_table(derived)
            first = t.column_names[0]
            rows = [r for r in t.to_pylist() if str(r[first]) in set(keys)]
            return t.column_names, rows[:MAX_EVIDENCE_ROWS], ""
        cols = {**det.get("optional_reads", {}), **det.get("reads", {})}.get(table)
        if cols is None:
            return [], [], f"{det['name']} does not declare {table}: only keys are shown"
        if table not in BY_NAME:
            return [], [], f"{table} is not a lake table"
        key = BY_NAME[table].key
        if not set(key) <= set(cols):
            return [], [], f"the key of {table} ({', '.join(key)}) is not among the columns {det['name']} reads"
        visible = self.visible()
        if table not in visible:
            return [], [], f"{table} is not loaded in this workspace any more"
        from fairwitness.detectors.sources import build_sources

        cfg = self.record["config"]
        src = build_sources(
            visible,
            reads={table: tuple(cols)},
            period_start=dt.date.fromisoformat(cfg["period_start"]),
            period_end=dt.date.fromisoformat(cfg["period_end"]),
            lookback_days=int(det.get("lookback_days") or 0),
            lookahead_days=int(det.get("lookahead_days") or 0),
        )
        t = src.table(table)
        t = t.filter(_key_expr(t, key).isin(keys)).order_by(list(key)).limit(MAX_EVIDENCE_ROWS)
        return list(cols), t.to_pyarrow().to_pylist(), ""


def explain_data(workspace: Any, staff_id: str, *, run_id: str | None = None, evidence_rows: bool = True) -> dict[str, Any]:
    """Everything behind one person's flags, as plain data (candidate, signals, evidence, SQL)."""
    path = runs.run_dir(workspace, run_id)
    record = runs.read_record(workspace, run_id)
    cands = [c for c in runs.read_candidates(workspace, run_id) if c.staff_id == staff_id]
    if not cands:
        raise NotFlagged(f"{staff_id} has no flag in run {record['run_id']}")
    cand = cands[0]
    dets = {d["name"]: d for d in record["detectors"]}
    sigs = [r for r in runs.read_signals(workspace, run_id).to_pylist() if r["staff_id"] == staff_id]
    order = {s.signal_id: i for i, s in enumerate(cand.signals)}
    sigs.sort(key=lambda r: order.get(r["signal_id"], len(order)))
    lake = _Lake(workspace, record, path)
    out = []
    for s in sigs:
        det = dets.get(s["detector"], {"name": s["detector"]})
        s["evidence"] = json.loads(s["evidence"])
        cols, rows, note = (
            lake.rows(det, s["evidence_table"], s["evidence_keys"]) if evidence_rows else ([], [], "not read")
        )
        out.append(
            {
                **s,
                "evidence_columns": cols,
                "evidence_rows": rows,
                "evidence_note": note,
                "detector_title": det.get("title"),
                "detector_standard": det.get("standard"),
                "detector_params": det.get("params", {}),
                "detector_sql": det.get("sql"),
            }
        )
    return {"run_id": record["run_id"], "engine": record["engine"], "candidate": cand.model_dump(mode="json"), "signals": out}


def _kv(rows: list[tuple[str, Any]]) -> RichTable:
    t = RichTable.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    for k, v in rows:
        t.add_row(k, v if isinstance(v, Text) else ("" if v is None else str(v)))
    return t


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _signal_panel(s: dict[str, Any]) -> Panel:
    ev = s["evidence"]
    peer = ev.get("peer_comparison", {})
    parts: list[RenderableType] = [Text(s["explanation"], style="bold")]
    parts.append(
        _kv(
            [
                ("route", f"{s['route']} (severity {s['severity']}, score {s['score']:.2f})"),
                ("period", f"{s['period_start']} to {s['period_end']}"),
                ("standard", s.get("detector_standard") or s.get("standard")),
                ("peer comparison", f"value {_fmt(peer.get('value'))} · peer median {_fmt(peer.get('peer_median'))}"
                 f" · percentile {_fmt(peer.get('peer_percentile'))}"),
                ("peer group", peer.get("peer_group") or "—"),
                ("explanations checked", ", ".join(ev.get("explanations_checked", [])) or "—"),
                ("explanations found", ", ".join(ev.get("explanations_found", [])) or "none"),
                ("detail", ev.get("detail") or "—"),
                ("parameters", json.dumps(s.get("detector_params", {}), sort_keys=True)),
                ("signal id", s["signal_id"]),
            ]
        )
    )
    src = ev.get("source_rows", {})
    keys = src.get("keys", [])
    parts.append(Text(f"Evidence: {len(keys)} row(s) of {src.get('table')}", style="bold underline"))
    if s["evidence_rows"]:
        t = RichTable(*s["evidence_columns"], show_lines=False)
        for r in s["evidence_rows"]:
            t.add_row(*(Text(_fmt(r.get(c))) for c in s["evidence_columns"]))
        parts.append(t)
        if len(keys) > len(s["evidence_rows"]):
            parts.append(Text(f"… {len(keys) - len(s['evidence_rows'])} more", style="dim"))
    else:
        parts.append(Text("keys: " + ", ".join(keys[:MAX_EVIDENCE_ROWS]) + (f" ({s['evidence_note']})" if s["evidence_note"] else "")))
    if s.get("detector_sql"):
        parts.append(Text("Compiled SQL", style="bold underline"))
        parts.append(Syntax(s["detector_sql"], "sql", word_wrap=True, theme="ansi_dark"))
    title = f"{s['detector']} v{s['detector_version']} — {s.get('detector_title') or ''}"
    return Panel(Group(*parts), title=title, border_style=ROUTE_STYLE.get(s["route"], ""))


def explain(
    workspace: Any, staff_id: str, *, run_id: str | None = None, data: dict[str, Any] | None = None
) -> RenderableType:
    """A Rich renderable of everything behind ``staff_id``'s flags (``data``: already read, e.g. masked)."""
    data = data if data is not None else explain_data(workspace, staff_id, run_id=run_id)
    c = data["candidate"]
    style = ROUTE_STYLE.get(c["route"], "")
    head = Panel(
        Group(
            Text(c["explanation"]),
            _kv(
                [
                    ("route", Text(c["route"], style=style)),
                    ("score", f"{c['score']:.2f}"),
                    ("period", f"{c['period_start']} to {c['period_end']}"),
                    ("detectors", ", ".join(c["detectors"])),
                    ("run", f"{data['run_id']} ({data['engine']})"),
                    ("candidate id", c["candidate_id"]),
                ]
            ),
        ),
        title=f"{staff_id}: {len(data['signals'])} signal(s)",
        border_style=style,
    )
    return Group(head, *(_signal_panel(s) for s in data["signals"]))


def explain_text(
    workspace: Any, staff_id: str, *, run_id: str | None = None, width: int = 140, data: dict[str, Any] | None = None
) -> str:
    """`explain` rendered to plain text."""
    import io

    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    console.print(explain(workspace, staff_id, run_id=run_id, data=data))
    return console.export_text()
