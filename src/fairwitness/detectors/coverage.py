"""The data-coverage gate: a detector never routes beyond wellbeing on data it does not have.

Before detection, `measure` computes for every contract source a run's detectors read
(``reads`` and ``optional_reads``: the latter hold the sources that rule out legitimate
explanations, such as absences) and for the run's period: rows per month, and the share of
the source's rows that ingest quarantined. A source is *insufficient* when it is

* not loaded, or a file of it was refused whole at ingest;
* empty for the period (a register — declarations, complaints, cases — empty up to its end);
* thin: a month of the period has less than `MIN_MONTH_SHARE` of the source's usual
  monthly rows (checked for sources with at least `MIN_ROWS_PER_MONTH` rows in a usual month,
  and in a month of the period where the usual rate would give at least `MIN_EXPECTED_ROWS`:
  the period's last day alone, in a month of its own, holding none of a source of three rows a day
  is chance, not a gap);
* more than `MAX_QUARANTINED_SHARE` quarantined.

`gate` then caps the route of every signal of a detector with an insufficient source at
``wellbeing`` and says, in its explanation, which data was missing and what
could therefore not be ruled out. A run with any gated detector is *degraded*; the runner
records `record` in ``run.json`` under ``coverage``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from fairwitness.contract import BY_NAME
from fairwitness.detectors.profiling import profiled
from fairwitness.detectors.sources import PERIOD_RULES
from fairwitness.workspace import CURRENT_READINGS

MIN_MONTH_SHARE = 0.25
MIN_ROWS_PER_MONTH = 50
MIN_EXPECTED_ROWS = 20
"""Rows a month's days must be expected to hold for it to be called thin (fewer than a quarter of
20 by chance: about 2 in 100,000)."""
MAX_QUARANTINED_SHARE = 0.05
ROUTE = "wellbeing"

CONSEQUENCE: dict[str, str] = {
    "absences": "leave and sickness could not be ruled out",
    "shifts": "rostered duty could not be checked",
    "badge_events": "presence at work could not be checked",
    "device_events": "work-device activity could not be checked",
    "overtime_claims": "overtime claimed could not be checked",
    "roster_changes": "roster edits could not be checked",
    "system_access": "police-systems use could not be checked",
    "case_parties": "case assignments could not be checked, so lookups could not be tied to cases",
    "declarations": "declared interests could not be ruled out",
    "external_records": "external evidence could not be checked",
    "people": "the person's role, unit and line manager could not be checked",
    "expenses": "expense claims could not be checked",
    "comms_events": "contact with case parties could not be checked",
    "complaints": "conduct history could not be checked",
}


@dataclass
class SourceCoverage:
    """One source over the run period."""

    table: str
    loaded: bool
    rows: int = 0
    """Rows in the period (all rows for a table without a time column)."""
    months: dict[str, int] = field(default_factory=dict)
    read: int = 0
    quarantined: int = 0
    refused_files: int = 0
    problem: str | None = None
    """Why the source is insufficient, or None."""

    @property
    def quarantined_share(self) -> float:
        return self.quarantined / self.read if self.read else 0.0


def _months(start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    """(YYYY-MM, days of that month inside the period) for every month the period touches."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first = max(start, dt.date(y, m, 1))
        last = min(end, dt.date(y, m, calendar.monthrange(y, m)[1]))
        out.append((f"{y:04d}-{m:02d}", (last - first).days + 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _problem(c: SourceCoverage, period: tuple[dt.date, dt.date]) -> str | None:
    if not c.loaded:
        return "not loaded"
    if c.refused_files:
        return f"incomplete ({c.refused_files} file(s) refused at ingest)"
    if c.rows == 0:
        return "empty for the run period"
    if c.quarantined_share > MAX_QUARANTINED_SHARE:
        return f"{c.quarantined_share:.0%} of its rows quarantined"
    if c.months:
        span = _months(*period)
        rates = sorted(c.months.get(k, 0) / days for k, days in span)
        usual = rates[len(rates) // 2]
        if usual * 30 >= MIN_ROWS_PER_MONTH:
            thin = [
                k for k, days in span
                if usual * days >= MIN_EXPECTED_ROWS and c.months.get(k, 0) / days < MIN_MONTH_SHARE * usual
            ]
            if thin:
                return f"missing or thin for {', '.join(thin)}"
    return None


def _count(con: Any, name: str, tcol: str | None, period: tuple[dt.date, dt.date]) -> tuple[int, dict[str, int]]:
    """The rows of ``name`` a detector of ``period`` sees, and per month when it is dated by ``tcol``
    (one statement on ``con``)."""
    rule = PERIOD_RULES.get(name)
    if rule and rule[0] == "until":
        # a register (declarations, complaints, cases): what it holds up to the period's
        # end is what a detector sees (`sources.PERIOD_RULES`: by the column that dates a
        # row's start, a case's opening); declarations made years before are its contents,
        # and a month without a new one is not a gap
        hi = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time())
        n = con.execute(f'SELECT count(*) FROM "{name}" WHERE "{rule[1]}" IS NULL OR "{rule[1]}" < ?', [hi]).fetchall()
        return int(n[0][0]), {}
    if tcol:
        lo = dt.datetime.combine(period[0], dt.time())
        hi = dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time())
        # grouped by the month's first instant, labelled after: formatting every
        # row's time as text doubled the count (measured at 10,000 x 12)
        rows = con.execute(
            f'SELECT strftime(m, \'%Y-%m\'), n FROM (SELECT date_trunc(\'month\', "{tcol}") AS m, '
            f'count(*) AS n FROM "{name}" WHERE "{tcol}" >= ? AND "{tcol}" < ? GROUP BY 1)',
            [lo, hi],
        ).fetchall()
        months = {k: int(n) for k, n in rows}
        return sum(months.values()), months
    # fetchall: a result left unfinished on a run's connection makes DuckDB refuse
    # its next registration (a detector's memtables)
    return int(con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]), {}


def measure(
    workspace: Any, tables: set[str] | list[str], period: tuple[dt.date, dt.date], *, con: Any = None
) -> dict[str, SourceCoverage]:
    """Coverage of each contract table in ``tables`` over ``period`` (see module doc).

    ``con``: a DuckDB connection that already has a view of each loaded table's current rows
    under its name (a DuckDB run's own connection, `fairwitness.detectors.engines.connect`); the
    rows are counted there, not through a connection of the workspace's own (opening one, and
    the catalogue for its views, was half of the counting at 10,000 x 3)."""
    names = sorted(t for t in tables if t in BY_NAME and BY_NAME[t].ingested)
    loaded = set(workspace.loaded_tables())
    counts: dict[str, tuple[int, int, int]] = {}
    if hasattr(workspace, "catalog") and workspace.exists():
        with workspace.catalog() as cat:
            for t, read, quarantined, refused in cat.execute(
                # the files as last read: a refusal or rows quarantined waiting for another table,
                # read again since, are history (`fairwitness.workspace.CURRENT_READINGS`)
                "SELECT table_name, sum(rows_read), sum(rows_quarantined), "
                "count(*) FILTER (WHERE rows_read = 0 AND rows_loaded = 0 AND file IN "
                "(SELECT file FROM quarantine q WHERE q.table_name = c.table_name AND q.batch_id = c.batch_id "
                f' AND q."row" IS NULL)) FROM {CURRENT_READINGS} c GROUP BY 1'
            ).fetchall():
                counts[t] = (int(read or 0), int(quarantined or 0), int(refused or 0))
    out: dict[str, SourceCoverage] = {}
    own = con is None
    if own:
        con = _connect(workspace, sorted(loaded & set(names))) if loaded & set(names) else None
    try:
        for name in names:
            read, quarantined, refused = counts.get(name, (0, 0, 0))
            c = SourceCoverage(name, name in loaded, read=read, quarantined=quarantined, refused_files=refused)
            tcol = BY_NAME[name].time_column
            if c.loaded and con is not None:
                with profiled(con, "coverage-" + name):  # one count per table (`profiling`)
                    c.rows, c.months = _count(con, name, tcol, period)
            c.problem = _problem(c, period)
            out[name] = c
    finally:
        if own and con is not None:
            con.close()
    return out


def _connect(workspace: Any, names: list[str]) -> Any:
    """A DuckDB connection with one view per loaded table (the workspace's own, or over its files)."""
    if hasattr(workspace, "connect"):
        return workspace.connect()
    import duckdb

    from fairwitness.workspace import current_rows_sql

    con = duckdb.connect()
    for name in names:
        key = workspace.dedup_key(name) if hasattr(workspace, "dedup_key") else None
        con.execute(f'CREATE VIEW "{name}" AS {current_rows_sql(workspace.table_files(name), key)}')
    return con


def sources_of(cls: Any) -> list[str]:
    """The contract sources a detector reads, required and optional, except those it declares
    `coverage_exempt` (their absence can only hide a breach)."""
    exempt = set(getattr(cls, "coverage_exempt", ()))
    return sorted(({*getattr(cls, "reads", {}), *getattr(cls, "optional_reads", {})} & set(BY_NAME)) - exempt)


def missing(cls: Any, coverage: dict[str, SourceCoverage]) -> list[str]:
    """Sentences naming the insufficient sources of a detector, and what that leaves open."""
    out = []
    for t in sources_of(cls):
        c = coverage.get(t)
        if c is not None and c.problem:
            out.append(f"{t} {c.problem}: {CONSEQUENCE.get(t, 'its evidence could not be checked')}")
    return out


def gate(cls: Any, signals: pa.Table | None, coverage: dict[str, SourceCoverage]) -> pa.Table | None:
    """``signals`` with routes capped at wellbeing and the missing data named, when a source is insufficient."""
    reasons = missing(cls, coverage)
    if signals is None or not reasons or not signals.num_rows:
        return signals
    note = "Data coverage: " + "; ".join(reasons) + f". Routed no further than {ROUTE}."
    n = signals.num_rows
    signals = signals.set_column(signals.schema.get_field_index("route"), "route", pa.array([ROUTE] * n, pa.string()))
    expl = pc.binary_join_element_wise(signals.column("explanation"), pa.array([" " + note] * n), "")
    signals = signals.set_column(signals.schema.get_field_index("explanation"), "explanation", expl)
    return signals


BLIND: dict[tuple[str, str], str] = {
    ("case_parties", "vulnerable"): "which victims and witnesses are vulnerable",
    ("case_parties", "closed"): "when cases closed",
    ("comms_events", "duration_s"): "how long calls lasted",
    ("people", "hybrid_policy"): "whom the office-attendance rule covers",
    ("system_access", "subject_ref"): "whom a lookup was of",
    ("device_events", "site_id"): "where a work device was used",
    ("roster_changes", "old_value"): "what a roster edit changed",
    ("roster_changes", "new_value"): "what a roster edit changed",
}
"""Optional columns whose absence hides what a detector looks for, and what it hides. (Others
read empty as an ordinary default: an absence without a status is in effect, without hours a
whole day.)"""


def unheld(workspace: Any, detectors: list[Any]) -> dict[str, list[str]]:
    """Detector -> the `BLIND` columns it reads (``table.column: what it hides``) that no loaded
    row holds: left out of the export, or never filled. Each is read as unknown, in the safe
    direction (no vulnerability marker: not known to be vulnerable), so what the detector looks for
    cannot show: the run says so rather than look complete. From the lake files' Parquet
    statistics (no data is read); a file without statistics counts as holding the column."""
    import duckdb

    wanted: dict[str, set[str]] = {}
    for cls in detectors:
        for decl in (cls.reads, cls.optional_reads):
            for t, cols in decl.items():
                wanted.setdefault(t, set()).update(c for c in cols if (t, c) in BLIND)
    wanted = {t: cols for t, cols in wanted.items() if cols}
    if not wanted:
        return {}
    from fairwitness.detectors.engines import lake_tables

    lake = lake_tables(workspace)
    empty: dict[str, set[str]] = {}
    con = duckdb.connect()
    try:
        for t, cols in wanted.items():
            files = lake[t][0] if t in lake else []
            if not files:
                continue
            lst = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
            held = {
                name
                for name, n, nulls in con.execute(
                    f"SELECT path_in_schema, sum(num_values), sum(stats_null_count) FROM parquet_metadata({lst}) GROUP BY 1"
                ).fetchall()
                if nulls is None or n > nulls
            }
            empty[t] = cols - held
    finally:
        con.close()
    out = {}
    for cls in detectors:
        cols = sorted(
            {f"{t}.{c}: {BLIND[t, c]}" for decl in (cls.reads, cls.optional_reads) for t, cs in decl.items() for c in cs
             if c in empty.get(t, ())}
        )
        if cols:
            out[cls.name] = cols
    return out


def record(coverage: dict[str, SourceCoverage], detectors: list[Any], blind: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What ``run.json`` keeps under ``coverage``: per source, per gated detector, ``degraded``, and
    ``unheld``: per detector, the optional columns it reads that no row holds (`unheld`)."""
    gated = {c.name: missing(c, coverage) for c in detectors}
    gated = {k: v for k, v in gated.items() if v}
    return {
        "degraded": bool(gated),
        "sources": {k: {**asdict(v), "quarantined_share": round(v.quarantined_share, 4)} for k, v in coverage.items()},
        "gated": gated,
        "unheld": dict(blind or {}),
        "thresholds": {"min_month_share": MIN_MONTH_SHARE, "min_rows_per_month": MIN_ROWS_PER_MONTH,
                       "max_quarantined_share": MAX_QUARANTINED_SHARE},
    }


def summary(rec: dict[str, Any]) -> list[str]:
    """Plain lines for a terminal: one per source, then the gated detectors."""
    lines = []
    for name, s in rec.get("sources", {}).items():
        months = ", ".join(f"{k} {v:,}" for k, v in sorted(s["months"].items()))
        status = s["problem"] or "ok"
        lines.append(f"{name}: {s['rows']:,} rows{' (' + months + ')' if months else ''}; "
                     f"{s['quarantined_share']:.1%} quarantined; {status}")
    for det, reasons in rec.get("gated", {}).items():
        lines.append(f"DEGRADED {det}: routed no further than {ROUTE} ({'; '.join(reasons)})")
    for det, cols in rec.get("unheld", {}).items():
        lines.append(f"{det} cannot see (no row holds it): {'; '.join(cols)}")
    return lines
