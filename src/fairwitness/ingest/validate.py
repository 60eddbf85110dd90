"""Row validation as DuckDB SQL generated from the contract declarations.

`typed_sql` turns the staging table ``raw`` (a file's own columns) into contract
types, and collects, per row, a list of ``{column, reason}`` errors. Values that
already have the right type (typed Parquet) are used as they are; text is parsed.
"""

from __future__ import annotations

from fairwitness.contract import Column, Table
from fairwitness.ingest import timeparse

META = ("_batch", "_seq", "_row_hash", "_source_file", "_source_row")


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(src: str) -> str:
    return f"NULLIF(trim(CAST({src} AS VARCHAR)), '')"


def column_sql(col: Column, src_type: str | None) -> tuple[str, list[tuple[str, str]]]:
    """(typed value expression, [(condition, reason)]) for one contract column."""
    if src_type is None:
        value = {"bool": "NULL::BOOLEAN", "int": "NULL::BIGINT", "float": "NULL::DOUBLE", "date": "NULL::DATE",
                 "timestamp": "NULL::TIMESTAMP"}.get(col.kind, "NULL::VARCHAR")
        if col.must_be_present:
            return value, [("TRUE", "column missing from file")]
        return value, []
    src = q(col.name)
    t = src_type.upper()
    txt = _text(src)
    checks: list[tuple[str, str]] = []
    if col.kind == "timestamp":
        if t == "TIMESTAMP WITH TIME ZONE":
            value, err = f"timezone('UTC', {src})", "NULL"
        elif t.startswith("TIMESTAMP"):
            utc, err = timeparse.sql_parts(f"strftime(CAST({src} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')")
            value = utc
        else:
            value, err = timeparse.sql_parts(txt)
        checks.append((f"{err} IS NOT NULL", f"__ERR__{err}"))
        present = src if t.startswith("TIMESTAMP") else txt
    elif col.kind == "date":
        if t == "DATE":
            value, present = src, src
        else:
            value, present = f"TRY_CAST(TRY_STRPTIME({txt}, '%Y-%m-%d') AS DATE)", txt
            checks.append((f"{txt} IS NOT NULL AND {value} IS NULL", "not a date (YYYY-MM-DD)"))
    elif col.kind == "bool":
        if t == "BOOLEAN":
            value, present = src, src
        else:
            value = f"(CASE lower({txt}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END)"
            present = txt
            checks.append((f"{txt} IS NOT NULL AND {value} IS NULL", "not a boolean (true/false)"))
    elif col.kind in ("int", "float"):
        cast = "BIGINT" if col.kind == "int" else "DOUBLE"
        value, present = f"TRY_CAST({txt} AS {cast})", txt
        checks.append((f"{txt} IS NOT NULL AND {value} IS NULL", f"not a number"))
        if col.min is not None:
            op = "<=" if col.min_exclusive else "<"
            checks.append((f"{value} {op} {col.min}", f"out of range ({'>' if col.min_exclusive else '≥'} {col.min:g} required)"))
        if col.max is not None:
            checks.append((f"{value} > {col.max}", f"out of range (≤ {col.max:g} required)"))
    elif col.kind == "enum":
        value, present = f"lower({txt})", txt
        allowed = ", ".join(lit(v) for v in col.values)
        checks.append((f"{txt} IS NOT NULL AND lower({txt}) NOT IN ({allowed})", "not one of: " + ", ".join(col.values)))
    else:
        value, present = txt, txt
    if col.required:
        checks.insert(0, (f"{present} IS NULL", "required value is empty"))
    return value, checks


ERROR_LIST = 'STRUCT("column" VARCHAR, reason VARCHAR)[]'
EMPTY_ERRORS = f"CAST([] AS {ERROR_LIST})"


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


def typed_sql(table: Table, src_cols: dict[str, str]) -> str:
    """SELECT turning ``raw`` into ``typed``: contract columns, extras, ``__errors``."""
    selects = ["__file", "__row"]
    errs: list[tuple[str, str]] = [
        ("__enc_error IS NOT NULL", "{'column': NULL, 'reason': 'not valid UTF-8 (' || __enc_error || '); the contract requires UTF-8'}")
    ]
    for col in table.columns:
        if table.identity_resolvable and col.name == "staff_id":
            # may be empty when the row carries system + identifier instead
            col = col.model_copy(update={"required": False, "nullable": True})
        value, checks = column_sql(col, src_cols.get(col.name))
        selects.append(f"{value} AS {q(col.name)}")
        for cond, reason in checks:
            r = reason[7:] if reason.startswith("__ERR__") else lit(reason)
            errs.append((cond, f"{{'column': {lit(col.name)}, 'reason': {r}}}"))
    declared = set(table.column_names)
    for name in src_cols:
        if name not in declared and name not in META:
            selects.append(f"{_text(q(name))} AS {q(name)}")
    return f"SELECT {', '.join(selects)}, {error_list(errs)} AS __errors FROM raw"
