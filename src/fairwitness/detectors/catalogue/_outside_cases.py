"""The period's lookups of subjects outside the person's own cases (shared by
``lookups_outside_own_cases`` and ``repeated_subject_lookups``; not a detector).

A lookup is *outside own cases* when its subject is a party to no case where the person is officer
in case, and it cites no case the subject is a party to (working a colleague's case and citing it is
normal). Two anti joins over the whole log, the costliest part of either detector (at 46,000 x 12,
44.5 M lookups: about 4 CPU-seconds): one table per run (`Sources.shared`), read by both.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import in_period
from fairwitness.detectors.sources import Sources

OUTSIDE_READS: dict[str, tuple[str, ...]] = {
    "system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref"),
    "case_parties": ("case_ref", "subject_ref", "role", "vulnerable", "officer_in_case"),
}
"""What the table is built from (both detectors declare it)."""

OUTSIDE_CHECKED: tuple[str, ...] = (
    "subject is a party to one of the person's own cases",
    "lookup cites a case the subject is a party to (a colleague's case)",
)
"""The explanations the table itself checks (both detectors' ``explanations_checked`` begin with these)."""


def named_lookups(src: Sources) -> ir.Table:
    """The period's lookups naming a subject."""
    sa = src.table("system_access")
    return sa.filter(in_period(sa.ts, src), sa.subject_ref.notnull())


def _outside(src: Sources) -> ir.Table:
    sa = named_lookups(src)
    cp = src.table("case_parties")
    own = cp.select(staff_id=cp.officer_in_case, subject_ref=cp.subject_ref).distinct()
    cited = cp.select("case_ref", "subject_ref").distinct()
    vuln = (
        cp.filter(cp.vulnerable.fill_null(False) & cp.role.lower().isin(["victim", "witness"]))
        .select("subject_ref")
        .distinct()
        .mutate(vuln=ibis.literal(True))
    )
    # anti joins, then the vulnerability of what is left: every lookup is probed against the
    # person's own cases and the cited case once, and only the hits against the vulnerable
    j = sa.anti_join(own, (sa.staff_id == own.staff_id) & (sa.subject_ref == own.subject_ref))
    j = j.anti_join(cited, (j.case_ref == cited.case_ref) & (j.subject_ref == cited.subject_ref))
    j = j.left_join(vuln, j.subject_ref == vuln.subject_ref).select(j, vuln=vuln.vuln.fill_null(False))
    return j.select("staff_id", "ts", "event_id", "subject_ref", "vuln")


def outside_own_cases(src: Sources) -> ir.Table:
    """``staff_id, ts, event_id, subject_ref, vuln``: the period's lookups outside the person's own
    cases (module doc); ``vuln``: the subject is a vulnerable victim or witness of some case."""
    return src.shared("outside_own_cases", _outside, OUTSIDE_READS)


__all__ = ["OUTSIDE_CHECKED", "OUTSIDE_READS", "named_lookups", "outside_own_cases"]
