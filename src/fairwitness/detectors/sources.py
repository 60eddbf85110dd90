"""What a detector sees: the declared columns of loaded sources, within the run's period.

The runner builds one `Sources` per detector with `build_sources`. ``table(name)``
returns an Ibis table holding only the columns the detector declared in ``reads`` /
``optional_reads`` (reading anything else fails when the expression is built),
restricted to the run's period (`PERIOD_RULES`), with privacy filters applied in
the view itself: **device location outside duty is never visible** — a
``device_events`` row of kind ``location`` is kept only when its ``ts`` falls inside
one of the person's rostered ``shifts`` or approved ``overtime_claims``, and rows of
other kinds never carry ``lat``/``lon`` (see `device_events_visible`). An absence that
did not happen (rejected, cancelled, withdrawn) is not seen at all (`absences_in_effect`).

Derived sources (`DerivedSource`) are tables computed once per run before the
detectors, from their own declared, purpose-checked reads (e.g. ``external_links``:
external records linked to staff by record linkage). A detector reads one by naming
it in ``reads`` like any other table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    import pyarrow as pa
    from ibis.backends import BaseBackend


class SourceNotLoaded(LookupError):
    """A detector needs a source that is not loaded in the workspace."""


def cte(t: ir.Table, name: str | None = None) -> ir.Table:
    """``t`` as one table however many expressions read it: a CTE of its own, named ``name``
    (unique in the detector's query) or after its expression
    (`fairwitness.detectors.compiler.digest`). Ibis flattens a join of a join into one chain,
    merges a filter into its readers' filters and copies either into each reader, so the engine
    ran the same joins and scans once per reader (a filter that keeps every row, used before,
    kept a join chain whole but not a filtered scan, nor a chain its readers join). Detectors
    use `Sources.once`, which is this on DuckDB and a cached view in a Spark run."""
    from fairwitness.detectors.compiler import digest

    if name is None:
        name = digest(t)[:12]
    return t.alias(f"_fw_{name}")


@dataclass
class Sources:
    """Declared, filtered views of the loaded contract tables for one detector."""

    tables: dict[str, ir.Table]
    """Loaded tables, already restricted and filtered by the runner."""
    period_start: dt.date
    period_end: dt.date
    """Inclusive bounds of the run's period."""
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    share: Callable[..., ir.Table] | None = None
    """Set by a run: computes each `shared` table once for every detector
    (`fairwitness.detectors.shared.SharedTables.share`); None: each build computes its own."""
    shared_sql: dict[str, str] = field(default_factory=dict)
    """The shared tables this build named: name -> the SQL that creates it (filled by ``share``
    and, on Spark, ``keep``)."""
    keep: Callable[[Sources, ir.Table], ir.Table] | None = None
    """Set by a run: `fairwitness.detectors.shared.SharedTables.keep`, behind `once`."""

    def has(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str) -> ir.Table:
        if name not in self.tables:
            raise SourceNotLoaded(f"source {name!r} is not loaded in this workspace")
        t = self.tables[name]
        cols = self.allowed.get(name)
        return t.select(*cols) if cols else t

    def shared(self, key: str, build: Callable[[Sources], ir.Table], reads: Mapping[str, tuple[str, ...]]) -> ir.Table:
        """``build(self)``: a table that many detectors compute alike from the period and
        ``reads`` alone (table -> the columns ``build`` reads, when the table is loaded), e.g.
        the peer groups. In a run it is computed once per period for every detector that sees
        the same tables (``share``), not once in each detector's query. ``build`` must depend
        on the period and ``reads`` alone (not on a detector's look-back)."""
        if self.share is None:
            return build(self)
        return self.share(self, key, build, reads)

    def once(self, t: ir.Table, name: str | None = None) -> ir.Table:
        """``t``, a part of this detector's own query, computed once however many parts of
        the query read it. A CTE of its own (`cte`), which DuckDB computes once; in a Spark
        run, which writes a CTE into each of its readers and computes it again for each, a
        cached view of the run's session (``keep``). For a part read many times whose computing
        costs more than its rows (on Spark, a cached view is written out in full and its
        statistics are lost)."""
        if self.keep is not None:
            t = self.keep(self, t)
        return cte(t, name)

    # -- conveniences (additions; the fields above are the contract) ----------
    @property
    def period_start_ts(self) -> ir.TimestampScalar:
        """Start of the period as a timestamp literal (00:00 UTC of ``period_start``)."""
        return ibis.timestamp(dt.datetime.combine(self.period_start, dt.time()))

    @property
    def period_end_ts(self) -> ir.TimestampScalar:
        """End of the period, exclusive (00:00 UTC of the day after ``period_end``)."""
        return ibis.timestamp(dt.datetime.combine(self.period_end + dt.timedelta(days=1), dt.time()))


@dataclass(frozen=True)
class DerivedSource:
    """A table computed once per run, before the detectors, and visible to them by name.

    ``compute`` receives a `Sources` over DuckDB holding ``reads`` (checked against the
    purpose register for ``purpose`` when loaded, restricted and filtered like any
    detector's sources) and returns a ``pyarrow.Table``; the runner registers it on the
    run's engine under ``name`` and keeps a copy in the run directory. ``name`` must be
    in the purpose register (detectors reading it are checked against it)."""

    name: str
    compute: Callable[[Sources], pa.Table]
    reads: Mapping[str, tuple[str, ...]]
    optional_reads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    purpose: str = "record_linkage"
    version: str = "1"
    columns: tuple[str, ...] = ()
    """Output columns, when declared: detectors may read only these."""
    doc: str = ""
    rows_of: tuple[str, str] | None = None
    """``(table, column)`` when every output row is computed from the one row of ``table``
    with the same ``column`` value (and from tables without a time rule, e.g. ``people``),
    whatever ``table``'s other rows: ``external_links`` links each external record on its
    own. A detector then sees only the rows of the ``table`` rows it sees (`build_sources`),
    and an incremental run keys each window on those rows, not on the whole derived table
    (`fairwitness.detectors.incremental`), so a new record moves only the windows that see it."""


# -- period restriction --------------------------------------------------------
# table -> (rule, start column, end column)
#   "within":  start column inside [period_start - lookback, period_end + lookahead]
#   "overlap": the interval [start, end] overlaps [period_start - lookback, period_end + lookahead]
#   "until":   start column on or before period_end (registers: declarations, cases…)
#   absent:    not restricted (reference tables: people, units, sites, identities)
PERIOD_RULES: dict[str, tuple[str, str, str | None]] = {
    "shifts": ("overlap", "start", "end"),
    "overtime_claims": ("overlap", "start", "end"),
    "absences": ("overlap", "start", "end"),
    "roster_changes": ("within", "changed_at", None),
    "badge_events": ("within", "ts", None),
    "device_events": ("within", "ts", None),
    "system_access": ("within", "ts", None),
    "comms_events": ("within", "ts", None),
    "expenses": ("within", "date", None),
    "case_parties": ("until", "opened", None),
    "declarations": ("until", "declared_at", None),
    "external_records": ("until", "observed_at", None),
    "complaints": ("until", "received_at", None),
}


def period_filter(
    name: str,
    t: ir.Table,
    period_start: dt.date,
    period_end: dt.date,
    *,
    lookback_days: int = 0,
    lookahead_days: int = 0,
) -> ir.Table:
    """Rows of table ``name`` that belong to the period (`PERIOD_RULES`)."""
    rule = PERIOD_RULES.get(name)
    if rule is None:
        return t
    kind, start_col, end_col = rule
    first = period_start - dt.timedelta(days=max(lookback_days, 0))
    after = period_end + dt.timedelta(days=1 + (0 if kind == "until" else max(lookahead_days, 0)))
    start_c = t[start_col]
    if start_c.type().is_date():
        lo, hi = ibis.date(first), ibis.date(after)
    else:
        lo = ibis.timestamp(dt.datetime.combine(first, dt.time()))
        hi = ibis.timestamp(dt.datetime.combine(after, dt.time()))
    if kind == "within":
        return t.filter(start_c >= lo, start_c < hi)
    if kind == "until":
        return t.filter(start_c < hi)
    assert end_col is not None
    return t.filter(start_c < hi, t[end_col] > lo)


# -- privacy: device location only inside duty -----------------------------------
_WINDOW_DAYS = 2
"""A duty window is matched on its first two calendar days (a night shift or up to 24 h of
overtime); a longer window exposes no location after its second day — the safe direction."""


def duty_windows(base: Mapping[str, ir.Table]) -> ir.Table | None:
    """Rostered shifts and approved overtime as (w_staff, w_start, w_end, w_day) rows, one per
    calendar day the window touches, so the privacy join is an equi-join on (person, day)."""
    parts = []
    if "shifts" in base:
        s = base["shifts"]
        parts.append(s.select(w_staff=s.staff_id, w_start=s.start, w_end=s.end))
    if "overtime_claims" in base:
        o = base["overtime_claims"]
        o = o.filter(o.status == "approved")
        parts.append(o.select(w_staff=o.staff_id, w_start=o.start, w_end=o.end))
    if not parts:
        return None
    w = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])
    w = w.filter(w.w_start.notnull(), w.w_end.notnull(), w.w_end >= w.w_start)
    days = []
    for k in range(_WINDOW_DAYS):
        day = (w.w_start + ibis.interval(days=k)).date()
        days.append(w.filter(day <= w.w_end.date()).mutate(w_day=day))
    return days[0].union(*days[1:])


def device_events_visible(
    dev: ir.Table, base: Mapping[str, ir.Table], ts_range: tuple[dt.datetime, dt.datetime] | None = None
) -> ir.Table:
    """``device_events`` as every detector sees it: rows of kind ``location`` only inside one of
    the person's rostered shifts or approved overtime claims; ``lat``/``lon`` only on those
    rows (logins and logouts keep their time, device and site, never a position).

    ``ts_range``: ``[lo, hi)`` — only the events of that time range (each row is kept or not on
    its own, so these are exactly the whole view's rows in the range); the duty windows are
    read only from the days that can hold one of them (a window starts at most a day before
    the event's day, `_WINDOW_DAYS`)."""
    if ts_range is not None:
        dev = dev.filter(dev.ts >= ts_range[0], dev.ts < ts_range[1])
    other = dev.filter(dev.kind != "location").mutate(lat=ibis.null("float64"), lon=ibis.null("float64"))
    windows = duty_windows(base)
    if windows is None:
        return other
    if ts_range is not None:
        first = ts_range[0] - dt.timedelta(days=_WINDOW_DAYS)
        windows = windows.filter(windows.w_start >= first, windows.w_start < ts_range[1])
    loc = dev.filter(dev.kind == "location")
    on_duty = loc.semi_join(
        windows,
        [
            loc.staff_id == windows.w_staff,
            loc.ts.date() == windows.w_day,
            loc.ts >= windows.w_start,
            loc.ts <= windows.w_end,
        ],
    )
    return other.union(on_duty.select(*other.columns))


def source_tables(con: BaseBackend) -> dict[str, ir.Table]:
    """The tables of ``con`` a detector may be given: registered sources only."""
    from fairwitness.contract.purposes import AUDIT_ONLY, BY_TABLE  # here: importing a detector module stays cheap

    readable = {n for n, s in BY_TABLE.items() if not set(s.purposes) <= AUDIT_ONLY}  # never people_protected
    return {name: con.table(name) for name in con.list_tables() if name in readable}


def visible_tables(
    base: Mapping[str, ir.Table], ranges: Mapping[str, tuple[dt.datetime, dt.datetime]] | None = None
) -> dict[str, ir.Table]:
    """The loaded tables with the privacy filters applied (for every detector and derived source).

    ``ranges``: table -> ``[lo, hi)`` of its time column, for a run that needs only those rows
    of a filtered table (`device_events_visible`'s ``ts_range``)."""
    out = dict(base)
    if "device_events" in out:
        out["device_events"] = device_events_visible(out["device_events"], base, (ranges or {}).get("device_events"))
    if "absences" in out:
        out["absences"] = absences_in_effect(out["absences"])
    return out


def absences_in_effect(ab: ir.Table) -> ir.Table:
    """``absences`` without the records that did not happen: a request rejected, cancelled or
    withdrawn (`ABSENCE_WITHDRAWN`) as HR systems export them beside the approved ones. Leave
    booked and then cancelled for a recall is a day worked, not overtime during leave."""
    from fairwitness.contract.tables import ABSENCE_WITHDRAWN

    if "status" not in ab.columns:
        return ab
    return ab.filter(ab.status.isnull() | ~ab.status.isin(list(ABSENCE_WITHDRAWN)))


def declared_columns(detectors: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """Table -> every column ``detectors`` declare of it (``reads`` and ``optional_reads``), with
    the columns its period rule reads (`PERIOD_RULES`): what a shared copy of it must hold."""
    out: dict[str, dict[str, None]] = {}
    for cls in detectors:
        for decl in (cls.reads, cls.optional_reads):
            for name, cols in decl.items():
                rule = PERIOD_RULES.get(name)
                period_cols = () if rule is None else tuple(c for c in rule[1:] if c)
                out.setdefault(name, {}).update(dict.fromkeys((*cols, *period_cols)))
    return {name: tuple(cols) for name, cols in out.items()}


def build_sources(
    visible: Mapping[str, ir.Table],
    *,
    reads: Mapping[str, tuple[str, ...]],
    optional_reads: Mapping[str, tuple[str, ...]] | None = None,
    period_start: dt.date,
    period_end: dt.date,
    lookback_days: int = 0,
    lookahead_days: int = 0,
    rows_of: Mapping[str, tuple[str, str]] | None = None,
    share: Callable[..., ir.Table] | None = None,
    keep: Callable[[Sources, ir.Table], ir.Table] | None = None,
) -> Sources:
    """The `Sources` of one detector: its declared tables and columns, in the period.

    ``visible`` must already carry the privacy filters (`visible_tables`). ``rows_of``: derived
    source -> its `DerivedSource.rows_of`; such a source holds only the rows of the rows of
    its table the detector sees. ``share``, ``keep``: `Sources.share`, `Sources.keep`. Raises
    `SourceNotLoaded` when a table in ``reads`` is not available."""
    missing = [name for name in reads if name not in visible]
    if missing:
        raise SourceNotLoaded(
            "needs source" + ("s " if len(missing) > 1 else " ") + ", ".join(repr(m) for m in missing)
            + " which " + ("are" if len(missing) > 1 else "is") + " not loaded in this workspace"
        )
    wanted: dict[str, tuple[str, ...]] = {}
    for decl in (reads, optional_reads or {}):
        for name, cols in decl.items():
            if name in visible:
                wanted[name] = tuple(dict.fromkeys((*wanted.get(name, ()), *cols)))
    tables: dict[str, ir.Table] = {}
    for name, cols in wanted.items():
        t = period_filter(
            name, visible[name], period_start, period_end, lookback_days=lookback_days, lookahead_days=lookahead_days
        )
        origin = (rows_of or {}).get(name)
        if origin is not None and origin[0] in visible:
            table, col = origin
            seen = period_filter(
                table, visible[table], period_start, period_end, lookback_days=lookback_days, lookahead_days=lookahead_days
            )
            t = t.semi_join(seen, t[col] == seen[col])
        tables[name] = t.select(*cols)
    return Sources(
        tables=tables, period_start=period_start, period_end=period_end, allowed=dict(wanted), share=share, keep=keep
    )
