"""What to generate: the size, period, shape and planting rates of a synthetic force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fairwitness.scenarios import DECOYS, MISCONDUCT


NATURAL: frozenset[str] = frozenset({"late_declaration"})
"""Scenarios recorded where the generated behaviour produces them, not planted at a rate."""


class SynthConfig(BaseModel):
    """A synthetic police force: frozen, so one config always means one data set.

    Planting rates are people per 1,000 in the workforce, one field per scenario of
    `fairwitness.scenarios` (misconduct and decoys alike).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    people: int = Field(2000, ge=20, le=250_000, description="headcount, including specials and volunteers")
    months: int = Field(6, ge=1, le=36, description="calendar months of activity from `start`")
    seed: int = Field(1, ge=0)
    start: dt.date = Field(dt.date(2025, 1, 1), description="first day; the default covers both DST changes in 12 months")
    format: Literal["parquet", "csv"] = "parquet"
    rota: Literal["4on4off", "2-2-2"] = Field("4on4off", description="response and specialist shift pattern")
    id_format: Literal["numeric", "prefixed", "uuid"] = Field("numeric", description="shape of staff ids")
    noise: float = Field(0.5, ge=0, le=1, description="legitimate irregularity: forgotten taps, lookups without case ref, late edits")
    surge_unit: bool = Field(True, description="put one unit in a major-incident surge for a few weeks")

    # misconduct, per 1,000 people
    roster_premium_edit: float = Field(3.0, ge=0)
    rest_day_swap_overtime: float = Field(1.0, ge=0)
    overtime_no_presence: float = Field(1.5, ge=0)
    overtime_during_absence: float = Field(1.0, ge=0)
    self_authorisation: float = Field(1.0, ge=0)
    reciprocal_authorisation: float = Field(1.0, ge=0)
    office_attendance_below_rule: float = Field(1.0, ge=0)
    undeclared_interest_confirmed: float = Field(1.0, ge=0)
    undeclared_interest_indicative: float = Field(1.0, ge=0)
    unjustified_lookups: float = Field(2.0, ge=0)
    victim_contact_after_case: float = Field(0.5, ge=0)
    sickness_secondary_work: float = Field(0.5, ge=0)
    attendance_shortfall: float = Field(3.0, ge=0, description="minor breach: hybrid-rule attendance 45-70% all period")

    # decoys, per 1,000 people
    surge_unit_overtime: float = Field(5.0, ge=0)
    long_term_sickness: float = Field(5.0, ge=0)
    declared_secondary_work: float = Field(5.0, ge=0)
    part_time_pattern: float = Field(5.0, ge=0)
    leave_explains_attendance: float = Field(2.0, ge=0)
    recall_to_duty: float = Field(3.0, ge=0)
    victim_followup: float = Field(3.0, ge=0, description="honest follow-up calls to a victim or witness after closure")
    surge_lookups: float = Field(1.0, ge=0, description="extra lookups in the surge unit, as a multiple of usual (0: none)")
    recall_lookups: float = Field(
        0.0, ge=0, description="extra lookups on a recall-to-duty day, as a multiple of a usual duty's (0: none)"
    )
    compressed_hours: float = Field(0.0, ge=0, description="office-hours people working four long days a week")
    nights_only_investigator: float = Field(0.0, ge=0, description="investigators on permanent nights")
    phased_return: float = Field(0.0, ge=0, description="shorter duties for weeks after long-term sickness")
    early_return: float = Field(
        0.0, ge=0, description="back at work before a sickness spell's recorded end, a late finish claimed (0: none)"
    )
    part_day_appointment: float = Field(
        0.0, ge=0, description="a medical appointment recorded as the date and its hours, the day worked, a late finish claimed (0: none)"
    )
    checking_role: float = Field(
        0.0, ge=0, description="staff whose work is checking records (researcher, disclosure, compliance audit, PNC bureau), one to a unit, 15-35 lookups per 10 hours, mostly without a case reference (0: none)"
    )
    not_for_gain_directorship: float = Field(
        0.0, ge=0, description="an undeclared directorship held for no gain (residents' or right-to-manage company, charity), filed in the period, half during a sickness (0: none)"
    )
    cancelled_leave: float = Field(
        0.0, ge=0, description="annual leave booked, then cancelled or rejected and still exported with its status, the days worked, a late finish claimed (0: none)"
    )

    # honest behaviour that looks odd (sampled per world, `fairwitness.synth.worlds`)
    world: int | None = Field(None, description="the world the settings below were sampled from (documentation only)")
    declaration_lag_days: int = Field(400, ge=0, description="an outside record predates a natural declaration by up to this")
    namesake_share: float = Field(0.1, ge=0, le=1, description="share of records about the public naming a member of staff")
    club_rate: float = Field(0.03, ge=0, le=1, description="share of staff seen in an outside record of a club or past job")
    hybrid_floor: float = Field(0.82, ge=0, le=1, description="lowest attendance rate of a compliant hybrid-rule person")

    def rate(self, scenario: str) -> float:
        if scenario not in MISCONDUCT and scenario not in DECOYS:
            raise KeyError(f"unknown scenario {scenario!r}")
        if scenario in NATURAL:
            raise KeyError(f"{scenario!r} is not planted at a rate: it arises from the world's honest behaviour")
        return float(getattr(self, scenario))

    def planted_count(self, scenario: str) -> int:
        """People to plant: the rate, but at least 3 from 500 people and 1 from 100; none at rate 0."""
        rate = self.rate(scenario)
        if rate <= 0:
            return 0
        floor = 3 if self.people >= 500 else 1 if self.people >= 100 else 0
        return max(int(round(rate * self.people / 1000)), floor)


class SynthSummary(BaseModel):
    """What `generate` wrote."""

    model_config = ConfigDict(frozen=True)

    out: Path
    rows: dict[str, int]
    truth: dict[str, int] = Field(default_factory=dict, description="truth rows per scenario")
    seconds: float = 0.0
