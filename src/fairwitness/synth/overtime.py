"""Overtime: claims driven by unit demand, worked as late finishes or rest-day duties.

Only constables and sergeants claim. Monthly hours are zero-inflated and gamma-shaped
(mean ~10 h, ~25% of months none), scaled by the unit's demand; a surge unit works
two to three times as much for a few weeks. Late finishes extend the shift on the
roster (so badge, device and systems activity continue); rest-day working and court on
a rest day add a roster entry, created by a supervisor (or booked by the person).
Rates: 1.0 plain, 1.33 casual, 1.5 rest day, 2.0 short-notice recall and bank holidays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairwitness.synth.amendments import DUTY_TYPE, ChangeLog
from fairwitness.synth.authority import Authority
from fairwitness.synth.clock import DAY, HOUR, Period
from fairwitness.synth.organisation import CUSTODY, HQ, INVESTIGATION, NEIGHBOURHOOD, RESPONSE, SPECIALIST, Organisation
from fairwitness.synth.roster import BANKHOL, COURT, NORMAL, RDW, REST, Roster

EXTENSION_REASONS = ("late_arrest", "prisoner_processing", "scene_preservation", "statement_taking",
                     "operational_requirement", "handover_delay", "hospital_guard")
REST_DAY_REASONS = ("rest_day_working", "public_order", "event_policing", "operational_requirement")
APPROVED, REJECTED, PENDING = range(3)
STATUSES = ("approved", "rejected", "pending")
ASSIGN = -2
"""``by`` marker meaning "not chosen yet": the approver is chosen by `finalise`."""


@dataclass
class Claims:
    cols: dict[str, list[np.ndarray]] = field(
        default_factory=lambda: {k: [] for k in ("p", "start", "end", "rate", "reason", "by")}
    )

    def add(self, p, start, end, rate, reason, by=ASSIGN) -> None:
        n = len(np.atleast_1d(p))
        for k, v in zip(self.cols, (p, start, end, rate, reason, by), strict=True):
            dtype = object if k == "reason" else np.float64 if k == "rate" else np.int64
            self.cols[k].append(np.broadcast_to(np.asarray(v, dtype=dtype), (n,)).copy())

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) if v else np.zeros(0) for k, v in self.cols.items()}

    def replace(self, arrays: dict[str, np.ndarray]) -> None:
        self.cols = {k: [arrays[k]] for k in self.cols}


@dataclass(frozen=True)
class Surge:
    units: tuple[int, ...]
    first: int
    last: int  # exclusive day index


def _pick_per_person(p: np.ndarray, d: np.ndarray, want: np.ndarray, group: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """About ``want[group]`` of each group's candidate cells, each kept with equal chance."""
    size = np.bincount(group, minlength=len(want))
    keep = rng.random(len(p)) * np.maximum(size[group], 1) < want[group]
    return p[keep], d[keep]


def add_extensions(roster: Roster, period: Period, claims: Claims, p, d, minutes, rng, rate=None, by=ASSIGN) -> None:
    """Late finishes worked after the shift, each with its claim."""
    end_min = roster.start[p, d].astype(int) + roster.dur[p, d]
    saved = roster.kind[p, d].copy()
    roster.kind[p, d] = REST
    ok = roster.fits(p, d, roster.start[p, d].astype(int), end_min + minutes, gap=300)
    roster.kind[p, d] = saved
    p, d, minutes, end_min = p[ok], d[ok], np.asarray(minutes)[ok] if np.ndim(minutes) else minutes, end_min[ok]
    roster.extra[p, d] = minutes
    bh = period.bank_holiday[d]
    if rate is None:
        rate = np.where(bh, 2.0, np.where(rng.random(len(p)) < 0.1, 1.0, 1.33))
    reason = np.array(EXTENSION_REASONS, dtype=object)[rng.integers(0, len(EXTENSION_REASONS), len(p))]
    claims.add(p, period.at(d, end_min), period.at(d, end_min + minutes), rate, reason, by if np.ndim(by) == 0 else np.asarray(by)[ok])


def add_rest_day_duty(org, roster: Roster, period: Period, claims: Claims, log: ChangeLog, auth: Authority, p, d,
                      rng, recall: np.ndarray | None = None, code: int = RDW, reason=None) -> np.ndarray:
    """Duties on rest days (planned, short-notice recall, or court), with roster entry and claim.
    Returns the mask of cells that fitted."""
    start = rng.choice([420, 480, 540, 600], len(p))
    dur = np.where(code == COURT, 420, rng.choice([480, 540, 600], len(p)))
    ok = (roster.kind[p, d] == REST) & roster.fits(p, d, start, start + dur)
    _, first = np.unique(np.c_[p, d], axis=0, return_index=True)
    uniq = np.zeros(len(p), dtype=bool)
    uniq[first] = True
    ok &= uniq
    p, d, start, dur = p[ok], d[ok], start[ok], dur[ok]
    recall = (rng.random(len(p)) < 0.15) if recall is None else np.broadcast_to(recall, ok.shape)[ok]
    roster.set_duty(p, d, code, start, dur)
    t0, t1 = period.at(d, start), period.at(d, start + dur)
    bh = period.bank_holiday[d]
    rate = np.where(bh | recall, 2.0, 1.5)
    if reason is not None and np.ndim(reason):
        reason = np.asarray(reason, dtype=object)[ok]
    if reason is None:
        reason = np.where(recall, "recall_to_duty", np.array(REST_DAY_REASONS, dtype=object)[rng.integers(0, 4, len(p))])
    reason = np.where(code == COURT, "court", reason).astype(object)
    claims.add(p, t0, t1, rate, reason)
    notice = np.where(recall, rng.integers(6 * HOUR, 4 * DAY, len(p)), rng.integers(5 * DAY, 35 * DAY, len(p)))
    self_booked = ~recall & (code == RDW) & (rng.random(len(p)) < 0.1)
    by = np.where(self_booked, p, np.where(rng.random(len(p)) < 0.75, auth.manager[p], auth.other_supervisor(p, rng.random(len(p)))))
    log.add(p, d, np.where(by < 0, p, by), t0 - notice, DUTY_TYPE, REST, code)
    return ok


def natural_overtime(org: Organisation, roster: Roster, period: Period, claims: Claims, log: ChangeLog,
                     auth: Authority, surge: Surge | None, rng: np.random.Generator) -> None:
    n, days = roster.shape
    claimant = org.claimant & (org.wf.end > 0)
    ut = org.utype
    type_factor = np.select(
        [ut == RESPONSE, ut == NEIGHBOURHOOD, ut == INVESTIGATION, ut == CUSTODY, ut == SPECIALIST, ut == HQ],
        [1.15, 0.8, 1.0, 0.9, 1.4, 0.4], 1.0,
    )
    protection = np.array(["Protection" in u for u in org.unit_name])[org.unit]
    unit_factor = rng.lognormal(0, 0.35, len(org.unit_name))[org.unit]
    factor = type_factor * np.where(protection, 2.0, 1.0) * unit_factor * rng.lognormal(0, 0.5, n) * org.wf.fte
    factor /= factor[claimant].mean() if claimant.any() else 1.0
    months = len(period.month_bounds)
    hours = rng.gamma(1.3, 13.0 / (0.75 * 1.3), (n, months)) * factor[:, None]
    hours[rng.random((n, months)) < 0.25] = 0
    hours[~claimant] = 0
    n_rdw = np.where(hours >= 12, rng.binomial(np.floor(hours / 9).astype(int), 0.45), 0)
    n_ext = np.round(np.maximum(hours - 9 * n_rdw, 0) / 2.4).astype(int)
    mod = period.month_of_day

    p, d = np.nonzero(((roster.kind == NORMAL) | (roster.kind == BANKHOL)) & claimant[:, None])
    group = p * months + mod[d]
    p, d = _pick_per_person(p, d, n_ext.ravel(), group, rng)
    minutes = rng.choice([60, 90, 120, 150, 180, 240], len(p), p=[0.2, 0.2, 0.25, 0.15, 0.12, 0.08])
    add_extensions(roster, period, claims, p, d, minutes, rng)

    p, d = np.nonzero((roster.kind == REST) & claimant[:, None])
    group = p * months + mod[d]
    p, d = _pick_per_person(p, d, n_rdw.ravel(), group, rng)
    add_rest_day_duty(org, roster, period, claims, log, auth, p, d, rng)

    # Court on a rest day: roughly once a year for a frontline constable or sergeant.
    court = claimant & np.isin(ut, (RESPONSE, NEIGHBOURHOOD, INVESTIGATION))
    p = np.repeat(np.flatnonzero(court), rng.poisson(0.8 * days / 365, court.sum()))
    d = rng.integers(0, days, len(p))
    add_rest_day_duty(org, roster, period, claims, log, auth, p, d, rng, recall=np.zeros(len(p), bool), code=COURT)

    if surge is not None:
        members = claimant & np.isin(org.unit, surge.units)
        window = np.zeros(days, dtype=bool)
        window[surge.first : surge.last] = True
        p, d = np.nonzero((roster.kind == NORMAL)[:, :] & members[:, None] & window[None, :] & (roster.extra == 0))
        pick = rng.random(len(p)) < 0.65
        add_extensions(roster, period, claims, p[pick], d[pick], rng.choice([120, 150, 180, 240], pick.sum()), rng)
        p, d = np.nonzero((roster.kind == REST) & members[:, None] & window[None, :])
        pick = rng.random(len(p)) < 0.4
        add_rest_day_duty(org, roster, period, claims, log, auth, p[pick], d[pick], rng,
                          reason=np.full(pick.sum(), "public_order", dtype=object))


def finalise(claims: Claims, auth: Authority, period: Period, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Submission, approval and status for every claim; claims not yet submitted at the
    end of the period are left out."""
    c = claims.arrays()
    n = len(c["p"])
    submitted = c["end"] + np.minimum(np.exp(rng.normal(np.log(36 * HOUR), 1.0, n)), 30 * DAY).astype(np.int64)
    keep = submitted < period.end_utc
    c = {k: v[keep] for k, v in c.items()}
    submitted, n = submitted[keep], int(keep.sum())
    by = np.where(c["by"] == ASSIGN, auth.approver(c["p"], rng), c["by"])
    at = submitted + np.minimum(np.exp(rng.normal(np.log(30 * HOUR), 1.0, n)), 20 * DAY).astype(np.int64)
    u = rng.random(n)
    status = np.where(u < 0.02, REJECTED, np.where(u < 0.06, PENDING, APPROVED))
    status = np.where(at >= period.end_utc, PENDING, status)
    c.update(submitted=submitted, by=np.where(status == PENDING, -1, by), at=np.where(status == PENDING, -1, at), status=status)
    order = np.argsort(c["start"], kind="stable")
    return {k: v[order] for k, v in c.items()}
