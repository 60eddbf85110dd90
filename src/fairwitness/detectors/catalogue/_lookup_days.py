"""The period's police-systems lookups per person and day (shared by the two lookup detectors;
not a detector).

Both lookup detectors set the lookups they count against all of a person's lookups, day by day
(the share, the recall comparison, the window counts): ``lookups_without_case_ref`` against
every lookup, ``lookups_outside_own_cases`` against those naming a subject. One grouping of
the log serves both (`Sources.shared`): each grouped the 44.5 M lookups of a 46,000 x 12 year
into 7 M person-days of its own (about 4.5 CPU-seconds with the scan).
"""

from __future__ import annotations

import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import in_period
from fairwitness.detectors.sources import Sources

LOOKUP_DAY_READS: dict[str, tuple[str, ...]] = {"system_access": ("staff_id", "ts", "subject_ref")}
"""What the grouping reads (both lookup detectors declare it)."""


def _all_days(src: Sources) -> ir.Table:
    sa = src.table("system_access")
    sa = sa.filter(in_period(sa.ts, src))
    return sa.group_by("staff_id", day=sa.ts.date()).aggregate(n_all=sa.count(), n_subject=sa.subject_ref.count())


def lookup_days(src: Sources, *, with_subject: bool) -> ir.Table:
    """``staff_id, day, n_total``: the period's lookups per person and day with any — every
    lookup, or (``with_subject``) those naming a subject (days with none left out, as a grouping
    of those lookups alone would)."""
    t = src.shared("lookup_days", _all_days, LOOKUP_DAY_READS)
    if with_subject:
        return t.filter(t.n_subject > 0).select("staff_id", "day", n_total=t.n_subject)
    return t.select("staff_id", "day", n_total=t.n_all)


__all__ = ["LOOKUP_DAY_READS", "lookup_days"]
