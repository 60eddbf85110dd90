"""Row checks that need more than the row: identities, references, keys, changes.

Each function adds errors to the ``__errors`` list of the temp table ``typed`` (or
resolves values in it). ``known_<table>`` temp tables hold the keys of every row
already in the lake or staged earlier in this batch.
"""

from __future__ import annotations

import duckdb

from fairwitness.contract import Table
from fairwitness.ingest.validate import lit, q


def _add_error(con: duckdb.DuckDBPyConnection, where: str, column: str | None, reason_sql: str) -> None:
    col = "NULL" if column is None else lit(column)
    con.execute(
        f"UPDATE typed SET __errors = list_append(__errors, {{'column': {col}, 'reason': {reason_sql}}}) WHERE {where}"
    )


def resolve_identities(con: duckdb.DuckDBPyConnection, table: Table, src_cols: dict[str, str]) -> None:
    """Fill an empty ``staff_id`` from ``system`` + ``identifier`` via the identities in force at the row's time."""
    if not table.identity_resolvable:
        return
    if "identifier" in src_cols and "system" in src_cols and table.time_column:
        sys_col = "system"
        t = q(table.time_column)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE resolved AS
            SELECT ty.__row, list_distinct(list(i.staff_id)) AS ids
            FROM typed ty JOIN known_identities i
              ON i.system = trim(ty.{q(sys_col)}) AND i.identifier = trim(ty.identifier)
             AND CAST(ty.{t} AS DATE) >= i.valid_from
             AND (i.valid_to IS NULL OR CAST(ty.{t} AS DATE) <= i.valid_to)
            WHERE ty.staff_id IS NULL AND ty.identifier IS NOT NULL
            GROUP BY ty.__row
            """
        )
        con.execute(
            "UPDATE typed SET staff_id = r.ids[1] FROM resolved r WHERE typed.__row = r.__row AND len(r.ids) = 1"
        )
        _add_error(
            con,
            "__row IN (SELECT __row FROM resolved WHERE len(ids) > 1)",
            "identifier",
            "'ambiguous identity: ' || system || '/' || identifier || ' maps to more than one staff_id on that date'",
        )
        _add_error(
            con,
            f"staff_id IS NULL AND identifier IS NOT NULL AND __row NOT IN (SELECT __row FROM resolved)",
            "identifier",
            f"'unknown identity: system ' || coalesce(system, '?') || ', identifier ' || identifier || ' on ' || coalesce(CAST(CAST({t} AS DATE) AS VARCHAR), '?')",
        )
        _add_error(con, "staff_id IS NULL AND identifier IS NULL", "staff_id", "'required value is empty (no staff_id and no identifier)'")
    else:
        _add_error(con, "staff_id IS NULL", "staff_id", "'required value is empty'")


def check_references(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    for col in table.columns:
        if not col.references:
            continue
        target, tcol = col.references.split(".")
        if target == table.name:
            keys = f"SELECT {q(tcol)} AS k FROM typed UNION SELECT {q(tcol)} FROM known_{target}"
        elif _exists(con, f"known_{target}"):
            keys = f"SELECT {q(tcol)} AS k FROM known_{target}"
        else:
            keys = "SELECT NULL::VARCHAR AS k WHERE FALSE"
        c = q(col.name)
        _add_error(
            con,
            f"{c} IS NOT NULL AND {c} NOT IN ({keys})",
            col.name,
            f"'dangling reference: no {target} row with {tcol} = ' || {c}",
        )


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    (n,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [name]
    ).fetchone()
    return n > 0


def hash_rows(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    cols = ", ".join(q(c) for c in table.column_names)
    con.execute(f"ALTER TABLE typed ADD COLUMN _row_hash VARCHAR")
    con.execute(f"UPDATE typed SET _row_hash = md5(CAST(row({cols}) AS VARCHAR))")


def check_keys(con: duckdb.DuckDBPyConnection, table: Table, file: str) -> None:
    """Duplicate keys within the file, and conflicts with rows staged earlier in this batch."""
    key = ", ".join(q(k) for k in table.key)
    on = " AND ".join(f"d.{q(k)} = typed.{q(k)}" for k in table.key)
    notnull = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dup AS
        SELECT {key}, count(DISTINCT _row_hash) AS versions, list(__row ORDER BY __row)[1:5] AS rows_
        FROM typed WHERE {notnull} GROUP BY {key} HAVING count(*) > 1
        """
    )
    _add_error(
        con,
        f"EXISTS (SELECT 1 FROM dup d WHERE {on} AND d.versions > 1)",
        table.key[0] if len(table.key) == 1 else None,
        f"'duplicate key ({', '.join(table.key)}): rows ' || array_to_string((SELECT d.rows_ FROM dup d WHERE {on}), ', ') || ' share it with different values'",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE firsts AS
        SELECT __row, min(__row) OVER (PARTITION BY {key}, _row_hash) AS first_row FROM typed WHERE {notnull}
        """
    )
    _add_error(
        con,
        "__row IN (SELECT __row FROM firsts WHERE __row <> first_row)",
        None,
        "'exact duplicate of row ' || (SELECT first_row FROM firsts f WHERE f.__row = typed.__row)",
    )
    staged_on = " AND ".join(f"s.{q(k)} = typed.{q(k)}" for k in table.key)
    _add_error(
        con,
        f"EXISTS (SELECT 1 FROM known_{table.name} s WHERE {staged_on} AND s._seq = -1 AND s._row_hash <> typed._row_hash)",
        table.key[0] if len(table.key) == 1 else None,
        f"'duplicate key: conflicts with row ' || (SELECT any_value(s._source_row) FROM known_{table.name} s WHERE {staged_on} AND s._seq = -1) || ' of ' || (SELECT any_value(s._source_file) FROM known_{table.name} s WHERE {staged_on} AND s._seq = -1) || ' in this export'",
    )


def classify_changes(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Mark rows already held unchanged (``__unchanged``) and key updates (``__updated``)."""
    on = " AND ".join(f"k.{q(c)} = typed.{q(c)}" for c in table.key)
    con.execute("ALTER TABLE typed ADD COLUMN __unchanged BOOLEAN DEFAULT FALSE")
    con.execute("ALTER TABLE typed ADD COLUMN __updated BOOLEAN DEFAULT FALSE")
    con.execute(
        f"UPDATE typed SET __unchanged = TRUE WHERE EXISTS (SELECT 1 FROM known_{table.name} k WHERE {on} AND k._row_hash = typed._row_hash)"
    )
    con.execute(
        f"UPDATE typed SET __updated = TRUE WHERE NOT __unchanged AND EXISTS (SELECT 1 FROM known_{table.name} k WHERE {on} AND k._seq >= 0)"
    )


def init_known(con: duckdb.DuckDBPyConnection, table: Table, current_sql: str | None) -> None:
    """``known_<table>``: keys (+ hash, and full identity rows) of the table's current lake rows."""
    cols = [*table.key, "_row_hash", "_seq", "_source_file", "_source_row"]
    if table.name == "identities":
        cols = list(dict.fromkeys([*table.column_names, *cols]))
    if table.name == "people":
        cols = list(dict.fromkeys([*cols, "staff_id"]))
    sel = ", ".join(q(c) for c in cols)
    if current_sql:
        con.execute(f"CREATE OR REPLACE TEMP TABLE known_{table.name} AS SELECT {sel} FROM ({current_sql})")
    else:
        types = {c.name: c for c in table.columns}
        defs = []
        for c in cols:
            if c in types:
                defs.append(f"NULL::{_duck(types[c].kind)} AS {q(c)}")
            elif c in ("_seq", "_source_row"):
                defs.append(f"NULL::BIGINT AS {q(c)}")
            else:
                defs.append(f"NULL::VARCHAR AS {q(c)}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE known_{table.name} AS SELECT {', '.join(defs)} WHERE FALSE")


def add_known(con: duckdb.DuckDBPyConnection, table: Table, good_where: str, file: str) -> None:
    """Append this file's accepted rows to ``known_<table>`` (``_seq = -1`` marks this batch)."""
    cols = [c for c in con.execute(f"SELECT column_name FROM (DESCRIBE known_{table.name})").fetchall()]
    names = [c[0] for c in cols]
    sel = []
    for n in names:
        if n == "_seq":
            sel.append("-1")
        elif n == "_source_file":
            sel.append(lit(file))
        elif n == "_source_row":
            sel.append("__row")
        else:
            sel.append(q(n))
    con.execute(f"INSERT INTO known_{table.name} SELECT {', '.join(sel)} FROM typed WHERE {good_where}")


def _duck(kind: str) -> str:
    return {"bool": "BOOLEAN", "int": "BIGINT", "float": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMP"}.get(
        kind, "VARCHAR"
    )
