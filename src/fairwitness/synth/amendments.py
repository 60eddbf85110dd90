"""Roster edits: every change to a roster entry, who made it and when.

Supervisors make most edits (moving shift times, booking training and court,
creating rest-day working); people edit some of their own entries (self-service
swaps and time requests). The table is read from the change log collected here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairwitness.synth.authority import Authority
from fairwitness.synth.clock import DAY, HOUR, Period, local_iso
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.roster import COURT, DUTY_TYPES, NORMAL, REST, TRAINING, Roster

DUTY_TYPE, START, END, SITE = range(4)
FIELDS = ("duty_type", "start", "end", "site_id")
_DUTY_VALUES = ("rest_day", *DUTY_TYPES[1:])


@dataclass
class ChangeLog:
    cols: dict[str, list[np.ndarray]] = field(
        default_factory=lambda: {k: [] for k in ("p", "d", "by", "at", "field", "old", "new")}
    )

    def add(self, p, d, by, at, fld, old, new) -> None:
        n = len(np.atleast_1d(p))
        for k, v in zip(("p", "d", "by", "at", "field", "old", "new"), (p, d, by, at, fld, old, new), strict=True):
            self.cols[k].append(np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy())

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in self.cols.items()}

    def follow(self, p: np.ndarray, d_from: np.ndarray, d_to: np.ndarray) -> None:
        """Earlier edits of moved shifts now belong to the shift on its new day."""
        if not self.cols["p"] or not len(p):
            return
        cols = self.arrays()
        key = cols["p"] * 100_000 + cols["d"]
        moved = dict(zip((p * 100_000 + d_from).tolist(), d_to.tolist(), strict=True))
        hit = np.isin(key, np.fromiter(moved, dtype=np.int64))
        cols["d"][hit] = [moved[k] for k in key[hit].tolist()]
        self.cols = {k: [v] for k, v in cols.items()}


def shift_number(p: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Shift ids: one roster entry per person and day."""
    return 1_000_000_000 + np.asarray(d, dtype=np.int64) * 1_000_000 + np.asarray(p, dtype=np.int64)


def values_text(fld: np.ndarray, raw: np.ndarray, org: Organisation) -> pa.Array:
    """old_value/new_value as text: duty types by name, times as local ISO, sites by id."""
    duty = pa.array(np.array(_DUTY_VALUES, dtype=object)[np.clip(raw, 0, len(_DUTY_VALUES) - 1)], type=pa.string())
    times = local_iso(np.where((fld == START) | (fld == END), raw, 0))
    sites = org.site_id.take(pa.array(np.clip(raw, 0, len(org.site_name) - 1)))
    out = pc.if_else(pa.array(fld == DUTY_TYPE), duty, pc.if_else(pa.array(fld == SITE), sites, times))
    return out


def natural_edits(org: Organisation, roster: Roster, period: Period, log: ChangeLog, auth: Authority,
                  noise: float, rng: np.random.Generator) -> None:
    """Swaps, time moves and training/court bookings made for ordinary reasons."""
    n, days = roster.shape
    # Rest-day swaps: a rota worker moves a duty onto a nearby rest day.
    rota = np.flatnonzero(roster.rota)
    p = np.repeat(rota, rng.poisson(0.2 * days / 30, len(rota)))
    dw = rng.integers(0, days, len(p))
    dr = np.clip(dw + rng.choice([-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6], len(p)), 0, days - 1)
    ok = (roster.kind[p, dw] == NORMAL) & (roster.kind[p, dr] == REST)
    p, dw, dr = p[ok], dw[ok], dr[ok]
    _, first = np.unique(p, return_index=True)
    p, dw, dr = p[first], dw[first], dr[first]  # at most one swap per person per pass
    move_duty(org, roster, period, log, auth, p, dw, dr, np.where(rng.random(len(p)) < 0.55, p, auth.manager[p]), rng)

    # Time moves: supervisors shift a start by up to an hour; a few are late corrections.
    cells_p, cells_d = np.nonzero(roster.kind == NORMAL)
    pick = rng.random(len(cells_p)) < 0.03
    p, d = cells_p[pick], cells_d[pick]
    delta = rng.choice([-60, -30, 30, 60], len(p))
    new_start = roster.start[p, d].astype(int) + delta
    ok = (new_start >= 0) & (new_start < 1380)
    saved = roster.kind[p, d].copy()
    roster.kind[p, d] = REST
    ok &= roster.fits(p, d, new_start, new_start + roster.dur[p, d], gap=420)
    roster.kind[p, d] = saved
    p, d, new_start = p[ok], d[ok], new_start[ok]
    old_t = period.at(d, roster.start[p, d])
    new_t = period.at(d, new_start)
    old_end = period.at(d, roster.start[p, d].astype(int) + roster.dur[p, d])
    new_end = period.at(d, new_start + roster.dur[p, d])
    u = rng.random(len(p))
    by = np.where(u < 0.7, auth.manager[p], np.where(u < 0.7 + 0.2, auth.other_supervisor(p, rng.random(len(p))), p))
    by = np.where(by < 0, p, by)
    late = rng.random(len(p)) < 0.25 * noise * 2
    at = np.where(late, new_end + rng.integers(HOUR, 5 * DAY, len(p)), old_t - rng.integers(DAY, 28 * DAY, len(p)))
    log.add(p, d, by, at, START, old_t, new_t)
    log.add(p, d, by, at + rng.integers(1, 30, len(p)), END, old_end, new_end)
    roster.start[p, d] = new_start

    # Training and court bookings (already on the roster) were edits from normal duty.
    p, d = np.nonzero((roster.kind == TRAINING) | (roster.kind == COURT))
    t = period.at(d, roster.start[p, d])
    by = np.where(rng.random(len(p)) < 0.6, auth.manager[p], auth.other_supervisor(p, rng.random(len(p))))
    by = np.where(by < 0, p, by)
    log.add(p, d, by, t - rng.integers(5 * DAY, 60 * DAY, len(p)), DUTY_TYPE, NORMAL, roster.kind[p, d])


def move_duty(org, roster: Roster, period: Period, log: ChangeLog, auth: Authority, p, d_from, d_to, by,
              rng: np.random.Generator) -> np.ndarray:
    """Move each duty to another day when it fits there; logs the edit; returns which moved."""
    start, dur = roster.start[p, d_from].astype(int), roster.dur[p, d_from].astype(int)
    saved = roster.kind[p, d_from].copy()
    roster.kind[p, d_from] = REST
    ok = roster.fits(p, d_to, start, start + dur) & (roster.kind[p, d_to] == REST)
    roster.kind[p, d_from] = saved
    p, d_from, d_to, by, start, dur = p[ok], d_from[ok], d_to[ok], by[ok], start[ok], dur[ok]
    _, first = np.unique(np.c_[p, d_to], axis=0, return_index=True)
    keep = np.zeros(len(p), dtype=bool)
    keep[first] = True
    ok_idx = np.flatnonzero(ok)[keep]
    p, d_from, d_to, by, start, dur = p[keep], d_from[keep], d_to[keep], by[keep], start[keep], dur[keep]
    log.follow(p, d_from, d_to)
    kinds = roster.kind[p, d_from].copy()
    roster.kind[p, d_from] = REST
    roster.start[p, d_from] = 0
    roster.dur[p, d_from] = 0
    roster.kind[p, d_to] = kinds
    roster.start[p, d_to] = start
    roster.dur[p, d_to] = dur
    old_t, new_t = period.at(d_from, start), period.at(d_to, start)
    at = np.minimum(old_t, new_t) - rng.integers(2 * DAY, 20 * DAY, len(p))
    log.add(p, d_to, by, at, START, old_t, new_t)
    log.add(p, d_to, by, at + rng.integers(1, 30, len(p)), END, period.at(d_from, start + dur), period.at(d_to, start + dur))
    moved = np.zeros(len(ok), dtype=bool)
    moved[ok_idx] = True
    return moved
