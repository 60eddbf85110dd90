"""Planted roster and overtime misconduct.

Premium-rate roster edits, rest-day swaps paid again as overtime, overtime for hours
nobody was at work, overtime during sickness or leave, and claims authorised by the
claimant or by a partner in return. Each is spread over weeks or months and mixed with
the person's ordinary, legitimate claims and edits.
"""

from __future__ import annotations

import numpy as np

from fairwitness.synth.absence import mark_leave, runs
from fairwitness.synth.amendments import DUTY_TYPE, move_duty
from fairwitness.synth.clock import DAY, HOUR
from fairwitness.synth.overtime import EXTENSION_REASONS, REST_DAY_REASONS, add_extensions
from fairwitness.synth.planting import Planting
from fairwitness.synth.roster import BANKHOL, LEAVE, NORMAL, RDW, REST, SICK


def _spread(rng: np.random.Generator, cells: np.ndarray, k: int) -> np.ndarray:
    """``k`` cells spread over the range (one from each of k equal stretches)."""
    if len(cells) <= k:
        return cells
    parts = np.array_split(cells, k)
    return np.array([part[int(rng.integers(len(part)))] for part in parts if len(part)])


def plant_premium_edits(pl: Planting) -> None:
    """Normal duties edited into rest-day working or bank holiday, by the person or always
    by the same other editor, several times over the period."""
    org, roster, rng, per = pl.org, pl.roster, pl.rng, pl.period
    sup = np.flatnonzero(org.wf.level >= 1)

    def one(p: int) -> bool:
        d = _spread(rng, np.flatnonzero(roster.kind[p] == NORMAL), int(rng.integers(4, 9)))
        if len(d) < 3:
            return False
        same_cmd = sup[(org.command[sup] == org.command[p]) & (sup != p) & (sup != org.manager[p])]
        editor = p if rng.random() < 0.6 or not len(same_cmd) else int(rng.choice(same_cmd))
        new = np.where(rng.random(len(d)) < 0.8, RDW, BANKHOL)
        start = roster.start[p, d].astype(int)
        t0 = per.at(d, start)
        t1 = per.at(d, start + roster.dur[p, d])
        after = rng.random(len(d)) < 0.6
        at = np.where(after, t1 + rng.integers(HOUR, 10 * DAY, len(d)), t0 - rng.integers(DAY, 14 * DAY, len(d)))
        roster.kind[p, d] = new
        pl.log.add(np.full(len(d), p), d, editor, at, DUTY_TYPE, NORMAL, new)
        pl.record(p, "roster_premium_edit", t0[0], t1[-1], "misconduct")
        return True

    pl.plant("roster_premium_edit", org.claimant & roster.rota, one)


def plant_rest_day_swaps(pl: Planting) -> None:
    """A duty moved onto a rest day, then overtime claimed for that same day."""
    org, roster, rng, per = pl.org, pl.roster, pl.rng, pl.period

    def one(p: int) -> bool:
        work = np.flatnonzero(roster.kind[p] == NORMAL)
        rest = np.flatnonzero(roster.kind[p] == REST)
        if not len(work) or not len(rest):
            return False
        work = np.repeat(work, 2)
        dr = np.clip(work + rng.choice([-3, -2, -1, 1, 2, 3], len(work)), 0, per.days - 1)
        cand = np.flatnonzero(np.isin(dr, rest) & roster.fits(np.full(len(work), p), dr, roster.start[p, work], roster.start[p, work].astype(int) + roster.dur[p, work]))
        if not len(cand):
            return False
        cand = _spread(rng, cand, int(rng.integers(3, 6)))
        work, dr = work[cand], dr[cand]
        _, first = np.unique(dr, return_index=True)
        work, dr = work[first], dr[first]
        keep = ~np.isin(work, dr)
        work, dr = work[keep], dr[keep]
        by = np.where(rng.random(len(work)) < 0.7, p, pl.auth.manager[p])
        moved = move_duty(org, roster, per, pl.log, pl.auth, np.full(len(work), p), work, dr, by, rng)
        d = np.unique(dr[moved])
        if not len(d):
            return False
        start = roster.start[p, d].astype(int)
        t0, t1 = per.at(d, start), per.at(d, start + roster.dur[p, d])
        reason = np.array(REST_DAY_REASONS, dtype=object)[rng.integers(0, len(REST_DAY_REASONS), len(d))]
        pl.claims.add(np.full(len(d), p), t0, t1, np.where(per.bank_holiday[d], 2.0, 1.5), reason)
        pl.record(p, "rest_day_swap_overtime", t0[0], t1[-1], "misconduct")
        return True

    pl.plant("rest_day_swap_overtime", org.claimant & roster.rota, one)


def _claim_times(pl: Planting, d: np.ndarray, rest_day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng, per = pl.rng, pl.period
    start = np.where(rest_day, rng.choice([420, 480, 540], len(d)), rng.choice([1020, 1080, 1140], len(d)))
    length = np.where(rest_day, rng.choice([480, 540, 600], len(d)), rng.choice([120, 180, 240], len(d)))
    rate = np.where(per.bank_holiday[d], 2.0, np.where(rest_day, 1.5, 1.33))
    reason = np.where(
        rest_day, np.array(REST_DAY_REASONS, dtype=object)[rng.integers(0, len(REST_DAY_REASONS), len(d))],
        np.array(EXTENSION_REASONS, dtype=object)[rng.integers(0, len(EXTENSION_REASONS), len(d))],
    )
    return per.at(d, start), per.at(d, start + length), rate, reason


def plant_overtime_during_absence(pl: Planting) -> None:
    """Claims for hours inside one's own sickness or annual leave."""
    org, roster, rng = pl.org, pl.roster, pl.rng

    def one(p: int) -> bool:
        _, s, e = runs(((roster.kind[p] == SICK) | (roster.kind[p] == LEAVE))[None, :])
        good = np.flatnonzero(e - s >= 4)
        if len(good):
            i = int(rng.choice(good))
            s, e = int(s[i]), int(e[i])
        else:
            s = int(rng.integers(0, max(pl.period.days - 12, 1)))
            e = min(s + int(rng.integers(7, 12)), pl.period.days)
            mark_leave(roster, p, s, e)
        away = s + np.flatnonzero(np.isin(roster.kind[p, s:e], (SICK, LEAVE)))
        if len(away) < 2:
            return False
        s, e = int(away[0]), int(away[-1]) + 1
        d = np.sort(rng.choice(away, size=min(len(away), int(rng.integers(2, 5))), replace=False))
        t0, t1, rate, reason = _claim_times(pl, d, rng.random(len(d)) < 0.5)
        pl.claims.add(np.full(len(d), p), t0, t1, rate, reason)
        pl.record(p, "overtime_during_absence", *pl.utc_days(s, e), "misconduct")
        return True

    pl.plant("overtime_during_absence", org.claimant, one)


def plant_overtime_no_presence(pl: Planting) -> None:
    """Claims for hours with no badge, device or systems activity: whole rest days, or
    a few hours claimed well after the person went home."""
    org, roster, rng, per = pl.org, pl.roster, pl.rng, pl.period

    def one(p: int) -> bool:
        k = int(rng.integers(3, 7))
        rest = np.flatnonzero(roster.kind[p] == REST)
        rest = rest[roster.fits(np.full(len(rest), p), rest, np.full(len(rest), 360), np.full(len(rest), 1200), gap=120)]
        late = np.flatnonzero((roster.kind[p] == NORMAL) & (roster.extra[p] == 0))
        n_rest = min(len(rest), int(round(k * 0.6)))
        d_rest = _spread(rng, rest, n_rest) if n_rest else rest[:0]
        d_late = _spread(rng, late, k - len(d_rest)) if k > len(d_rest) else late[:0]
        t0, t1, rate, reason = _claim_times(pl, d_rest, np.ones(len(d_rest), bool))
        end_min = roster.start[p, d_late].astype(int) + roster.dur[p, d_late]
        gap = rng.choice([45, 60, 75, 90], len(d_late))
        length = rng.choice([120, 150, 180, 240], len(d_late))
        nxt = np.minimum(d_late + 1, per.days - 1)
        fine = (roster.kind[p, nxt] < NORMAL) | (roster.kind[p, nxt] > 5) | (roster.start[p, nxt] + 1440 > end_min + gap + length + 120)
        d_late, end_min, gap, length = d_late[fine], end_min[fine], gap[fine], length[fine]
        l0, l1 = per.at(d_late, end_min + gap), per.at(d_late, end_min + gap + length)
        lrate = np.where(per.bank_holiday[d_late], 2.0, 1.33)
        lreason = np.array(EXTENSION_REASONS, dtype=object)[rng.integers(0, len(EXTENSION_REASONS), len(d_late))]
        starts, ends = np.r_[t0, l0], np.r_[t1, l1]
        if len(starts) < 2:
            return False
        pl.claims.add(np.full(len(starts), p), starts, ends, np.r_[rate, lrate], np.r_[reason, lreason].astype(object))
        pl.record(p, "overtime_no_presence", starts.min(), ends.max(), "misconduct")
        return True

    pl.plant("overtime_no_presence", org.claimant, one)


def _worked_claims(pl: Planting, p: int, first: int, last: int, at_least: int, by: int) -> None:
    """Make sure the person has a few real (worked) late-finish claims in the window."""
    roster, rng = pl.roster, pl.rng
    cells = first + np.flatnonzero((roster.kind[p, first:last] == NORMAL) & (roster.extra[p, first:last] == 0))
    if len(cells):
        d = _spread(rng, cells, at_least)
        add_extensions(roster, pl.period, pl.claims, np.full(len(d), p), d, rng.choice([60, 90, 120, 180], len(d)), rng, by=by)


def _reassign(pl: Planting, p: int, first: int, last: int, by: int, share: float) -> np.ndarray:
    c = pl.claims.arrays()
    lo, hi = pl.period.at(np.array([first]), 0)[0], pl.period.at(np.array([last]), 0)[0]
    mine = np.flatnonzero((c["p"] == p) & (c["start"] >= lo) & (c["start"] < hi))
    flip = mine[pl.rng.random(len(mine)) < share]
    flip = np.union1d(flip, mine[c["by"][mine] == by])
    c["by"][flip] = by
    pl.claims.replace(c)
    return flip


def plant_self_authorisation(pl: Planting) -> None:
    org, rng = pl.org, pl.rng

    def one(p: int) -> bool:
        first, last = pl.window(60, 200, whole=0.4)
        if (pl.roster.kind[p, first:last] == NORMAL).sum() < 6:
            return False
        _worked_claims(pl, p, first, last, 4, p)
        flip = _reassign(pl, p, first, last, p, rng.uniform(0.5, 1.0))
        if not len(flip):
            return False
        c = pl.claims.arrays()
        pl.record(p, "self_authorisation", c["start"][flip].min(), c["end"][flip].max(), "misconduct")
        return True

    n = pl.cfg.planted_count("self_authorisation")
    done = pl.plant("self_authorisation", org.claimant & (org.wf.level == 1), one)
    pl.plant("self_authorisation", org.claimant, one, n - done)


def plant_reciprocal_authorisation(pl: Planting) -> None:
    """Pairs and closed loops of three sergeants authorising each other's claims."""
    org, rng = pl.org, pl.rng
    n = pl.cfg.planted_count("reciprocal_authorisation")
    if n < 2:
        n = 2 if n else 0
    sizes: list[int] = []
    while sum(sizes) < n:
        left = n - sum(sizes)
        sizes.append(3 if left == 3 or (left > 4 and rng.random() < 0.4) else 2)
    sergeants = org.claimant & (org.wf.level == 1) & ((pl.roster.kind == NORMAL).sum(axis=1) >= 12)
    for size in sizes:
        cmd = org.command[int(rng.choice(np.flatnonzero(sergeants & ~pl.used & org.wf.employed_throughout)))] if (sergeants & ~pl.used).any() else -1
        group = pl.pick("reciprocal_authorisation", sergeants & (org.command == cmd), size)
        if len(group) < size:
            group = np.r_[group, pl.pick("reciprocal_authorisation", sergeants, size - len(group))].astype(int)
        if len(group) < 2:
            continue
        first, last = pl.window(60, 200, whole=0.5)
        for i, p in enumerate(group):
            approver = int(group[(i - 1) % len(group)])
            _worked_claims(pl, int(p), first, last, 3, approver)
            flip = _reassign(pl, int(p), first, last, approver, rng.uniform(0.7, 1.0))
            c = pl.claims.arrays()
            if len(flip):
                pl.record(p, "reciprocal_authorisation", c["start"][flip].min(), c["end"][flip].max(), "misconduct")
