"""Who signs things off: line managers, their managers and other supervisors in the unit."""

from __future__ import annotations

import numpy as np

from fairwitness.synth.organisation import Organisation


class Authority:
    """Picks an approver or editor for many people at once."""

    def __init__(self, org: Organisation) -> None:
        self.manager = org.manager
        self.grand = np.where(org.manager >= 0, org.manager[np.maximum(org.manager, 0)], -1)
        sup = np.flatnonzero(org.wf.level >= 1)
        order = sup[np.argsort(org.unit[sup], kind="stable")]
        self.pool = order
        counts = np.bincount(org.unit[order], minlength=len(org.unit_name))
        self.first = np.cumsum(counts) - counts
        self.count = counts
        self.unit = org.unit

    def other_supervisor(self, p: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Someone else of supervisory level in the unit, else the line manager."""
        c = self.count[self.unit[p]]
        cand = self.pool[self.first[self.unit[p]] + (u * np.maximum(c, 1)).astype(np.int64) % np.maximum(c, 1)] if len(self.pool) else p
        ok = (c > 0) & (cand != p)
        return np.where(ok, cand, self.manager[p])

    def approver(self, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Usually the line manager; sometimes their manager or another supervisor."""
        u = rng.random(len(p))
        out = np.where(u < 0.85, self.manager[p], np.where(u < 0.93, self.grand[p], self.other_supervisor(p, rng.random(len(p)))))
        out = np.where(out < 0, self.manager[p], out)
        return np.where(out == p, self.manager[p], out)
