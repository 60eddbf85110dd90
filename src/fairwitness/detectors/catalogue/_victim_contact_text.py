"""The per-person-and-party explanation of `victim_contact` (one line of facts behind its kinds of evidence)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from fairwitness.detectors.catalogue._common import london_time

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from fairwitness.detectors.sources import Sources


def closed_day(closed: ir.TimestampValue, src: Sources) -> ir.DateValue:
    """The local (Europe/London) day a case closed. Ends are exclusive: a closure given as a date
    alone is stored as the next local midnight (in summer, 23:00 UTC the day before), so an end at
    local midnight is shown as the day before it, the day the source named."""
    return (london_time(closed, src) - ibis.interval(seconds=1)).date()


def pair_text(ps: ir.Table, src: Sources) -> ir.StringValue:
    """``ps``: one row per officer and party, with the counts `VictimContact.build` aggregates."""
    return (
        ps.role
        + " "
        + ps.subject_ref
        + " in case "
        + ps.case
        + ibis.ifelse(ps.closed.notnull(), " (closed " + closed_day(ps.closed, src).cast("string") + ")", " (open)")
        + ": "
        + ps.n_after.cast("string")
        + " contacts after closure"
        + ibis.ifelse(ps.n_after >= 1, " up to " + ps.span.cast("string") + " days after it", "")
        + ibis.ifelse(ps.p95.notnull(), " (peers' 95th percentile " + ps.p95.round(0).cast("int64").cast("string") + " days)", "")
        + ", "
        + ps.n_off.cast("string")
        + " made off duty, "
        + ps.n_texts.cast("string")
        + " texts sent ("
        + ps.n_texts_off.cast("string")
        + " off duty, at most "
        + ps.week_texts.cast("string")
        + " in a week), longest call "
        + (ps.longest / 60.0).round(0).cast("int64").cast("string")
        + " min, "
        + ps.n_out.cast("string")
        + " outgoing, "
        + ps.n_views.cast("string")
        + " record views with no case purpose"
    )
