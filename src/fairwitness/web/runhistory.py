"""Run history: every committed detector run of the workspace, newest first (no personal data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fairwitness.detectors import runs


class RunSummary(BaseModel):
    run_id: str
    current: bool
    engine: str
    started_at: str
    seconds: float | None
    period_start: str
    period_end: str
    signals: int
    candidates: int
    by_route: dict[str, int]
    detectors: list[dict[str, Any]]
    """name, version, status, signals, error."""


def run_history(workspace: str | Path) -> list[RunSummary]:
    root = Path(workspace) / "runs"
    if not root.is_dir():
        return []
    current = runs.current_run_id(workspace)
    out = []
    for record_path in root.glob(f"*/{runs.RUN_RECORD}"):
        if record_path.parent.name.startswith("."):
            continue
        r = json.loads(record_path.read_text())
        counts = r.get("counts", {})
        out.append(
            RunSummary(
                run_id=r["run_id"], current=r["run_id"] == current, engine=r.get("engine", ""),
                started_at=r.get("started_at", ""), seconds=r.get("seconds"),
                period_start=r["config"]["period_start"], period_end=r["config"]["period_end"],
                signals=counts.get("signals", 0), candidates=counts.get("candidates", 0), by_route=counts.get("by_route", {}),
                detectors=[{k: d.get(k) for k in ("name", "version", "status", "signals", "error")} for d in r.get("detectors", [])],
            )  # fmt: skip
        )
    return sorted(out, key=lambda r: r.started_at, reverse=True)
