"""Row validation as DuckDB SQL generated from the contract declarations.

`typed_sql` turns the staging view ``raw`` (a table's files, columns under their contract
names) into contract types in three steps:

1. **clean**: text is trimmed (spaces, tabs, non-breaking spaces) and the documented
   NULL tokens (`formats.NULL_TOKENS`) become empty;
2. **normalise**: timestamp and date text in the source's declared format
   (`formats.timestamp_sql`) becomes ISO 8601 text; the never/open-end sentinels apply;
3. **type**: values get contract types, and each row collects ``__errors`` (the row is
   quarantined) and ``__cells`` (a bad value in a column that is not required: the cell
   is left empty, the row loads, and the cell is recorded in the quarantine).

Values that already have the right type (typed Parquet) are used as they are.
"""

from __future__ import annotations

from fairwitness.contract import Column, Table
from fairwitness.ingest import formats, timeparse
from fairwitness.ingest.formats import SourceFormat
from fairwitness.ingest.numbers import number_sql

META = ("_batch", "_seq", "_row_hash", "_source_file", "_source_row")
ERROR_LIST = 'STRUCT("column" VARCHAR, reason VARCHAR)[]'
EMPTY_ERRORS = f"CAST([] AS {ERROR_LIST})"
CELL_NOTE = "; the cell was left empty and the row loaded"


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_INTEGERS = frozenset(("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                       "UBIGINT", "UHUGEINT"))
_FLOATS = frozenset(("FLOAT", "DOUBLE", "REAL"))


def _is_text(src_type: str | None) -> bool:
    return src_type is not None and src_type.upper() in ("VARCHAR", "BLOB")


def _trim_sql(x: str) -> str:
    """``x`` trimmed of `formats.TRIM_CHARS`, trimming only a value that starts or ends with one.

    The guard compares the first and the last character's code point with two bounds; trimming
    with a character set decodes every value, which cost several times a plain copy of the
    table, and a LIKE per character and end (16 of them) cost more than twice this guard. A
    value the guard lets through is only trimmed (of nothing, when it neither starts nor ends
    with one): the guard must hold for every value that starts or ends with one of them."""
    low = max(ord(c) for c in formats.TRIM_CHARS if ord(c) < 128)
    high = min(ord(c) for c in formats.TRIM_CHARS if ord(c) >= 128)
    # one comparison per end, not a list (DuckDB joins a value list) nor BETWEEN (which decodes
    # the character twice): every trim character's code point is at most ``low`` or at least
    # ``high``, i.e. |2 code - (low + high)| >= high - low; the few other values let through
    # (a name starting with an accented letter) cost a trim
    # the last character as x[-1] (ord('') is -1, which the guard lets through): DuckDB computes
    # it once per dictionary entry of a dictionary-encoded Parquet column (ids, codes), where
    # substring(x, strlen(x), 1) and right(x, 1) check every value for ASCII text first (46,000
    # x 12's system_access typed in 14.4-15.0 s, 17.0 s before)
    last = f"ord({x}[-1])"
    guard = " OR ".join(f"abs(2 * {e} - {low + high}) >= {high - low}" for e in (f"ord({x})", last))
    return f"CASE WHEN {guard} THEN trim({x}, {lit(formats.TRIM_CHARS)}) ELSE {x} END"


def _null_sql(x: str) -> str:
    """NULL for the documented NULL tokens; the length test first spares longer values the
    comparisons, which are equalities joined by OR: DuckDB turned ``IN (tokens)`` into a join
    of every row with the tokens (6 text columns of 9.7 M rows: 0.65 s over a copy, now 0.23 s)."""
    tokens = ("", *formats.NULL_TOKENS)
    longest = max(len(v.encode()) for v in tokens)
    listed = " OR ".join(f"{x} = {lit(v)}" for v in tokens)
    return f"CASE WHEN strlen({x}) <= {longest} AND ({listed}) THEN NULL ELSE {x} END"


def _clean_sql(src_cols: dict[str, str]) -> str:
    """Trimmed text, NULL tokens as NULL; typed columns as they are."""
    def text(c: str, t: str) -> str:
        return q(c) if t.upper() == "VARCHAR" else f"CAST({q(c)} AS VARCHAR)"

    trimmed = ", ".join(
        f"{_trim_sql(text(c, t))} AS {q(c)}" if _is_text(t) else q(c) for c, t in src_cols.items()
    )
    nulled = ", ".join(f"{_null_sql(q(c))} AS {q(c)}" if _is_text(t) else q(c) for c, t in src_cols.items())
    return f"SELECT __file, __row, __enc_error, {nulled} FROM (SELECT __file, __row, __enc_error, {trimmed} FROM raw)"


TIME_ALONE = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?[AaPp][Mm])?"
"""A time written without a date (`22:00`, `6:55:00 AM`)."""


def _dated_sql(table: Table, src_cols: dict[str, str], fmt: SourceFormat) -> str | None:
    """SELECT over ``undated`` giving each timestamp written as a time alone the date of the
    declared ``day_column`` (`SourceFormat.day_column`), or None when nothing is declared. A
    row without that date keeps the time alone, which is then refused as not a timestamp."""
    if not fmt.day_column or fmt.day_column not in src_cols:
        return None
    day = f"CAST({q(fmt.day_column)} AS VARCHAR)"
    out = []
    for col in table.columns:
        if col.kind == "timestamp" and _is_text(src_cols.get(col.name)):
            x = q(col.name)
            padded = f"CASE WHEN {x}[2] = ':' THEN '0' || {x} ELSE {x} END"
            out.append(f"CASE WHEN {day} IS NOT NULL AND regexp_full_match({x}, {lit(TIME_ALONE)}) "
                       f"THEN {day} || ' ' || {padded} ELSE {x} END AS {x}")
    return f"SELECT * REPLACE ({', '.join(out)}) FROM undated" if out else None


def _normal_sql(table: Table, src_cols: dict[str, str], fmt: SourceFormat) -> str:
    """Timestamp/date text in ISO form; flags ``__bad_<c>`` (not the declared form), ``__amb_<c>``.

    A declared form other than ISO is read in stages, each value computed once for the next: its
    captures (one match: ``__g_<c>``), then the ISO text and whether it matched (``__n_<c>``,
    ``__k_<c>``), then the sentinels."""
    out, replace, caps, stage = ["*"], [], [], []
    for col in table.columns:
        t = src_cols.get(col.name)
        if col.kind not in ("timestamp", "date") or not _is_text(t):
            continue
        x = q(col.name)
        captures, norm, match = formats.timestamp_sql(fmt.timestamps, x, q("__g_" + col.name))
        if captures:
            caps.append(f"{captures} AS {q('__g_' + col.name)}")
        if fmt.timestamps != "iso":
            stage += [f"{norm} AS {q('__n_' + col.name)}", f"{match} AS {q('__k_' + col.name)}"]
            norm, match = q("__n_" + col.name), q("__k_" + col.name)
        day = f"left({norm}, 10)"
        open_kept = col.kind == "timestamp" and col.required
        value = (f"CASE WHEN {day} = {lit(formats.NEVER)} THEN NULL "
                 + ("" if open_kept else f"WHEN {day} = {lit(formats.OPEN_END)} THEN NULL ")
                 + f"ELSE {norm} END")
        replace.append(f"CASE WHEN {x} IS NULL OR NOT ({match}) THEN {x} ELSE {value} END AS {x}")
        if col.required:  # a sentinel emptying a required value: the reason names it (`_empty_reason`)
            never, still = lit(" is the 'never' sentinel"), lit(" is the 'still open' sentinel")
            what = f"WHEN {day} = {lit(formats.NEVER)} THEN {x} || {never} " + (
                "" if open_kept else f"WHEN {day} = {lit(formats.OPEN_END)} THEN {x} || {still} ")
            out.append(f"CASE WHEN {x} IS NOT NULL AND coalesce({match}, FALSE) THEN CASE {what}END END "
                       f"AS {q('__nv_' + col.name)}")
        out.append(f"{x} IS NOT NULL AND NOT coalesce({match}, FALSE) AS {q('__bad_' + col.name)}")
        if fmt.timestamps == "iso":
            out.append(f"coalesce({formats.ambiguous_sql(x)}, FALSE) AS {q('__amb_' + col.name)}")
    if not replace:
        return "SELECT * FROM clean"
    rel = "clean"
    if caps:
        rel = f"(SELECT *, {', '.join(caps)} FROM {rel})"
    if stage:
        rel = f"(SELECT *, {', '.join(stage)} FROM {rel})"
    return f"SELECT * REPLACE ({', '.join(replace)}), {', '.join(out[1:])} FROM {rel}"


def _stamped(col: Column, src_type: str | None) -> bool:
    """Whether a timestamp column is converted to UTC by `timeparse.parse_sql` (text, a naive
    TIMESTAMP or a DATE: local time), not read as it is (an absolute TIMESTAMP WITH TIME ZONE)."""
    t = (src_type or "").upper()
    return col.kind == "timestamp" and src_type is not None and t != "TIMESTAMP WITH TIME ZONE" and (
        _is_text(t) or t.startswith("TIMESTAMP") or t == "DATE")


def _parsed_sql(table: Table, src_cols: dict[str, str], fmt: SourceFormat) -> str:
    """Timestamps in local time converted once: ``__v_<c>`` (UTC) and ``__e_<c>`` (error or NULL)."""
    stamps = []
    for col in table.columns:
        t = src_cols.get(col.name)
        if not _stamped(col, t):
            continue
        src = q(col.name)
        after = table.time_column if col.span_end and fmt.overnight_ends else None
        if _is_text(t):
            open_end = f"left({src}, 10) = {lit(formats.OPEN_END)}" if col.required and col.span_end else None
            stamps.append(timeparse.Stamp(col.name, src, span_end=col.span_end, open_end=open_end, after=after))
        else:
            stamps.append(timeparse.Stamp(col.name, src, typed=True, span_end=col.span_end and t.upper() == "DATE",
                                          after=after))
    return timeparse.parse_sql("normal", stamps, fmt.zone, fmt.dst_overlap)


def column_sql(col: Column, src_type: str | None, fmt: SourceFormat | None = None,
               table_name: str = "") -> tuple[str, list[tuple[str, str]]]:
    """(typed value expression, [(condition, reason SQL)]) for one contract column of ``clean``."""
    fmt = fmt or SourceFormat()
    if src_type is None:
        value = {"bool": "NULL::BOOLEAN", "int": "NULL::BIGINT", "float": "NULL::DOUBLE", "date": "NULL::DATE",
                 "timestamp": "NULL::TIMESTAMP"}.get(col.kind, "NULL::VARCHAR")
        if col.must_be_present and not col.required:
            # may be empty: a source without the column says so, not the reader
            hint = (f"column missing from file (its empty cells are read: {col.doc}; a source without it declares "
                    f'fill.{col.name} = "" for every row empty, or [columns] its own header)') if col.doc else (
                    f'column missing from file (a source without it declares fill.{col.name} = "" for every row '
                    "empty, or [columns] its own header)")
            return value, [("TRUE", lit(hint))]
        if col.must_be_present:
            return value, [("TRUE", lit("column missing from file"))]
        return value, []
    src = q(col.name)
    t = src_type.upper()
    txt = src if _is_text(t) else f"CAST({src} AS VARCHAR)"
    checks: list[tuple[str, str]] = []
    present = src
    if col.kind == "timestamp":
        if t == "TIMESTAMP WITH TIME ZONE":
            value, err = f"timezone('UTC', {src})", "NULL"
        else:  # converted once in the ``parsed`` step (`_parsed_sql`)
            value, err = q("__v_" + col.name), q("__e_" + col.name)
        if _is_text(t):
            checks += _format_checks(col, fmt, table_name, err)
        else:
            checks.append((f"{err} IS NOT NULL", err))
    elif col.kind == "date":
        if t == "DATE":
            value = src
        else:
            day = r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$"
            # a year-first date spelt otherwise (`2010/1/4`) is read respelt (`timeparse.SPELLINGS`)
            value = (f"coalesce(TRY_CAST(NULLIF(regexp_extract({txt}, {lit(day)}, 1), '') AS DATE), "
                     f"TRY_CAST(NULLIF(regexp_extract({timeparse.respelt_sql(txt)}, {lit(day)}, 1), '') AS DATE))")
            bad = lit(formats.bad_value_reason(fmt.timestamps, table_name, "date"))
            checks.append((f"{txt} IS NOT NULL AND {value} IS NULL", bad))
    elif col.kind == "bool":
        if t == "BOOLEAN":
            value = src
        else:
            yes = ", ".join(lit(v) for v in formats.TRUE_TOKENS)
            no = ", ".join(lit(v) for v in formats.FALSE_TOKENS)
            value = f"(CASE WHEN lower({txt}) IN ({yes}) THEN TRUE WHEN lower({txt}) IN ({no}) THEN FALSE END)"
            checks.append((f"{txt} IS NOT NULL AND {value} IS NULL",
                           lit("not a boolean (true/false, t/f, yes/no, y/n, 1/0)")))
    elif col.kind in ("int", "float"):
        cast = "BIGINT" if col.kind == "int" else "DOUBLE"
        # a typed number (Parquet) is cast as a number, not printed and parsed again; a
        # fractional value for a whole-number column still goes through text, and fails
        typed = t in _INTEGERS or (col.kind == "float" and (t in _FLOATS or t.startswith("DECIMAL")))
        if typed:
            value, reason = f"TRY_CAST({src} AS {cast})", lit("not a number")
        else:
            # a whole-number column, or a declared decimal point: a comma can only group thousands
            value, reason = number_sql(txt, cast, fmt.decimal, grouped_ok=col.kind == "int" or fmt.decimal_declared,
                                       money=col.name.endswith("_gbp"))
        checks.append((f"{txt if not typed else src} IS NOT NULL AND {value} IS NULL", reason))
        if col.min is not None:
            op = "<=" if col.min_exclusive else "<"
            checks.append((f"{value} {op} {col.min}",
                           lit(f"out of range ({'>' if col.min_exclusive else '≥'} {col.min:g} required)")))
        if col.max is not None:
            checks.append((f"{value} > {col.max}", lit(f"out of range (≤ {col.max:g} required)")))
    elif col.kind == "enum":
        value = f"lower({txt})"
        if words := fmt.values.get(col.name):
            # the source's own words, in any case, read as the contract's
            whens = " ".join(f"WHEN {lit(k.lower())} THEN {lit(v.lower())}" for k, v in words.items())
            value = f"(CASE lower({txt}) {whens} ELSE lower({txt}) END)"
        allowed = ", ".join(lit(v) for v in col.values)
        reason = "not one of: " + ", ".join(col.values) + f" (a source's own words are declared in [values.{col.name}])"
        checks.append((f"{txt} IS NOT NULL AND {value} NOT IN ({allowed})", lit(reason)))
    else:
        value = txt
        if width := fmt.zero_pad.get(col.name):
            value = zero_padded(txt, width)
        if col.references and (words := fmt.values.get(col.name)):
            # the source's names for the force's codes (Lenel's panel for a site), in any case;
            # the code is then checked as a reference like the file's own
            whens = " ".join(f"WHEN {lit(k.lower())} THEN {lit(v.strip())}" for k, v in words.items())
            value = f"(CASE lower({txt}) {whens} ELSE {value} END)"
        if _is_text(t) and _identifier(col):
            # a guard the engine checks cheaply first: almost no identifier holds "E+"
            mangled = f"contains({txt}, 'E+') AND regexp_full_match({txt}, {lit(_EXCEL_E)})"
            checks.append((mangled, lit(_MANGLED)))
    if col.required:
        checks.insert(0, (f"{present} IS NULL", _empty_reason(col, src_type)))
    return value, checks


def _empty_reason(col: Column, src_type: str | None) -> str:
    """The reason of an empty required value: for a timestamp or date text, the never/open-end
    sentinel that emptied it when it was one (`_normal_sql`'s ``__nv_<c>``)."""
    if col.kind in ("timestamp", "date") and _is_text(src_type):
        return f"coalesce('required value is empty: ' || {q('__nv_' + col.name)}, 'required value is empty')"
    return lit("required value is empty")


def short_digits(txt: str, width: int) -> str:
    """Condition: ``txt`` is digits alone, fewer than ``width`` of them (an identifier that may
    have lost its leading zeros)."""
    return f"regexp_full_match({txt}, {lit(r'[0-9]{1,' + str(width - 1) + '}')})"


def zero_padded(txt: str, width: int) -> str:
    """``txt`` with the leading zeros an export lost (`SourceFormat.zero_pad`): digits alone,
    shorter than ``width``, padded with zeros to it; anything else as it is."""
    return f"(CASE WHEN {short_digits(txt, width)} THEN lpad({txt}, {width}, '0') ELSE {txt} END)"

_EXCEL_E = r"\d(\.\d+)?E\+\d{2}"
"""A long number as Excel shows it (`3.56938E+14`): an identifier opened and saved in Excel."""
_MANGLED = ("an identifier in Excel's scientific notation: its digits are lost (Excel keeps 15 significant "
            "digits, and shows fewer); export the column as text")


def _identifier(col: Column) -> bool:
    """A column naming a row or a thing: a key, a reference, a `*_id`, `*_ref` or `identifier`."""
    return col.references is not None or col.name == "identifier" or col.name.endswith(("_id", "_ref"))


def _format_checks(col: Column, fmt: SourceFormat, table: str, err: str) -> list[tuple[str, str]]:
    """Reasons for a timestamp text: not in the declared form (with the ambiguity hint), else the parse error."""
    bad = lit(formats.bad_value_reason(fmt.timestamps, table, "timestamp"))
    flag = q("__bad_" + col.name)
    out = []
    if fmt.timestamps == "iso":
        hint = lit(timeparse.BAD_FORMAT + ": " + formats.AMBIGUOUS_HINT.format(table=table or "TABLE"))
        out.append((f"{q('__amb_' + col.name)} AND {err} IS NOT NULL", hint))
        out.append((f"NOT {q('__amb_' + col.name)} AND {err} IS NOT NULL", err))
    else:
        out.append((flag, bad))
        out.append((f"NOT {flag} AND {err} IS NOT NULL",
                    f"CASE WHEN {err} = {lit(timeparse.BAD_FORMAT)} THEN {bad} ELSE {err} END"))
    return out


def _span_start(table: Table, src_cols: dict[str, str], fmt: SourceFormat) -> tuple[str, str] | None:
    """(typed value, source value) of the column a span of ``table`` starts at (its time column),
    when the file has it."""
    start = next((c for c in table.columns if c.name == table.time_column), None)
    if start is None or start.span_end or start.name not in src_cols:
        return None
    return column_sql(start, src_cols[start.name], fmt, table.name)[0], q(start.name)


def _reversed_span(end: str, start: str, start_src: str, start_name: str) -> tuple[str, str]:
    """(condition, reason) of a span that ends before it starts: a contradiction, not a span
    (such a row had no days, and no detector saw it). An end equal to the start is an empty
    span, kept (under ``overnight_ends``, the next day's: a 24-hour tour). An overnight end
    exported with the start's date lands here: its reason says so, and names the declaration that
    reads it as the next day's (`SourceFormat.overnight_ends`)."""
    reason = (f"'ends before it starts ({start_name} ' || CAST({start_src} AS VARCHAR) || '); "
              "an end on the next day needs the next day''s date, or the source declares overnight_ends = true'")
    return f"{end} < {start}", reason


def error_list(items: list[tuple[str, str]]) -> str:
    """SQL for the list of ``{column, reason}`` whose condition holds.

    The list is only built when some condition holds: good rows (nearly all) cost
    one boolean test, not a list allocation.
    """
    if not items:
        return EMPTY_ERRORS
    conds = [f"coalesce({c}, FALSE)" for c, _ in items]
    elems = ", ".join(f"CASE WHEN {c} THEN {e} END" for c, e in zip(conds, (e for _, e in items), strict=True))
    return (
        f"(CASE WHEN {' OR '.join(conds)} THEN CAST(list_filter([{elems}], lambda x: x IS NOT NULL) AS {ERROR_LIST}) "
        f"ELSE {EMPTY_ERRORS} END)"
    )


def typed_sql(table: Table, src_cols: dict[str, str], fmt: SourceFormat | None = None) -> str:
    """SELECT turning ``raw`` into ``typed``: contract columns, extras, ``__errors``, ``__cells``."""
    fmt = fmt or SourceFormat()
    selects = ["__file", "__row"]
    errs: list[tuple[str, str]] = [
        ("__enc_error IS NOT NULL", "{'column': NULL, 'reason': 'not valid text (' || __enc_error || ')'}")
    ]
    cells: list[tuple[str, str]] = []
    starts = _span_start(table, src_cols, fmt)
    for col in table.columns:
        if table.identity_resolvable and col.name == "staff_id":
            # may be left out or empty when the row carries system + identifier instead
            col = col.model_copy(update={"required": False, "nullable": False})
        value, checks = column_sql(col, src_cols.get(col.name), fmt, table.name)
        if col.span_end and starts and col.name in src_cols:
            checks.append(_reversed_span(value, *starts, table.time_column or ""))
        cell = not col.required and col.name in src_cols and not col.references
        if cell and checks:
            bad = " OR ".join(f"coalesce({c}, FALSE)" for c, _ in checks)
            value = f"(CASE WHEN {bad} THEN NULL ELSE {value} END)"
        selects.append(f"{value} AS {q(col.name)}")
        for cond, reason in checks:
            (cells if cell else errs).append((cond, f"{{'column': {lit(col.name)}, 'reason': {reason}}}"))
    declared = set(table.column_names)
    for name in src_cols:
        if name not in declared and name not in META:
            extra = f"CAST({q(name)} AS VARCHAR)"
            if name == "identifier" and table.identity_resolvable and (width := fmt.zero_pad.get(name)):
                extra = zero_padded(extra, width)
            selects.append(f"{extra} AS {q(name)}")
    dated = _dated_sql(table, src_cols, fmt)
    clean = f"undated AS ({_clean_sql(src_cols)}), clean AS ({dated})" if dated else f"clean AS ({_clean_sql(src_cols)})"
    return (
        f"WITH {clean}, normal AS ({_normal_sql(table, src_cols, fmt)}), "
        f"parsed AS ({_parsed_sql(table, src_cols, fmt)}) "
        f"SELECT {', '.join(selects)}, {error_list(errs)} AS __errors, {error_list(cells)} AS __cells FROM parsed"
    )
