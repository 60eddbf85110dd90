"""Case candidates in: the run's Parquet file, and turning candidates into cases.

A detector run writes ``WS/runs/<run_id>/case_candidates.parquet``: one row per
`fairwitness.candidates.CaseCandidate`, its ``signals`` list as a JSON string (and
optionally ``n_signals``, which must then match).
Importing is idempotent (a candidate already imported is skipped), stores the
person's pseudonym with the case, and drops protected characteristics from the
evidence before anything is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairwitness.candidates import CaseCandidate
from fairwitness.governance import audit, detector_state, pseudonyms
from fairwitness.governance.access import require
from fairwitness.governance.retention import tombstoned
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import Case, Signal, User
from fairwitness.governance.views import redact_protected

CANDIDATES_FILE = "case_candidates.parquet"


def candidates_path(*, workspace: str | Path, run_id: str) -> Path:
    """Where a run's case candidates are: ``WS/runs/<run_id>/case_candidates.parquet``."""
    if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
        raise InvalidInput(f"invalid run id {run_id!r}")
    return Path(workspace) / "runs" / run_id / CANDIDATES_FILE


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("signals", "detectors"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    for signal in row.get("signals") or []:
        if isinstance(signal.get("evidence"), str):
            signal["evidence"] = json.loads(signal["evidence"])
    expected = row.pop("n_signals", None)
    if expected is not None and expected != len(row.get("signals") or []):
        raise ValueError(f"candidate {row.get('candidate_id')}: n_signals is {expected} but {len(row['signals'])} listed")
    return row


def load_candidates(path: str | Path) -> list[CaseCandidate]:
    """Read case candidates from a run's Parquet file (pyarrow)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no case candidates at {path}")
    rows = pq.read_table(path).to_pylist()
    try:
        return [CaseCandidate.model_validate(_decode(row)) for row in rows]
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"{path}: not valid case candidates: {exc}") from exc


class ImportResult(BaseModel):
    created: list[int]
    """Ids of the cases created."""
    skipped: list[str]
    """Candidate ids already imported."""
    purged: list[str] = []
    """Candidate ids whose case was purged by retention: never imported again."""


def import_candidates(*, session: Session, actor: User, candidates: Iterable[CaseCandidate]) -> ImportResult:
    """Create one case (state ``new``) per candidate not imported before."""
    user = require(session=session, actor=actor, action="case.import")
    candidates = detector_state.hold_back(session=session, candidates=candidates, actor=user.username)
    ids = [c.candidate_id for c in candidates]
    existing = set(session.scalars(select(Case.candidate_id).where(Case.candidate_id.in_(ids)))) if ids else set()
    purged = tombstoned(session=session, candidate_ids=ids)
    existing |= purged
    created: list[Case] = []
    now = audit.now()
    for c in candidates:
        if c.candidate_id in existing:
            continue
        existing.add(c.candidate_id)
        case = Case(
            candidate_id=c.candidate_id,
            run_id=c.run_id,
            staff_id=c.staff_id,
            pseudonym=pseudonyms.pseudonym(session=session, staff_id=c.staff_id),
            period_start=c.period_start,
            period_end=c.period_end,
            route=c.route,
            score=c.score,
            detectors=list(c.detectors),
            explanation=c.explanation,
            state="new",
            created_at=now,
            updated_at=now,
        )
        case.signals = [
            Signal(
                signal_id=s.signal_id,
                detector=s.detector,
                detector_version=s.detector_version,
                route=s.route,
                score=s.score,
                severity=s.severity,
                explanation=s.explanation,
                evidence=redact_protected(json.loads(audit.canonical_json(s.evidence))),
            )
            for s in c.signals
        ]
        session.add(case)
        created.append(case)
    session.flush()
    for case in created:
        audit.record(
            session=session,
            actor=user,
            action="case.create",
            object_type="case",
            object_id=case.id,
            subject=case.pseudonym,
            detail={
                "run_id": case.run_id,
                "candidate_id": case.candidate_id,
                "route": case.route,
                "signals": len(case.signals),
            },
        )
    runs = sorted({c.run_id for c in candidates})
    audit.record(
        session=session,
        actor=user,
        action="case.import",
        object_type="run",
        object_id=",".join(runs)[:128] or None,
        detail={
            "runs": runs,
            "created": len(created),
            "skipped": len(candidates) - len(created),
            "purged_by_retention": len(purged),
        },
    )
    new = {c.candidate_id for c in created}
    return ImportResult(
        created=[c.id for c in created],
        skipped=[i for i in ids if i not in new and i not in purged],
        purged=sorted(purged),
    )
