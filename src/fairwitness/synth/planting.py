"""Planting: choosing who carries each scenario, and the ground truth that records it.

Each scenario of `fairwitness.scenarios` is planted at its configured rate into the
data itself (the roster, claims, events and records), the way it would really look,
and recorded in ``truth`` with its period. Planted people are drawn at random from
those the scenario can apply to, each carries one scenario, and nothing about them
(ids, codes, round numbers) differs from everyone else except the pattern itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairwitness.synth.absence import Spells
from fairwitness.synth.activity import Extras, Profile
from fairwitness.synth.amendments import ChangeLog
from fairwitness.synth.authority import Authority
from fairwitness.synth.cases import Cases
from fairwitness.synth.clock import Period
from fairwitness.synth.config import SynthConfig
from fairwitness.synth.interests import Interests
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.overtime import Claims, Surge
from fairwitness.synth.roster import Roster


@dataclass
class Planting:
    cfg: SynthConfig
    org: Organisation
    period: Period
    roster: Roster
    spells: Spells
    cases: Cases
    auth: Authority
    log: ChangeLog
    claims: Claims
    extras: Extras
    profile: Profile
    rng: np.random.Generator
    used: np.ndarray = field(init=False)
    truth: list[tuple[np.ndarray, str, np.ndarray, np.ndarray, str]] = field(default_factory=list)
    attendance: list[tuple[int, int, int, float]] = field(default_factory=list)  # (p, first, last, rate)
    surge: Surge | None = None

    def __post_init__(self) -> None:
        self.used = np.zeros(self.org.n, dtype=bool)

    def pick(self, scenario: str, eligible: np.ndarray, n: int | None = None) -> np.ndarray:
        """Up to the configured number of people for a scenario, not already used."""
        n = self.cfg.planted_count(scenario) if n is None else n
        pool = np.flatnonzero(eligible & ~self.used & self.org.wf.employed_throughout)
        take = np.sort(self.rng.choice(pool, size=min(n, len(pool)), replace=False)) if n else pool[:0]
        self.used[take] = True
        return take

    def plant(self, scenario: str, eligible: np.ndarray, plant_one, n: int | None = None) -> int:
        """Try eligible people in random order until ``n`` (default: the configured count)
        carry the scenario; ``plant_one(p)`` returns whether it could be planted on p."""
        n = self.cfg.planted_count(scenario) if n is None else n
        pool = np.flatnonzero(eligible & ~self.used & self.org.wf.employed_throughout)
        self.rng.shuffle(pool)
        done = 0
        for p in pool:
            if done >= n:
                break
            if plant_one(int(p)):
                self.used[p] = True
                done += 1
        return done

    def record(self, p, scenario: str, start, end, kind: str) -> None:
        p = np.atleast_1d(np.asarray(p, dtype=np.int64))
        if len(p):
            self.truth.append((p, scenario, np.broadcast_to(start, p.shape).astype(np.int64),
                               np.broadcast_to(end, p.shape).astype(np.int64), kind))

    def window(self, min_days: int, max_days: int, whole: float = 0.0) -> tuple[int, int]:
        """A random stretch of days inside the period (the whole period with chance ``whole``)."""
        days = self.period.days
        if days <= min_days or self.rng.random() < whole:
            return 0, days
        length = int(self.rng.integers(min_days, min(max_days, days) + 1))
        first = int(self.rng.integers(0, days - length + 1))
        return first, first + length

    def utc_days(self, first, last):
        return self.period.at(np.asarray(first), 0), self.period.at(np.asarray(last), 0)

    def truth_table(self) -> dict[str, np.ndarray]:
        if not self.truth:
            z = np.zeros(0, dtype=np.int64)
            return {"p": z, "scenario": z.astype(object), "start": z, "end": z, "kind": z.astype(object)}
        return {
            "p": np.concatenate([t[0] for t in self.truth]),
            "scenario": np.concatenate([np.full(len(t[0]), t[1], dtype=object) for t in self.truth]),
            "start": np.concatenate([t[2] for t in self.truth]),
            "end": np.concatenate([t[3] for t in self.truth]),
            "kind": np.concatenate([np.full(len(t[0]), t[4], dtype=object) for t in self.truth]),
        }
