"""The workforce, kept with the store: every staff id and its line manager.

Conflict checks (self, and the line-management chain both ways) read the
workforce from here, never from whatever workspace happens to be at hand, so a
command run with ``--db URL`` from any directory checks the same chain. It is
refreshed from the lake's ``people`` table by ``fairwitness ingest`` (and
``fairwitness workforce refresh``); each refresh replaces it whole and is audited.
A store with no workforce refuses every action that needs a conflict check.

Reading 50,000 people on every request would cost most of a web page's time, so
each process keeps the workforce it last read (and what is derived from it, such
as each reviewer's conflicted staff ids) in memory, tagged with the store's
*generation*: a random token in ``settings`` that the database itself replaces
whenever the ``workforce`` table changes, whoever writes it (triggers, migration
``0005_workforce_generation``). Each session reads the token once (one
primary-key read) and uses the memory copy only if it carries the same token;
otherwise it reads the workforce again. A store without the token is never cached.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import Setting, User, WorkforceMember

GENERATION = "workforce_generation"
"""Setting: a random token the database replaces whenever the workforce changes (migration 0005)."""
DERIVED_MAX = 10_000
"""At most this many derived values are kept per workforce generation (then they are recomputed)."""
_CACHE = "fairwitness.workforce"
T = TypeVar("T")


@dataclass
class Snapshot:
    """The workforce as one generation of the store holds it, and values derived from it."""

    generation: str | None
    line_managers: Mapping[str, str | None]
    staff_ids: frozenset[str]
    derived: dict[Hashable, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_SNAPSHOTS: weakref.WeakKeyDictionary[Engine, Snapshot] = weakref.WeakKeyDictionary()
_SNAPSHOTS_LOCK = threading.Lock()


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


def generation(session: Session) -> str | None:
    """The store's workforce generation token (``None`` for a store without one)."""
    return session.scalar(select(Setting.value).where(Setting.key == GENERATION))


def snapshot(session: Session) -> Snapshot:
    """The workforce this session sees: read once per session, and from this process's memory while the
    store's generation token is unchanged."""
    cached: Snapshot | None = session.info.get(_CACHE)
    if cached is not None:
        return cached
    engine = session.get_bind().engine
    token = generation(session)  # read before the rows: a change committed in between is seen next time
    with _SNAPSHOTS_LOCK:
        known = _SNAPSHOTS.get(engine)
    if token is None or known is None or known.generation != token:
        rows = session.execute(select(WorkforceMember.staff_id, WorkforceMember.line_manager_id))
        chain = {sid: mid for sid, mid in rows}
        ids = frozenset(chain) | frozenset(m for m in chain.values() if m)
        known = Snapshot(generation=token, line_managers=MappingProxyType(chain), staff_ids=ids)
        if token is not None:
            with _SNAPSHOTS_LOCK:
                _SNAPSHOTS[engine] = known
    session.info[_CACHE] = known
    return known


def derived(session: Session, key: Hashable, compute: Callable[[Mapping[str, str | None]], T]) -> T:
    """``compute(line_managers)``, kept with the workforce snapshot under ``key`` (so it is recomputed
    exactly when the workforce changes); ``compute`` must depend on nothing else."""
    snap = snapshot(session)
    with snap.lock:
        if key in snap.derived:
            value: T = snap.derived[key]
            return value
    value = compute(snap.line_managers)
    with snap.lock:
        if len(snap.derived) >= DERIVED_MAX:
            snap.derived.clear()
        snap.derived[key] = value
    return value


def line_managers(session: Session) -> Mapping[str, str | None]:
    """staff_id -> line manager staff_id, as the store holds it (read-only; see `snapshot`)."""
    return snapshot(session).line_managers


def staff_ids(session: Session) -> frozenset[str]:
    """Every staff id of the workforce (and every line manager named)."""
    return snapshot(session).staff_ids


def is_loaded(session: Session) -> bool:
    return bool(snapshot(session).line_managers)
