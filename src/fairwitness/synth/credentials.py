"""Badges and work devices, and the identities table that maps them to people.

Some badges and devices are re-issued during the period and a retired number can
later be handed to someone else, so an identifier resolves to a person only through
the validity dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.workforce import STAFF, VOLUNTEER

NEVER = 10**6
BADGE_SYSTEM = "access_control"
DEVICE_SYSTEM = "mdm"
DEVICE_PREFIX = "MD"


@dataclass
class Credential:
    old: np.ndarray  # identifier number before the switch
    new: np.ndarray  # identifier number from the switch day
    switch: np.ndarray  # day index of re-issue, NEVER if none
    issued: np.ndarray  # day index the first identifier became valid
    holds: np.ndarray  # bool: the person has one at all

    def at(self, p: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(day >= self.switch[p], self.new[p], self.old[p])


def _issue(org: Organisation, period: Period, holds: np.ndarray, reissue_rate: float, lo: int, hi: int,
           rng: np.random.Generator) -> Credential:
    n, wf = org.n, org.wf
    numbers = rng.choice(np.arange(lo, hi), size=2 * n, replace=False).astype(np.int64)
    old, new = numbers[:n], numbers[n:]
    last = np.minimum(wf.end, period.days) - 1
    first = np.maximum(wf.start, 0)
    switch = np.full(n, NEVER, dtype=np.int32)
    can = holds & (last - first > 30)
    re = can & (rng.random(n) < reissue_rate * period.days / 365)
    switch[re] = first[re] + 1 + (rng.random(re.sum()) * (last[re] - first[re] - 2)).astype(np.int32)
    # Recycle: every other re-issued person receives the number retired by the previous one.
    chain = np.flatnonzero(re)
    chain = chain[np.argsort(switch[chain], kind="stable")]
    for a, b in zip(chain[0::2], chain[1::2], strict=False):
        if switch[b] > switch[a]:
            new[b] = old[a]
    issued = np.where(wf.start > 0, wf.start, -rng.integers(1, 2000, n)).astype(np.int32)
    return Credential(old=old, new=new, switch=switch, issued=issued, holds=holds)


@dataclass
class Credentials:
    badge: Credential
    device: Credential

    def identities(self, org: Organisation, period: Period) -> dict[str, np.ndarray]:
        """Rows: system, identifier number, person, valid_from and valid_to (epoch days, -1 = open)."""
        wf = org.wf
        leaver_last = np.where(wf.end < NEVER, wf.end, -1)  # through the morning after the last shift
        out: dict[str, list[np.ndarray]] = {k: [] for k in ("system", "number", "p", "valid_from", "valid_to")}
        for system, cred in ((BADGE_SYSTEM, self.badge), (DEVICE_SYSTEM, self.device)):
            p = np.flatnonzero(cred.holds)
            sw = cred.switch[p]
            has_sw = sw < NEVER
            rows = [
                (p, cred.old[p], cred.issued[p], np.where(has_sw, sw - 1, leaver_last[p])),
                (p[has_sw], cred.new[p[has_sw]], sw[has_sw], leaver_last[p[has_sw]]),
            ]
            for pp, num, vf, vt in rows:
                out["system"].append(np.full(len(pp), system, dtype=object))
                out["number"].append(num)
                out["p"].append(pp)
                out["valid_from"].append(vf + period.first)
                out["valid_to"].append(np.where(vt >= 0, vt + period.first, -1))
        return {k: np.concatenate(v) for k, v in out.items()}


def issue_credentials(org: Organisation, period: Period, rng: np.random.Generator) -> Credentials:
    cat = org.wf.category
    has_badge = np.ones(org.n, dtype=bool)
    has_device = (cat != VOLUNTEER) & ((cat != STAFF) | (rng.random(org.n) < 0.9))
    return Credentials(
        badge=_issue(org, period, has_badge, 0.04, 100_000, 1_000_000, rng),
        device=_issue(org, period, has_device, 0.08, 200_000, 1_000_000, rng),
    )
