"""`flags` and `explain` for a signed-in user: permitted roles only, pseudonymised, audited.

A detector run's files name people by staff number. Read through here, every
person is a pseudonym (rows and free text alike, `fairwitness.governance.views.Masker`)
unless the reader holds an unexpired re-identification of a case about that
person; the people the reader is conflicted on (themselves and their
line-management chain, from the store's workforce) and the people whose case
from that run was purged by retention are left out, and ``explain`` answers
them exactly as someone with no flag. Every read is an audit event.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairwitness.detectors import runs
from fairwitness.governance import audit, conflicts, pseudonyms, retention, views
from fairwitness.governance.access import require
from fairwitness.governance.errors import NotFound
from fairwitness.governance.models import Case, Reidentification, User
from fairwitness.reports.explain import NotFlagged, explain_data, explain_text
from fairwitness.reports.flags import Format, Level, Rows, candidate_rows, flags, signal_rows


class NoFlag(NotFlagged, NotFound):
    """No flag for that person in the run, as far as this reader may know (a refusal, audited when one)."""


def _revealed(session: Session, user: User) -> set[str]:
    """Staff ids the reader may see: subjects of cases they hold an unexpired re-identification of."""
    now = audit.now()
    query = (
        select(Case.staff_id)
        .join(Reidentification, Reidentification.case_id == Case.id)
        .where(Reidentification.user_id == user.id, Reidentification.granted_at <= now, Reidentification.expires_at > now)
    )
    return set(session.scalars(query))


class _Reader:
    def __init__(self, *, session: Session, user: User, workspace: Any, run_id: str | None) -> None:
        self.session, self.user = session, user
        self.run_id = runs.read_record(workspace, run_id)["run_id"]
        self.hidden = conflicts.conflicted_staff(session=session, user=user)
        self.purged = retention.purged_in_run(session=session, run_id=self.run_id)
        self.revealed = _revealed(session, user)

    def pseudonym(self, staff_id: str) -> str:
        return pseudonyms.pseudonym(session=self.session, staff_id=staff_id)

    def excluded(self, staff_id: str) -> bool:
        return staff_id in self.hidden or self.pseudonym(staff_id) in self.purged

    def show(self, staff_id: str) -> str:
        return staff_id if staff_id in self.revealed else self.pseudonym(staff_id)

    def mask(self, rows: list[dict[str, Any]], people: set[str]) -> list[dict[str, Any]]:
        base = views.masker(session=self.session, also=tuple(people))
        out = []
        for row in rows:
            keep = row["staff_id"] if row["staff_id"] in self.revealed else None
            masker = base if keep is None else views.Masker(session=self.session, staff_ids=base.ids, keep=keep)
            masked = masker({k: v for k, v in row.items() if k != "staff_id"})
            out.append({"staff_id": self.show(row["staff_id"]), **masked})
        return out


def governed_flags(
    *,
    session: Session,
    actor: User,
    workspace: Any,
    format: Format = "table",  # noqa: A002
    run_id: str | None = None,
    level: Level = "candidates",
) -> str:
    """`fairwitness.reports.flags.flags` for ``actor``: pseudonymised, filtered, audited."""
    user = require(session=session, actor=actor, action="run.flags")
    reader = _Reader(session=session, user=user, workspace=workspace, run_id=run_id)
    cands = [r for r in candidate_rows(workspace, run_id) if not reader.excluded(r["staff_id"])]
    sigs = [r for r in signal_rows(workspace, run_id) if not reader.excluded(r["staff_id"])]
    for s in sigs:
        s["evidence"] = json.loads(s["evidence"]) if isinstance(s["evidence"], str) else s["evidence"]
    people = {r["staff_id"] for r in cands} | {r["staff_id"] for r in sigs}
    rows = Rows(candidates=reader.mask(cands, people), signals=reader.mask(sigs, people))
    for s in rows.signals:  # the renderers read evidence as the run stores it: JSON text
        s["evidence"] = json.dumps(s["evidence"])
    text = flags(workspace, format, run_id=run_id, level=level, rows=rows)
    detail = {"run_id": reader.run_id, "level": level, "format": format, "people": len(cands)}
    audit.record(session=session, actor=user, action="run.flags", object_type="run", object_id=reader.run_id, detail=detail)
    return text


def governed_explain_data(
    *, session: Session, actor: User, workspace: Any, who: str, run_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """Everything behind one person's flags for ``actor``: ``(name shown, data)``, masked and audited.

    ``who`` is the person's pseudonym (as `governed_flags` shows it) or staff id.
    """
    user = require(session=session, actor=actor, action="run.explain")
    reader = _Reader(session=session, user=user, workspace=workspace, run_id=run_id)
    who = (who or "").strip()
    staff = {c.staff_id for c in runs.read_candidates(workspace, run_id)}
    staff_id = who if who in staff else next((s for s in staff if reader.pseudonym(s) == who), None)
    if staff_id is None or reader.excluded(staff_id):
        refusal = NoFlag(f"{who} has no flag in run {reader.run_id}")
        if staff_id is not None:  # conflicted or purged: answered as no flag, recorded
            why = "conflict" if staff_id in reader.hidden else "purged by retention"
            refusal.audit = {"actor": user.username, "action": "security.explain_refused", "object_type": "run",
                             "object_id": reader.run_id, "subject": reader.pseudonym(staff_id),
                             "detail": {"reason": why}}  # fmt: skip
        raise refusal
    data = explain_data(workspace, staff_id, run_id=run_id)
    people = staff | views.masker(session=session).ids
    keep = staff_id if staff_id in reader.revealed else None
    masked = views.masker(session=session, keep=keep, also=tuple(people))(data)
    shown = reader.show(staff_id)
    audit.record(
        session=session,
        actor=user,
        action="run.explain",
        object_type="run",
        object_id=reader.run_id,
        subject=reader.pseudonym(staff_id),
        detail={"signals": len(data["signals"]), "reidentified": keep is not None},
    )
    return shown, masked


def governed_explain_text(
    *, session: Session, actor: User, workspace: Any, who: str, run_id: str | None = None, width: int = 140
) -> str:
    """`governed_explain_data` rendered as text."""
    shown, data = governed_explain_data(session=session, actor=actor, workspace=workspace, who=who, run_id=run_id)
    return explain_text(workspace, shown, run_id=run_id, width=width, data=data)
