"""The per-source format declaration: how one source system writes its export.

A force declares, per table, what its system writes, in a file beside the export
(``<table>.format.toml`` or ``<table>.format.json``, or ``format.toml`` inside a
``<table>/`` folder of parts) or with ``--declare TABLE.KEY=VALUE`` on the command line.
Nothing here is guessed: an ``01/03/2026`` is refused unless the source declares whether
it is day-first or month-first.

```toml
# absences.format.toml, for an SAP HCM infotype 2001 extract
timestamps = "yyyymmdd"          # BEGDA / ENDDA; ENDDA is inclusive (a date alone = the whole day)
delimiter = ";"
encoding = "cp1252"
[columns]                        # contract column = the file's header
staff_id = "PERNR"
start = "BEGDA"
end = "ENDDA"
```

`timestamp_sql` turns a declared format into DuckDB SQL giving ISO 8601 text, which the
contract's one timestamp rule (`fairwitness.ingest.timeparse`) then reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from fairwitness.contract import LOCAL_TIMEZONE

TimestampFormat = Literal["iso", "yyyymmdd", "day-first", "month-first", "ms-epoch"]

FORMATS: dict[str, tuple[str, str]] = {
    "iso": ("ISO 8601: `2026-03-28T09:30:00`, `2026-03-28 09:30`, `2026-03-28`, optional `Z`/`+01:00`",
            "the contract's own form (UKG, Intune/Graph, Workspace ONE, Gallagher REST)"),
    "yyyymmdd": ("`20260328`, `20260328 093000`, `20260328093000`", "SAP DATS fields (BEGDA/ENDDA)"),
    "day-first": ("`28/03/2026`, `28.03.2026`, `28-03-2026`, with an optional time `09:30[:00]` and `AM`/`PM`",
                  "Gallagher Command Centre CSV; SAP GUI `dd.mm.yyyy`; UK Excel"),
    "month-first": ("`03/28/2026`, with an optional time `9:30[:00]` and `AM`/`PM`", "Honeywell Pro-Watch; US Excel"),
    "ms-epoch": ("`/Date(1444003200000)/`: milliseconds since 1970 UTC; a whole number of days is a date alone",
                 "SAP SuccessFactors OData"),
}
"""Declarable timestamp formats: (what it accepts, who writes it). Dates columns use them too."""

DELIMITERS = {",": ",", ";": ";", "\t": "\t", "|": "|", "comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
DECIMALS = {".": ".", ",": ",", "point": ".", "comma": ","}
DECLARATION_KEYS = (
    "delimiter", "encoding", "decimal", "timestamps", "zone", "dst_overlap", "day_column", "overnight_ends", "columns",
    "values", "zero_pad", "fill", "skip", "snapshot", "snapshot_since", "snapshot_scope",
)


class DeclarationError(ValueError):
    """A format declaration that cannot be used; every file of its table is refused."""


class SourceFormat(BaseModel):
    """How one table's export is written (every field optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delimiter: str | None = None
    """`,` `;` tab `|` (or comma, semicolon, tab, pipe); detected from the header when not given."""
    encoding: str | None = None
    """Text encoding of files without a byte-order mark (default UTF-8), e.g. `cp1252`."""
    decimal: str = "."
    """The decimal separator of numbers written as text: `.` (default) or `,` (or point,
    comma), as Excel writes them under a continental locale beside a `;` delimiter (`7,5`). With
    `,`, a `.` may only group thousands (`1.234,50`); a number such as `7.5` is then refused as
    ambiguous rather than read as 75; declared `.`, a `,` may only group thousands (`1,234` is
    1234), as undeclared it may in a whole-number column alone."""
    timestamps: TimestampFormat = "iso"
    """How timestamp and date values are written (see `FORMATS`)."""
    fallback_encoding: str | None = None
    """`--encoding`: the encoding of files without a byte-order mark that are not valid UTF-8
    (valid UTF-8 files are still read as UTF-8, so one option serves a mixed export; in a file
    whose header is UTF-8, only the values that are not: `fairwitness.ingest.mixed_encoding`)."""
    zone: str = LOCAL_TIMEZONE
    """Zone of times written without an offset, e.g. `UTC` for Lenel's `EVENT_TIME_UTC`."""
    dst_overlap: Literal["refuse", "earlier", "later"] = "refuse"
    """A time without an offset in the hour the clocks go back, which happens twice: refused
    (default), or read as its ``earlier`` occurrence (summer time) or its ``later`` one, for an
    export written in local time that cannot give an offset (an access-control server's)."""
    columns: dict[str, str | list[str]] = {}
    """Contract column -> the file's header name for it (e.g. `ts = "EVENT_TIME_UTC"`), or the
    names it has had, for an export whose header drifted between files (`ts = ["LastContact",
    "Last contact"]`: a report re-exported after its columns were renamed or localised); a file
    holding two of them is refused as ambiguous."""

    @property
    def decimal_declared(self) -> bool:
        """Whether the source declared its decimal separator (not the default point)."""
        return "decimal" in self.model_fields_set

    def header_names(self) -> dict[str, list[str]]:
        """Contract column -> every header name declared for it."""
        return {c: [v] if isinstance(v, str) else list(v) for c, v in self.columns.items()}
    values: dict[str, dict[str, str]] = {}
    """Contract column -> {the source's own word: the contract's}, for a vocabulary column
    (Gallagher's `Card entry granted` = `in`); matched in any case. A word neither mapped nor
    the contract's own is refused, naming this declaration. Also for a reference column other
    than a person or the table's key (`declaration.mappable_references`): {the source's name: the force's
    code} (Lenel's panel `HQ-PANEL-01` = site `HQ01`), matched in any case before the reference
    is checked; a value neither mapped nor a known code is a dangling reference."""
    zero_pad: dict[str, int] = {}
    """Contract column -> width, for identifiers whose leading zeros the export lost (a
    spreadsheet saves `004512` as the number `4512`; so does a typed export with an integer
    column): a value of digits alone shorter than the width is padded with zeros to it. Only
    for text columns (`staff_id`, `identifier`, `*_id`, `*_ref`)."""
    fill: dict[str, str] = {}
    """Contract column -> the value of every row of a file that does not hold the column: an
    access-control export of entry readers alone (`direction = "in"`), an audit log of one system
    (`system = "Niche"`), and the identity system of an identity-resolvable table's file
    (`system = "lenel"` beside Lenel's `CARDNUM`). A file with the column keeps its own values;
    the value is read as the file's would be (a vocabulary word, a number, a time)."""
    skip: dict[str, list[str]] = {}
    """Contract column -> the source's words of rows that are not events of the table, read but not
    loaded (Gallagher's `Card access denied`: a denied card is nobody entering); matched in any case,
    trimmed. Each file's skipped rows are counted in the ingest report (rows read = loaded +
    unchanged + quarantined + skipped); nothing else is."""
    day_column: str | None = None
    """The file's column holding each row's date, for times written alone (`22:00`, as UKG
    TeleStaff before 6.4.3 writes a shift's start and end): such a time is read on that date,
    in the declared `timestamps` form. With `overnight_ends`, an end before or at its start is on
    the next day."""
    snapshot: bool = False
    """The export holds every current row of the table (a register exported whole: people,
    declarations, complaints, an HR system's absences): a row held before that it no longer holds
    was deleted at source (an absence entered in error, a declaration withdrawn) and is deleted
    from the current rows too (kept in the lake's history as a deletion). Every file of the table
    in the folder is read again unless they are the very files the table was last read from, so a
    value changed and changed back is the export's again. Nothing is deleted when a row's key
    cannot be read (quarantined: it may be a row held before). A row of another table naming a
    deleted row is a dangling reference from then on: for ``people``, only an export that keeps
    leavers (with their end dates). Off (default): a file adds and updates rows only (an export of
    the day's or month's events)."""
    snapshot_scope: Literal["table", "folder"] = "table"
    """With ``snapshot``: ``table`` (default), the export holds the whole table; ``folder``, it holds
    the rows this folder's exports loaded (officers' absences from SAP and staff's from SuccessFactors,
    each system exported whole into its own folder): a row another folder loaded is not deleted for
    being missing from it. Exports delivered each day into a new folder need ``table``."""
    snapshot_since: dt.date | None = None
    """With ``snapshot``: the export holds the rows from this date on (of the table's time
    column: an absence export of this year's records); older rows are left as they are."""
    overnight_ends: bool = False
    """A span's end (a shift's, a claim's) whose time is earlier than its start's on the same
    day, or the same (a 24-hour tour, 07:00-07:00), is on the next day: for an export that writes
    a row's date once, with its start and end times (a night shift 22:00-06:00). Off, such a row
    ends before it starts: quarantined (an end equal to its start is then an empty span, kept)."""

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if v not in DELIMITERS:
            raise ValueError(f"delimiter {v!r} is not one of: comma, semicolon, tab, pipe")
        return DELIMITERS[v]

    @field_validator("decimal")
    @classmethod
    def _decimal(cls, v: str) -> str:
        if v not in DECIMALS:
            raise ValueError(f"decimal {v!r} is not one of: '.', ',' (point, comma)")
        return DECIMALS[v]

    @field_validator("encoding", "fallback_encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        import codecs

        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v

    @field_validator("zone")
    @classmethod
    def _zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception:  # noqa: BLE001 - zoneinfo raises several types
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    def merged(self, **overrides: object) -> SourceFormat:
        """This declaration with ``overrides`` (non-None values) applied, validated."""
        data = self.model_dump(exclude_unset=True)
        data.update({k: v for k, v in overrides.items() if v is not None})
        return SourceFormat.model_validate(data)


NULL_TOKENS = ("NULL", "null", "Null", "N/A", "n/a", "NA", "-")
"""Cell values read as empty, as written by SQL extracts and spreadsheets (plus the empty cell)."""
TRIM_CHARS = " \t\r\n\u00a0\u2007\u202f\ufeff"
"""Trimmed from both ends of every text value: spaces, tabs, line ends, non-breaking spaces, BOM."""
TRUE_TOKENS = ("true", "t", "yes", "y", "1")
FALSE_TOKENS = ("false", "f", "no", "n", "0")
NEVER = "0001-01-01"
"""A timestamp on this date means 'never' (Workspace ONE): read as empty."""
OPEN_END = "9999-12-31"
"""A timestamp on this date means 'still open' (SuccessFactors): empty where the column may be
empty; in a required span end it is kept as it is (the far future)."""

_AMBIGUOUS = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
AMBIGUOUS_HINT = (
    "a date written like 01/03/2026 could be day-first or month-first: declare "
    'timestamps = "day-first" or "month-first" in {table}.format.toml (or --declare {table}.timestamps=day-first)'
)


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _groups(x: str, pat: str, n: int) -> str:
    """All ``n`` captures of ``pat`` in ``x`` by one match: a struct with fields ``g1``..``gn``
    (empty strings when ``x`` does not match)."""
    return f"regexp_extract({x}, {pat}, [{', '.join(_lit(f'g{i}') for i in range(1, n + 1))}])"


def _dm_sql(x: str, g: str, day_first: bool) -> tuple[str, str, str]:
    pat = _lit(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp])?\.?[Mm]?\.?)?$")
    c = [""] + [f"{g}.g{i}" for i in range(1, 9)]
    day, month = (c[1], c[2]) if day_first else (c[2], c[1])
    ampm = f"upper({c[8]})"
    h = f"TRY_CAST(NULLIF({c[4]}, '') AS INTEGER)"
    hour = (f"(CASE WHEN {ampm} = '' THEN {h} WHEN {h} BETWEEN 1 AND 12 THEN {h} % 12 + "
            f"(CASE WHEN {ampm} = 'P' THEN 12 ELSE 0 END) ELSE 99 END)")
    date = f"{c[3]} || '-' || lpad({month}, 2, '0') || '-' || lpad({day}, 2, '0')"
    time = (f"(CASE WHEN {c[4]} = '' THEN '' ELSE ' ' || lpad(CAST({hour} AS VARCHAR), 2, '0') || ':' || {c[5]} || ':' "
            f"|| coalesce(NULLIF({c[6]}, ''), '00') || CASE WHEN {c[7]} = '' THEN '' ELSE '.' || {c[7]} END END)")
    return _groups(x, pat, 8), f"({date} || {time})", f"regexp_matches({x}, {pat})"


def timestamp_sql(fmt: str, x: str, g: str) -> tuple[str | None, str, str]:
    """(captures, ISO 8601 text, does-it-match condition) for the trimmed text ``x`` in format ``fmt``.

    ``captures`` (or None) is SQL to compute once per value as the column ``g``; the ISO text
    reads ``g`` (and ``x``). Written as one expression, each capture was a match of its own, and
    each use of the text another (a day-first value took some thirty regular expressions)."""
    if fmt == "iso":
        return None, x, "TRUE"
    if fmt == "yyyymmdd":
        pat = _lit(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?$")
        c = [""] + [f"{g}.g{i}" for i in range(1, 7)]
        time = (f"(CASE WHEN {c[4]} = '' THEN '' ELSE ' ' || {c[4]} || ':' || {c[5]} || ':' || "
                f"coalesce(NULLIF({c[6]}, ''), '00') END)")
        return _groups(x, pat, 6), f"({c[1]} || '-' || {c[2]} || '-' || {c[3]} || {time})", f"regexp_matches({x}, {pat})"
    if fmt in ("day-first", "month-first"):
        return _dm_sql(x, g, fmt == "day-first")
    if fmt == "ms-epoch":
        pat = _lit(r"^/?Date\((-?\d{1,15})(?:[+-]\d{4})?\)/?$")
        ms = f"TRY_CAST({g} AS BIGINT)"
        iso = (f"(CASE WHEN {ms} % 86400000 = 0 THEN strftime(epoch_ms({ms}), '%Y-%m-%d') "
               f"ELSE strftime(epoch_ms({ms}), '%Y-%m-%dT%H:%M:%S.%g') || 'Z' END)")
        return f"regexp_extract({x}, {pat}, 1)", iso, f"regexp_matches({x}, {pat})"
    raise DeclarationError(f"unknown timestamp format {fmt!r}; one of: {', '.join(FORMATS)}")


def bad_value_reason(fmt: str, table: str, kind: str) -> str:
    """The reason for a value that is not in the declared format."""
    what = "a date" if kind == "date" else "a timestamp"
    if fmt == "iso":
        return "not a date (YYYY-MM-DD)" if kind == "date" else "not an ISO 8601 timestamp"
    return f"not {what} in the declared {fmt} form ({FORMATS[fmt][0]})"


def ambiguous_sql(x: str) -> str:
    """Condition: the value looks like a slashed date whose day/month order is undeclared."""
    return f"regexp_matches({x}, {_lit(_AMBIGUOUS)})"
