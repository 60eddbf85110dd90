"""Intervals and events of one person, matched without comparing every pair (not a detector).

A join on the person alone pairs every shift with every absence of that person in the period
(at 10,000 x 12: 1.7 million shifts against 38 absences each, 65 million pairs weighed for a
few thousand overlaps), and every event with every shift of the person, a cost that grows with
the square of the period. Two intervals that overlap share a calendar day — the day of the
later of their starts lies inside both — and an event inside an interval falls on one of its
days, so joining on (person, day) finds exactly the same pairs among a few rows each. All of
it builds Ibis expressions only (DuckDB and Spark alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.catalogue._common import ACTIVE_CLAIM_STATUSES, PRESENCE_READS, in_period, presence_events

if TYPE_CHECKING:
    from fairwitness.detectors.sources import Sources


class ClaimPresenceParams(BaseModel):
    """The parameters of `claims_with_presence`, shared by the detectors that read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inside_minutes: float = Field(
        default=15,
        ge=0,
        le=120,
        description="Activity must come at least this long after a claim's start: a badge-out or logout at the end of "
        "the shift the overtime follows is not presence during the overtime.",
    )
    after_minutes: float = Field(
        default=30, ge=0, le=240, description="Activity up to this long after the claimed end counts (leaving)."
    )


CLAIM_PRESENCE_READS = {"overtime_claims": ("claim_id", "staff_id", "start", "end", "status"), **PRESENCE_READS}
"""What `claims_with_presence` reads."""


def interval_days(t: ir.Table, start: str = "start", end: str = "end") -> ir.Table:
    """``t`` with one row per calendar day from ``start``'s day to ``end``'s, in ``day``; a row
    with a missing or reversed interval has none (it overlaps nothing: one reversed within a day
    would otherwise get that day, and the range conditions of a join on it can hold)."""
    t = t.filter(t[end] >= t[start])
    n = t[end].date().delta(t[start].date(), unit="day")
    x = t.mutate(_k=ibis.range(0, n + 1).unnest())
    # the start moved on by whole days, then its date: a date plus days is a timestamp on DuckDB,
    # which the join would cast every event's day to meet
    return x.mutate(day=(x[start].cast("timestamp") + x._k.as_interval("D")).date()).drop("_k")


def overlapping(left: ir.Table, right: ir.Table) -> ir.Table:
    """Pairs of a row of ``left`` and a row of ``right`` (each with ``staff_id, start, end``)
    of the same person whose intervals overlap (``right.start < left.end`` and
    ``right.end > left.start``), each pair once; columns as in an Ibis join of the two (a
    right column named as a left one gets the suffix ``_right``), without ``day``."""
    ld, rd = interval_days(left), interval_days(right)
    j = ld.join(
        rd,
        (ld.staff_id == rd.staff_id) & (ld.day == rd.day) & (rd.start < ld.end) & (rd.end > ld.start),
    )
    # a pair sharing several days is found on each: keep the one on the later start's day
    later = ibis.greatest(j.start, j.start_right).date()
    return j.filter(j.day == later).drop("day", "day_right", "staff_id_right")


OFFSITE_DUTY_TYPES = ("court", "training")
"""Rostered duty types away from force buildings (the default of the claim detectors' ``offsite_duty_types``)."""


def rostered_offsite(src: Sources, claims: ir.Table, duty_types: Sequence[str]) -> ir.Table:
    """``claim_id`` of each of ``claims`` (``claim_id, staff_id, start, end``) that a rostered
    shift of one of ``duty_types`` (court, training) overlaps: the roster places the person on
    duty away from force buildings, where no badge, device or systems activity is expected. None
    without ``shifts`` (declare ``shifts.duty_type`` in ``optional_reads``)."""
    if not src.has("shifts") or not duty_types:
        return claims.filter(ibis.literal(False)).select("claim_id")
    sh = src.table("shifts")
    sh = sh.filter(sh.duty_type.fill_null("").lower().strip().isin([d.lower() for d in duty_types]))
    pairs = overlapping(claims.select("claim_id", "staff_id", "start", "end"), sh.select("staff_id", "start", "end"))
    return pairs.select("claim_id").distinct()


def covered(events: ir.Table, intervals: ir.Table, key: str | Sequence[str]) -> ir.Table:
    """``key`` (a column, or several) of every row of ``events`` (``key, staff_id, ts``) that falls
    inside at least one interval of the same person (``staff_id, lo, hi``, both ends included),
    distinct.

    A semi join on the person and the event's day against the intervals' days (`interval_days`):
    a range join on the person alone compares each event with every interval of that person,
    which grows with the square of the period (three years of shifts against three years of
    record views). (A running maximum of the intervals' ends over one pass sorted by time per
    person, used before, sorted the events with all the intervals: 0.8-1.1 s a pass at
    10,000 x 12.) (Keyed on the person's number, `person_numbers`, as `intervals_with_presence`
    can be, `victim_contact` took 14.9 s instead of 13.9 s at 46,000 x 12: its events are few.)"""
    key = [key] if isinstance(key, str) else list(key)
    ev = events.filter(events.ts.notnull()).select(*key, "staff_id", _t=events.ts.cast("timestamp"))
    ev = ev.mutate(_day=ev._t.date())
    iv = intervals.select("staff_id", start=intervals.lo.cast("timestamp"), end=intervals.hi.cast("timestamp"))
    iv = interval_days(iv)
    hit = ev.semi_join(
        iv, (ev.staff_id == iv.staff_id) & (ev._day == iv.day) & (ev._t >= iv.start) & (ev._t <= iv.end)
    )
    return hit.select(*key).distinct()


def person_numbers(t: ir.Table) -> ir.Table:
    """``staff_id, _p``: a small integer for every person of ``t`` (1, 2, … in ``staff_id``
    order).

    A join keyed on the person's text id (a uuid of 36 characters) carries and compares that
    text for every row probed; keyed on this number it carries four bytes. Joined to the
    other side of such a join (an inner join: a row of a person who is not in ``t`` has
    nothing to match there), it gives the same pairs. Measured on the 104 M presence events of
    46,000 x 12 against 8.9 M shift-days: 24.9 s on the text, 14.5 s on the number (mapping
    both sides included)."""
    people = t.select("staff_id").distinct()
    return people.mutate(_p=ibis.row_number().over(order_by=people.staff_id).cast("int32"))


def intervals_with_presence(
    iv: ir.Table,
    events: ir.Table,
    key: str,
    *,
    from_start_minutes: float,
    after_end_minutes: float,
    by_number: bool = False,
    distinct: bool = True,
) -> ir.Table:
    """Keys of rows of ``iv`` (``key, staff_id, start, end``) with at least one event of the
    same person between ``start + from_start_minutes`` (negative: before the start) and
    ``end + after_end_minutes``; ``events`` as from `_common.presence_events` (``staff_id, ts,
    day``). Joined on every calendar day the window touches (`interval_days`), so no engine
    has to compare every event with every interval.

    ``by_number``: join on the person's number (`person_numbers`), not their text id: for
    intervals on most person-days (the roster's shifts), whose days make a large hash table;
    for a few (overtime claims: 1.2 M days at 46,000 x 12) numbering every event costs more
    (7.0 -> 8.4 s) than it saves.

    ``distinct=False``: a key once per day of its window with an event (an interval across
    midnight can be there twice), for a membership test (``isin``) that needs no distinct keys:
    grouping the 7.1 M shifts with presence of 46,000 x 12 took 1.5 CPU-seconds."""
    lo = iv.start + ibis.interval(minutes=int(from_start_minutes))
    hi = iv.end + ibis.interval(minutes=int(after_end_minutes))
    days = interval_days(iv.select(key, "staff_id", start=lo, end=hi))
    ev = events
    if by_number:
        people = person_numbers(iv)
        days = days.join(people, "staff_id").select(key, "day", "start", "end", staff_id="_p")
        ev = events.join(people, "staff_id").select("day", "ts", staff_id="_p")
    # a semi join: whether any event falls in the window, never the pairs (a shift has tens of
    # events: the pairs were 19 M rows at 10,000 x 12, grouped again to find the distinct keys)
    hit = days.semi_join(
        ev, (days.staff_id == ev.staff_id) & (days.day == ev.day) & (ev.ts >= days.start) & (ev.ts <= days.end)
    ).select(key)
    return hit.distinct() if distinct else hit


def claims_with_presence(src: Sources, detector: str, *, inside_minutes: float, after_minutes: float) -> ir.Table:
    """``claim_id`` of every approved or pending overtime claim starting in the period with the
    person's activity in its hours: from ``inside_minutes`` after its start (the badge-out of the
    shift it follows is not presence in it) to ``after_minutes`` after its end (leaving), in the
    loaded presence sources (`_common.presence_events`). A run computes it once for every detector
    asking with the same minutes (`Sources.shared`): `overtime_no_presence` for its unevidenced
    claims, `overtime_during_absence` and `sickness_secondary_work` for claims whose work was done."""

    def build(s: Sources) -> ir.Table:
        events, _ = presence_events(s, detector)
        oc = s.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, s), oc.status.lower().isin(ACTIVE_CLAIM_STATUSES))
        return intervals_with_presence(
            oc.select("claim_id", "staff_id", "start", "end"),
            events,
            "claim_id",
            from_start_minutes=inside_minutes,
            after_end_minutes=after_minutes,
        )

    return src.shared(f"claims_with_presence_{int(inside_minutes)}_{int(after_minutes)}", build, CLAIM_PRESENCE_READS)


def claim_worked(src: Sources, detector: str, p: ClaimPresenceParams, claim_id: ir.Column) -> ir.BooleanValue:
    """Whether each claim of ``claim_id`` shows the person's activity in its hours
    (`claims_with_presence` with ``p``'s minutes); false when no presence source is loaded."""
    if not any(src.has(t) for t in PRESENCE_READS):
        return ibis.literal(False)
    done = claims_with_presence(src, detector, inside_minutes=p.inside_minutes, after_minutes=p.after_minutes)
    return claim_id.isin(done.claim_id)
