"""Absence: parental leave, sickness (zero-inflated, with long-term spells), annual
leave, training and court days, and the absences table read back from the roster."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.organisation import INVESTIGATION, NEIGHBOURHOOD, RESPONSE, Organisation
from fairwitness.synth.roster import (
    BANKHOL, COURT, INACTIVE, LEAVE, NORMAL, PARENTAL, REST, SICK, TRAINING, Roster,
)
from fairwitness.synth.workforce import OFFICER, SPECIAL, VOLUNTEER

SICK_REASONS = ("mental health", "musculoskeletal", "injury on duty", "respiratory", "gastrointestinal", "other")
_SICK_SHORT = (0.22, 0.22, 0.06, 0.22, 0.18, 0.10)
_SICK_LONG = (0.45, 0.28, 0.12, 0.03, 0.02, 0.10)
PARENTAL_REASONS = ("maternity", "paternity", "shared parental")
COURSES = ("officer safety training", "first aid", "driver training", "public order", "systems training", "leadership")


@dataclass
class Spells:
    """Calendar spells of sickness (kind 0) and parental leave (kind 1); ``end`` is exclusive."""

    p: list[np.ndarray] = field(default_factory=list)
    start: list[np.ndarray] = field(default_factory=list)
    end: list[np.ndarray] = field(default_factory=list)
    kind: list[np.ndarray] = field(default_factory=list)
    reason: list[np.ndarray] = field(default_factory=list)
    part_days: list[tuple[int, int, float]] = field(default_factory=list)
    """Sickness of part of a working day, recorded as HR systems write it (the date and the hours
    absent): (person, day, hours). The roster is untouched: the rest of the day is worked."""
    withdrawn: list[tuple[int, int, int, str]] = field(default_factory=list)
    """Annual leave requested and then not taken, still in the HR export with its status
    (``cancelled``, ``rejected``): (person, start day, end day exclusive, status). The roster is
    untouched: the days are worked."""

    def add(self, p, start, end, kind, reason) -> None:
        n = len(np.atleast_1d(p))
        for lst, v in ((self.p, p), (self.start, start), (self.end, end), (self.kind, kind), (self.reason, reason)):
            lst.append(np.broadcast_to(np.asarray(v, dtype=np.int32), (n,)).copy())

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.p:
            return tuple(np.zeros(0, dtype=np.int32) for _ in range(5))
        return tuple(np.concatenate(x) for x in (self.p, self.start, self.end, self.kind, self.reason))

    def clear(self, p: int, start: int, end: int) -> None:
        """Drop the person's sickness spells that touch [start, end) (a planted spell replaces them)."""
        for i in range(len(self.p)):
            hit = (self.p[i] == p) & (self.kind[i] == 0) & (self.start[i] <= end) & (self.end[i] >= start)
            if hit.any():
                for lst in (self.p, self.start, self.end, self.kind, self.reason):
                    lst[i] = lst[i][~hit]

    def sick_mask_for(self, p: int, n_days: int) -> np.ndarray:
        out = np.zeros(n_days, dtype=bool)
        ps, ss, es, ks, _ = self.arrays()
        for s, e in zip(ss[(ps == p) & (ks == 0)], es[(ps == p) & (ks == 0)], strict=True):
            out[max(s, 0) : max(min(e, n_days), 0)] = True
        return out


def expand(p: np.ndarray, s: np.ndarray, e: np.ndarray, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """All (person, day) cells of spells [s, e), clipped to the period."""
    s0, e0 = np.clip(s, 0, n_days), np.clip(e, 0, n_days)
    lens = np.maximum(e0 - s0, 0)
    rows = np.repeat(p, lens)
    offs = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    return rows, np.repeat(s0, lens) + offs


def mark_spell(roster: Roster, p, s, e, code: int) -> None:
    rows, cols = expand(np.atleast_1d(p), np.atleast_1d(s), np.atleast_1d(e), roster.shape[1])
    keep = (roster.kind[rows, cols] != INACTIVE) & ((roster.kind[rows, cols] != PARENTAL) | (code == PARENTAL))
    rows, cols = rows[keep], cols[keep]
    roster.kind[rows, cols] = code
    roster.start[rows, cols] = 0
    roster.dur[rows, cols] = 0
    roster.extra[rows, cols] = 0


def plant_sickness(roster: Roster, spells: Spells, p: int, s: int, e: int, reason: int) -> None:
    """A sickness spell for one person, replacing whatever sickness it overlaps."""
    spells.clear(p, s, e)
    rows, cols = expand(np.array([p]), np.array([s - 1]), np.array([e + 1]), roster.shape[1])
    was_sick = roster.kind[rows, cols] == SICK
    roster.kind[rows[was_sick], cols[was_sick]] = REST
    spells.add(p, s, e, 0, reason)
    mark_spell(roster, p, s, e, SICK)


def mark_leave(roster: Roster, p, s, e) -> None:
    """Annual leave on the duty days inside [s, e)."""
    rows, cols = expand(np.atleast_1d(p), np.atleast_1d(s), np.atleast_1d(e), roster.shape[1])
    k = roster.kind[rows, cols]
    on = (k == NORMAL) | (k == BANKHOL)
    roster.kind[rows[on], cols[on]] = LEAVE


def _drop_overlaps(p, s, e):
    order = np.lexsort((s, p))
    p, s, e = p[order], s[order], e[order]
    for _ in range(6):
        clash = np.r_[False, (p[1:] == p[:-1]) & (s[1:] <= e[:-1])]
        if not clash.any():
            break
        p, s, e = p[~clash], s[~clash], e[~clash]
    return p, s, e


def apply_absence(org: Organisation, roster: Roster, period: Period, rng: np.random.Generator) -> Spells:
    """Parental leave, sickness, leave, training and court days, in that order."""
    wf, n, days = org.wf, org.n, period.days
    spells = Spells()
    paid = ~np.isin(wf.category, (SPECIAL, VOLUNTEER))
    age = (period.first - wf.dob) / 365.25
    window = days + 390
    # Parental leave
    mat = paid & wf.female & (age > 24) & (age < 43) & (rng.random(n) < 0.035 * window / 365)
    pat = paid & ~wf.female & (age > 24) & (age < 46) & (rng.random(n) < 0.03 * window / 365)
    for mask, lo, hi, reason in ((mat, 180, 390, 0), (pat, 14, 15, 1)):
        p = np.flatnonzero(mask)
        s = rng.integers(-390, days, len(p))
        e = s + rng.integers(lo, hi, len(p))
        keep = e > 0
        reasons = np.where(rng.random(keep.sum()) < 0.1, 2, reason)
        spells.add(p[keep], s[keep], e[keep], 1, reasons)
        mark_spell(roster, p[keep], s[keep], e[keep], PARENTAL)

    # Sickness: about half have none in a year; short spells of 1-5 days, ~8% long-term (> 28 days).
    window = days + 180
    sickly = rng.random(n) > np.where(wf.disability == 1, 0.25, 0.45)
    lam = 1.8 * np.where(org.utype == RESPONSE, 1.15, 1.0) * np.where(wf.female, 1.1, 1.0)
    lam = lam * np.where(wf.level >= 3, 0.6, 1.0) * np.where(wf.disability == 1, 1.4, 1.0)
    counts = np.where(sickly & paid, rng.poisson(lam * window / 365), 0)
    p = np.repeat(np.arange(n), counts)
    s = rng.integers(-180, days, len(p))
    p_long = 0.07 * np.where(wf.female[p], 1.5, 1.0) * np.where(wf.level[p] >= 2, 0.5, 1.0)
    p_long = p_long * np.where(wf.disability[p] == 1, 1.3, 1.0)
    long = rng.random(len(p)) < p_long
    length = np.where(
        long,
        29 + np.minimum(rng.lognormal(np.log(40), 0.8, len(p)), 330),
        np.clip(rng.lognormal(np.log(2.2), 0.65, len(p)), 1, 14),
    ).astype(np.int32)
    p, s, e = _drop_overlaps(p, s, s + length)
    keep = e > 0
    p, s, e = p[keep], s[keep], e[keep]
    is_long = (e - s) > 28
    u = rng.random(len(p))
    reason = np.where(is_long, np.searchsorted(np.cumsum(_SICK_LONG), u * 0.9999), np.searchsorted(np.cumsum(_SICK_SHORT), u * 0.9999))
    spells.add(p, s, e, 0, reason)
    mark_spell(roster, p, s, e, SICK)

    # Annual leave: a few blocks (summer, Christmas, school holidays) plus single days.
    blocks = np.where(paid, rng.poisson(4.2 * days / 365, n) + (rng.random(n) < days / 365), 0)
    p = np.repeat(np.arange(n), blocks)
    season = np.ones(days)
    month = (np.arange(days) + period.start.timetuple().tm_yday) % 365
    season[(month > 195) & (month < 245)] = 2.5
    season[(month > 350) | (month < 3)] = 2.0
    s = rng.choice(days, size=len(p), p=season / season.sum())
    length = rng.choice([4, 7, 7, 10, 14], size=len(p))
    mark_leave(roster, p, s, s + length)
    singles = np.repeat(np.arange(n), np.where(paid, rng.poisson(4 * days / 365, n), 0))
    d = rng.integers(0, days, len(singles))
    mark_leave(roster, singles, d, d + 1)

    # Training (08:00-16:00 at the training centre) and court (09:30-16:30), on planned duty days.
    for code, rate, start, dur, who in (
        (TRAINING, 9.0, 480, 480, paid),
        (COURT, 4.0, 570, 420, (wf.category == OFFICER) & (wf.level <= 1) & np.isin(org.utype, (RESPONSE, NEIGHBOURHOOD, INVESTIGATION))),
    ):
        p = np.repeat(np.arange(n), np.where(who, rng.poisson(rate * days / 365, n), 0))
        d = rng.integers(0, days, len(p))
        ok = roster.kind[p, d] == NORMAL
        p, d = p[ok], d[ok]
        ok = _fits_replacing(roster, p, d, start, start + dur)
        p, d = p[ok], d[ok]
        roster.kind[p, d] = code
        roster.start[p, d] = start
        roster.dur[p, d] = dur
    return spells


def _fits_replacing(roster: Roster, p, d, a, b) -> np.ndarray:
    saved = roster.kind[p, d].copy()
    roster.kind[p, d] = REST
    ok = roster.fits(p, d, np.full(len(p), a), np.full(len(p), b))
    roster.kind[p, d] = saved
    return ok


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along each row: (row, start, end exclusive)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    r1, c1 = np.nonzero(edges == 1)
    _, c2 = np.nonzero(edges == -1)
    return r1, c1, c2


def absence_rows(roster: Roster, spells: Spells, period: Period, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every absence as (person, type, start day, end day, reason text, hours absent: NaN for the
    whole span; with requests not taken, status: None for a record in effect), sorted by start."""
    ps, ss, es, ks, rs = spells.arrays()
    parts = [
        (ps, np.where(ks == 0, "sickness", "parental"), ss, es,
         np.where(ks == 0, np.array(SICK_REASONS, dtype=object)[np.minimum(rs, 5)], np.array(PARENTAL_REASONS, dtype=object)[np.minimum(rs, 2)])),
    ]
    for code, name in ((LEAVE, "annual_leave"), (TRAINING, "training"), (REST, "rest_day")):
        mask = roster.kind == code
        if code == REST:
            mask &= roster.rota[:, None]
        p, s, e = runs(mask)
        if code == TRAINING:
            reason = np.array(COURSES, dtype=object)[rng.integers(0, len(COURSES), len(p))]
        else:
            reason = np.full(len(p), None, dtype=object)
        parts.append((p, np.full(len(p), name, dtype=object), s, e, reason))
    hours = [np.full(len(x[0]), np.nan) for x in parts]
    if spells.part_days:
        pp, pd_, ph = (np.array(x) for x in zip(*spells.part_days, strict=True))
        parts.append((pp, np.full(len(pp), "sickness", dtype=object), pd_, pd_ + 1, np.full(len(pp), "other", dtype=object)))
        hours.append(ph.astype(float))
    status = [np.full(len(x[0]), None, dtype=object) for x in parts]
    if spells.withdrawn:
        wp, ws, we, wst = (np.array(x) for x in zip(*spells.withdrawn, strict=True))
        parts.append((wp, np.full(len(wp), "annual_leave", dtype=object), ws, we, np.full(len(wp), None, dtype=object)))
        hours.append(np.full(len(wp), np.nan))
        status.append(wst.astype(object))
    p = np.concatenate([x[0] for x in parts])
    order = np.lexsort((p, np.concatenate([x[2] for x in parts])))
    return {
        "p": p[order],
        "type": np.concatenate([x[1] for x in parts]).astype(object)[order],
        "start_day": np.concatenate([x[2] for x in parts])[order],
        "end_day": np.concatenate([x[3] for x in parts])[order],
        "reason": np.concatenate([x[4] for x in parts])[order],
        "hours": np.concatenate(hours)[order],
        # a status only in an export that holds requests not taken
        **({"status": np.concatenate(status)[order]} if spells.withdrawn else {}),
    }
