"""A name link corroborated by the person's own declaration (undeclared_interest; not a detector).

An outside record linked to a member of staff by name and date of birth carries the linkage's
probability (`fairwitness.linkage`). When the person has themselves declared the record's
organisation, that is one more comparison in the Fellegi–Sunter sense: its m probability (how
often a person's own declarations name the organisation of a record about them) is the
detector's ``own_declaration_m``, its u probability the share of staff who declared that
organisation. A misspelt name with a birth year out (about 0.4 alone) becomes near certain for an
organisation one person in two thousand declared, and barely moves for an employer half the force
declared. Only a declared organisation is corroborated, so this only ever finds a declaration
late, never an interest undeclared. Names are compared as the detector compares them (`_names`).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._names import name_key, name_match


def corroborated(r: ir.Table, d: ir.Table, src: Any, p: Any) -> ir.Table:
    """``r`` with ``prob`` revised for the person's own declaration of the record's organisation
    (and ``name_prob``, the linkage's probability). A record linked by name and date of birth
    (never a direct link) to a person who declared the same organisation (approved or pending)
    has its odds multiplied by ``own_declaration_m / u``, ``u`` the share of staff who declared
    that organisation; the probabilities of the record's candidates stay exclusive (each
    candidate's odds against "none of them", as the linkage made them). Without ``people`` (no
    headcount) or with ``own_declaration_m`` 0, nothing changes."""
    r = r.mutate(name_prob=r.prob)
    if not src.has("people") or p.own_declaration_m <= 0:
        return r
    named = r.method != "staff_id"
    cand = r.filter(r.own & named).select("record_id", _party=name_key(r.counterparty)).distinct()
    dv = d.filter(d.status.lower().isin(["approved", "pending"]))
    dv = dv.select("staff_id", _declared=name_key(dv.counterparty)).distinct()
    # a match depends on the two normalised names alone: compare each distinct pair of names once
    # (a join without an equal key: all pairs), not each pair of rows
    a, b = cand.select("_party").distinct(), dv.select("_declared").distinct()
    names = a.join(b, name_match(a._party, b._declared, p.name_tolerance, normalised=True))
    k = cand.join(names, "_party").join(dv, "_declared")
    k = k.group_by(k.record_id).aggregate(k=k.staff_id.nunique())
    ppl = src.table("people")
    headcount = ppl.aggregate(n_staff=ppl.staff_id.nunique())
    r = r.left_join(k, r.record_id == k.record_id).select(r, k=k.k).cross_join(headcount)
    named = r.method != "staff_id"
    bf = ibis.ifelse(
        r.own & named & r.k.notnull(),
        p.own_declaration_m * r.n_staff.cast("float64") / ibis.greatest(r.k, 1).cast("float64"),
        1.0,
    )
    # the linkage's exclusive probabilities back to odds against "none of the candidates"
    none = 1.0 - ibis.ifelse(named, r.prob, 0.0).sum().over(ibis.window(group_by=r.record_id))
    r = r.mutate(odds=ibis.ifelse(named, r.prob / ibis.greatest(none, ibis.literal(1e-9)), 0.0) * bf, bf=bf)
    by_record = ibis.window(group_by=r.record_id)
    revised = r.odds / (1.0 + r.odds.sum().over(by_record))
    any_boost = r.bf.max().over(by_record) > 1.0
    r = r.mutate(
        prob=ibis.ifelse((r.method != "staff_id") & any_boost, ibis.least(revised, ibis.literal(0.999999)), r.prob)
    )
    return r.drop("k", "n_staff", "odds", "bf")


__all__ = ["corroborated"]
