"""The workforce, kept with the store: every staff id and its line manager.

Conflict checks (self, and the line-management chain both ways) read the
workforce from here, never from whatever workspace happens to be at hand, so a
command run with ``--db URL`` from any directory checks the same chain. It is
refreshed from the lake's ``people`` table by ``fairwitness ingest`` (and
``fairwitness workforce refresh``); each refresh replaces it whole and is audited.
A store with no workforce refuses every action that needs a conflict check.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import User, WorkforceMember

_CACHE = "fairwitness.workforce"
_IDS = "fairwitness.workforce.ids"


class RefreshReport(BaseModel):
    people: int
    with_manager: int
    before: int


def refresh(*, session: Session, actor: User | str, people: Mapping[str, str | None]) -> RefreshReport:
    """Replace the workforce with ``people`` (staff_id -> line manager staff_id or None)."""
    clean: dict[str, str | None] = {}
    for staff_id, manager in people.items():
        sid = str(staff_id or "").strip()
        if not sid:
            raise InvalidInput("a workforce row has an empty staff_id")
        mid = str(manager).strip() if manager is not None and str(manager).strip() else None
        clean[sid] = mid
    before = session.scalar(select(func.count()).select_from(WorkforceMember)) or 0
    session.execute(delete(WorkforceMember))
    now = audit.now()
    session.add_all(
        WorkforceMember(staff_id=sid, line_manager_id=mid, refreshed_at=now) for sid, mid in sorted(clean.items())
    )
    session.flush()
    session.info.pop(_CACHE, None)
    session.info.pop(_IDS, None)
    report = RefreshReport(
        people=len(clean), with_manager=sum(1 for m in clean.values() if m is not None), before=before
    )
    audit.record(
        session=session, actor=actor, action="workforce.refresh", object_type="workforce", detail=report.model_dump()
    )
    return report


def refresh_by(*, session: Session, actor: User, people: Mapping[str, str | None]) -> RefreshReport:
    """`refresh` by a signed-in administrator (``workforce refresh``)."""
    from fairwitness.governance.access import require

    return refresh(session=session, actor=require(session=session, actor=actor, action="workforce.refresh"), people=people)


def line_managers(session: Session) -> dict[str, str | None]:
    """staff_id -> line manager staff_id, as the store holds it (read once per session)."""
    cached = session.info.get(_CACHE)
    if cached is None:
        rows = session.execute(select(WorkforceMember.staff_id, WorkforceMember.line_manager_id))
        cached = session.info[_CACHE] = {sid: mid for sid, mid in rows}
    return cached


def staff_ids(session: Session) -> frozenset[str]:
    """Every staff id of the workforce (and every line manager named)."""
    ids = session.info.get(_IDS)
    if ids is None:
        chain = line_managers(session)
        ids = session.info[_IDS] = frozenset(chain) | frozenset(m for m in chain.values() if m)
    return ids


def is_loaded(session: Session) -> bool:
    return bool(line_managers(session))
