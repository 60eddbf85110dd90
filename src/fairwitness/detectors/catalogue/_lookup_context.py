"""What a lookup count is held against besides the force's peers (shared by the two lookup
detectors; not a detector): the person's own team in the same days, and the others who hold the
same records-checking role.

A unit-wide surge (a major incident, an operation) raises everyone's lookups unevenly — who
worked the overtime, who took the calls; the force's peers, normalised by the unit's median, do
not show that spread, the team itself does (`with_team`).

Some people's work *is* checking records, with no case to cite: the vetting officer (a vetting
reference), the information compliance auditor, the intelligence researcher briefing a team, the
PNC bureau. Sitting alone or nearly so in a unit of investigators or managers, they are many times
their unit's count and their peers', mostly without a case reference, all year. Their volume is no
evidence: only others holding the same role can say what is usual for it (`with_role`), and where
fewer than ``min_group_size`` hold it, nobody can.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.sources import Sources

TEAM_LABEL = "in line with their own team in the same days (a team-wide surge): at most a wellbeing check"
ROLE_LABEL = (
    "a role whose work is checking records (vetting, audit, research, the PNC bureau): in line with others in the "
    "role, or too few hold it to say what is usual — at most a wellbeing check"
)

CHECKING_ROLES = (
    r"vetting|audit|intelligence (researcher|officer)|\bresearcher\b|disclosure|\bpnc\b|records (officer|management)"
    r"|information (compliance|management|security)|control room|call handler|contact (centre|officer)|despatch|dispatch"
)
"""Default of ``checking_roles``: the lower-cased role of someone whose work is checking records."""

CHECKING_ROLES_DOC = (
    "Roles whose work is checking records without a case to cite (regular expression on the lower-cased "
    "`people.role`; empty: none): a misconduct route needs the count far above the others holding the same role "
    "(robust z at advice_z, at least min_group_size of them in post), otherwise it is a wellbeing check."
)


def with_team(t: ir.Table) -> ir.Table:
    """Add ``team_n`` and ``team_z``: the person's count against their own unit in the same
    period or window (robust z around the unit's median, never tighter than Poisson noise).
    ``t`` comes from `compare` on `unit_relative` columns of ``n``."""
    n = t.n.cast("float64")
    wu = ibis.window(group_by=t.unit_id)
    t = t.mutate(team_n=t.staff_id.count().over(wu), team_mad=(n - t.n_unit_median).abs().median().over(wu))
    sd = ibis.greatest(t.team_mad * 1.4826, ibis.greatest(t.n_unit_median, ibis.literal(1.0)).sqrt())
    return t.mutate(team_z=((t.n.cast("float64") - t.n_unit_median) / sd).round(4))


def in_line_with_team(t: ir.Table, min_group_size: int, route: ir.StringValue, z: float) -> ir.BooleanValue:
    """A misconduct route whose count is in line with the person's own team (a team of at least
    ``min_group_size``, team z below ``z``): held at wellbeing."""
    return (route == "misconduct_assessment") & (t.team_n >= min_group_size) & (t.team_z < z)


def with_role(t: ir.Table, src: Sources, pattern: str, by: Sequence[str] = ()) -> ir.Table:
    """Add ``checking`` (the person's role matches ``pattern``), and for them ``role_n`` and
    ``role_z``: their count ``n`` against everyone in ``t`` holding the same role, in the same
    ``by`` (a window), as robust z around the role's median (never tighter than Poisson noise).
    Only the role holders are grouped; everyone else gets nulls."""
    if not pattern:
        return t.mutate(checking=ibis.literal(False), role_n=ibis.null("int64"), role_z=ibis.null("float64"))
    ppl = src.table("people")
    role = ppl.role.lower().strip()
    holders = ppl.filter(role.re_search(pattern)).select(_sid="staff_id", _role=role)
    # ``t`` is read once: the role's figures are windows over its own rows (everyone else in one
    # partition of no role, its figures dropped). Joining ``t`` to its own role holders' figures
    # read it twice, and the engines computed the peer comparison under it twice (the detector's
    # query twice as long, Spark analysing and optimising both copies).
    c = t.left_join(holders, t.staff_id == holders._sid).select(t, _role=holders._role)
    c = c.mutate(_x=c.n.cast("float64"))
    w = ibis.window(group_by=[c._role, *[c[b] for b in by]])
    c = c.mutate(_role_n=c.staff_id.count().over(w), _role_med=c._x.median().over(w))
    w = ibis.window(group_by=[c._role, *[c[b] for b in by]])
    c = c.mutate(_role_mad=(c._x - c._role_med).abs().median().over(w))
    sd = ibis.greatest(c._role_mad * 1.4826, ibis.greatest(c._role_med, ibis.literal(1.0)).sqrt())
    checking = c._role.notnull()
    return c.select(
        *t.columns,
        checking=checking,
        role_n=ibis.ifelse(checking, c._role_n, ibis.null("int64")),
        role_z=ibis.ifelse(checking, ((c._x - c._role_med) / sd).round(4), ibis.null("float64")),
    )


def in_line_with_role(t: ir.Table, min_group_size: int, route: ir.StringValue, z: float) -> ir.BooleanValue:
    """A misconduct route for someone whose role is checking records, unless the count is at
    least ``z`` above the others holding it (at least ``min_group_size`` of them): held at
    wellbeing."""
    return (route == "misconduct_assessment") & t.checking & ((t.role_n < min_group_size) | (t.role_z < z))


CHECKED_AGAINST_PEERS: tuple[str, ...] = (
    "the person's own usual volume (a window is flagged only as a burst above it)",
    "a recall to duty: lookups in line with those of everybody else recalled in the period",
    "a team-wide surge: a count in line with the person's own unit in the same days (at least min_group_size "
    "in post) goes no further than wellbeing",
    "a role whose work is checking records (checking_roles: vetting, audit, research, the PNC bureau): a count in "
    "line with others holding the role, or a role too few hold to compare, goes no further than wellbeing",
)
"""The explanations every lookup detector checks in `assess` (their ``explanations_checked`` end with these)."""


__all__ = [
    "CHECKED_AGAINST_PEERS", "CHECKING_ROLES", "CHECKING_ROLES_DOC", "ROLE_LABEL", "TEAM_LABEL", "in_line_with_role", "in_line_with_team",
    "with_role", "with_team",
]
