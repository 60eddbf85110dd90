"""Detector state: a detector found wrong or unfair is put ``under_review`` and its signals held back.

The fairness audit (`fairwitness.fairness.policy`) puts a detector ``under_review`` when its
precision from reviewers' outcomes falls under a floor, or its false positive rate ratio for a
group with enough counts falls outside the band. While it is under review, case import
(`fairwitness.governance.intake.import_candidates`) holds its signals back: they are recorded in
``held_signals`` and never reach a reviewer. A candidate left with no signal is not imported; one
left with others is imported with the rest, its route recomputed by the combination rules. Only a
data protection officer re-enables the detector, with a written reason. Both events, and every
hold at import, are in the audit log.

A detector with no row here is ``active``. Signals held while a detector was under review stay
held after it is re-enabled (a candidate that was wholly held is imported by importing its run
again; a later run raises fresh signals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from fairwitness.candidates import CaseCandidate
from fairwitness.governance import audit
from fairwitness.governance.access import require
from fairwitness.governance.errors import InvalidInput, InvalidTransition
from fairwitness.governance.models import Base, Case, User, UTCDateTime

ACTIVE = "active"
UNDER_REVIEW = "under_review"
STATES: tuple[str, ...] = (ACTIVE, UNDER_REVIEW)
MIN_REASON = 20
"""A re-enabling needs a written reason of at least this many characters."""

DetectorInfo = Callable[[str], tuple[str | None, bool]]
"""``detector name -> (purpose, standalone_conduct)`` for recomputing a partly held candidate's route."""


class DetectorState(Base):
    """The current state of one detector (no row: ``active``)."""

    __tablename__ = "detector_states"
    detector: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text)
    """Why it is in this state: the audit's findings, or the DPO's written reason."""
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(64))


class HeldSignal(Base):
    """A signal of a detector under review, held out of case import."""

    __tablename__ = "held_signals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    detector: Mapped[str] = mapped_column(ForeignKey("detector_states.detector"), index=True)
    signal_id: Mapped[str] = mapped_column(String(128))
    run_id: Mapped[str] = mapped_column(String(128), index=True)
    candidate_id: Mapped[str] = mapped_column(String(128))
    route: Mapped[str] = mapped_column(String(40))
    held_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class StateView(BaseModel):
    detector: str
    state: str
    reasons: str
    changed_at: dt.datetime | None
    changed_by: str | None
    held: int
    """Signals held back while under review (all time)."""


def states(*, session: Session) -> dict[str, StateView]:
    """Every detector with a recorded state (others are ``active``), with its held-signal count."""
    held = dict(session.execute(select(HeldSignal.detector, func.count()).group_by(HeldSignal.detector)).all())
    return {
        s.detector: StateView(
            detector=s.detector, state=s.state, reasons=s.reasons, changed_at=s.changed_at,
            changed_by=s.changed_by, held=int(held.get(s.detector, 0)),
        )
        for s in session.scalars(select(DetectorState).order_by(DetectorState.detector))
    }  # fmt: skip


def under_review(*, session: Session) -> set[str]:
    """Names of the detectors under review now."""
    return set(session.scalars(select(DetectorState.detector).where(DetectorState.state == UNDER_REVIEW)))


def put_under_review(*, session: Session, detector: str, reasons: list[str], actor: str = "system") -> bool:
    """Put ``detector`` under review for ``reasons`` (the audit's findings); False if it already was."""
    if not reasons:
        raise InvalidInput("a detector is put under review only with the findings that justify it")
    row = session.get(DetectorState, detector)
    if row is not None and row.state == UNDER_REVIEW:
        return False
    text = "; ".join(reasons)
    if row is None:
        row = DetectorState(detector=detector)
        session.add(row)
    row.state, row.reasons, row.changed_at, row.changed_by = UNDER_REVIEW, text, audit.now(), actor[:64]
    session.flush()
    audit.record(
        session=session, actor=actor, action="detector.under_review", object_type="detector", object_id=detector,
        detail={"reasons": reasons},
    )  # fmt: skip
    return True


def reenable(*, session: Session, actor: User, detector: str, reason: str) -> StateView:
    """A data protection officer re-enables a detector under review, with a written reason."""
    user = require(session=session, actor=actor, action="detector.reenable")
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise InvalidInput(f"re-enabling a detector needs a written reason (at least {MIN_REASON} characters)")
    row = session.get(DetectorState, detector)
    if row is None or row.state != UNDER_REVIEW:
        raise InvalidTransition(f"detector {detector!r} is not under review")
    previous = row.reasons
    row.state, row.reasons, row.changed_at, row.changed_by = ACTIVE, text, audit.now(), user.username
    session.flush()
    audit.record(
        session=session, actor=user, action="detector.reenable", object_type="detector", object_id=detector,
        detail={"reason": text, "was_under_review_for": previous},
    )  # fmt: skip
    return states(session=session)[detector]


def _registry_info(name: str) -> tuple[str | None, bool]:
    from fairwitness.detectors.registry import load_registry

    reg = _registry_info.__dict__.setdefault("reg", load_registry())
    cls = reg.detectors.get(name)
    return (cls.purpose, bool(cls.standalone_conduct)) if cls is not None else (None, True)


def _rebuild(c: CaseCandidate, kept: list[Any], info: DetectorInfo) -> CaseCandidate:
    from fairwitness.detectors.combine import candidate_route, combined_score, effective_routes, summarise

    rows = []
    for s in kept:
        purpose, standalone = info(s.detector)
        rows.append({**s.model_dump(), "purpose": purpose, "standalone_conduct": standalone})
    route = candidate_route(rows)
    return c.model_copy(
        update={
            "route": route,
            "score": combined_score(rows, route),
            "detectors": tuple(dict.fromkeys(s.detector for s in kept)),
            "explanation": summarise(rows, effective_routes(rows)),
            "signals": tuple(kept),
        }
    )


def hold_back(
    *, session: Session, candidates: Iterable[CaseCandidate], actor: str = "system", info: DetectorInfo | None = None
) -> list[CaseCandidate]:
    """The candidates without the signals of detectors under review (recorded as held)."""
    candidates = list(candidates)
    held_by = under_review(session=session)
    if not held_by:
        return candidates
    out: list[CaseCandidate] = []
    counts: dict[str, int] = {}
    seen = {(r, s) for r, s in session.execute(select(HeldSignal.run_id, HeldSignal.signal_id)).all()}
    ids = [c.candidate_id for c in candidates]
    imported = set(session.scalars(select(Case.candidate_id).where(Case.candidate_id.in_(ids)))) if ids else set()
    now = audit.now()
    for c in candidates:
        if c.candidate_id in imported:
            out.append(c)  # imported before the detector went under review: import skips it anyway
            continue
        kept = [s for s in c.signals if s.detector not in held_by]
        for s in c.signals:
            if s.detector in held_by and (c.run_id, s.signal_id) not in seen:
                seen.add((c.run_id, s.signal_id))
                session.add(HeldSignal(detector=s.detector, signal_id=s.signal_id, run_id=c.run_id,
                                       candidate_id=c.candidate_id, route=s.route, held_at=now))  # fmt: skip
                counts[s.detector] = counts.get(s.detector, 0) + 1
        if len(kept) == len(c.signals):
            out.append(c)
        elif kept:
            out.append(_rebuild(c, kept, info or _registry_info))
    if counts:
        session.flush()
        audit.record(session=session, actor=actor, action="detector.hold", object_type="detector",
                     object_id=",".join(sorted(counts))[:128], detail={"held": counts})  # fmt: skip
    return out


def held_counts(*, session: Session) -> Mapping[str, int]:
    """Signals held per detector (all time), for the transparency report."""
    return dict(session.execute(select(HeldSignal.detector, func.count()).group_by(HeldSignal.detector)).all())


def read_states(*, workspace: Any = None, db: str | None = None) -> dict[str, StateView]:
    """States from the store of ``workspace`` (or ``db``); empty when there is no store yet."""
    from pathlib import Path

    from fairwitness.governance.db import DEFAULT_FILENAME, create_store, store_url

    if db is None and (workspace is None or not (Path(workspace) / DEFAULT_FILENAME).exists()):
        return {}
    store = create_store(store_url(workspace=workspace, db=db))
    try:
        with store.session() as session:
            return states(session=session)
    finally:
        store.dispose()
