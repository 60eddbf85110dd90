"""Who works in the force: categories, ranks and grades, service, names and protected characteristics.

Proportions follow /work/shared/force-facts.md ("Suggested generator defaults"):
officers ~70% of the paid workforce, staff ~27%, PCSOs ~3%, specials on top; officer
ranks PC 77% / Sgt 15.6% / Insp 4.8% / CI 1.3% / Supt+ 0.9% / chief officers 0.15%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.names import draw_names

OFFICER, STAFF, PCSO, SPECIAL, VOLUNTEER = range(5)
CATEGORY_NAMES = ("officer", "staff", "staff", "special", "volunteer")
CATEGORY_SHARES = (0.672, 0.260, 0.029, 0.034, 0.005)

# (rank_grade, category, supervisory level, share within its category)
OFFICER_RANKS = (
    ("PC", 0, 0.7727), ("PS", 1, 0.156), ("Insp", 2, 0.048), ("CI", 3, 0.013), ("Supt", 4, 0.0065),
    ("Ch Supt", 5, 0.0033),
)
CHIEF_RANKS = (("Cmdr", 6), ("DAC", 7), ("AC", 8), ("Deputy Commissioner", 9), ("Commissioner", 10))
STAFF_GRADES = (
    ("Band F", 0, 0.14), ("Band E", 0, 0.32), ("Band D", 1, 0.27), ("Band C", 2, 0.16), ("Band B", 3, 0.08),
    ("Band A", 4, 0.025), ("SCS", 6, 0.005),
)
SEXES = ("Female", "Male")
ETHNICITIES = ("White", "Asian", "Black", "Mixed", "Other", "Not stated")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
DISABILITY = ("No", "Yes", "Prefer not to say")


def split(total: int, shares: tuple[float, ...] | list[float]) -> np.ndarray:
    """Integer counts in proportion to ``shares`` that sum to ``total`` (largest remainder)."""
    w = np.asarray(shares, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


@dataclass
class Workforce:
    """Person-level attributes, one array entry per person (index = person number)."""

    category: np.ndarray
    rank: np.ndarray  # object: rank or grade text
    level: np.ndarray  # int8 supervisory level, comparable across officers and staff
    female: np.ndarray
    ethnicity: np.ndarray  # int8 index into ETHNICITIES
    disability: np.ndarray  # int8 index into DISABILITY, -1 = not recorded
    dob: np.ndarray  # int32 epoch day
    start: np.ndarray  # int32 day index of joining (negative = before the period)
    end: np.ndarray  # int32 day index after leaving (>= period days = in post)
    fte: np.ndarray
    first: list[str]
    middle: list[str]
    last: list[str]

    @property
    def n(self) -> int:
        return len(self.category)

    @property
    def part_time(self) -> np.ndarray:
        return self.fte < 1.0

    def age_band(self, period: Period) -> np.ndarray:
        age = (period.first - self.dob) / 365.25
        return np.clip(np.searchsorted([25, 35, 45, 55], age, side="right"), 0, 4).astype(np.int8)

    @property
    def employed_throughout(self) -> np.ndarray:
        return (self.start <= 0) & (self.end >= 10**6)


def _ranks(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cat_counts = split(n, CATEGORY_SHARES)
    cats, ranks, levels = [], [], []
    n_off = int(cat_counts[OFFICER])
    chiefs = max(1, int(round(n_off * 0.0015)))
    off_counts = split(n_off - chiefs, [s for _, _, s in OFFICER_RANKS])
    for (name, lvl, _), c in zip(OFFICER_RANKS, off_counts, strict=True):
        cats += [OFFICER] * c
        ranks += [name] * c
        levels += [lvl] * c
    top = [("Commissioner", 10)]
    if chiefs >= 2:
        top.append(("Deputy Commissioner", 9))
    rest = chiefs - len(top)
    n_ac, n_dac = int(round(rest * 0.12)), int(round(rest * 0.25))
    top += [("AC", 8)] * n_ac + [("DAC", 7)] * n_dac + [("Cmdr", 6)] * (rest - n_ac - n_dac)
    for name, lvl in top:
        cats.append(OFFICER)
        ranks.append(name)
        levels.append(lvl)
    for (name, lvl, _), c in zip(STAFF_GRADES, split(int(cat_counts[STAFF]), [s for *_, s in STAFF_GRADES]), strict=True):
        cats += [STAFF] * c
        ranks += [name] * c
        levels += [lvl] * c
    cats += [PCSO] * cat_counts[PCSO]
    ranks += ["PCSO"] * cat_counts[PCSO]
    levels += [0] * cat_counts[PCSO]
    ss = int(round(cat_counts[SPECIAL] * 0.06))
    cats += [SPECIAL] * cat_counts[SPECIAL]
    ranks += ["SC"] * (cat_counts[SPECIAL] - ss) + ["SS"] * ss
    levels += [0] * (cat_counts[SPECIAL] - ss) + [1] * ss
    cats += [VOLUNTEER] * cat_counts[VOLUNTEER]
    ranks += ["Volunteer"] * cat_counts[VOLUNTEER]
    levels += [0] * cat_counts[VOLUNTEER]
    order = rng.permutation(n)
    return (
        np.asarray(cats, dtype=np.int8)[order],
        np.asarray(ranks, dtype=object)[order],
        np.asarray(levels, dtype=np.int8)[order],
    )


def build_workforce(n: int, period: Period, rng: np.random.Generator) -> Workforce:
    category, rank, level = _ranks(n, rng)
    officer = category == OFFICER
    p_female = np.select(
        [officer & (level >= 3), officer, category == STAFF, category == PCSO, category == SPECIAL],
        [0.28, 0.34, 0.60, 0.45, 0.30], 0.5,
    )
    female = rng.random(n) < p_female
    eth_officer = [0.80, 0.08, 0.05, 0.04, 0.015, 0.015]
    eth_staff = [0.70, 0.12, 0.10, 0.04, 0.02, 0.02]
    u = rng.random(n)
    ethnicity = np.where(
        officer | (category == SPECIAL),
        np.searchsorted(np.cumsum(eth_officer), u * 0.99999),
        np.searchsorted(np.cumsum(eth_staff), u * 0.99999),
    ).astype(np.int8)
    p_dis = np.where(officer, 0.04, 0.08)
    v = rng.random(n)
    disability = np.where(v < p_dis, 1, np.where(v < p_dis + 0.06, 2, 0)).astype(np.int8)
    disability[rng.random(n) < 0.02] = -1

    # Service and age: a large early-career cohort among constables (Uplift), seniors long-serving.
    lo = np.select([level >= 3, level == 2, level == 1], [14, 8, 4], 0).astype(float)
    hi = np.select([level >= 3, level == 2, level == 1], [33, 29, 27], 32).astype(float)
    early = (level == 0) & (rng.random(n) < np.where(officer, 0.38, 0.30))
    hi = np.where(early, 5.0, hi)
    hi = np.where((category == SPECIAL) | (category == PCSO), np.minimum(hi, 12), hi)
    service = lo + (hi - lo) * rng.random(n) ** np.where(officer, 1.1, 1.4)
    start = -np.round(service * 365.25).astype(np.int32) - 1
    entry_age = np.where(officer, 19 + rng.gamma(2.2, 3.6, n), 18 + rng.gamma(2.0, 8.0, n))
    # Nobody is older than 58-65 at the start of the period. The cap varies from person to
    # person: a fixed cap would give everyone it binds the same date of birth (thousands of
    # staff born on one day in a large force), which no real force has. Drawn from a child
    # generator so the rest of the force is what the seed always gave.
    (jitter,) = rng.spawn(1)
    oldest = 58.0 + 7.0 * jitter.random(n)
    entry_age = np.minimum(entry_age, oldest - service)
    dob = (period.first + start - np.round(entry_age * 365.25)).astype(np.int32)

    # Joiners and leavers inside the period, roughly 6% a year each, at the lowest levels.
    frac = 0.06 * period.days / 365.0
    junior = np.flatnonzero((level == 0) & (category != VOLUNTEER))
    movers = rng.permutation(junior)
    n_move = int(round(frac * n))
    joiners, leavers = movers[:n_move], movers[n_move : 2 * n_move]
    end = np.full(n, 10**7, dtype=np.int32)
    if period.days > 30:
        start[joiners] = rng.integers(1, period.days - 14, len(joiners))
        dob[joiners] = (period.first + start[joiners] - np.round((19 + rng.gamma(2.2, 3.0, len(joiners))) * 365.25)).astype(np.int32)
        end[leavers] = rng.integers(14, period.days, len(leavers))

    # Part-time: officers 6-8%, staff 20-25%; women far more often.
    p_pt = np.select(
        [officer & female, officer, female], [0.16, 0.025, 0.30], 0.10
    ) * np.where(level >= 3, 0.3, 1.0)
    p_pt = np.where((category == SPECIAL) | (category == VOLUNTEER), 0.0, p_pt)
    fte = np.ones(n, dtype=np.float32)
    pt = rng.random(n) < p_pt
    fte[pt] = rng.choice([0.5, 0.6, 0.75, 0.8], size=int(pt.sum()), p=[0.3, 0.25, 0.25, 0.2])
    fte[category == SPECIAL] = 0.1
    fte[category == VOLUNTEER] = 0.2

    eth_names = [ETHNICITIES[i] for i in ethnicity]
    first, middle, last = draw_names(female, eth_names, rng)
    return Workforce(category, rank, level, female, ethnicity, disability, dob, start, end, fte, first, middle, last)
