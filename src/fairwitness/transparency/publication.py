"""Publishing the report: fairness audit, figures, rendering, in one call (what ``report`` runs)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from fairwitness.transparency.content import MIN_GROUP, gather
from fairwitness.detectors import runs
from fairwitness.transparency.render import BASENAME, ReportExists, write


def publish(
    workspace: str | Path,
    out: str | Path,
    *,
    fmt: str = "html",
    period: tuple[dt.date, dt.date] | None = None,
    truth: str | Path | None = None,
    db: str | None = None,
    min_group: int = MIN_GROUP,
    force: bool = False,
) -> Path:
    """Write the transparency report of the current run and the store; the path written.

    The fairness figures come from ``truth`` when given (a synthetic force), else from
    reviewers' outcomes. ``period`` keeps the cases and audit events of that period and must
    overlap the current run's period. The publication is recorded in the audit log."""
    from fairwitness.fairness.assessment import assess
    from fairwitness.governance.db import create_store, store_url
    from fairwitness.workspace import Workspace

    ws = Workspace(workspace).require()
    target = Path(out) / f"{BASENAME}.{fmt}"
    if target.exists() and not force:  # before any work: never overwrite a published report
        raise ReportExists(f"{target} exists: give --force to overwrite it")
    cfg = runs.read_record(ws)["config"]
    r0, r1 = dt.date.fromisoformat(cfg["period_start"]), dt.date.fromisoformat(cfg["period_end"])
    if period and (period[0] > r1 or period[1] < r0):
        raise ValueError(f"the period {period[0]}..{period[1]} does not overlap the current run's ({r0}..{r1})")
    store = create_store(store_url(workspace=workspace, db=db))
    try:
        fairness = assess(workspace, truth=truth, store=store)
        content = gather(workspace, store=store, fairness=fairness, period=period, min_group=min_group)
        path = write(content, out, fmt=fmt, force=force)
        store.record_event(
            actor=os.environ.get("FAIRWITNESS_USER", "system"), action="report.publish", object_type="run",
            object_id=fairness.run_id, detail={"format": fmt, "audit_head": content.audit_head_hash},
        )  # fmt: skip
    finally:
        store.dispose()
    return path
