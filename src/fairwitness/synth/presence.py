"""Being at work: building access (badge in/out) and work-device logins and locations.

Events come only from worked duties (shift plus any overtime actually worked). Badge
readers sit at stations, offices, custody suites and the training centre, not at
courts; a duty worked from home has no badge events and logs in from no site. Some
sites' access control exports only badge numbers, and device locations arrive from the
device-management feed keyed by device alone, so those rows need the identities table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.credentials import Credentials
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.roster import COURT, TRAINING, Roster

MINUTE = 60


@dataclass
class Cells:
    """The worked duties of one slice of people and days."""

    p: np.ndarray
    d: np.ndarray
    t0: np.ndarray  # shift start (UTC seconds)
    t1: np.ndarray  # rostered end
    t1x: np.ndarray  # end of work including overtime
    site: np.ndarray
    away: np.ndarray

    @property
    def n(self) -> int:
        return len(self.p)


def worked_cells(org: Organisation, roster: Roster, period: Period, rows: slice, days: tuple[int, int]) -> Cells:
    a, b = days
    kind = roster.kind[rows, a:b]
    i, j = np.nonzero((kind >= 1) & (kind <= COURT))
    p, d = i + rows.start, j + a
    start = roster.start[p, d].astype(np.int64)
    dur = roster.dur[p, d].astype(np.int64)
    extra = roster.extra[p, d].astype(np.int64)
    k = roster.kind[p, d]
    site = org.site[p].copy()
    site[k == TRAINING] = org.training_site
    courts = org.court_sites
    site[k == COURT] = courts[p[k == COURT] % len(courts)]
    return Cells(
        p=p, d=d, t0=period.at(d, start), t1=period.at(d, start + dur), t1x=period.at(d, start + dur + extra),
        site=site, away=roster.away[p, d],
    )


def group_index(counts: np.ndarray) -> np.ndarray:
    """0..k-1 within each repeated group of ``np.repeat(x, counts)``."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def badge_events(c: Cells, org: Organisation, creds: Credentials, period: Period, noise: float,
                 rng: np.random.Generator) -> dict[str, np.ndarray]:
    s = noise * 2
    at_site = ~c.away & org.site_readers[c.site]
    idx = np.flatnonzero(at_site)
    t0, t1, site, p = c.t0[idx], c.t1x[idx], c.site[idx], c.p[idx]
    n = len(idx)
    patrol = org.patrol[p]
    t_in = t0 - rng.integers(3 * MINUTE, 25 * MINUTE, n)
    t_out = t1 + rng.integers(1 * MINUTE, 20 * MINUTE, n)
    has_in = rng.random(n) >= 0.03 * s
    has_out = rng.random(n) >= 0.04 * s
    span = (t1 - t0) - 60 * MINUTE
    m = np.where(patrol, rng.random(n) < 0.25, rng.choice(3, n, p=[0.35, 0.45, 0.2]))
    m = np.where(span > 60 * MINUTE, m, 0).astype(np.int64)
    rep = np.repeat(np.arange(n), m)
    j = group_index(m)
    slot = span[rep] // m[rep]
    base = t0[rep] + 30 * MINUTE + j * slot
    door_out = base + (rng.uniform(0.05, 0.45, len(rep)) * slot).astype(np.int64)
    door_in = door_out + (rng.uniform(0.1, 0.45, len(rep)) * slot).astype(np.int64) + 1
    sel_in, sel_out = np.flatnonzero(has_in), np.flatnonzero(has_out)
    rows = np.concatenate([sel_in, sel_out, rep, rep])
    ts = np.concatenate([t_in[sel_in], t_out[sel_out], door_out, door_in])
    inward = np.concatenate([np.ones(len(sel_in), bool), np.zeros(len(sel_out), bool), np.zeros(len(rep), bool), np.ones(len(rep), bool)])
    pp, ss = p[rows], site[rows]
    order = np.lexsort((ts, pp))
    pp, ss, ts, inward = pp[order], ss[order], ts[order], inward[order]
    return {
        "p": pp, "ts": ts, "site": ss, "inward": inward,
        "identifier": creds.badge.at(pp, period.day_of(ts)), "resolved": ~org.site_legacy[ss],
    }


def device_events(c: Cells, org: Organisation, creds: Credentials, period: Period,
                  rng: np.random.Generator) -> dict[str, np.ndarray]:
    idx = np.flatnonzero(creds.device.holds[c.p])
    p, t0, t1, site, away = c.p[idx], c.t0[idx], c.t1x[idx], c.site[idx], c.away[idx]
    n = len(idx)
    login = t0 + rng.integers(0, 15 * MINUTE, n)
    logout = np.maximum(t1 - rng.integers(0, 10 * MINUTE, n), login + 5 * MINUTE)
    patrol = org.patrol[p] & ~away
    hours = (t1 - t0) / 3600
    k = np.where(patrol, np.minimum(rng.poisson(3.0 * hours / 10), 6), (~away & (rng.random(n) < 0.25)).astype(int))
    k = np.where(logout - login > 3 * 3600, k, 0).astype(np.int64)
    rep = np.repeat(np.arange(n), k)
    j = group_index(k)
    slot = (logout[rep] - login[rep] - 7200) // k[rep]
    loc_ts = login[rep] + 3600 + j * slot + (rng.uniform(0.1, 0.9, len(rep)) * slot).astype(np.int64)
    spread_lat = np.where(patrol[rep], 0.018, 0.0008)
    spread_lon = np.where(patrol[rep], 0.028, 0.0012)
    lat = org.site_lat[site[rep]] + rng.normal(0, 1, len(rep)) * spread_lat
    lon = org.site_lon[site[rep]] + rng.normal(0, 1, len(rep)) * spread_lon
    n_loc = len(rep)
    rows = np.concatenate([np.arange(n), np.arange(n), rep])
    ts = np.concatenate([login, logout, loc_ts])
    kind = np.concatenate([np.zeros(n, np.int8), np.ones(n, np.int8), np.full(n_loc, 2, np.int8)])
    site_col = np.concatenate([np.where(away, -1, site), np.where(away, -1, site), np.full(n_loc, -1)])
    lat_col = np.concatenate([np.full(2 * n, np.nan), lat])
    lon_col = np.concatenate([np.full(2 * n, np.nan), lon])
    pp = p[rows]
    order = np.lexsort((ts, pp))
    pp, ts = pp[order], ts[order]
    return {
        "p": pp, "ts": ts, "kind": kind[order], "site": site_col[order], "lat": lat_col[order], "lon": lon_col[order],
        "identifier": creds.device.at(pp, period.day_of(ts)), "resolved": kind[order] != 2,
    }
