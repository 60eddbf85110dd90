"""A deliberately biased detector, for tests only, loaded through the ``fairwitness.detectors`` entry point group.

It never reads a protected characteristic (the registry would refuse it): it mistakes part-time
working for wrongdoing, flagging everyone under 1.0 FTE for advice. In the synthetic force, as in
real ones, far more women than men work part time, so its false positives fall on women.
"""

from __future__ import annotations

import ibis

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import signals


class PartTimeSuspicion(Detector):
    """Flags part-time staff as if short hours were a sign of misconduct (a test-only, biased detector)."""

    name = "part_time_suspicion"
    version = "1"
    title = "Part-time working (biased test detector)"
    standard = "Duties and responsibilities"
    reads = {"people": ("staff_id", "fte")}
    explain = "Works {value} FTE."

    def build(self, src):
        p = src.table("people")
        p = p.filter(p.fte < 1.0, p.fte >= 0.5)
        return signals(p, src, value=p.fte, score=ibis.literal(0.6), route=ibis.literal("advice"),
                       evidence_table="people", evidence_keys=ibis.array([p.staff_id]))


def detectors():
    return [PartTimeSuspicion]
