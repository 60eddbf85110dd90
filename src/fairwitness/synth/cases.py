"""Cases and the people in them: each investigating officer holds a few case "slots",
each slot a back-to-back run of cases, so at any day a person has a handful of live
cases to look up and contact."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairwitness.synth.clock import Period
from fairwitness.synth.identifiers import PARTY_BASE
from fairwitness.synth.organisation import INVESTIGATION, NEIGHBOURHOOD, RESPONSE, SPECIALIST, Organisation
from fairwitness.synth.workforce import OFFICER, PCSO, STAFF

ROLES = ("victim", "witness", "suspect", "other")
_KEY = 8192
OPEN = 10**6


@dataclass
class Cases:
    slot_owner: np.ndarray  # person per slot
    slot_first: np.ndarray  # per person: first slot index
    slot_count: np.ndarray  # per person: number of slots
    case_slot: np.ndarray
    case_open: np.ndarray  # day index
    case_close: np.ndarray  # day index, OPEN = still open at the end
    case_key: np.ndarray  # sorted search key (slot, open day)
    case_number: np.ndarray
    party_first: np.ndarray  # per case
    party_count: np.ndarray
    party_subject: np.ndarray  # subject number (pseudonymised later)
    party_role: np.ndarray
    party_vulnerable: np.ndarray
    pool_first: np.ndarray  # per command: slots of that command's people
    pool_count: np.ndarray
    pool_slots: np.ndarray

    @property
    def n_cases(self) -> int:
        return len(self.case_slot)

    def case_at(self, slot: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The case a slot holds on a day."""
        return np.searchsorted(self.case_key, slot.astype(np.int64) * _KEY + day + _KEY // 2, side="right") - 1

    def party_of(self, case: np.ndarray, u: np.ndarray) -> np.ndarray:
        return self.party_first[case] + (u * self.party_count[case]).astype(np.int64)

    def slot_of(self, p: np.ndarray, command: np.ndarray, u: np.ndarray, own: np.ndarray) -> np.ndarray:
        """A slot for each lookup: one of the person's own when ``own`` and they have any,
        else a colleague's in the same command, else anyone's."""
        mine = own & (self.slot_count[p] > 0)
        pc = self.pool_count[command]
        at = self.pool_first[command] + (u * np.maximum(pc, 1)).astype(np.int64) % np.maximum(pc, 1)
        pooled = self.pool_slots[np.minimum(at, max(len(self.pool_slots) - 1, 0))]
        anywhere = (u * len(self.slot_owner)).astype(np.int64)
        other = np.where(pc > 0, pooled, anywhere)
        own_slot = self.slot_first[p] + (u * np.maximum(self.slot_count[p], 1)).astype(np.int64)
        return np.minimum(np.where(mine, own_slot, other), len(self.slot_owner) - 1)


def build_cases(org: Organisation, period: Period, rng: np.random.Generator) -> Cases:
    wf, ut = org.wf, org.utype
    cat, lvl = wf.category, wf.level
    k = np.select(
        [
            (cat == OFFICER) & (ut == INVESTIGATION) & (lvl == 0), (cat == OFFICER) & (ut == INVESTIGATION) & (lvl == 1),
            (cat == STAFF) & (ut == INVESTIGATION) & (lvl <= 1), (cat == OFFICER) & (ut == RESPONSE) & (lvl == 0),
            (cat == OFFICER) & (ut == RESPONSE) & (lvl == 1), (cat == OFFICER) & (ut == NEIGHBOURHOOD) & (lvl <= 1),
            (cat == PCSO), (cat == OFFICER) & (ut == SPECIALIST) & (lvl == 0),
        ],
        [4, 2, 3, 2, 1, 2, 1, 1], 0,
    ).astype(np.int32)
    k[wf.end < 60] = 0
    median = np.select([ut == INVESTIGATION, ut == NEIGHBOURHOOD, ut == RESPONSE], [60.0, 30.0, 16.0], 20.0)
    slot_owner = np.repeat(np.arange(org.n), k)
    slot_first = (np.cumsum(k) - k).astype(np.int64)
    n_slots = len(slot_owner)
    med = median[slot_owner]
    j = int(np.ceil((period.days + 1) / med.min())) + 4 if n_slots else 1
    # Cases per slot: lognormal durations laid end to end from before the period start.
    dur = np.maximum(1, rng.lognormal(np.log(med)[:, None], 0.7, (n_slots, j))).astype(np.int32)
    first_open = -(rng.random(n_slots) * med * 2).astype(np.int32) - 1
    opens = first_open[:, None] + np.cumsum(dur, axis=1) - dur
    closes = opens + dur
    live = opens < period.days
    last = live & ~np.c_[live[:, 1:], np.zeros((n_slots, 1), dtype=bool)]
    closes = np.where(last | (closes >= period.days), OPEN, closes)
    case_slot = np.repeat(np.arange(n_slots), live.sum(axis=1))
    case_open, case_close = opens[live], closes[live]
    n_cases = len(case_slot)

    roles = []
    for r, (p_any, lam) in enumerate(((0.85, 0.0), (0.0, 0.8), (0.7, 0.0), (0.0, 0.15))):
        roles.append(rng.poisson(lam, n_cases) if lam else (rng.random(n_cases) < p_any).astype(np.int64))
    counts = np.stack(roles, axis=1)
    counts[counts.sum(axis=1) == 0, 0] = 1
    per_case = counts.sum(axis=1)
    party_case = np.repeat(np.arange(n_cases), per_case)
    party_role = np.concatenate([np.repeat(np.arange(4), c) for c in counts]) if n_cases < 2000 else _roles_fast(counts)
    subject = np.arange(len(party_case), dtype=np.int64) + PARTY_BASE
    reuse = rng.random(len(subject)) < 0.08
    subject[reuse] = subject[(rng.random(reuse.sum()) * np.flatnonzero(reuse)).astype(np.int64)]
    key = party_case.astype(np.int64) * 8 + party_role
    _, first_idx = np.unique(np.c_[key, subject], axis=0, return_index=True)
    keep = np.zeros(len(subject), dtype=bool)
    keep[first_idx] = True
    party_case, party_role, subject = party_case[keep], party_role[keep], subject[keep]
    p_vul = np.array([0.22, 0.08, 0.05, 0.03])[party_role]
    vulnerable = rng.random(len(subject)) < p_vul
    party_count = np.bincount(party_case, minlength=n_cases)

    command = org.command[slot_owner]
    order = np.argsort(command, kind="stable")
    n_cmd = len(org.commands)
    pool_count = np.bincount(command, minlength=n_cmd)
    return Cases(
        slot_owner=slot_owner, slot_first=slot_first, slot_count=k, case_slot=case_slot, case_open=case_open,
        case_close=case_close, case_key=case_slot.astype(np.int64) * _KEY + case_open + _KEY // 2,
        case_number=rng.permutation(n_cases) + 4_100_000, party_first=np.cumsum(party_count) - party_count,
        party_count=party_count, party_subject=subject, party_role=party_role.astype(np.int8),
        party_vulnerable=vulnerable, pool_first=np.cumsum(pool_count) - pool_count, pool_count=pool_count,
        pool_slots=order,
    )


def _roles_fast(counts: np.ndarray) -> np.ndarray:
    flat = counts.ravel()
    return np.repeat(np.tile(np.arange(4), len(counts)), flat)
