"""Subject access: everything held and derived about one person, as JSON and HTML.

The export holds the summary of source rows about the person (supplied by the
caller from the lake: per table, the number of rows and the first and last
dates), their accounts (if they are also a user), every case about them with its
signals and evidence, notes, decisions and rationale, per-signal outcomes and
responses, every re-identification of them (who, when, why), every audit
event about them (including those left behind by retention) and every event
where one of their accounts is the actor, and the signals of other people's
cases that name them (as the other party of a reciprocal loop, say). Other
people appear only as pseudonyms and protected characteristics are never
included. The person must be known to the store (its workforce, a case or an
account): anything else, a wildcard such as ``%`` included, is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit, outputs, pseudonyms, views, workforce
from fairwitness.governance.access import require
from fairwitness.governance.errors import InvalidInput, NotFound
from fairwitness.governance.models import AuditEvent, Case, Reidentification, Signal, User
from fairwitness.governance.reports import json_and_html_paths, write_json_and_html
from fairwitness.governance.users import view as user_view
from fairwitness.governance.views import case_view


class SarResult(BaseModel):
    json_path: Path
    html_path: Path
    counts: dict[str, int]


def known(*, session: Session, staff_id: str) -> bool:
    """Whether the store knows ``staff_id`` (workforce, a case about them, or an account)."""
    if staff_id in workforce.staff_ids(session):
        return True
    if session.scalar(select(Case.id).where(Case.staff_id == staff_id).limit(1)) is not None:
        return True
    return session.scalar(select(User.id).where(User.staff_id == staff_id).limit(1)) is not None


def _naming(*, session: Session, staff_id: str) -> list[dict[str, Any]]:
    """Other people's cases whose signals or explanation name ``staff_id``: only those parts, masked."""
    mask = views.masker(session=session, keep=staff_id, also=(staff_id,))
    probe = views.Masker(session=session, staff_ids={staff_id})

    def names(value: Any) -> bool:
        return probe(value) != value

    found = select(Signal.case_id).where(cast(Signal.evidence, String).contains(staff_id, autoescape=True))
    query = (
        select(Case)
        .where(Case.staff_id != staff_id)
        .where(or_(Case.explanation.contains(staff_id, autoescape=True), Case.id.in_(found)))
        .order_by(Case.id)
    )
    out = []
    for case in session.scalars(query):
        signals = [
            {
                "signal_id": s.signal_id,
                "detector": s.detector,
                "explanation": mask.text(s.explanation),
                "evidence": mask(views.redact_protected(s.evidence)),
            }
            for s in case.signals
            if names(s.explanation) or names(s.evidence)
        ]
        if signals or names(case.explanation):
            out.append(
                {
                    "case_id": case.id,
                    "run_id": case.run_id,
                    "about": case.pseudonym,
                    "period_start": case.period_start,
                    "period_end": case.period_end,
                    "explanation": mask.text(case.explanation) if names(case.explanation) else None,
                    "signals": signals,
                }
            )
    return out


def collect(
    *, session: Session, staff_id: str, source_summary: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The export's content (no permission check and no audit: use `export`)."""
    pseudonym = pseudonyms.pseudonym(session=session, staff_id=staff_id)
    cases = list(session.scalars(select(Case).where(Case.staff_id == staff_id).order_by(Case.id)))
    mask = views.masker(session=session, keep=staff_id, also=(staff_id,))
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
            "reason": mask.text(g.reason),
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
            "detail": mask(json.loads(e.detail)),
        }
        for e in audit.events_about(session=session, subject=pseudonym)
    ]
    linked = list(session.scalars(select(User).where(User.staff_id == staff_id).order_by(User.id)))
    accounts = [user_view(u).model_dump(mode="json") for u in linked]
    names = [u.username for u in linked]
    acted = select(AuditEvent).where(AuditEvent.actor.in_(names)).order_by(AuditEvent.seq) if names else None
    as_actor = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "about": e.subject,
            "detail": mask(json.loads(e.detail)),
        }
        for e in (session.scalars(acted) if acted is not None else [])
        if e.subject != pseudonym
    ]
    naming = _naming(session=session, staff_id=staff_id)
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
        "events_as_actor": as_actor,
        "cases_naming_them": naming,
        "counts": {
            "source_tables": len(summary),
            "cases": len(case_views),
            "signals": sum(len(c["signals"]) for c in case_views),
            "decisions": sum(len(c["decisions"]) for c in case_views),
            "responses": sum(len(c["responses"]) for c in case_views),
            "notes": sum(len(c["notes"]) for c in case_views),
            "reidentifications": len(reidentifications),
            "audit_events": len(events),
            "events_as_actor": len(as_actor),
            "cases_naming_them": len(naming),
        },
    }


def export(
    *,
    session: Session,
    actor: User,
    staff_id: str,
    out: str | Path,
    source_summary: Mapping[str, dict[str, Any]] | None = None,
    force: bool = False,
) -> SarResult:
    """Write the subject access export for ``staff_id`` to ``out`` as ``.json`` and ``.html``.

    Never over existing files unless ``force``, never into a workspace or over the store (`outputs.check`).
    """
    user = require(session=session, actor=actor, action="sar.export")
    staff_id = (staff_id or "").strip()
    if not staff_id:
        raise InvalidInput("a subject access export needs a staff_id")
    if not known(session=session, staff_id=staff_id):
        raise NotFound("that staff id is not known to the store (workforce, cases or accounts): nothing exported")
    protected = outputs.store_files(str(session.get_bind().engine.url))
    for path in json_and_html_paths(out):
        outputs.check(path, force=force, protected=protected)
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
