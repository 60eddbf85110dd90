"""Working activity on police systems: record lookups and communications metadata.

Lookups follow the cases a person works (the case reference is recorded), and some
have no case reference: ordinary for response officers checking people they meet,
rarer elsewhere. Communications go to the parties of one's live cases, colleagues and
outside numbers. Everything happens inside worked duties, except what `Extras` adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairwitness.synth.cases import Cases
from fairwitness.synth.identifiers import EXTERNAL_BASE, PUBLIC_BASE, STAFF_PHONE_BASE
from fairwitness.synth.organisation import CUSTODY, HQ, INVESTIGATION, NEIGHBOURHOOD, RESPONSE, SPECIALIST, Organisation
from fairwitness.synth.presence import Cells
from fairwitness.synth.workforce import OFFICER, PCSO, SPECIAL, STAFF

SYSTEMS = ("PNC", "RMS", "CAD", "Intelligence", "Custody")
ACTIONS = ("search", "view", "update", "print", "export")
CHANNELS = ("call", "sms", "email")
_SYSTEM_MIX = {
    RESPONSE: [0.4, 0.3, 0.2, 0.08, 0.02], NEIGHBOURHOOD: [0.25, 0.35, 0.1, 0.28, 0.02],
    INVESTIGATION: [0.15, 0.55, 0.05, 0.2, 0.05], CUSTODY: [0.25, 0.2, 0.0, 0.05, 0.5],
    SPECIALIST: [0.5, 0.2, 0.2, 0.1, 0.0], HQ: [0.1, 0.5, 0.1, 0.3, 0.0],
}


@dataclass
class Profile:
    lookups: np.ndarray  # per 10 worked hours
    no_case: np.ndarray  # share of lookups without a case reference
    comms: np.ndarray  # per 10 worked hours
    boost: np.ndarray  # extra lookups multiplier inside the boost window (0 = none)
    boost_first: np.ndarray
    boost_last: np.ndarray


def build_profile(org: Organisation, noise: float) -> Profile:
    ut, cat, lvl = org.utype, org.wf.category, org.wf.level
    officer = np.isin(cat, (OFFICER, SPECIAL))
    lookups = np.select(
        [officer & (lvl >= 3), officer & (ut == RESPONSE), officer & (ut == NEIGHBOURHOOD), officer & (ut == INVESTIGATION),
         officer & (ut == CUSTODY), officer & (ut == SPECIALIST), officer, cat == PCSO,
         (cat == STAFF) & (ut == INVESTIGATION), (cat == STAFF) & (ut == CUSTODY)],
        [0.3, 11.0, 7.0, 8.0, 6.0, 3.0, 1.0, 3.0, 5.0, 4.0], 0.4,
    )
    no_case = np.where(ut == RESPONSE, 0.10, np.where(ut == NEIGHBOURHOOD, 0.06, 0.03)) * noise * 2
    comms = np.select(
        [ut == RESPONSE, ut == NEIGHBOURHOOD, ut == INVESTIGATION, ut == CUSTODY, ut == SPECIALIST], [2.0, 4.0, 5.0, 1.0, 1.5], 3.0
    )
    n = org.n
    return Profile(
        lookups=lookups * np.exp(np.random.default_rng(7).normal(0, 0.25, n)), no_case=no_case, comms=comms,
        boost=np.zeros(n), boost_first=np.zeros(n, dtype=np.int32), boost_last=np.zeros(n, dtype=np.int32),
    )


@dataclass
class Extras:
    """Rows added outside the ordinary pattern (planted behaviour), merged into the parts."""

    system: dict[str, list[np.ndarray]] = field(default_factory=lambda: {k: [] for k in ("p", "ts", "system", "action", "subject", "case")})
    comms: dict[str, list[np.ndarray]] = field(default_factory=lambda: {k: [] for k in ("p", "ts", "channel", "counterpart", "inward", "duration")})

    @staticmethod
    def _add(store, values) -> None:
        n = len(np.atleast_1d(values[0]))
        for k, v in zip(store, values, strict=True):
            store[k].append(np.broadcast_to(np.asarray(v), (n,)).copy())

    def add_lookups(self, p, ts, system, action, subject, case) -> None:
        self._add(self.system, (p, ts, system, action, subject, case))

    def add_comms(self, p, ts, channel, counterpart, inward, duration) -> None:
        self._add(self.comms, (p, ts, channel, counterpart, inward, duration))

    @staticmethod
    def select(store, p_lo: int, p_hi: int, t_lo: int, t_hi: int) -> dict[str, np.ndarray]:
        if not store["p"]:
            return {k: np.zeros(0, dtype=np.int64) for k in store}
        cols = {k: np.concatenate(v) for k, v in store.items()}
        m = (cols["p"] >= p_lo) & (cols["p"] < p_hi) & (cols["ts"] >= t_lo) & (cols["ts"] < t_hi)
        return {k: v[m] for k, v in cols.items()}


def _times(c: Cells, rep: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    span = np.maximum(c.t1x[rep] - c.t0[rep] - 600, 60)
    return c.t0[rep] + 300 + (rng.random(len(rep)) * span).astype(np.int64)


def system_access(c: Cells, org: Organisation, cases: Cases, prof: Profile, rng: np.random.Generator) -> dict[str, np.ndarray]:
    hours = (c.t1x - c.t0) / 3600
    boosted = (prof.boost[c.p] > 0) & (c.d >= prof.boost_first[c.p]) & (c.d < prof.boost_last[c.p])
    lam = prof.lookups[c.p] * hours / 10 * np.where(boosted, 1 + prof.boost[c.p], 1.0)
    k = rng.poisson(lam)
    rep = np.repeat(np.arange(c.n), k)
    p, d = c.p[rep], c.d[rep]
    n = len(rep)
    ts = _times(c, rep, rng)
    u = rng.random((n, 4))
    # Inside a boost window the extra lookups mostly lack a case reference or fall outside one's cases.
    extra_share = np.where(boosted[rep], prof.boost[p] / (1 + prof.boost[p]), 0.0)
    rogue = u[:, 0] < extra_share
    no_case = np.where(rogue, u[:, 1] < 0.7, u[:, 1] < prof.no_case[p])
    outside = rogue & ~no_case
    slot = cases.slot_of(p, org.command[p], u[:, 2], own=(u[:, 3] < 0.85) & ~outside)
    if len(cases.slot_owner):
        stale = (u[:, 3] > 0.985) & ~rogue & (d >= 60)
        case = cases.case_at(slot, np.where(stale, d - 21, d))
        party = cases.party_of(case, rng.random(n))
        subject = cases.party_subject[party]
        case_no = cases.case_number[case]
    else:
        subject = np.zeros(n, dtype=np.int64)
        case_no = np.zeros(n, dtype=np.int64)
        no_case[:] = True
    public = PUBLIC_BASE + rng.integers(0, 50_000_000, n)
    any_party = cases.party_subject[rng.integers(0, max(len(cases.party_subject), 1), n)] if len(cases.party_subject) else public
    subject = np.where(no_case, np.where(rng.random(n) < 0.7, public, any_party), subject)
    case_no = np.where(no_case, -1, case_no)
    ut = org.utype[p]
    system = np.zeros(n, dtype=np.int8)
    uu = rng.random(n)
    for t, mix in _SYSTEM_MIX.items():
        m = ut == t
        system[m] = np.searchsorted(np.cumsum(mix), uu[m] * 0.9999)
    action = np.searchsorted(np.cumsum([0.40, 0.46, 0.10, 0.025, 0.015]), rng.random(n) * 0.9999).astype(np.int8)
    return {"p": p, "ts": ts, "system": system, "action": action, "subject": subject, "case": case_no}


def comms_events(c: Cells, org: Organisation, cases: Cases, prof: Profile, rng: np.random.Generator) -> dict[str, np.ndarray]:
    hours = (c.t1x - c.t0) / 3600
    k = rng.poisson(prof.comms[c.p] * hours / 10)
    rep = np.repeat(np.arange(c.n), k)
    p, d = c.p[rep], c.d[rep]
    n = len(rep)
    ts = _times(c, rep, rng)
    u = rng.random((n, 3))
    has_cases = cases.slot_count[p] > 0
    to_party = has_cases & (u[:, 0] < 0.35)
    to_colleague = ~to_party & (u[:, 0] < 0.75)
    counterpart = EXTERNAL_BASE + rng.integers(0, 20_000_000, n)
    if len(cases.slot_owner):
        slot = cases.slot_first[p] + (u[:, 1] * np.maximum(cases.slot_count[p], 1)).astype(np.int64)
        slot = np.minimum(slot, len(cases.slot_owner) - 1)
        recent = (u[:, 2] < 0.03) & (d >= 60)
        case = cases.case_at(slot, np.where(recent, d - 10, d))
        party = cases.party_subject[cases.party_of(case, rng.random(n))]
        counterpart = np.where(to_party, party, counterpart)
    mate = (p + rng.integers(1, 40, n)) % org.n
    counterpart = np.where(to_colleague, STAFF_PHONE_BASE + mate, counterpart)
    channel = np.searchsorted([0.45, 0.65, 1.0], rng.random(n) * 0.9999).astype(np.int8)
    duration = np.where(channel == 0, np.round(np.exp(rng.normal(np.log(110), 1.0, n))), np.nan)
    return {"p": p, "ts": ts, "channel": channel, "counterpart": counterpart, "inward": rng.random(n) < 0.5, "duration": duration}
