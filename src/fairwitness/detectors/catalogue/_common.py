"""Small Ibis helpers shared by the catalogue (not a detector).

Everything here builds expressions only and compiles on DuckDB and PySpark alike:
no backend-specific functions, arrays always sorted before they are output so the
engines agree row for row.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from fairwitness.contract.tables import PART_DAY_HOURS
from fairwitness.detectors.base import SIGNAL_COLUMNS
from fairwitness.detectors.compiler import digest
from fairwitness.detectors.sources import SourceNotLoaded

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.sources import Sources

MAX_EVIDENCE_KEYS = 200
"""At most this many evidence keys per signal (sorted, so the same ones on every engine)."""

ACTIVE_CLAIM_STATUSES: tuple[str, ...] = ("approved", "pending")
"""Overtime claims that were paid or are waiting to be: rejected claims are not evidence."""


# --- period -------------------------------------------------------------------------------


def period_start_ts(src: Sources) -> ir.TimestampScalar:
    return ibis.literal(dt.datetime.combine(src.period_start, dt.time()), type="timestamp")


def period_end_ts(src: Sources) -> ir.TimestampScalar:
    """Exclusive upper bound: midnight after the last day of the period."""
    return ibis.literal(dt.datetime.combine(src.period_end + dt.timedelta(days=1), dt.time()), type="timestamp")


def in_period(ts: ir.TimestampValue, src: Sources) -> ir.BooleanValue:
    return (ts >= period_start_ts(src)) & (ts < period_end_ts(src))


def overlaps_period(start: ir.TimestampValue, end: ir.TimestampValue, src: Sources) -> ir.BooleanValue:
    return (start < period_end_ts(src)) & (end > period_start_ts(src))


def period_days(src: Sources) -> int:
    return (src.period_end - src.period_start).days + 1


# --- time ---------------------------------------------------------------------------------


def hours_between(start: ir.TimestampValue, end: ir.TimestampValue) -> ir.FloatingValue:
    return (end.epoch_seconds() - start.epoch_seconds()).cast("float64") / 3600.0


def overlap_hours(
    a_start: ir.TimestampValue, a_end: ir.TimestampValue, b_start: ir.TimestampValue, b_end: ir.TimestampValue
) -> ir.FloatingValue:
    """Hours two intervals share (0 when they do not meet). Works across midnight and DST
    because lake timestamps are UTC."""
    h = hours_between(ibis.greatest(a_start, b_start), ibis.least(a_end, b_end))
    return ibis.greatest(h, ibis.literal(0.0))


ABSENCE_PART_READS: tuple[str, ...] = ("days", "hours")
"""The absence columns `located` reads (declare them beside ``start`` and ``end``)."""


def settled(ab: ir.Table) -> ir.BooleanValue:
    """False for an absence still pending (a leave request not yet approved): it may excuse
    missing presence or attendance, but is never held against the person, who may not have
    taken it. (Rejected, cancelled and withdrawn absences are never seen:
    `fairwitness.detectors.sources.absences_in_effect`.) Declare ``status`` in ``reads``."""
    return ab.status.isnull() | (ab.status != "pending")


def located(ab: ir.Table) -> ir.BooleanValue:
    """False for an absence recorded as part of one day without its hours: about a day long (a
    date alone: 23 to 25 hours, with the clocks' changes) and fewer than one day (``days``) or
    fewer than `PART_DAY_HOURS` hours (``hours``) absent (SAP writes a two-hour appointment as
    its date and ``ABMST = 2``). Such a record does not say which hours were absent, so nothing
    within that day can be set against it. A part day with clock times (09:00 to 11:00) is an
    ordinary span, and located."""
    span = hours_between(ab.start, ab.end)
    part = (ab.days.notnull() & (ab.days < 1.0)) | (ab.hours.notnull() & (ab.hours < PART_DAY_HOURS))
    return ~((span >= 23.0) & (span <= 25.0) & part).fill_null(False)


def _last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def bst_windows(src: Sources) -> list[tuple[dt.datetime, dt.datetime]]:
    """UTC intervals of British Summer Time for the years around the period
    (from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October)."""
    out = []
    for y in range(src.period_start.year - 1, src.period_end.year + 2):
        out.append(
            (
                dt.datetime.combine(_last_sunday(y, 3), dt.time(1)),
                dt.datetime.combine(_last_sunday(y, 10), dt.time(1)),
            )
        )
    return out


def london_time(ts: ir.TimestampValue, src: Sources) -> ir.TimestampValue:
    """UTC lake time as Europe/London wall-clock time (for 'which day', 'which hour')."""
    cond = ibis.literal(False)
    for a, b in bst_windows(src):
        cond = cond | ((ts >= ibis.literal(a, type="timestamp")) & (ts < ibis.literal(b, type="timestamp")))
    return ibis.ifelse(cond, ts + ibis.interval(hours=1), ts)


def london_date(ts: ir.TimestampValue, src: Sources) -> ir.DateValue:
    return london_time(ts, src).date()


def bank_holidays(years: range) -> set[dt.date]:
    """Bank holidays of England and Wales (standard rules, with substitute days).
    One-off holidays (jubilees, coronations, state funerals) are not included."""
    out: set[dt.date] = set()
    for y in years:
        a, b, c = y % 19, y // 100, y % 100
        d, e = b // 4, b % 4
        f = (b + 8) // 25
        g = (b - f + 1) // 3
        h = (19 * a + b - d - g + 15) % 30
        i, k = c // 4, c % 4
        el = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 22 * el) // 451
        month = (h + el - 7 * m + 114) // 31
        day = ((h + el - 7 * m + 114) % 31) + 1
        easter = dt.date(y, month, day)
        out |= {easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)}
        first_may = dt.date(y, 5, 1)
        out.add(first_may + dt.timedelta(days=(7 - first_may.weekday()) % 7))
        out.add(_last_weekday(y, 5, 0))
        out.add(_last_weekday(y, 8, 0))
        ny = dt.date(y, 1, 1)
        out.add(ny + dt.timedelta(days={5: 2, 6: 1}.get(ny.weekday(), 0)))
        xmas, boxing = dt.date(y, 12, 25), dt.date(y, 12, 26)
        if xmas.weekday() == 5:
            out |= {dt.date(y, 12, 27), dt.date(y, 12, 28)}
        elif xmas.weekday() == 6:
            out |= {dt.date(y, 12, 26), dt.date(y, 12, 27)}
        elif boxing.weekday() == 5:
            out |= {xmas, dt.date(y, 12, 28)}
        else:
            out |= {xmas, boxing}
    return out


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def working_days(src: Sources) -> list[dt.date]:
    """Mondays to Fridays of the period that are not bank holidays."""
    bh = bank_holidays(range(src.period_start.year, src.period_end.year + 1))
    days = [src.period_start + dt.timedelta(days=i) for i in range(period_days(src))]
    return [d for d in days if d.weekday() < 5 and d not in bh]


def date_spine(days: list[dt.date], name: str = "day") -> ir.Table:
    """A one-column table of dates (an Ibis memtable: registered by the engine that runs it)."""
    import pyarrow as pa

    return ibis.memtable(pa.table({name: pa.array(days, type=pa.date32())}))


# --- strings ------------------------------------------------------------------------------


def norm(s: ir.StringValue) -> ir.StringValue:
    """Lower-case, trimmed, with spaces and hyphens as underscores: 'Rest Day Working' ->
    'rest_day_working'."""
    return s.lower().strip().re_replace(r"[\s\-]+", "_")


_STRIPPED = (" ", "\t", "\n", "\r", "\v", "\f")
"""What ``strip`` removes on both engines (DuckDB's TRIM and Spark's, as Ibis compiles them)."""


def blank(s: ir.StringValue) -> ir.BooleanValue:
    """Null, empty or only whitespace. Only a value whose first character is whitespace is
    stripped (a CASE, so the engine does not strip the others): ingest trims values, so almost
    none is, and stripping every value decodes it whole (9.7 M case references: 2.4 s -> 0.2 s)."""
    first = s.substr(0, 1)
    starts_blank = ibis.or_(*[first == c for c in _STRIPPED])  # not IN: DuckDB joins a list
    return ibis.cases((s.isnull(), True), (starts_blank, s.strip() == ""), else_=s == "")


# --- arrays and output --------------------------------------------------------------------


def empty_strings() -> ir.ArrayValue:
    return ibis.literal([], type="array<string>")


def keys(col: ir.StringColumn) -> ir.ArrayValue:
    """Aggregate: sorted keys, capped at `MAX_EVIDENCE_KEYS`."""
    return col.collect().sort()[:MAX_EVIDENCE_KEYS]


def flags(*pairs: tuple[ir.BooleanValue, str]) -> ir.ArrayValue:
    """An array of the labels whose condition holds (explanations found), in the given order."""
    if not pairs:
        return empty_strings()
    items = [ibis.ifelse(cond.fill_null(False), ibis.literal(label), ibis.null("string")) for cond, label in pairs]
    return ibis.array(items).filter(lambda x: x.notnull())


def require_any(src: Sources, names: tuple[str, ...], detector: str) -> list[str]:
    loaded = [n for n in names if src.has(n)]
    if not loaded:
        raise SourceNotLoaded(f"{detector} needs at least one of {', '.join(names)}; none is loaded")
    return loaded


def signals(
    t: ir.Table,
    src: Sources,
    *,
    value: ir.Value,
    score: ir.Value,
    route: ir.Value,
    evidence_table: str | ir.Value,
    evidence_keys: ir.Value,
    explanations_found: ir.Value | None = None,
    detail: ir.Value | None = None,
    peer_median: ir.Value | None = None,
    peer_percentile: ir.Value | None = None,
    peer_group: ir.Value | None = None,
    staff_id: ir.Value | None = None,
    extra: dict[str, ir.Value] | None = None,
) -> ir.Table:
    """Project ``t`` onto `SIGNAL_COLUMNS` with the contract's types (period = the run's), and
    ``extra`` columns after them for a detector's own ``finish`` to read (it returns the signal
    columns alone)."""
    cols = {
        "staff_id": (t.staff_id if staff_id is None else staff_id).cast("string"),
        "period_start": ibis.literal(src.period_start, type="date"),
        "period_end": ibis.literal(src.period_end, type="date"),
        "value": value.cast("float64"),
        "peer_median": (ibis.null("float64") if peer_median is None else peer_median.cast("float64")),
        "peer_percentile": (ibis.null("float64") if peer_percentile is None else peer_percentile.cast("float64")),
        "peer_group": (ibis.null("string") if peer_group is None else peer_group.cast("string")),
        "score": score.cast("float64"),
        "route": route.cast("string"),
        "evidence_table": (
            ibis.literal(evidence_table) if isinstance(evidence_table, str) else evidence_table
        ).cast("string"),
        "evidence_keys": evidence_keys.cast("array<string>"),
        "explanations_found": (empty_strings() if explanations_found is None else explanations_found).cast(
            "array<string>"
        ),
        "detail": (ibis.null("string") if detail is None else detail.cast("string")),
    }
    assert list(cols) == list(SIGNAL_COLUMNS)
    return t.select(**cols, **(extra or {}))


def kinds_present(present: dict[str, ir.BooleanValue], declared: dict[str, str]) -> tuple[ir.IntegerValue, ir.StringValue]:
    """How many of the independent kinds of evidence are present, and the text naming them
    (`fairwitness.detectors.base.KINDS_PREFIX`, empty when none) to end a ``detail`` with.
    ``present``: kind key (declared in ``declared``) -> whether the signal has it."""
    from fairwitness.detectors.base import KINDS_PREFIX

    unknown = sorted(set(present) - set(declared))
    if unknown:
        raise KeyError(f"undeclared evidence kinds {unknown}")
    count: ir.IntegerValue = ibis.literal(0)
    joined: ir.StringValue = ibis.literal("")
    for key in declared:
        if key not in present:
            continue
        cond = present[key].fill_null(False)
        count = count + cond.cast("int64")
        joined = joined + ibis.ifelse(cond, "; " + declared[key], "")
    text = ibis.ifelse(joined == "", "", " [" + KINDS_PREFIX + joined.substr(2) + "]")
    return count, text


def clip01(x: ir.NumericValue) -> ir.FloatingValue:
    return ibis.least(ibis.greatest(x.cast("float64"), ibis.literal(0.0)), ibis.literal(1.0))


def fmt(x: ir.NumericValue, digits: int = 1) -> ir.StringValue:
    """A number as text with ``digits`` decimals (identical on both engines)."""
    if digits == 0:
        return x.round(0).cast("int64").cast("string")
    scaled = (x.cast("float64") * 10**digits).round(0).cast("int64")
    whole = (scaled.abs() // 10**digits).cast("string")
    frac = (scaled.abs() % 10**digits).cast("string").lpad(digits, "0")
    sign = ibis.ifelse(scaled < 0, "-", "")
    return sign + whole + "." + frac


# --- presence -----------------------------------------------------------------------------

PRESENCE_READS: dict[str, tuple[str, ...]] = {
    "badge_events": ("staff_id", "ts"),
    "device_events": ("staff_id", "ts"),
    "system_access": ("staff_id", "ts"),
    "comms_events": ("staff_id", "ts", "direction"),
}
"""Activity that shows a person was working: building access, work-device events (never
their location), police-systems use and outgoing work communications."""


def presence_events(src: Sources, detector: str) -> tuple[ir.Table, list[str]]:
    """``staff_id, ts, day`` of every activity event in the loaded presence sources, and
    the names of the sources used. Fails clearly when none is loaded."""
    loaded = require_any(src, tuple(PRESENCE_READS), detector)
    parts = []
    for name in loaded:
        t = src.table(name)
        if name == "comms_events":
            t = t.filter(t.direction.lower() == "out")
        parts.append(t.select(staff_id=t.staff_id.cast("string"), ts=t.ts.cast("timestamp")))
    ev = parts[0]
    for other in parts[1:]:
        ev = ev.union(other)
    return ev.mutate(day=ev.ts.date()), loaded


def mark_overruns(j: ir.Table, src: Sources, overrun_minutes: float) -> ir.Table:
    """Add ``overrun`` to rows pairing an overtime claim with an absence (columns ``pair_id``,
    ``staff_id``, ``claim_start``, ``absence_start``): true when the claim began before the
    absence, or continues a rostered shift that began before the absence (starts within
    ``overrun_minutes`` of that shift's end) — a duty that ran over into the first hours of
    leave or sickness, not work done while absent."""
    before = j.claim_start < j.absence_start
    if not src.has("shifts"):
        return j.mutate(overrun=before)
    s = src.table("shifts")
    m = ibis.interval(minutes=int(overrun_minutes))
    k = j.select("pair_id", "staff_id", "claim_start", "absence_start")  # only the columns the join needs
    hit = k.join(
        s,
        (k.staff_id == s.staff_id)
        & (s.start < k.absence_start)
        & (s.end >= k.claim_start - m)
        & (s.end <= k.claim_start + m),
    ).select(k.pair_id).distinct().mutate(_cont=ibis.literal(True))
    out = j.left_join(hit, j.pair_id == hit.pair_id).select(j, _cont=hit._cont.fill_null(False))
    return out.mutate(overrun=(out.claim_start < out.absence_start) | out._cont).drop("_cont")
