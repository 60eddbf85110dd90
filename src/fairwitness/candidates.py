"""Case candidates: what a detector run hands to case management.

A candidate is one person over one period with every signal raised about them,
so a reviewer sees a person once, with everything. The run writes candidates to
``WS/runs/<run_id>/case_candidates.parquet`` (one row per candidate, signals as a
JSON list) and ``signals.parquet``; governance reads them through this model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from fairwitness.routes import ROUTES


class SignalRef(BaseModel):
    """One flag raised by one detector, as carried inside a case candidate."""

    model_config = ConfigDict(frozen=True)

    signal_id: str
    detector: str
    detector_version: str
    route: str
    score: float
    severity: str
    explanation: str
    evidence: dict[str, Any]
    """Source rows (table and keys), peer comparison, explanations checked and found."""

    @field_validator("route")
    @classmethod
    def _route(cls, v: str) -> str:
        if v not in ROUTES:
            raise ValueError(f"unknown route {v!r}")
        return v


class CaseCandidate(BaseModel):
    """One person, one period, every signal: the unit a reviewer triages."""

    model_config = ConfigDict(frozen=True)

    candidate_id: str
    run_id: str
    staff_id: str
    period_start: dt.date
    period_end: dt.date
    route: str
    """The recommended route: the gravest route among the signals, after combination rules."""
    score: float
    detectors: tuple[str, ...]
    explanation: str
    signals: tuple[SignalRef, ...]

    @field_validator("route")
    @classmethod
    def _route(cls, v: str) -> str:
        if v not in ROUTES:
            raise ValueError(f"unknown route {v!r}")
        return v
