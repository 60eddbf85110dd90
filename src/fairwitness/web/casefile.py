"""What a case page shows, gathered from the library.

`readable_case` is the gate every case route passes (page, charts, actions, API):
the role must allow ``case.view``, the case must exist, and it must not be about the
viewer or anyone in their line-management chain (`fairwitness.governance.conflicts`);
otherwise the answer is "no case N", exactly as for a case that does not exist, and
the refusal is on the audit log.

`case_file` then asks the library for the case view (`cases.show_case`: pseudonymised,
the staff number only for a reviewer holding an unexpired re-identification, the read
audited) and adds each detector's compiled query and the data coverage of the sources
it read (from the run record). `evidence_file` reads each signal's evidence rows back
from the lake with `fairwitness.reports.explain_data` — a second or two, so the page
fetches them separately — with staff numbers shown as pseudonyms and protected
characteristics removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from fairwitness.contract import BY_NAME
from fairwitness.governance import audit, cases, conflicts, pseudonyms
from fairwitness.governance.access import require
from fairwitness.governance.errors import NotFound
from fairwitness.governance.models import Case, User
from fairwitness.governance.views import CaseView, is_protected, mask_strings

MAX_ROWS = 50


def readable_case(
    *, session: Session, actor: User, case_id: int, line_managers: Mapping[str, str | None], action: str = "case.view"
) -> Case:
    """The case, if ``actor`` may ``action`` it; else `NotFound` ("no case N", audited)."""
    user = require(session=session, actor=actor, action=action)
    case = cases.load_case(session=session, case_id=case_id)
    cases.ensure_not_subject(user=user, case=case)
    reason = conflicts.conflict(reviewer_staff_id=user.staff_id, subject_staff_id=case.staff_id, line_managers=line_managers)
    if reason:
        refused = NotFound(f"no case {case_id}")
        refused.audit = {
            "actor": user.username,
            "action": "security.chain_case_refused",
            "object_type": "case",
            "object_id": str(case_id),
            "detail": {"reason": "the case is about someone in the reader's line-management chain"},
        }
        raise refused
    return case


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


def _evidence(session: Session, case: Case, revealed: bool, s: dict[str, Any]) -> EvidenceTable:
    table = s.get("evidence_table") or ""
    columns = [c for c in s.get("evidence_columns", []) if not is_protected(c) and not c.startswith("_")]
    staff = _staff_columns(table, columns)
    rows = []
    for r in s.get("evidence_rows", [])[:MAX_ROWS]:
        out = []
        for c in columns:
            v = r.get(c)
            if c in staff and isinstance(v, str) and v and not (revealed and v == case.staff_id):
                v = pseudonyms.pseudonym(session=session, staff_id=v)
            out.append(_cell(v))
        rows.append(out)
    note = s.get("evidence_note") or ""
    if not revealed:
        rows = mask_strings(rows, staff_id=case.staff_id, pseudonym=case.pseudonym)
        note = mask_strings(note, staff_id=case.staff_id, pseudonym=case.pseudonym)
    return EvidenceTable(table=table, columns=columns, rows=rows, keys=len(s.get("evidence_keys") or []), note=note)


def lake_details(workspace: Path, staff_id: str, run_id: str) -> tuple[list[dict[str, Any]], str]:
    """(explain_data signals, note) for the person in ``run_id``; empty with a note if unavailable."""
    from fairwitness.detectors import runs
    from fairwitness.detectors.runner import open_workspace
    from fairwitness.reports import NotFlagged, explain_data

    try:
        return explain_data(open_workspace(workspace), staff_id, run_id=run_id)["signals"], ""
    except (runs.NoRun, NotFlagged, FileNotFoundError) as exc:
        return [], f"evidence rows are not available: {exc}"


def run_record(workspace: Path, run_id: str) -> dict[str, Any] | None:
    from fairwitness.detectors import runs

    try:
        return runs.read_record(workspace, run_id)
    except (runs.NoRun, FileNotFoundError):
        return None


def coverage_of(record: dict[str, Any] | None, detectors: list[str], status: Mapping[str, Coverage]) -> list[Coverage]:
    if record is None:
        return []
    tables: set[str] = set()
    for d in record.get("detectors", []):
        if d.get("name") in detectors:
            tables |= set(d.get("reads", {})) | set(d.get("optional_reads", {}))
    return [status[t] for t in sorted(tables) if t in status]


def case_file(
    *, session: Session, actor: User, case: Case, workspace: Path, status: Mapping[str, Coverage]
) -> CaseFile:
    """Everything the case page shows at once: the library's view (audited as ``case.view``), each
    detector's compiled query and the coverage of its sources. Evidence rows come from `evidence_file`."""
    view = cases.show_case(session=session, actor=actor, case_id=case.id)
    record = run_record(workspace, case.run_id)
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
            sql=mask_strings(sql, staff_id=case.staff_id, pseudonym=case.pseudonym) if sql else None,
            evidence=EvidenceTable(table=table, columns=[], rows=[], keys=keys, note=""),
        )
    note = "" if record else f"the run {case.run_id} is not in this workspace: queries and coverage are not available"
    return CaseFile(view=view, signals=files, coverage=coverage_of(record, view.detectors, status), lake_note=note)


def evidence_file(*, session: Session, actor: User, case: Case, workspace: Path) -> dict[str, EvidenceTable]:
    """Each signal's evidence rows from the lake (pseudonymised unless ``actor`` holds a re-identification)."""
    user = require(session=session, actor=actor, action="case.view")
    revealed = pseudonyms.active_grant(session=session, user=user, case_id=case.id) is not None
    details, note = lake_details(workspace, case.staff_id, case.run_id)
    by_id = {d["signal_id"]: d for d in details}
    out = {}
    for sig in case.signals:
        d = by_id.get(sig.signal_id)
        out[sig.signal_id] = (
            _evidence(session, case, revealed, d)
            if d
            else EvidenceTable(table="", columns=[], rows=[], keys=0,
                               note=mask_strings(note or "not in the run's files", staff_id=case.staff_id,
                                                 pseudonym=case.pseudonym))  # fmt: skip
        )
    audit.record(session=session, actor=user, action="case.evidence.view", object_type="case", object_id=case.id,
                 subject=case.pseudonym, detail={"reidentified": revealed})  # fmt: skip
    return out


def read_coverage(workspace: Path) -> dict[str, Coverage]:
    """Each loaded table's rows and first and last dates (`fairwitness.status`)."""
    from fairwitness.status import status
    from fairwitness.workspace import Workspace

    ws = Workspace(workspace)
    if not ws.exists():
        return {}
    return {t.table: Coverage(table=t.table, rows=t.rows, first=t.first, last=t.last) for t in status(ws).tables}
