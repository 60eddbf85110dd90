"""Subject access: everything held and derived about one person, as JSON and HTML.

The export holds the summary of source rows about the person (supplied by the
caller from the lake: per table, the number of rows and the first and last
dates), their accounts (if they are also a user), every case about them with its
signals and evidence, notes, decisions and rationale, per-signal outcomes and
responses, every re-identification of them (who, when, why), and every audit
event about them, including those left behind by retention. Other people appear
only as pseudonyms and protected characteristics are never included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairwitness.governance import audit, pseudonyms
from fairwitness.governance.access import require
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import Case, Reidentification, User
from fairwitness.governance.reports import write_json_and_html
from fairwitness.governance.users import view as user_view
from fairwitness.governance.views import case_view


class SarResult(BaseModel):
    json_path: Path
    html_path: Path
    counts: dict[str, int]


def collect(
    *, session: Session, staff_id: str, source_summary: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The export's content (no permission check and no audit: use `export`)."""
    pseudonym = pseudonyms.pseudonym(session=session, staff_id=staff_id)
    cases = list(session.scalars(select(Case).where(Case.staff_id == staff_id).order_by(Case.id)))
    now = audit.now()
    case_views = [
        case_view(session=session, case=c, reveal_until=now).model_dump(mode="json", exclude={"reidentified_until"})
        for c in cases
    ]
    grants = session.scalars(
        select(Reidentification).where(Reidentification.pseudonym == pseudonym).order_by(Reidentification.id)
    )
    reidentifications = [
        {
            "case_id": g.case_id,
            "by": g.user.username,
            "reason": g.reason,
            "granted_at": g.granted_at,
            "expires_at": g.expires_at,
        }
        for g in grants
    ]
    events = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "detail": json.loads(e.detail),
        }
        for e in audit.events_about(session=session, subject=pseudonym)
    ]
    linked = session.scalars(select(User).where(User.staff_id == staff_id).order_by(User.id))
    accounts = [user_view(u).model_dump(mode="json") for u in linked]
    summary = {table: dict(values) for table, values in (source_summary or {}).items()}
    return {
        "title": "Subject access export",
        "subject": {"staff_id": staff_id, "pseudonym": pseudonym},
        "generated_at": now,
        "source_summary": summary,
        "accounts": accounts,
        "cases": case_views,
        "reidentifications": reidentifications,
        "audit_events": events,
        "counts": {
            "source_tables": len(summary),
            "cases": len(case_views),
            "signals": sum(len(c["signals"]) for c in case_views),
            "decisions": sum(len(c["decisions"]) for c in case_views),
            "responses": sum(len(c["responses"]) for c in case_views),
            "notes": sum(len(c["notes"]) for c in case_views),
            "reidentifications": len(reidentifications),
            "audit_events": len(events),
        },
    }


def export(
    *,
    session: Session,
    actor: User,
    staff_id: str,
    out: str | Path,
    source_summary: Mapping[str, dict[str, Any]] | None = None,
) -> SarResult:
    """Write the subject access export for ``staff_id`` to ``out`` as ``.json`` and ``.html``."""
    user = require(session=session, actor=actor, action="sar.export")
    if not (staff_id or "").strip():
        raise InvalidInput("a subject access export needs a staff_id")
    data = collect(session=session, staff_id=staff_id, source_summary=source_summary)
    data["generated_by"] = user.username
    json_path, html_path = write_json_and_html(out=out, data=data, template="sar.html")
    audit.record(
        session=session,
        actor=user,
        action="sar.export",
        object_type="person",
        subject=data["subject"]["pseudonym"],
        detail={"file": json_path.name, "counts": data["counts"]},
    )
    return SarResult(json_path=json_path, html_path=html_path, counts=data["counts"])
