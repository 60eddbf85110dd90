"""Absence records as the days and spells they stand for (shared by the catalogue; not a detector).

HR systems export the same sickness in different shapes, and a count must not depend on the
shape:

* **part days**: a two-hour appointment is written as its date with ``hours = 2`` (SAP
  ``ABMST``) or ``days = 0.25`` (SuccessFactors ``fractionQuantity``); forces report sickness
  in hours and fractional days. Read as its date's span it was a whole day's sickness.
  `absence_days` counts the part the record gives.
* **a spell over many records**: SAP's RPTLEA10 stores one row per day; a fit note's
  extension is a new record; a spell may be recorded per working day, its rest days left out.
  Counted record by record, one week's flu was seven spells (a Bradford factor of 343 for
  seven days off). `spells` joins records that touch or overlap, and records with only rest
  days between them (no shift of the person's rostered in the gap, at most ``rest_gap_days``
  apart; for someone not on the roster then, a weekend), into one spell.

Everything builds Ibis expressions only (DuckDB and Spark alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.contract.tables import PART_DAY_HOURS
from fairwitness.detectors.catalogue._common import hours_between, located, london_time, overlap_hours

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.sources import Sources

SPELL_ROSTER_READS: dict[str, tuple[str, ...]] = {"shifts": ("staff_id", "start")}
"""Declared in ``optional_reads`` by a detector counting spells: the roster tells rest days
between two records from days worked. (`absence_days` reads ``days`` and ``hours``:
`fairwitness.detectors.catalogue._common.ABSENCE_PART_READS`, declared with the absences.)"""


class SpellParams(BaseModel):
    """The parameter of a detector that reads sickness as spells (`spells`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rest_gap_days: float = Field(
        default=4.0,
        ge=0,
        description="Two sickness records at most this many days apart with no shift of the person's rostered "
        "between them are one spell (recorded per working day, its rest days left out); for someone not on the "
        "roster, a weekend between them; 0: only records that touch or overlap join.",
    )


def roster(src: Sources) -> ir.Table | None:
    """The shifts' ``staff_id`` and ``start`` for `spells` (None when the roster is not loaded;
    declare `SPELL_ROSTER_READS`)."""
    return src.table("shifts").select("staff_id", "start") if src.has("shifts") else None


def spell_starts(sick: ir.Table, src: Sources, rest_gap_days: float) -> ir.Table:
    """``sick`` (``absence_id``, ``staff_id``, ``start``, ``end``) with ``spell_start``: the start of
    the spell each record belongs to (`spells`; the roster from ``src`` when it is loaded)."""
    t = spells(sick, src, roster(src), rest_gap_days)
    return t.mutate(spell_start=t.start.min().over(ibis.window(group_by=[t.staff_id, t.spell]))).drop("spell")


def absence_days(ab: ir.Table, lo: ir.TimestampValue, hi: ir.TimestampValue) -> ir.FloatingValue:
    """Days of the absence within ``[lo, hi)``: calendar days of its span there (hours / 24),
    but a part-day record (`located` false: one date, fewer than one day or `PART_DAY_HOURS`
    hours absent) counts the part it gives — ``days``, else ``hours`` / `PART_DAY_HOURS` —
    shared out by how much of its date lies within ``[lo, hi)``. ``ab`` has ``start``, ``end``,
    ``days`` and ``hours`` (null where the export holds none)."""
    inside = overlap_hours(ab.start, ab.end, lo, hi)
    part = ibis.ifelse(
        ab.days.notnull() & (ab.days < 1.0),
        ab.days.cast("float64"),
        ibis.least(ab.hours.cast("float64") / PART_DAY_HOURS, ibis.literal(1.0)),
    )
    span = ibis.greatest(hours_between(ab.start, ab.end), ibis.literal(1e-9))
    return ibis.ifelse(located(ab), inside / 24.0, part * inside / span)


ROSTER_DAYS = 35
"""Someone with no shift within this many days either side of a gap is not on the roster then
(staff outside the rostering system): a weekend is their rest."""


def spells(
    ab: ir.Table, src: Sources | None, roster: ir.Table | None, rest_gap_days: float, name: str = "spell"
) -> ir.Table:
    """``ab`` (``absence_id``, ``staff_id``, ``start``, ``end`` and any other columns) with
    ``name`` (``spell``): a number shared by the records of one spell of that person. A record begins a new
    spell unless it starts no later than the end of the person's records before it (touching or
    overlapping), or only rest days lie between: for someone on the ``roster`` (``staff_id``,
    ``start``), within ``rest_gap_days`` of that end with no shift of theirs starting in between;
    for someone not on it (no shift within `ROSTER_DAYS` either side, or no roster), only a
    weekend (London) between them, as an office calendar has it. ``rest_gap_days`` 0: only touching records join (``src`` unused). Records are taken in order
    of start, end and id, so the numbering is the same on every engine."""
    order = [ab.start, ab.end, ab.absence_id]
    before = ibis.window(group_by=ab.staff_id, order_by=order, rows=(None, -1))
    t = ab.mutate(_prev_end=ab.end.max().over(before))
    gap = (t.start > t._prev_end).fill_null(True)
    if rest_gap_days > 0 and src is not None:
        near = t.filter(gap & t._prev_end.notnull())
        near = near.filter(hours_between(near._prev_end, near.start) <= rest_gap_days * 24.0)
        near = near.select("absence_id", "staff_id", "start", "_prev_end")
        if roster is not None:
            # one pass of the roster against the few gaps: the person's shifts within ROSTER_DAYS
            # either side (none: not on the roster then), and whether one starts in the gap
            around = ibis.interval(days=ROSTER_DAYS)
            ctx = near.join(
                roster,
                (near.staff_id == roster.staff_id)
                & (roster.start >= near._prev_end - around)
                & (roster.start < near.start + around),
            )
            in_gap = (ctx.start_right >= ctx._prev_end) & (ctx.start_right < ctx.start)
            seen = ctx.group_by("absence_id", "staff_id").aggregate(worked=in_gap.cast("int64").max())
            on = seen.filter(seen.worked == 0).select("absence_id", "staff_id")
            off = near.anti_join(seen, (near.absence_id == seen.absence_id) & (near.staff_id == seen.staff_id))
        else:
            on, off = None, near
        rest = off.filter(_weekend_only(off._prev_end, off.start, src)).select("absence_id", "staff_id")
        if on is not None:
            rest = rest.union(on)
        t = t.left_join(rest, (t.absence_id == rest.absence_id) & (t.staff_id == rest.staff_id)).select(
            t, _rest=rest.absence_id.notnull()
        )
        gap = gap & ~t._rest
    t = t.mutate(_new=gap.cast("int64"))
    upto = ibis.window(group_by=t.staff_id, order_by=[t.start, t.end, t.absence_id], rows=(None, 0))
    drop = [c for c in ("_prev_end", "_rest", "_new") if c in t.columns]
    return t.mutate(**{name: t._new.sum().over(upto)}).drop(*drop)


def spell_pieces(t: ir.Table) -> ir.Table:
    """The days the records of `spells` output ``t`` stand for, as absence-shaped rows for
    `absence_days` (``staff_id``, ``spell``, ``start``, ``end``, ``days``, ``hours``): records
    that touch or overlap, with a whole day or more among them, are one row of their span (the
    same days however they were cut, an overlap counted once); part days alone are their records,
    each counting its part. Rest days joining two records into a spell are not days of sickness:
    nobody recorded them as such."""
    t = spells(t, None, None, 0.0, name="_island")
    w = ibis.window(group_by=[t.staff_id, t._island])
    t = t.mutate(
        _s_start=t.start.min().over(w), _s_end=t.end.max().over(w), _whole=located(t).cast("int64").max().over(w) == 1
    )
    null = ibis.null("float64")
    whole = t.filter(t._whole).select("staff_id", "spell", start=t._s_start, end=t._s_end, days=null, hours=null).distinct()
    part = t.filter(~t._whole).select(
        "staff_id", "spell", "start", "end", days=t.days.cast("float64"), hours=t.hours.cast("float64")
    )
    return whole.union(part)


def _weekend_only(a: ir.TimestampValue, b: ir.TimestampValue, src: Sources) -> ir.BooleanValue:
    """``[a, b)`` begins on a Saturday or Sunday (London) and ends by the Monday after."""
    dow = london_time(a, src).day_of_week.index()  # Monday 0 ... Sunday 6
    return dow.isin([5, 6]) & (hours_between(a, b) <= (7 - dow).cast("float64") * 24.0 + 1.0)


__all__ = ["SPELL_ROSTER_READS", "SpellParams", "absence_days", "roster", "spell_pieces", "spell_starts", "spells"]
