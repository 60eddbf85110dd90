"""The period's lookups of subjects outside the person's own cases (shared by
``lookups_outside_own_cases`` and ``repeated_subject_lookups``; not a detector).

A lookup is *outside own cases* when its subject is a party to no case where the person is officer
in case, and it cites no case the subject is a party to (working a colleague's case and citing it is
normal), and it cites no case of the person's own team (``cited_case_tasking``): a case open on the
day, whose officer in case is someone in their unit, or someone within ``line_chain_depth`` levels
of line management above or below them — not the person themself: as its officer they know their own
case's parties, and citing it for somebody else is their own say-so (the neighbour looked up under
the person's own antisocial-behaviour case). A case-party table lists the
victims, witnesses and suspects, not every associate, address-holder or vehicle keeper an inquiry
researches; the researcher tasked on their team's live inquiry cites it for all of them. A misuser
citing a case as cover is still counted: their own case, a case of another unit and line chain, a
case closed before (or not yet opened on) the day, a reference no case holds.

Nor is a lookup outside own cases when someone else cited the same reference for the same subject
in the period (``shared_reference``): a problem-solving plan, a MARAC, a disclosure request, a
tasking are references no case-party table holds, and the colleagues working them check the same
people under them. A reference made up as cover is the person's alone; a reference shared by
chance (a generic "N/A" or "ENQUIRY") clears a subject only if someone else looked that very
subject up under it too.

Anti joins over the whole log, the costliest part of either detector (at 46,000 x 12, 44.5 M
lookups: about 4 CPU-seconds): one table per run and parameters (`Sources.shared`), read by both.
Only the few lookups left after the first two that cite a case are joined to the cases and the
line chain.
"""

from __future__ import annotations

from functools import partial

import ibis
import ibis.expr.types as ir
from pydantic import Field

from fairwitness.detectors.catalogue._common import blank, in_period
from fairwitness.detectors.catalogue._lookups import LookupParams
from fairwitness.detectors.sources import Sources

OUTSIDE_READS: dict[str, tuple[str, ...]] = {
    "system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref"),
    "case_parties": ("case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"),
    "people": ("staff_id", "unit_id", "line_manager_id"),
}
"""What the table is built from (both detectors declare it)."""

OUTSIDE_CHECKED: tuple[str, ...] = (
    "subject is a party to one of the person's own cases",
    "lookup cites a case the subject is a party to (a colleague's case)",
    "lookup cites a case open on the day whose officer in case is a colleague in their unit or in their line chain "
    "(cited_case_tasking: research for their team's live inquiry; their own case cited for a non-party is not enough)",
    "someone else cited the same reference for the same subject in the period (shared_reference: a problem-solving "
    "plan, a MARAC, a disclosure request worked by several colleagues)",
)
"""The explanations the table itself checks (both detectors' ``explanations_checked`` begin with these)."""


class OutsideParams(LookupParams):
    cited_case_tasking: bool = Field(
        default=True,
        description="A lookup citing a case open on the day whose officer in case is someone else in the person's unit, "
        "or within line_chain_depth levels of line management of them, is not outside their own cases, "
        "whoever its subject: an inquiry researches associates, addresses and vehicles its case-party table does "
        "not list. The person's own case cited for a non-party, a case of another unit and line chain, a closed "
        "case or an unknown reference still counts.",
    )
    line_chain_depth: int = Field(
        default=2,
        ge=0,
        le=4,
        description="Levels of line management (people.line_manager_id), above and below the person, whose open cases "
        "are their team's for cited_case_tasking (2: their sergeant's and inspector's cases, or their reports' and "
        "their reports' reports'); 0: the person's own unit only.",
    )
    shared_reference: bool = Field(
        default=True,
        description="A lookup citing a reference (a case or not) that someone else also cited for the same subject in "
        "the period is not outside the person's own cases: a problem-solving plan, a MARAC, a disclosure request or "
        "a tasking worked by several colleagues. A reference only the person cites for that subject still counts.",
    )


def named_lookups(src: Sources) -> ir.Table:
    """The period's lookups naming a subject."""
    sa = src.table("system_access")
    return sa.filter(in_period(sa.ts, src), sa.subject_ref.notnull())


def _line_links(src: Sources, depth: int) -> ir.Table | None:
    """``a, b``: b is within ``depth`` levels of line management above or below a."""
    if depth <= 0:
        return None
    p = src.table("people")
    up = p.filter(p.line_manager_id.notnull() & ~blank(p.line_manager_id)).select(a=p.staff_id, b=p.line_manager_id)
    levels, cur = [up], up
    for _ in range(depth - 1):
        nxt = up.view()
        cur = cur.join(nxt, cur.b == nxt.a).select(a=cur.a, b=nxt.b)
        levels.append(cur)
    above = ibis.union(*levels) if len(levels) > 1 else up
    return ibis.union(above, above.select(a=above.b, b=above.a), distinct=True)


def _tasked(src: Sources, rest: ir.Table, depth: int) -> ir.Table:
    """``event_id``: the lookups of ``rest`` citing a case of the person's own team open on the day."""
    c = rest.filter(~blank(rest.case_ref)).select("event_id", "staff_id", "ts", "case_ref")
    # only the cases these lookups cite (not every case of the period's case-party table)
    cp = src.table("case_parties")
    cp = cp.semi_join(c, cp.case_ref == c.case_ref)
    cases = cp.group_by("case_ref", "officer_in_case").aggregate(
        opened=cp.opened.min(),
        # open-ended when any of its rows is
        closed=ibis.ifelse(cp.closed.count() == cp.count(), cp.closed.max(), ibis.null(cp.closed.type())),
    )
    day = c.ts.date()
    c = c.join(
        cases,
        (c.case_ref == cases.case_ref)
        & (day >= cases.opened.date())
        & (cases.closed.isnull() | (day <= cases.closed.date())),
    ).select(c.event_id, c.staff_id, oic=cases.officer_in_case)
    ppl = src.table("people")
    mine = ppl.select(m_sid=ppl.staff_id, m_unit=ppl.unit_id)
    theirs = ppl.select(o_sid=ppl.staff_id, o_unit=ppl.unit_id)
    c = c.left_join(mine, c.staff_id == mine.m_sid).select(c, m_unit=mine.m_unit)
    c = c.left_join(theirs, c.oic == theirs.o_sid).select(c, o_unit=theirs.o_unit)
    links = _line_links(src, depth)
    if links is not None:
        c = c.left_join(links, (c.staff_id == links.a) & (c.oic == links.b)).select(c, linked=links.a.notnull())
    else:
        c = c.mutate(linked=ibis.literal(False))
    # the person's own case is not enough: as its officer they know its parties, and citing it for
    # somebody else is their own say-so (a neighbour looked up under their own antisocial-behaviour case)
    team = (c.oic != c.staff_id) & ((c.m_unit.notnull() & (c.m_unit == c.o_unit)) | c.linked)
    return c.filter(team).select("event_id").distinct()


def _shared(rest: ir.Table) -> ir.Table:
    """``s_ref, s_subject``: the (reference, subject) pairs of ``rest`` that more than one person cited."""
    c = rest.filter(~blank(rest.case_ref))
    g = c.group_by("case_ref", "subject_ref").aggregate(_people=c.staff_id.nunique())
    return g.filter(g._people >= 2).select(s_ref=g.case_ref, s_subject=g.subject_ref)


def _outside(src: Sources, tasking: bool = False, depth: int = 0, shared: bool = False) -> ir.Table:
    sa = named_lookups(src)
    cp = src.table("case_parties")
    # not made distinct: an anti join's right side may repeat a key (the same answer), and
    # deduplicating the whole case-party table cost 1.6 CPU-seconds a window at 46,000 people
    own = cp.select(staff_id=cp.officer_in_case, subject_ref=cp.subject_ref)
    cited = cp.select("case_ref", "subject_ref")
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
    tasking = tasking and src.has("people")
    if tasking or shared:
        # the anti joins' result read more than once (the lookups citing a case, the pairs others cite,
        # and the final anti joins): computed once (without, at 46,000 x 12 the tasking took the detector
        # from 19.8 to 27.5 s). Others' lookups of the same pair that the anti joins above removed (the
        # subject a party to their own case) are not counted: the pair is then a case's, seen as one.
        j = rest = src.once(j)
        if tasking:
            t = _tasked(src, rest, depth)
            j = j.anti_join(t, j.event_id == t.event_id)
        if shared:
            sh = _shared(rest)
            j = j.anti_join(sh, (j.case_ref == sh.s_ref) & (j.subject_ref == sh.s_subject))
    j = j.left_join(vuln, j.subject_ref == vuln.subject_ref).select(j, vuln=vuln.vuln.fill_null(False))
    return j.select("staff_id", "ts", "event_id", "subject_ref", "vuln")


def outside_own_cases(src: Sources, p: OutsideParams | None = None) -> ir.Table:
    """``staff_id, ts, event_id, subject_ref, vuln``: the period's lookups outside the person's own
    cases (module doc; ``p``'s ``cited_case_tasking``, ``line_chain_depth`` and ``shared_reference``); ``vuln``: the
    subject is a vulnerable victim or witness of some case."""
    p = p or OutsideParams()
    key = f"outside_own_cases:{int(p.cited_case_tasking)}:{p.line_chain_depth}:{int(p.shared_reference)}"
    build = partial(_outside, tasking=p.cited_case_tasking, depth=p.line_chain_depth, shared=p.shared_reference)
    return src.shared(key, build, OUTSIDE_READS)


__all__ = ["OUTSIDE_CHECKED", "OUTSIDE_READS", "OutsideParams", "named_lookups", "outside_own_cases"]
