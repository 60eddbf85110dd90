"""Honest working patterns that look odd: compressed hours, nights-only investigators and a
phased return after long-term sickness.

Each is planted at its rate (people per 1,000, `SynthConfig`) on the plan's roster before
overtime, edits and attendance are drawn, so everything generated later (claims, badge
and device events, lookups, calls) follows the changed duties, and recorded in truth as a
decoy: none of them is a breach, so none may reach an adverse route.

* **compressed hours**: an office-hours person works their week in four long days
  (``COMPRESSED_MINUTES``), one weekday off every week (Monday or Friday mostly);
* **nights-only investigator**: an investigator on permanent nights — the office-hours
  days become nights starting 21:00-23:00 for ``NIGHT_MINUTES`` — who takes statements,
  calls victims and checks records at night, on duty; the night before a court or
  training day is rested;
* **phased return**: after a sickness spell of over 28 days that ends in the period, 2 to 6
  weeks of shorter duties (half, then three quarters of the usual length) and, in the
  first half, a working day in two.
"""

from __future__ import annotations

import numpy as np

from fairwitness.synth.organisation import INVESTIGATION, OFFICE
from fairwitness.synth.planting import Planting
from fairwitness.synth.roster import COURT, LEAVE, NORMAL, REST, TRAINING
from fairwitness.synth.workforce import OFFICER, STAFF

COMPRESSED_MINUTES = (600, 630)
"""A compressed day: 10 to 10.5 hours with breaks (37 hours in four days)."""
NIGHT_STARTS = (1260, 1320, 1380)
"""Local start of a night investigator's duty: 21:00, 22:00 or 23:00."""
NIGHT_MINUTES = 540
PHASED_WEEKS = (2, 6)
"""Length of a phased return, in weeks."""


def _paid_office(pl: Planting) -> np.ndarray:
    org = pl.org
    working = (pl.roster.kind == NORMAL).sum(axis=1) >= 20  # not away (parental leave, long sickness) all period
    return (org.pattern == OFFICE) & np.isin(org.wf.category, (OFFICER, STAFF)) & (org.wf.fte >= 1.0) & working


def plant_compressed_hours(pl: Planting) -> None:
    """Four long days a week instead of five: the same hours, one weekday off every week."""
    roster, period, rng = pl.roster, pl.period, pl.rng
    weekday = period.weekday
    for p in pl.pick("compressed_hours", _paid_office(pl)):
        off = int(rng.choice([0, 4, 2, 3, 1], p=[0.35, 0.45, 0.1, 0.05, 0.05]))
        days_off = np.flatnonzero((weekday == off) & np.isin(roster.kind[p], (NORMAL, LEAVE)))
        roster.kind[p, days_off] = REST
        roster.start[p, days_off] = 0
        roster.dur[p, days_off] = 0
        on = np.flatnonzero(roster.kind[p] == NORMAL)
        roster.dur[p, on] = int(rng.integers(COMPRESSED_MINUTES[0], COMPRESSED_MINUTES[1] + 1))
        roster.start[p, on] = int(rng.choice([420, 450, 480]))
        pl.record(p, "compressed_hours", *pl.utc_days(0, period.days), "decoy")


def plant_nights_only(pl: Planting) -> None:
    """Investigators on permanent nights (not under the hybrid office rule)."""
    org, roster, period, rng = pl.org, pl.roster, pl.period, pl.rng
    eligible = _paid_office(pl) & (org.utype == INVESTIGATION) & ~org.hybrid
    for p in pl.pick("nights_only_investigator", eligible):
        on = np.flatnonzero(roster.kind[p] == NORMAL)
        roster.start[p, on] = int(rng.choice(NIGHT_STARTS))
        roster.dur[p, on] = NIGHT_MINUTES
        # rested the night before a day in court or on a course
        day_duty = np.flatnonzero(np.isin(roster.kind[p], (TRAINING, COURT)))
        before = day_duty[day_duty > 0] - 1
        before = before[roster.kind[p, before] == NORMAL]
        roster.kind[p, before] = REST
        roster.start[p, before] = 0
        roster.dur[p, before] = 0
        pl.record(p, "nights_only_investigator", *pl.utc_days(0, period.days), "decoy")


def plant_phased_return(pl: Planting) -> None:
    """Shorter duties for a few weeks after a long sickness spell ending in the period."""
    roster, period, rng = pl.roster, pl.period, pl.rng
    days = period.days
    ps, ss, es, ks, _ = pl.spells.arrays()
    ends = (ks == 0) & (es - ss > 28) & (es >= 1) & (es < days - 14)
    cand = np.zeros(pl.org.n, dtype=bool)
    cand[ps[ends]] = True
    cand &= np.isin(pl.org.wf.category, (OFFICER, STAFF))
    for p in pl.pick("phased_return", cand):
        i = np.flatnonzero(ends & (ps == p))[-1]
        first = int(es[i])
        last = min(first + 7 * int(rng.integers(PHASED_WEEKS[0], PHASED_WEEKS[1] + 1)), days)
        half = first + (last - first) // 2
        on = first + np.flatnonzero(roster.kind[p, first:last] == NORMAL)
        early = on[on < half]
        rest = early[1::2]  # a working day in two at first
        roster.kind[p, rest] = REST
        roster.start[p, rest] = 0
        roster.dur[p, rest] = 0
        worked = on[~np.isin(on, rest)]
        share = np.where(worked < half, 0.5, 0.75)
        roster.dur[p, worked] = np.maximum((roster.dur[p, worked] * share).astype(np.int16), 180)
        pl.record(p, "phased_return", *pl.utc_days(first, last), "decoy")
