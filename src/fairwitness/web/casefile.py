"""What a case page shows, gathered from the library.

`readable_case` is the gate every case route passes (page, charts, actions, API):
the role must allow ``case.view`` and the library's `cases.governed_case` must give the
case — it exists and is not about the viewer or anyone in their line-management chain
(the store's workforce); otherwise the library answers "no case N", exactly as for a
case that does not exist, and audits the refusal.

`case_file` then asks the library for the case view (`cases.show_case`: pseudonymised,
the staff number only for a reviewer holding an unexpired re-identification, the read
audited) and adds each detector's compiled query and the data coverage of the sources
it read (from the run record). `evidence_file` reads each signal's evidence rows back
from the lake with `fairwitness.reports.governed.governed_explain_data` — a second or two,
so the page fetches them separately — masked by the library (every staff number of the
workforce shown as its pseudonym), protected characteristics left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from fairwitness.contract import BY_NAME
from fairwitness.governance import audit, cases, pseudonyms, views
from fairwitness.governance.access import require
from fairwitness.governance.models import Case, User
from fairwitness.governance.views import CaseView, is_protected
from fairwitness.web.runfiles import RunFiles

MAX_ROWS = 50


def readable_case(*, session: Session, actor: User, case_id: int, action: str = "case.view") -> Case:
    """The case, if ``actor`` may ``action`` it; else the library's refusal ("no case N", audited)."""
    user = require(session=session, actor=actor, action=action)
    return cases.governed_case(session=session, user=user, case_id=case_id)


class EvidenceTable(BaseModel):
    table: str
    columns: list[str]
    rows: list[list[str]]
    keys: int
    note: str


class SignalFile(BaseModel):
    signal_id: str
    detector: str
    title: str | None
    sql: str | None
    evidence: EvidenceTable


class Coverage(BaseModel):
    table: str
    rows: int
    first: str | None
    last: str | None


class CaseFile(BaseModel):
    view: CaseView
    signals: dict[str, SignalFile]
    coverage: list[Coverage]
    lake_note: str
    unseen: dict[str, list[str]] = {}
    """Detector -> what it could not see in the run: an optional input no row held (``coverage.unheld``)."""


def _staff_columns(table: str, columns: list[str]) -> set[str]:
    declared = {c.name for c in BY_NAME[table].columns if c.references == "people.staff_id"} if table in BY_NAME else set()
    return declared | {c for c in columns if c == "staff_id" or c.endswith("_staff_id")}


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def _evidence(s: dict[str, Any]) -> EvidenceTable:
    """One signal's evidence rows as a table (already masked by the library), protected characteristics left out."""
    table = s.get("evidence_table") or ""
    columns = [c for c in s.get("evidence_columns", []) if not is_protected(c) and not c.startswith("_")]
    rows = [[_cell(r.get(c)) for c in columns] for r in s.get("evidence_rows", [])[:MAX_ROWS]]
    note = s.get("evidence_note") or ""
    return EvidenceTable(table=table, columns=columns, rows=rows, keys=len(s.get("evidence_keys") or []), note=note)


def lake_details(*, session: Session, actor: User, workspace: Path, case: Case) -> tuple[list[dict[str, Any]], str]:
    """The library's governed explanation of the case's subject in its run (`governed_explain_data`: masked,
    audited as ``run.explain``): (signals, note); empty with a note if the run's files are unavailable."""
    from fairwitness.detectors import runs
    from fairwitness.detectors.runner import open_workspace
    from fairwitness.reports import NotFlagged
    from fairwitness.reports.governed import governed_explain_data

    try:
        _, data = governed_explain_data(
            session=session, actor=actor, workspace=open_workspace(workspace), who=case.staff_id, run_id=case.run_id
        )
    except (runs.NoRun, NotFlagged, FileNotFoundError) as exc:
        return [], "evidence rows are not available: " + str(exc)
    return data["signals"], ""


def coverage_of(record: Mapping[str, Any] | None, detectors: list[str], status: Mapping[str, Coverage]) -> list[Coverage]:
    if record is None:
        return []
    tables: set[str] = set()
    for d in record.get("detectors", []):
        if d.get("name") in detectors:
            tables |= set(d.get("reads", {})) | set(d.get("optional_reads", {}))
    return [status[t] for t in sorted(tables) if t in status]


def case_file(
    *, session: Session, actor: User, case: Case, runs: RunFiles, status: Mapping[str, Coverage]
) -> CaseFile:
    """Everything the case page shows at once: the library's view (audited as ``case.view``), each
    detector's compiled query (masked by the library's masker) and the coverage of its sources, from the
    run's record (`RunFiles`: kept in memory while the file is unchanged). Evidence rows come from
    `evidence_file`."""
    view = cases.show_case(session=session, actor=actor, case_id=case.id)
    mask = masker_for(session=session, actor=actor, case=case)
    record = runs.record(case.run_id)
    detectors = {d["name"]: d for d in (record or {}).get("detectors", [])}
    files = {}
    for sig in view.signals:
        d = detectors.get(sig.detector, {})
        sql = d.get("sql")
        table = (sig.evidence.get("source_rows") or {}).get("table") or ""
        keys = len((sig.evidence.get("source_rows") or {}).get("keys") or [])
        files[sig.signal_id] = SignalFile(
            signal_id=sig.signal_id,
            detector=sig.detector,
            title=d.get("title"),
            sql=runs.masked_query(session=session, mask=mask, run_id=case.run_id, detector=sig.detector, sql=sql)
            if sql
            else None,
            evidence=EvidenceTable(table=table, columns=[], rows=[], keys=keys, note=""),
        )
    note = "" if record else f"the run {case.run_id} is not in this workspace: queries and coverage are not available"
    unheld = ((record or {}).get("coverage") or {}).get("unheld") or {}
    unseen = {d: list(unheld[d]) for d in view.detectors if d in unheld}
    return CaseFile(view=view, signals=files, coverage=coverage_of(record, view.detectors, status), lake_note=note,
                    unseen=unseen)


def masker_for(*, session: Session, actor: User, case: Case) -> views.Masker:
    """The library's masker for what ``actor`` reads of ``case``: every staff id of the workforce becomes its
    pseudonym, except the subject's while ``actor`` holds an unexpired re-identification of the case."""
    revealed = pseudonyms.active_grant(session=session, user=actor, case_id=case.id) is not None
    return views.masker(session=session, keep=case.staff_id if revealed else None, also=(case.staff_id,))


def evidence_file(*, session: Session, actor: User, case: Case, workspace: Path) -> dict[str, EvidenceTable]:
    """Each signal's evidence rows from the lake, through the library (pseudonymised unless ``actor`` holds a
    re-identification; the read audited as ``run.explain``)."""
    user = require(session=session, actor=actor, action="case.view")
    details, note = lake_details(session=session, actor=user, workspace=workspace, case=case)
    mask = masker_for(session=session, actor=user, case=case)
    by_id = {d["signal_id"]: d for d in details}  # signal ids come back masked, like every string
    missing = mask(note or "not in the run's files")
    tables = {
        sig.signal_id: _evidence(d) if (d := by_id.get(mask(sig.signal_id))) else
        EvidenceTable(table="", columns=[], rows=[], keys=0, note=missing)
        for sig in case.signals
    }  # fmt: skip
    # the library audits the read of the run (``run.explain``); this puts it on the case's own history too
    audit.record(session=session, actor=user, action="case.evidence.view", object_type="case", object_id=case.id,
                 subject=case.pseudonym, detail={"reidentified": mask.keep is not None})  # fmt: skip
    return tables


def read_coverage(workspace: Path) -> dict[str, Coverage]:
    """Each loaded table's rows and first and last dates (`fairwitness.status`)."""
    from fairwitness.status import status
    from fairwitness.workspace import Workspace

    ws = Workspace(workspace)
    if not ws.exists():
        return {}
    return {t.table: Coverage(table=t.table, rows=t.rows, first=t.first, last=t.last) for t in status(ws).tables}
