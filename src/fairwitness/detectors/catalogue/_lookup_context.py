"""What a lookup count is held against besides the force's peers (shared by the two lookup
detectors; not a detector): the person's own team in the same days, and the others who hold the
same records-checking role.

A unit-wide surge (a major incident, an operation) raises everyone's lookups unevenly — who
worked the overtime, who took the calls; the force's peers, normalised by the unit's median, do
not show that spread, the team itself does (`with_team`).

Some people's work *is* checking records, with no case to cite: the vetting officer (a vetting
reference), the information compliance auditor, the intelligence researcher briefing a team, the
PNC bureau, the roads policing, traffic or ANPR intercept officer whose patrol is vehicle checks on the
PNC. Sitting alone or nearly so in a unit of investigators or managers, they are many times
their unit's count and their peers', mostly without a case reference, all year. Their volume is no
evidence: only others holding the same role can say what is usual for it (`with_role`), and where
fewer than ``min_group_size`` hold it, nobody can.

Someone who holds no case of their own (a duty inspector, a response or custody sergeant) has
nothing to cite: every lookup of theirs is without a case reference and outside own cases, where
peers who hold cases cite theirs. Set against those peers' counts, an ordinary shift of street and
vehicle checks is many times the median; set against what the peers look up of every kind
(`with_caseless`, `against_every_kind`), it is ordinary. And their count says nothing of purpose:
volume alone goes no further than a wellbeing check for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.sources import Sources

TEAM_LABEL = "in line with their own team in the same days (a team-wide surge): at most a wellbeing check"
ROLE_LABEL = (
    "a role whose work is checking records (vetting, audit, research, the PNC bureau, roads policing and ANPR vehicle "
    "checks, custody, a front enquiry office, missing persons, MARAC, firearms licensing; HR's role or a roster "
    "posting): in line with others in the "
    "role, or too few hold it to say what is usual — at most a wellbeing check"
)

CHECKING_ROLES = (
    r"vetting|audit|intelligence (researcher|officer)|\bresearcher\b|disclosure|\bpnc\b|records (officer|management)"
    r"|information (compliance|management|security)|control room|call handler|contact (centre|officer)|despatch|dispatch"
    r"|\banpr\b|intercept|roads policing|traffic (officer|constable)"
    r"|offender manag|\biom\b|mosovo|\bvisor\b"
    r"|\bmarac\b|\bmash\b|safeguarding hub|missing person|\bmisper\b|firearms licen|custody|front (enquiry|counter|office)"
)
"""Default of ``checking_roles``: the lower-cased role of someone whose work is checking records."""

CHECKING_ROLES_DOC = (
    "Roles whose work is checking records without a case to cite (regular expression on the lower-cased "
    "`people.role`, or on the new value of a roster posting in the period — `roster_changes.field` 'posting', "
    "'attachment' or 'role', as a temporary posting to custody or a front enquiry office is recorded; empty: none): "
    "a misconduct route needs the count far above the others holding the same role "
    "(robust z at advice_z, at least min_group_size of them in post), otherwise it is a wellbeing check."
)

POSTING_FIELDS = r"^(posting|post|attachment|attached to|role|acting role|deployment)$"
"""`roster_changes.field` values (lower-cased) that record a temporary posting: its ``new_value`` is the
role or unit the person works in for those tours."""

ROLE_OPTIONAL_READS: dict[str, tuple[str, ...]] = {"roster_changes": ("staff_id", "field", "new_value")}
"""Optional reads of a lookup detector for the postings of `with_role`."""


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
    if src.has("roster_changes"):
        # a temporary posting to a checking role in the period (acting custody sergeant, restricted
        # duties on a front enquiry office) makes the person one of its holders, as HR's role
        # still names their substantive post
        rc = src.table("roster_changes")
        post = rc.new_value.lower().strip()
        posted = rc.filter(rc.field.lower().strip().re_search(POSTING_FIELDS), post.re_search(pattern))
        posted = posted.select(_sid=posted.staff_id, _role=post)
        both = holders.union(posted)
        holders = both.group_by("_sid").aggregate(_role=both._role.min())
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


CASELESS_LABEL = (
    "holds no case of their own to cite (every lookup is without one by necessity): held against what peers look "
    "up of every kind, and volume alone goes no further than a wellbeing check"
)

CASE_HOLDER_READS: dict[str, tuple[str, ...]] = {"case_parties": ("officer_in_case", "opened", "closed")}
"""Optional reads of a volume lookup detector for `case_holders`."""


def case_holders(src: Sources) -> ir.Table | None:
    """``h_sid``: everyone who is officer in case of a case open at some time in the period
    (opened by its end, not closed before its start); None without ``case_parties``."""
    if not src.has("case_parties"):
        return None
    cp = src.table("case_parties")
    cp = cp.filter(
        cp.officer_in_case.notnull(),
        cp.opened.date() <= ibis.literal(src.period_end, type="date"),
        cp.closed.isnull() | (cp.closed.date() >= ibis.literal(src.period_start, type="date")),
    )
    return cp.select(h_sid=cp.officer_in_case).distinct()


def with_caseless(v: ir.Table, holders: ir.Table | None) -> ir.Table:
    """Add ``caseless`` (the person holds no case in the period: `case_holders`; False for
    everyone without them) and ``x``: the count to compare — ``n_total`` (lookups of every kind)
    for a case holder, ``n`` for the caseless. ``v`` has ``staff_id``, ``n`` and ``n_total``."""
    if holders is None:
        return v.mutate(caseless=ibis.literal(False), x=v.n_total)
    v = v.left_join(holders, v.staff_id == holders.h_sid).select(v, caseless=holders.h_sid.isnull())
    return v.mutate(x=ibis.ifelse(v.caseless, v.n, v.n_total))


def against_every_kind(t: ir.Table, c: ir.Table, by: Sequence[str] = ()) -> ir.Table:
    """``t`` (`compare` of ``n``) with, for the caseless, ``robust_z``, ``peer_median`` and
    ``peer_percentile`` from ``c`` (`compare` of ``x`` on the same rows: their count against
    what their peers look up of every kind). Someone who holds no case has nothing to cite:
    their count without a case reference (or outside own cases) is every lookup they make, and
    peers who hold cases cite theirs — against those peers' counts of the same kind, an ordinary
    volume of street and vehicle checks is many times the median."""
    if "caseless" not in c.columns:
        return t.mutate(caseless=ibis.literal(False))
    k = c.select(_sid=c.staff_id, *[c[b].name(f"_{b}") for b in by], _cl=c.caseless, _z=c.robust_z,
                 _med=c.peer_median, _pct=c.peer_percentile)
    cond = [t.staff_id == k._sid, *[t[b] == k[f"_{b}"] for b in by]]
    j = t.join(k, cond)
    cl = j._cl
    return j.select(
        *[c_ for c_ in t.columns if c_ not in ("robust_z", "peer_median", "peer_percentile", "caseless", "x")],
        robust_z=ibis.ifelse(cl, j._z, j.robust_z),
        peer_median=ibis.ifelse(cl, j._med, j.peer_median),
        peer_percentile=ibis.ifelse(cl, j._pct, j.peer_percentile),
        caseless=cl,
    )


CHECKED_AGAINST_PEERS: tuple[str, ...] = (
    "the person's own usual volume (a window is flagged only as a burst above it)",
    "a return from long absence: a window is a burst only above the person's usual lookups per day at work "
    "(sickness and leave days out), not above a usual count the absence kept low",
    "a recall to duty: lookups in line with those of everybody else recalled in the period",
    "a team-wide surge: a count in line with the person's own unit in the same days (at least min_group_size "
    "in post) goes no further than wellbeing",
    "a role whose work is checking records (checking_roles: vetting, audit, research, the PNC bureau, roads policing "
    "and ANPR vehicle checks): a count in "
    "line with others holding the role, or a role too few hold to compare, goes no further than wellbeing",
)
"""The explanations every lookup detector checks in `assess` (their ``explanations_checked`` end with these)."""

CASELESS_CHECKED = (
    "someone who holds no case of their own (case_parties): held against what peers look up of every kind, and "
    "volume alone goes no further than wellbeing"
)
"""Checked in `assess` by the volume detectors (``caseless=True``), after `CHECKED_AGAINST_PEERS`."""


__all__ = [
    "CASELESS_CHECKED", "CASELESS_LABEL", "CASE_HOLDER_READS", "CHECKED_AGAINST_PEERS", "CHECKING_ROLES",
    "CHECKING_ROLES_DOC", "POSTING_FIELDS", "ROLE_LABEL", "ROLE_OPTIONAL_READS", "TEAM_LABEL", "against_every_kind",
    "case_holders", "in_line_with_role",
    "in_line_with_team", "with_caseless", "with_role", "with_team",
]
