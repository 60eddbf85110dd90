"""A small world for the governance tests: accounts and cases built through the library."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from contextlib import AbstractContextManager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sqlalchemy.orm import Session

from fairwitness.candidates import CaseCandidate, SignalRef
from fairwitness.governance import cases, db, decisions, intake, users, workforce
from fairwitness.governance.conflicts import STAFF_ID_REQUIRED
from fairwitness.governance.models import User
from fairwitness.routes import ADVERSE_OUTCOMES

PASSWORD = "correct horse battery"
RATIONALE = "checked every source row and the explanations offered"
CONCUR = "concur: the evidence supports it"


def signal(signal_id: str, *, detector: str = "overtime_no_presence", route: str = "advice", **evidence: object) -> SignalRef:
    return SignalRef(
        signal_id=signal_id,
        detector=detector,
        detector_version="1.0",
        route=route,
        score=0.8,
        severity="medium",
        explanation=f"{detector} flagged this period",
        evidence={"table": "overtime_claims", "keys": [f"oc-{signal_id}"], **evidence},
    )


def candidate(candidate_id: str, *, staff_id: str, signals: tuple[SignalRef, ...] | None = None, route: str = "advice") -> CaseCandidate:
    signals = signals or (signal(f"{candidate_id}-s1", route=route),)
    return CaseCandidate(
        candidate_id=candidate_id,
        run_id="run-1",
        staff_id=staff_id,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        route=route,
        score=0.8,
        detectors=tuple(sorted({s.detector for s in signals})),
        explanation=f"{staff_id} was flagged by {len(signals)} signal(s)",
        signals=signals,
    )


def write_candidates(cands: list[CaseCandidate], path: Path) -> Path:
    """What a detector run writes: one row per candidate, ``signals`` as a JSON string."""
    rows = []
    for c in cands:
        row = c.model_dump(mode="python")
        row["signals"] = json.dumps([s.model_dump(mode="json") for s in c.signals])
        row["detectors"] = list(c.detectors)
        row["n_signals"] = len(c.signals)
        rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


WORKFORCE: dict[str, str | None] = {
    "M1": None, "S1": "M1", "R1": "S1", "S2": "M1", "S3": "M1", "S5": None, "S9": None, "S42": None,
    "S100": None, "S123": None, "S500": None, "S501": None, "S900": None,
}  # fmt: skip
"""The synthetic workforce every test store starts with: R1 reports to S1, who reports to M1."""


class World:
    """Accounts and cases on one store, built through the library itself.

    The store's workforce is `WORKFORCE` plus one person per reviewing account
    (``E-<USERNAME>``, with no line manager), so every reviewer is independent of
    the subjects unless a test links them.
    """

    def __init__(self, store: db.Store) -> None:
        self.store = store
        self._n = itertools.count(1)
        self.people: dict[str, str | None] = dict(WORKFORCE)
        for name in ("rita", "rob", "sam"):
            self.people[f"E-{name.upper()}"] = None
        with store.session() as s:
            workforce.refresh(session=s, actor="test", people=self.people)
            self.admin = users.create_user(session=s, actor=None, username="admin", password=PASSWORD, role="admin")
            make = self._maker(s)
            self.analyst = make("analyst", "ann")
            self.reviewer = make("reviewer", "rita")
            self.reviewer2 = make("reviewer", "rob")
            self.senior = make("senior_reviewer", "sam")
            self.dpo = make("dpo", "dora")
            self.auditor = make("auditor", "audrey")

    def _maker(self, s: Session):  # type: ignore[no-untyped-def]
        def make(role: str, username: str | None = None, staff_id: str | None = None) -> User:
            name = username or f"{role.replace('_', '-')}{next(self._n)}"
            if staff_id is None and role in STAFF_ID_REQUIRED:
                staff_id = f"E-{name.upper()}"
                if staff_id not in self.people:
                    self.people[staff_id] = None
                    workforce.refresh(session=s, actor="test", people=self.people)
            return users.create_user(session=s, actor=self.admin, username=name, password=PASSWORD, role=role, staff_id=staff_id)

        return make

    def session(self) -> AbstractContextManager[Session]:
        return self.store.session()

    def user(self, role: str, username: str | None = None, *, staff_id: str | None = None) -> User:
        with self.session() as s:
            return self._maker(s)(role, username, staff_id)

    def users(self, *specs: tuple[str, str]) -> list[User]:
        """Several accounts, ``(role, username)``, in one transaction."""
        with self.session() as s:
            make = self._maker(s)
            return [make(role, name) for role, name in specs]

    def link(self, staff_id: str, manager: str | None) -> None:
        """Add (or move) a person in the store's workforce."""
        self.people[staff_id] = manager
        with self.session() as s:
            workforce.refresh(session=s, actor="test", people=self.people)

    def import_case(self, cand: CaseCandidate) -> int:
        with self.session() as s:
            return intake.import_candidates(session=s, actor=self.analyst, candidates=[cand]).created[0]

    def case(self, staff_id: str = "S100", *, state: str = "new", cand: CaseCandidate | None = None, outcome: str = "no_further_action") -> int:
        """A case moved through the workflow to ``state`` (decided/closed via ``outcome``, concurred if adverse)."""
        cand = cand or candidate(f"cand-{next(self._n)}", staff_id=staff_id)
        steps = ["new", "triaged", "under_review", "decided", "closed"]
        with self.session() as s:
            case_id = intake.import_candidates(session=s, actor=self.analyst, candidates=[cand]).created[0]
            for step in steps[1 : steps.index(state) + 1]:
                if step == "decided":
                    decisions.decide(session=s, actor=self.reviewer, case_id=case_id, outcome=outcome, rationale=RATIONALE, line_managers={})
                    if outcome in ADVERSE_OUTCOMES:
                        decisions.concur(
                            session=s, actor=self.senior, case_id=case_id, rationale=CONCUR, line_managers={}
                        )
                else:
                    actor = self.analyst if step == "triaged" else self.reviewer
                    cases.transition(session=s, actor=actor, case_id=case_id, to_state=step)
        return case_id
