"""Conduct history (complaints) and expense claims."""

from __future__ import annotations

import numpy as np

from fairwitness.synth.clock import DAY, Period
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.roster import COURT, NORMAL, Roster
from fairwitness.synth.workforce import OFFICER, PCSO, SPECIAL

ALLEGATIONS = (
    "service delivery", "use of police powers", "individual behaviour", "discriminatory behaviour",
    "discreditable conduct", "use of force", "honesty and integrity", "access and disclosure of information",
    "abuse of position",
)
_ALLEGATION_MIX = (0.42, 0.2, 0.14, 0.04, 0.05, 0.07, 0.04, 0.02, 0.02)
EXPENSE_CATEGORIES = ("travel", "subsistence", "mileage", "accommodation", "training", "equipment")


def complaints(org: Organisation, period: Period, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """About half an allegation per officer-year, most officers none; three years of history."""
    wf = org.wf
    years = 3 + period.days / 365
    frontline = np.isin(wf.category, (OFFICER, SPECIAL, PCSO))
    mean = np.where(frontline, 0.5, 0.08) * years * np.where(wf.level >= 3, 0.4, 1.0)
    lam = rng.gamma(0.3, mean / 0.3)
    count = rng.poisson(lam)
    p = np.repeat(np.arange(org.n), count)
    lo = period.start_utc - 3 * 365 * DAY
    received = rng.integers(lo, period.end_utc - DAY, len(p))
    joined = period.start_utc + wf.start[p].astype(np.int64) * DAY
    keep = received > joined
    p, received = p[keep], received[keep]
    allegation = np.searchsorted(np.cumsum(_ALLEGATION_MIX), rng.random(len(p)) * 0.9999)
    recent = received > period.end_utc - 120 * DAY
    outcome = np.where(
        recent & (rng.random(len(p)) < 0.6), 2, rng.choice([1, 0, 3], len(p), p=[0.78, 0.1, 0.12])
    )
    order = np.argsort(received, kind="stable")
    return {"p": p[order], "received": received[order], "allegation": allegation[order], "outcome": outcome[order]}


def expenses(org: Organisation, roster: Roster, period: Period, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Occasional travel and subsistence claims on worked days, authorised by the manager."""
    p, d = np.nonzero((roster.kind == NORMAL) | (roster.kind == COURT))
    pick = rng.random(len(p)) < np.where(roster.kind[p, d] == COURT, 0.5, 0.012)
    p, d = p[pick], d[pick]
    cat = np.where(roster.kind[p, d] == COURT, rng.choice([0, 1, 2], len(p)), rng.choice(6, len(p), p=[0.3, 0.25, 0.2, 0.05, 0.1, 0.1]))
    amount = np.round(np.exp(rng.normal(np.log([18, 9, 24, 95, 60, 35])[cat], 0.5)), 2)
    by = org.manager[p]
    return {"p": p, "date": period.first + d, "category": cat, "amount": amount, "site": org.site[p], "by": by}
