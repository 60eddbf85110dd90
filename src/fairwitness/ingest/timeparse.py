"""Timestamps of the contract: ISO 8601, an offset-less value is Europe/London local time.

Two implementations of one rule, tested against each other:

* `sql_utc(expr)` builds DuckDB SQL used by ingest (vectorised, streaming);
* `to_utc(text)` is the plain-Python reference (zoneinfo) used by tests.

A value may be a date alone (``2026-03-28``): it means the start of that local day, or,
in a column that ends a span (``span_end``), the whole of that day, i.e. the span ends at
the start of the next local day (ends are exclusive). An offset must be a real one: at
most 14 hours and fewer than 60 minutes (``+99:99`` is refused, never wrapped).

A local time that does not exist (the spring-forward gap) or exists twice (the
autumn overlap) is refused: the export must give an explicit offset. Silently
picking one would shift a shift or a claim by an hour.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from fairwitness.contract import LOCAL_TIMEZONE

PATTERN = r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$"
_RE = re.compile(PATTERN)

BAD_FORMAT = "not an ISO 8601 timestamp"
DST_GAP = "nonexistent local time: clocks went forward (DST gap); give an explicit UTC offset"
DST_OVERLAP = "ambiguous local time: clocks went back (DST overlap); give an explicit UTC offset (+01:00 or +00:00)"
BAD_OFFSET = "impossible UTC offset (at most ±14:00, minutes below 60)"


class TimestampError(ValueError):
    """A value that cannot be read as a contract timestamp."""


def to_utc(text: str, zone: str = LOCAL_TIMEZONE, *, span_end: bool = False) -> dt.datetime:
    """Reference conversion of one contract timestamp to naive UTC."""
    m = _RE.match(text.strip())
    if not m:
        raise TimestampError(BAD_FORMAT)
    date_part, time_part, off = m.groups()
    if time_part is None:
        try:
            day = dt.date.fromisoformat(date_part)
        except ValueError as e:
            raise TimestampError(BAD_FORMAT) from e
        if span_end:
            day += dt.timedelta(days=1)
        date_part, time_part = day.isoformat(), "00:00:00"
    time_part = time_part.replace(",", ".")
    if len(time_part) == 5:
        time_part += ":00"
    if "." in time_part:
        head, frac = time_part.split(".")
        time_part = f"{head}.{frac[:6].ljust(6, '0')}"
    try:
        local = dt.datetime.fromisoformat(f"{date_part}T{time_part}")
    except ValueError as e:
        raise TimestampError(BAD_FORMAT) from e
    if off:
        if off in ("Z", "z"):
            minutes = 0
        else:
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "")
            hh, mm = int(digits[:2]), (int(digits[2:4]) if len(digits) > 2 else 0)
            if mm >= 60 or hh * 60 + mm > 14 * 60:
                raise TimestampError(BAD_OFFSET)
            minutes = sign * (hh * 60 + mm)
        return local - dt.timedelta(minutes=minutes)
    tz = ZoneInfo(zone)
    early = local.replace(tzinfo=tz, fold=0)
    late = local.replace(tzinfo=tz, fold=1)
    u_early = early.astimezone(dt.UTC)
    u_late = late.astimezone(dt.UTC)
    back = u_early.astimezone(tz).replace(tzinfo=None)
    if back != local:
        raise TimestampError(DST_GAP)
    if u_early != u_late:
        raise TimestampError(DST_OVERLAP)
    return u_early.replace(tzinfo=None)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def sql_parts(expr: str, zone: str = LOCAL_TIMEZONE, *, span_end: bool = False) -> tuple[str, str]:
    """DuckDB SQL for (utc naive timestamp, error text or NULL) of a VARCHAR expression.

    ``expr`` must already be trimmed and NULL when empty.
    """
    pat = _q(PATTERN)
    z = _q(zone)
    d = f"regexp_extract({expr}, {pat}, 1)"
    t = f"regexp_extract({expr}, {pat}, 2)"
    o = f"regexp_extract({expr}, {pat}, 3)"
    day = f"TRY_CAST({d} AS DATE)"
    if span_end:
        day = f"({day} + 1)"
    local = f"(CASE WHEN {t} = '' THEN CAST({day} AS TIMESTAMP) ELSE TRY_CAST({d} || ' ' || replace({t}, ',', '.') AS TIMESTAMP) END)"
    digits = f"replace(substr({o}, 2), ':', '')"
    off_ok = (
        f"(TRY_CAST(substr({digits},1,2) AS INTEGER) * 60 + COALESCE(TRY_CAST(NULLIF(substr({digits},3,2),'') AS INTEGER),0) <= 840 "
        f"AND COALESCE(TRY_CAST(NULLIF(substr({digits},3,2),'') AS INTEGER),0) < 60)"
    )
    off_min = (
        f"(CASE WHEN {o} IN ('Z','z') THEN 0 ELSE "
        f"(CASE WHEN substr({o},1,1)='-' THEN -1 ELSE 1 END) * "
        f"(CAST(substr({digits},1,2) AS INTEGER)*60 + COALESCE(TRY_CAST(NULLIF(substr({digits},3,2),'') AS INTEGER),0)) END)"
    )
    tzv = f"timezone({z}, {local})"
    utc = (
        f"(CASE WHEN {local} IS NULL THEN NULL "
        f"WHEN {o} <> '' THEN {local} - to_minutes({off_min}) "
        f"ELSE timezone('UTC', {tzv}) END)"
    )
    err = (
        f"(CASE WHEN {expr} IS NULL THEN NULL "
        f"WHEN NOT regexp_matches({expr}, {pat}) OR {local} IS NULL THEN {_q(BAD_FORMAT)} "
        f"WHEN {o} IN ('Z','z') THEN NULL "
        f"WHEN {o} <> '' THEN CASE WHEN {off_ok} THEN NULL ELSE {_q(BAD_OFFSET)} END "
        f"WHEN timezone({z}, {tzv}) <> {local} THEN {_q(DST_GAP)} "
        f"WHEN timezone({z}, {tzv} + INTERVAL 1 HOUR) = {local} "
        f"  OR timezone({z}, {tzv} - INTERVAL 1 HOUR) = {local} THEN {_q(DST_OVERLAP)} "
        f"ELSE NULL END)"
    )
    return utc, err
