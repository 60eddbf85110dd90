"""Timestamps of the contract: ISO 8601, an offset-less value is Europe/London local time.

Two implementations of one rule, tested against each other:

* `parse_sql` builds the DuckDB SQL used by ingest (vectorised, streaming);
* `to_utc(text)` is the plain-Python reference (zoneinfo) used by tests.

A value may be a date alone (``2026-03-28``): it means the start of that local day, or,
in a column that ends a span (``span_end``), the whole of that day, i.e. the span ends at
the start of the next local day (ends are exclusive). An offset must be a real one: at
most 14 hours and fewer than 60 minutes (``+99:99`` is refused, never wrapped).

The time ``24:00`` (``24:00:00``, a zero fraction) is the end of its day, i.e. ``00:00`` of
the next (ISO 8601:2004): rosters write a shift that ends at midnight so. DuckDB's cast reads
it so; the reference did not (it refused the value ingest loaded). Any other hour past 23 is
refused.

A local time that does not exist (the spring-forward gap) or exists twice (the
autumn overlap) is refused: the export must give an explicit offset. Silently
picking one would shift a shift or a claim by an hour. A source that cannot (an
access-control export written in its server's local time) declares which of the two
it means (``overlap``: `SourceFormat.dst_overlap`): ``earlier``, the first pass through
the repeated hour (summer time), or ``later``, the second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

from fairwitness.contract import LOCAL_TIMEZONE

PATTERN = r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$"
_RE = re.compile(PATTERN)
SPELLINGS = (r"^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[T ]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?)?"
             r" *(Z|z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?$")
"""Year-first values that are ISO 8601 but for their spelling, as tools write them: a one-digit
hour (`2026-03-28 9:30`, Excel's `h:mm`), month or day (`2026-3-28`), slashes (`2026/03/28`),
`UTC` or `GMT` for `Z` (SQL consoles, BigQuery). A value not in `PATTERN` is read respelt
(`respelt`, `respelt_sql`) before it is refused."""
_SPELLINGS = re.compile(SPELLINGS)
_END_OF_DAY = re.compile(r"24:00:00(?:\.0+)?")
"""A time that is the end of its day (the next day's 00:00), as `to_utc` has written it out."""

BAD_FORMAT = "not an ISO 8601 timestamp"
DST_GAP = "nonexistent local time: clocks went forward (DST gap); give an explicit UTC offset"
DST_OVERLAP = (
    "ambiguous local time: clocks went back (DST overlap); give an explicit UTC offset (+01:00 or +00:00), or "
    'declare dst_overlap = "earlier" or "later" in the source\'s format'
)
OVERLAPS = ("refuse", "earlier", "later")
"""How a local time of the autumn overlap is read (`SourceFormat.dst_overlap`)."""
BAD_OFFSET = "impossible UTC offset (at most ±14:00, minutes below 60)"


class TimestampError(ValueError):
    """A value that cannot be read as a contract timestamp."""


def respelt(text: str) -> str:
    """``text`` in `SPELLINGS` written as ISO 8601 (`2026-3-28 9:30 UTC` -> `2026-03-28 09:30:00Z`);
    any other text as it is."""
    m = _SPELLINGS.match(text)
    if not m:
        return text
    y, mo, d, h, mi, sec, frac, z = m.groups()
    out = f"{y}-{mo.zfill(2)}-{d.zfill(2)}"
    if h is not None:
        out += f" {h.zfill(2)}:{mi}:{sec or '00'}" + (f".{frac}" if frac else "")
    return out + ("Z" if z in ("UTC", "GMT") else z or "")


def to_utc(text: str, zone: str = LOCAL_TIMEZONE, *, span_end: bool = False, overlap: str = "refuse") -> dt.datetime:
    """Reference conversion of one contract timestamp to naive UTC (``overlap``: `OVERLAPS`)."""
    m = _RE.match(text.strip()) or _RE.match(respelt(text.strip()))
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
    if _END_OF_DAY.fullmatch(time_part):
        try:
            date_part = (dt.date.fromisoformat(date_part) + dt.timedelta(days=1)).isoformat()
        except (ValueError, OverflowError) as e:
            raise TimestampError(BAD_FORMAT) from e
        time_part = "00:00:00"
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
        if overlap == "refuse":
            raise TimestampError(DST_OVERLAP)
        u_early, u_late = sorted((u_early, u_late))
        return (u_early if overlap == "earlier" else u_late).replace(tzinfo=None)
    return u_early.replace(tzinfo=None)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def respelt_sql(x: str) -> str:
    """`respelt` in SQL: the text ``x`` in `SPELLINGS` written as ISO 8601, else as it is.

    The pattern's captures are taken once and handed to a lambda (``_sp``): written out, the
    capture expression stood in the SQL once per use (eleven times), which DuckDB parsed and
    bound each time (40% of a small ingest's validation SQL) and evaluated each time (2 M badge
    events spelt ``2025/1/2 8:00`` ingested in 15.2 s, with the lambda 6.0-6.2 s:
    ``python -m benchmarks.respelt_ingest 2000000``)."""
    groups = f"regexp_extract({x}, {_q(SPELLINGS)}, [{', '.join(_q(f'g{i}') for i in range(1, 9))}])"
    time = ("CASE WHEN _sp.g4 = '' THEN '' ELSE ' ' || lpad(_sp.g4, 2, '0') || ':' || _sp.g5 || ':' || "
            "coalesce(NULLIF(_sp.g6, ''), '00') || CASE WHEN _sp.g7 = '' THEN '' ELSE '.' || _sp.g7 END END")
    zone = "CASE WHEN _sp.g8 IN ('UTC', 'GMT') THEN 'Z' ELSE _sp.g8 END"
    iso = f"_sp.g1 || '-' || lpad(_sp.g2, 2, '0') || '-' || lpad(_sp.g3, 2, '0') || {time} || {zone}"
    return (f"(CASE WHEN regexp_full_match({x}, {_q(SPELLINGS)}) "
            f"THEN list_transform([{groups}], lambda _sp: {iso})[1] ELSE {x} END)")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQL ----------------------------------------------------------------------------------
#
# Every timestamp column of an export is converted in a few stages over the typing pass's
# rows (`parse_sql`), each computing a value once for the next: written out as one
# expression, the pattern's three captures, the local time and its zone conversion were each
# repeated in every branch that used them (five ICU conversions and eleven regular
# expressions per value; 5.3 M text timestamps took 4.7 s, staged 0.6 s).

FIRST_YEAR, LAST_YEAR = 1970, 2100
"""The local days whose offset `zone_table` holds; any other day is converted by ICU."""


def zone_table(zone: str = LOCAL_TIMEZONE) -> str:
    """The temp table of ``zone``'s safe local days (`zone_table_sql`), named after the zone and a
    hash of it (``Etc/GMT+5`` and ``Etc/GMT-5`` spell alike without their signs)."""
    return "_fw_zone_" + re.sub(r"\W", "_", zone) + "_" + hashlib.sha256(zone.encode()).hexdigest()[:8]


def zone_table_sql(zone: str = LOCAL_TIMEZONE) -> str:
    """Create (once per connection) ``day, off_s``: every local day of ``FIRST_YEAR``-``LAST_YEAR``
    on which ``zone``'s UTC offset is the same for every wall-clock time of the day, with that
    offset in seconds. Such a day has no nonexistent or ambiguous time, and its local times
    convert by subtracting the offset: no ICU call per value.

    The offset (from DuckDB's ICU, as every other conversion) is probed every 6 hours of UTC;
    a local day's times lie within 14 hours of its UTC day, so a day is kept only when every
    probe of the five UTC days around it agrees (a change between two probes shows at the next
    one). Changeover days, and any offset change lasting less than 6 hours (none in the tz
    database), are left to ICU."""
    z = _q(zone)
    return f"""CREATE TEMP TABLE IF NOT EXISTS {zone_table(zone)} AS
        WITH p AS (
            SELECT CAST(u AS DATE) AS day, epoch(timezone({z}, timezone('UTC', u)) - u) AS off
            FROM range(TIMESTAMP '{FIRST_YEAR - 1}-12-25', TIMESTAMP '{LAST_YEAR + 1}-01-08', INTERVAL 6 HOUR) r(u)
        ), d AS (SELECT day, min(off) AS lo, max(off) AS hi FROM p GROUP BY day),
        w AS (
            SELECT day, lo, min(lo) OVER near AS lo5, max(hi) OVER near AS hi5 FROM d
            WINDOW near AS (ORDER BY day ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)
        )
        SELECT day, CAST(lo AS INTEGER) AS off_s FROM w
        WHERE lo5 = hi5 AND day BETWEEN DATE '{FIRST_YEAR}-01-01' AND DATE '{LAST_YEAR}-12-31'"""


@dataclasses.dataclass(frozen=True)
class Stamp:
    """One timestamp value to convert to UTC in `parse_sql`: ``__v_<name>`` (naive UTC) and
    ``__e_<name>`` (the error text, or NULL)."""

    name: str
    src: str
    """SQL of the value: text (trimmed, NULL when empty), or with ``typed`` a naive TIMESTAMP or
    a DATE in local time."""
    typed: bool = False
    span_end: bool = False
    """A date alone means the end of that day (the start of the next)."""
    open_end: str | None = None
    """SQL condition on the text: an open end (value 9999-12-31, no error)."""
    after: str | None = None
    """The stamp whose span this one ends, in a source declaring ``overnight_ends``: a local
    time earlier than that one's on the same day, or the same (a 24-hour tour), is on the next day."""


def parse_sql(relation: str, stamps: list[Stamp], zone: str = LOCAL_TIMEZONE, overlap: str = "refuse") -> str:
    """SELECT every column of ``relation`` and ``__v_``/``__e_`` of each stamp (UTC naive,
    error or NULL), the rule of `to_utc` (``overlap`` as there). Needs `zone_table_sql` run on
    the connection."""
    if not stamps:
        return f"SELECT * FROM {relation}"
    pat = _q(PATTERN)
    formed, matched, parts, local, out, joins = [], [], [], [], [], []
    for i, s in enumerate(stamps):
        x, m, d, t, o, loc = (s.src, *(_ident(f"__{k}_{s.name}") for k in ("m", "d", "t", "o", "l")))
        if s.typed:
            formed.append(f"TRUE AS {_ident('__f_' + s.name)}")
            day = f"CAST({x} AS DATE) + 1" if s.span_end else None
            value = f"CAST({day or x} AS TIMESTAMP)"
            # as the text of a value would: a year outside 1-9999 is not ISO 8601
            matched.append(f"year({x}) BETWEEN 1 AND 9999 AS {m}")
            parts.append(f"'' AS {o}")
            local.append(f"{value} AS {loc}")
        else:
            # in the contract's form, or respelt into it (`SPELLINGS`: only a value not in the form)
            f, xs = _ident(f"__f_{s.name}"), _ident(f"__x_{s.name}")
            formed.append(f"regexp_matches({x}, {pat}) AS {f}")
            matched += [f"CASE WHEN {f} THEN {x} ELSE {respelt_sql(x)} END AS {xs}",
                        # a CASE, not OR: DuckDB evaluates both sides of an OR in a projection
                        f"CASE WHEN {f} THEN TRUE ELSE regexp_matches({respelt_sql(x)}, {pat}) END AS {m}"]
            # the common form (YYYY-MM-DD HH:MM:SS) taken apart by position, not by the pattern
            fast = f"({m} AND strlen({xs}) = 19 AND substr({xs}, 17, 1) = ':')"
            parts += [
                f"CASE WHEN {fast} THEN substr({xs}, 1, 10) ELSE regexp_extract({xs}, {pat}, 1) END AS {d}",
                f"CASE WHEN {fast} THEN substr({xs}, 12, 8) ELSE regexp_extract({xs}, {pat}, 2) END AS {t}",
                f"CASE WHEN {fast} THEN '' ELSE regexp_extract({xs}, {pat}, 3) END AS {o}",
            ]
            day = f"TRY_CAST({d} AS DATE)" + (" + 1" if s.span_end else "")
            # DuckDB reads 24:00 (24:00:00, a zero fraction) as the next day's 00:00, as `to_utc` does
            local.append(
                f"CASE WHEN {t} = '' THEN CAST({day} AS TIMESTAMP) "
                f"ELSE TRY_CAST({d} || ' ' || replace({t}, ',', '.') AS TIMESTAMP) END AS {loc}"
            )
        zd = f"_zd{i}"
        joins.append(f"LEFT JOIN {zone_table(zone)} {zd} ON {zd}.day = CAST({loc} AS DATE)")
        value, err = _utc(x, m, o, loc, f"{zd}.off_s", zone, overlap)
        if s.open_end:
            value = f"(CASE WHEN {s.open_end} THEN TIMESTAMP '9999-12-31 00:00:00' ELSE {value} END)"
            err = f"(CASE WHEN {s.open_end} THEN NULL ELSE {err} END)"
        out += [f"{value} AS {_ident('__v_' + s.name)}", f"{err} AS {_ident('__e_' + s.name)}"]
    sql = f"SELECT *, {', '.join(formed)} FROM {relation}"
    sql = f"SELECT *, {', '.join(matched)} FROM ({sql})"
    sql = f"SELECT *, {', '.join(parts)} FROM ({sql})"
    sql = f"SELECT *, {', '.join(local)} FROM ({sql})"
    rolled = [_overnight(s.name, s.after) for s in stamps if s.after and s.after in {t.name for t in stamps}]
    if rolled:
        sql = f"SELECT * REPLACE ({', '.join(rolled)}) FROM ({sql})"
    return f"SELECT _s.*, {', '.join(out)} FROM ({sql}) _s {' '.join(joins)}"


def _overnight(end: str, start: str) -> str:
    """The local end ``end`` a day later when it is earlier than the local ``start`` on the same
    day, or equal to it: a roster writes a 24-hour tour 07:00-07:00 (the wall clock: the day's
    offset is applied after, so a night across a changeover converts as any other local time)."""
    e, b = _ident(f"__l_{end}"), _ident(f"__l_{start}")
    return (f"CASE WHEN {e} <= {b} AND CAST({e} AS DATE) = CAST({b} AS DATE) "
            f"THEN {e} + INTERVAL 1 DAY ELSE {e} END AS {e}")


def _utc(x: str, m: str, o: str, local: str, off_s: str, zone: str, overlap: str = "refuse") -> tuple[str, str]:
    """(UTC value, error) from the stages: the text ``x``, whether it is in the form ``m``, its
    offset text ``o`` and local time ``local``; ``off_s`` the offset of a safe day (or NULL);
    ``overlap``: how a time of the autumn overlap is read (`OVERLAPS`)."""
    z = _q(zone)
    digits = f"replace(substr({o}, 2), ':', '')"
    hours = f"TRY_CAST(substr({digits},1,2) AS INTEGER)"
    minutes = f"COALESCE(TRY_CAST(NULLIF(substr({digits},3,2),'') AS INTEGER),0)"
    off_ok = f"({hours} * 60 + {minutes} <= 840 AND {minutes} < 60)"
    off_min = (
        f"(CASE WHEN {o} IN ('Z','z') THEN 0 ELSE "
        f"(CASE WHEN substr({o},1,1)='-' THEN -1 ELSE 1 END) * (CAST(substr({digits},1,2) AS INTEGER)*60 + {minutes}) END)"
    )
    tzv = f"timezone({z}, {local})"
    ambiguous = " OR ".join(_also(z, tzv, local, h) for h in (-25, 25))
    # the two readings of an overlap: at the offset the zone had a day before (summer time: the
    # earlier instant) and a day after (the later)
    chosen = ""
    if overlap in ("earlier", "later"):
        chosen = f"WHEN {ambiguous} THEN {_at_offset(z, tzv, local, -25 if overlap == 'earlier' else 25)} "
    utc = (
        f"(CASE WHEN {local} IS NULL THEN NULL "
        f"WHEN {o} <> '' THEN {local} - to_minutes({off_min}) "
        f"WHEN {off_s} IS NOT NULL THEN {local} - to_seconds({off_s}) "
        f"{chosen}"
        f"ELSE timezone('UTC', {tzv}) END)"
    )
    err = (
        f"(CASE WHEN {x} IS NULL THEN NULL "
        f"WHEN NOT {m} OR {local} IS NULL THEN {_q(BAD_FORMAT)} "
        f"WHEN {o} IN ('Z','z') THEN NULL "
        f"WHEN {o} <> '' THEN CASE WHEN {off_ok} THEN NULL ELSE {_q(BAD_OFFSET)} END "
        f"WHEN {off_s} IS NOT NULL THEN NULL "
        f"WHEN timezone({z}, {tzv}) <> {local} THEN {_q(DST_GAP)} "
        f"WHEN {ambiguous} THEN {_q(DST_OVERLAP) if overlap == 'refuse' else 'NULL'} "
        f"ELSE NULL END)"
    )
    return utc, err


def _at_offset(z: str, tzv: str, local: str, hours: int) -> str:
    """``local`` read at the offset the zone has ``hours`` away from ``tzv`` (its instant): naive UTC."""
    at = f"{tzv} + to_hours({hours})"
    return f"({local} - (timezone({z}, {at}) - timezone('UTC', {at})))"


def _also(z: str, tzv: str, local: str, hours: int) -> str:
    """Whether ``local`` is also the wall-clock time of another instant, at the offset the zone
    has ``hours`` away from ``tzv`` (its instant): an autumn overlap of any length up to a day
    (Lord Howe's is 30 minutes; comparing the times an hour away, as before, missed it)."""
    other = f"timezone('UTC', {_at_offset(z, tzv, local, hours)})"
    return f"(timezone({z}, {other}) = {local} AND {other} <> {tzv})"
