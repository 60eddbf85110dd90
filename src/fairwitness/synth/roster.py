"""The planned roster: a person x day grid of duty kinds and local shift times.

Response and specialist teams work ``4on4off`` (10-hour earlies, lates, nights) or
``2-2-2`` (8-hour earlies, lates, nights, then four rest days); custody works 12-hour
days and nights; neighbourhood teams work five 8-hour days a week, alternating
early and late weeks; investigators, HQ and senior leaders work Monday to Friday office
days. Later steps edit the grid (leave, sickness, training, swaps, overtime) and every
output table is read from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.organisation import (
    CUSTODY_ROTA, NEIGHBOURHOOD_WEEK, OFFICE, ROTA, SPARSE, SPECIAL_DUTY, Organisation,
)

REST, NORMAL, RDW, BANKHOL, TRAINING, COURT, LEAVE, SICK, PARENTAL, INACTIVE = range(10)
DUTY_TYPES = ("", "normal", "rest_day_working", "bank_holiday", "training", "court")
"""duty_type of each duty kind (index = kind)."""

_R = (0, 0)
CYCLES = {
    "4on4off": [(420, 600), (420, 600), (840, 600), (1320, 600), _R, _R, _R, _R],
    "2-2-2": [(420, 480)] * 2 + [(900, 480)] * 2 + [(1380, 480)] * 2 + [_R] * 4,
    "custody": [(420, 720), (420, 720), (1140, 720), (1140, 720), _R, _R, _R, _R],
}


@dataclass
class Roster:
    kind: np.ndarray  # int8 [people, days]
    start: np.ndarray  # int16 minutes after local midnight
    dur: np.ndarray  # int16 minutes
    extra: np.ndarray  # int16 minutes of overtime actually worked after the shift
    away: np.ndarray  # bool: a duty day worked from home (no building access)
    rota: np.ndarray  # bool per person: works a shift pattern with rest days

    @property
    def shape(self) -> tuple[int, int]:
        return self.kind.shape

    def duty(self) -> np.ndarray:
        return (self.kind >= NORMAL) & (self.kind <= COURT)

    def fits(self, p: np.ndarray, d: np.ndarray, a: np.ndarray, b: np.ndarray, gap: int = 480) -> np.ndarray:
        """Whether a new duty from minute ``a`` to ``b`` of day ``d`` leaves ``gap`` minutes
        from the person's duties on the day before and after (and the day is free)."""
        p, d = np.asarray(p), np.asarray(d)
        n_days = self.shape[1]
        ok = ~((self.kind[p, d] >= NORMAL) & (self.kind[p, d] <= COURT))
        dp = np.maximum(d - 1, 0)
        prev_duty = (d > 0) & (self.kind[p, dp] >= NORMAL) & (self.kind[p, dp] <= COURT)
        prev_end = self.start[p, dp].astype(int) + self.dur[p, dp] + self.extra[p, dp] - 1440
        ok &= ~prev_duty | (prev_end <= np.asarray(a) - gap)
        dn = np.minimum(d + 1, n_days - 1)
        next_duty = (d + 1 < n_days) & (self.kind[p, dn] >= NORMAL) & (self.kind[p, dn] <= COURT)
        ok &= ~next_duty | (self.start[p, dn].astype(int) + 1440 >= np.asarray(b) + gap)
        return ok

    def set_duty(self, p, d, kind, start, dur) -> None:
        self.kind[p, d] = kind
        self.start[p, d] = start
        self.dur[p, d] = dur
        self.extra[p, d] = 0
        self.away[p, d] = False


def _keep_mask(fte: np.ndarray, duty_pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per person and pattern position: worked (part-timers drop a fixed share of positions)."""
    n, length = len(fte), len(duty_pos)
    r = np.where(duty_pos[None, :], rng.random((n, length)), np.inf)
    n_drop = np.round(duty_pos.sum() * (1 - fte)).astype(int)
    ranks = np.argsort(np.argsort(r, axis=1), axis=1)
    return ranks >= n_drop[:, None]


def build_roster(org: Organisation, period: Period, rota: str, rng: np.random.Generator) -> Roster:
    n, days = org.n, period.days
    kind = np.zeros((n, days), dtype=np.int8)
    start = np.zeros((n, days), dtype=np.int16)
    dur = np.zeros((n, days), dtype=np.int16)
    dayidx = np.arange(days)
    weekday = period.weekday
    team_offset = rng.integers(0, 40, len(org.unit_name))

    for pat, cyc in ((ROTA, CYCLES[rota]), (CUSTODY_ROTA, CYCLES["custody"])):
        rows = np.flatnonzero(org.pattern == pat)
        if not len(rows):
            continue
        cs = np.array([c[0] for c in cyc], dtype=np.int16)
        cd = np.array([c[1] for c in cyc], dtype=np.int16)
        pos = (dayidx[None, :] + team_offset[org.unit[rows]][:, None]) % len(cyc)
        keep = _keep_mask(org.wf.fte[rows], cd > 0, rng)
        worked = keep[np.arange(len(rows))[:, None], pos] & (cd[pos] > 0)
        kind[rows] = np.where(worked, NORMAL, REST)
        start[rows] = np.where(worked, cs[pos], 0)
        dur[rows] = np.where(worked, cd[pos], 0)

    rows = np.flatnonzero(org.pattern == NEIGHBOURHOOD_WEEK)
    if len(rows):
        rest_a = rng.choice(7, size=len(rows), p=[0.25, 0.05, 0.05, 0.05, 0.1, 0.2, 0.3])
        wd = weekday[None, :]
        resting = (wd == rest_a[:, None]) | (wd == (rest_a[:, None] + 1) % 7)
        keep = _keep_mask(org.wf.fte[rows], np.array([True] * 5 + [False] * 2), rng)
        slot = (wd - rest_a[:, None] - 2) % 7  # 0..4 are working days of the week
        worked = ~resting & keep[np.arange(len(rows))[:, None], np.minimum(slot, 6)]
        week = (dayidx[None, :] + int(weekday[0]) + team_offset[org.unit[rows]][:, None] * 7) // 7
        late = week % 2 == 1
        kind[rows] = np.where(worked, NORMAL, REST)
        start[rows] = np.where(worked, np.where(late, 840, 420), 0)
        dur[rows] = np.where(worked, 480, 0)

    rows = np.flatnonzero(org.pattern == OFFICE)
    if len(rows):
        keep = _keep_mask(org.wf.fte[rows], np.array([True] * 5 + [False] * 2), rng)
        worked = keep[:, weekday] & (weekday < 5)[None, :]
        own_start = rng.choice([450, 480, 510, 540, 570], size=len(rows), p=[0.15, 0.3, 0.3, 0.15, 0.1])
        kind[rows] = np.where(worked, NORMAL, REST)
        start[rows] = np.where(worked, own_start[:, None], 0)
        dur[rows] = np.where(worked, 510, 0)

    rows = np.flatnonzero(org.pattern == SPECIAL_DUTY)
    if len(rows):
        p_day = np.where(weekday >= 4, 0.22, 0.08)[None, :] * rng.uniform(0.6, 1.4, len(rows))[:, None]
        worked = rng.random((len(rows), days)) < p_day
        worked[:, 1:] &= ~worked[:, :-1]
        day_shift = (weekday >= 5)[None, :] & (rng.random((len(rows), days)) < 0.4)
        kind[rows] = np.where(worked, NORMAL, REST)
        start[rows] = np.where(worked, np.where(day_shift, 540, 1080), 0)
        dur[rows] = np.where(worked, 420, 0)

    rows = np.flatnonzero(org.pattern == SPARSE)
    if len(rows):
        wday = rng.integers(0, 5, len(rows))
        worked = weekday[None, :] == wday[:, None]
        kind[rows] = np.where(worked, NORMAL, REST)
        start[rows] = np.where(worked, 600, 0)
        dur[rows] = np.where(worked, 360, 0)

    bh = period.bank_holiday[None, :]
    shift_workers = np.isin(org.pattern, (ROTA, CUSTODY_ROTA, NEIGHBOURHOOD_WEEK))[:, None]
    office_like = np.isin(org.pattern, (OFFICE, SPARSE))[:, None]
    worked = kind == NORMAL
    kind[worked & bh & shift_workers] = BANKHOL
    off = worked & bh & office_like
    kind[off], start[off], dur[off] = REST, 0, 0

    inactive = (dayidx[None, :] < org.wf.start[:, None]) | (dayidx[None, :] >= org.wf.end[:, None])
    kind[inactive], start[inactive], dur[inactive] = INACTIVE, 0, 0
    return Roster(
        kind=kind, start=start, dur=dur, extra=np.zeros((n, days), dtype=np.int16),
        away=np.zeros((n, days), dtype=bool),
        rota=np.isin(org.pattern, (ROTA, CUSTODY_ROTA, NEIGHBOURHOOD_WEEK)),
    )


def assign_attendance(org: Organisation, roster: Roster, overrides: list[tuple[int, int, int, float]],
                      rng: np.random.Generator, floor: float = 0.82) -> None:
    """Office days worked from home. Compliant hybrid-rule people attend from ``floor`` to 100%
    of office days (~90% on average) and *plan* their home days to keep to the rule: they are
    spread evenly over their office days (one in five, one in eight…, from a random first
    one), so any stretch of weeks realises their rate to within a day — a coin flip per day
    would leave some of them, by chance, weeks below the rule: a breach in the data that
    truth would call compliant. Those who fall short are planted (``overrides``, a coin flip
    per day at the planted rate) and in truth; other office staff vary widely, day by day;
    shift workers always attend."""
    from fairwitness.synth.workforce import OFFICER

    n, days = roster.shape
    office = org.pattern == OFFICE
    m = min(max((0.9 - floor) / max(1.0 - floor, 1e-9), 0.05), 0.95)  # compliant people average ~90%
    rate = np.where(
        org.hybrid, floor + (1.0 - floor) * rng.beta(4.0, 4.0 * (1.0 - m) / m, n), np.where(org.wf.category == OFFICER, rng.beta(20, 1.5, n), rng.beta(3, 2, n))
    )
    planned = org.hybrid.copy()
    for p, *_ in overrides:
        planned[p] = False
    for lo in range(0, n, 8192):
        hi = min(n, lo + 8192)
        r = np.broadcast_to(rate[lo:hi, None], (hi - lo, days)).copy()
        for p, first, last, a in overrides:
            if lo <= p < hi:
                r[p - lo, first:last] = a
        u = rng.random((hi - lo, days), dtype=np.float32)
        normal = office[lo:hi, None] & (roster.kind[lo:hi] == NORMAL)
        away = normal & (u > r)
        # planned home days: the k-th office day is at home when (k + 1) q + phase crosses an integer
        q = (1.0 - rate[lo:hi])[:, None]
        k = np.cumsum(normal, axis=1) - 1
        phase = u[:, :1].astype(np.float64)
        at_home = normal & (np.floor((k + 1) * q + phase) > np.floor(k * q + phase))
        roster.away[lo:hi] = np.where(planned[lo:hi, None], at_home, away)
