"""Row checks that need more than the row: identities, references, keys and changes.

All checks of one table run as a few set-based DuckDB statements over every new
file of that table at once (no row-by-row updates), so a table of tens of
millions of rows is validated in a handful of passes:

1. `typed`: the file's values in contract types, with per-row errors, identities
   resolved and references checked (`typed_table`);
2. `dup`: keys occurring more than once in this export (`duplicates`);
3. `final`: a view adding key errors and, against the lake, whether a row is
   unchanged or a new version of a held key (`final_view`).

``known_<table>`` views hold the rows of a table that are already in the lake or
staged earlier in this batch; references and identities are checked against them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fairwitness.contract import LOCAL_TIMEZONE, Table
from fairwitness.ingest import timeparse
from fairwitness.ingest.formats import SourceFormat
from fairwitness.ingest.validate import EMPTY_ERRORS, ERROR_LIST, error_list, lit, q, short_digits, typed_sql
from fairwitness.workspace import DELETIONS_PREFIX

_TRUE = "TRUE"


def known_view(con: duckdb.DuckDBPyConnection, table: Table, lake_sql: str | None, staged: Path | None) -> None:
    """(Re)create ``known_<table>``: its lake rows and the rows staged in this batch, less the rows
    this batch deletes (a snapshot export that no longer holds them: `fairwitness.ingest.snapshot`)."""
    parts = []
    rows = sorted(staged.glob("part-*.parquet")) if staged is not None and staged.exists() else []
    gone = sorted(staged.glob(DELETIONS_PREFIX + "*.parquet")) if staged is not None and staged.exists() else []
    if lake_sql:
        if gone:
            files = ", ".join(lit(str(f)) for f in gone)
            on = " AND ".join(f"d.{q(k)} = l.{q(k)}" for k in table.key)
            parts.append(f"SELECT * FROM ({lake_sql}) l WHERE NOT EXISTS (SELECT 1 FROM read_parquet([{files}]) d WHERE {on})")
        else:
            parts.append(f"SELECT * FROM ({lake_sql})")
    if rows:
        path = str(staged / "part-*.parquet").replace("'", "''")
        parts.append(f"SELECT * FROM read_parquet('{path}', union_by_name = true, hive_partitioning = false)")
    cols = ", ".join(f"NULL::{_duck(c.kind)} AS {q(c.name)}" for c in table.columns)
    if not parts:
        parts.append(f"SELECT {cols}, NULL::UBIGINT AS _row_hash WHERE FALSE")
    con.execute(f"CREATE OR REPLACE TEMP VIEW known_{table.name} AS " + " UNION ALL BY NAME ".join(parts))


def rejected_table(con: duckdb.DuckDBPyConnection, table: Table, quarantined: bool = True) -> None:
    """Temp table ``rejected_<table>``: keys of this batch's quarantined rows, with why.

    A row referencing one of them is told the referenced row's own reason. ``quarantined``:
    False when no row of ``final`` was quarantined (the table is empty, without a pass over it)."""
    key = table.key[0]
    exists = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'final' AND temporary").fetchone()[0]
    if len(table.key) != 1 or not exists or not quarantined:
        con.execute(f"CREATE OR REPLACE TEMP TABLE rejected_{table.name} (k VARCHAR, why VARCHAR)")
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rejected_{table.name} AS
        SELECT CAST({q(key)} AS VARCHAR) AS k,
               any_value(__file || ' row ' || __row || ' was quarantined: ' || {capped_sql('__errors[1].reason')}) AS why
        FROM final WHERE len(__errors) > 0 AND {q(key)} IS NOT NULL GROUP BY 1"""
    )


NESTED_WIDTH = 160
"""At most this many characters of a reason are quoted inside another (a dangling reference's
why): a cascade of them stays readable."""
_CUT_TAIL = " ,;:(-"


def capped(text: str, width: int = NESTED_WIDTH) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, ending in ``…`` and closing
    the parentheses the cut left open (`capped_sql` in SQL)."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    cut = cut.rstrip(_CUT_TAIL)
    return cut + "…" + ")" * max(0, cut.count("(") - cut.count(")"))


def capped_sql(x: str, width: int = NESTED_WIDTH) -> str:
    """`capped` in SQL, for the text ``x``."""
    cut = f"rtrim(regexp_replace(left({x}, {width - 1}), ' [^ ]*$', ''), {lit(_CUT_TAIL)})"
    opened = f"(length(replace({cut}, ')', '')) - length(replace({cut}, '(', '')))"
    return f"(CASE WHEN length({x}) <= {width} THEN {x} ELSE {cut} || '…' || repeat(')', greatest(0, {opened})) END)"


def has_rejected(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [f"rejected_{name}"]
    ).fetchone()[0])


def typed_table(con: duckdb.DuckDBPyConnection, table: Table, src_cols: dict[str, str],
                fmt: SourceFormat | None = None, refused: dict[str, str] | None = None) -> None:
    """Create temp table ``typed`` from ``raw``: types, row errors, identities, references, row hash.

    ``refused``: table -> why its files were not read in this batch (named in dangling references)."""
    refused = refused or {}
    fmt = fmt or SourceFormat()
    base = typed_sql(table, src_cols, fmt)
    zone = fmt.zone
    if timeparse.zone_table(zone) in base:  # local times to convert: the zone's days, once per connection
        con.execute(timeparse.zone_table_sql(zone))
    select = ["b.* EXCLUDE (__errors)"]
    errors = ["b.__errors"]
    joins: list[str] = []
    if table.identity_resolvable:
        zeros = "''" if "identifier" in fmt.zero_pad or "identifier" not in src_cols else zero_hint(
            con, "SELECT identifier FROM known_identities", "b.identifier", table.name, "identifier", "the identities' identifiers"
        )
        staff, err, join, resolve = _identity(table, src_cols, zeros)
        select = [f"b.* EXCLUDE (__errors, staff_id)", f"{staff} AS staff_id"]
        errors.append(err)
        if join:
            con.execute(resolve)
            joins.append(join)
    ref_errors: list[tuple[str, str]] = []
    reads_base = False
    for i, col in enumerate(table.columns):
        if not col.references:
            continue
        target, tcol = col.references.split(".")
        c = f"b.{q(col.name)}" if not (table.identity_resolvable and col.name == "staff_id") else staff
        if target == table.name:
            keys = f"SELECT {q(tcol)} AS k FROM known_{target} UNION SELECT {q(tcol)} FROM base"
            reads_base = True
        else:
            keys = f"SELECT DISTINCT {q(tcol)} AS k FROM known_{target}"
        # a join with the distinct keys, not NOT IN (subquery): one hash join, and a NULL
        # among the keys does not hide every dangling reference
        joins.append(f"LEFT JOIN ({keys}) kr{i} ON kr{i}.k = {c}")
        why = lit(f" ({capped(refused[target])})") if target in refused else "''"
        if target != table.name and has_rejected(con, target):
            joins.append(f"LEFT JOIN rejected_{target} rj{i} ON rj{i}.k = {c}")
            why = f"coalesce(' (' || rj{i}.why || ')', {why})"
        zeros = "''" if col.name in fmt.zero_pad else zero_hint(con, f"SELECT {q(tcol)} FROM known_{target}", c, table.name,
                                                                   col.name, f"the {target} keys")
        ref_errors.append(
            (
                f"{c} IS NOT NULL AND kr{i}.k IS NULL",
                f"{{'column': {lit(col.name)}, 'reason': 'dangling reference: no {target} row with {tcol} = ' || {c} || {why} || {zeros}}}",
            )
        )
    if ref_errors:
        errors.append(error_list(ref_errors))
    cols = ", ".join(q(c) for c in table.column_names)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE typed AS
        WITH base AS {"MATERIALIZED" if reads_base else "NOT MATERIALIZED"} ({base})
        SELECT *, hash({cols}) AS _row_hash FROM (
            SELECT {', '.join(select)}, {_concat(errors)} AS __errors
            FROM base b {' '.join(joins)}
        )"""
    )


def _concat(lists: list[str]) -> str:
    """The lists joined; a row whose lists are all empty (nearly every row) gets the empty list
    without building a new one."""
    if len(lists) == 1:
        return lists[0]
    empty = " AND ".join(f"len({x}) = 0" for x in lists)
    return f"(CASE WHEN {empty} THEN {EMPTY_ERRORS} ELSE CAST(list_concat({', '.join(lists)}) AS {ERROR_LIST}) END)"


def zero_hint(con: duckdb.DuckDBPyConnection, keys_sql: str, value: str, table: str, column: str, whose: str) -> str:
    """SQL text added to the reason of a value of digits alone that matches no key, when the keys
    (``keys_sql``, one column) are written with leading zeros: the export may have lost them (a
    spreadsheet saves an identifier as a number), and the declaration that restores them.
    ``''`` when no key starts with a zero (one query over the known keys)."""
    width = con.execute(
        f"SELECT max(length(k)) FROM ({keys_sql}) t(k) WHERE starts_with(k, '0') AND regexp_full_match(k, '[0-9]+')"
    ).fetchone()[0]
    if not width:
        return "''"
    hint = (f" ({whose} are written with leading zeros, up to {width} digits: if the export lost them, declare "
            f"zero_pad.{column} = {width} in {table}.format.toml, or --declare {table}.zero_pad.{column}={width})")
    return f"(CASE WHEN {short_digits(value, width)} THEN {lit(hint)} ELSE '' END)"


NIGHT_TAIL_HOUR = 12
"""Local hour of the day after an identity's ``valid_to`` until which its rows still resolve
to its holder, when nobody else holds it then (`_identity`)."""


def _identity(table: Table, src_cols: dict[str, str], zeros: str = "''") -> tuple[str, str, str, str]:
    """(staff_id expression, errors expression, join, statement creating the joined
    ``idn_segments`` table) resolving ``system`` + ``identifier``; ``zeros``: `zero_hint` for an
    unknown identifier."""
    if "identifier" not in src_cols or "system" not in src_cols or not table.time_column:
        reason = "required value is empty" if "staff_id" in src_cols else (
            "column missing from file (give staff_id, or system + identifier)")
        err = f"(CASE WHEN b.staff_id IS NULL THEN [{{'column': 'staff_id', 'reason': {lit(reason)}}}] ELSE {EMPTY_ERRORS} END)"
        return "b.staff_id", err, "", ""
    # validity periods are local (Europe/London) calendar dates
    local = f"timezone({lit(LOCAL_TIMEZONE)}, timezone('UTC', b.{q(table.time_column)}))"
    t = f"CAST({local} AS DATE)"
    # The identities are cut into segments of time (per system and identifier) in which the same
    # people hold them, each with how many people and the first of them. A row then joins at most
    # one segment: the typing pass streams, with no per-row grouping (which held every
    # identity-only row in memory: 36 months of a 46,000-person force's badge events ran out).
    # System and identifier are matched in any case, trimmed (an Entra UPN is `Jane.Smith@force.police.uk`
    # in one export and `jane.smith@…` in another); identities equal but for case that name different
    # people are one identity held by two: ambiguous. (A row's own values were trimmed when read.)
    resolve = """CREATE OR REPLACE TEMP TABLE idn_segments AS
        WITH idn AS (
            SELECT lower(trim(system)) AS system, lower(trim(identifier)) AS identifier, staff_id, valid_from, valid_to
            FROM known_identities
        ), cuts AS (
            SELECT system, identifier, valid_from AS d FROM idn WHERE valid_from IS NOT NULL
            UNION SELECT system, identifier, valid_to + 1 FROM idn WHERE valid_to IS NOT NULL
        ), seg AS (
            SELECT system, identifier, d AS seg_from,
                   lead(d) OVER (PARTITION BY system, identifier ORDER BY d) - 1 AS seg_to
            FROM cuts
        )
        SELECT s.system, s.identifier, s.seg_from, s.seg_to, count(DISTINCT i.staff_id) AS n, min(i.staff_id) AS first_id,
               FALSE AS tail
        FROM seg s JOIN idn i
          ON i.system = s.system AND i.identifier = s.identifier
         AND i.valid_from <= s.seg_from AND (i.valid_to IS NULL OR i.valid_to >= s.seg_from)
        GROUP BY ALL
        UNION ALL
        SELECT system, identifier, valid_to + 1, valid_to + 1, count(DISTINCT staff_id), min(staff_id), TRUE
        FROM idn i
        WHERE valid_to IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM idn j WHERE j.system = i.system AND j.identifier = i.identifier
               AND j.valid_from <= i.valid_to + 1 AND (j.valid_to IS NULL OR j.valid_to >= i.valid_to + 1))
        GROUP BY ALL"""
    # A validity ending on a date covers the night that began on it: the morning after (before
    # NIGHT_TAIL_HOUR, local), when nobody else holds the identifier, a row resolves to its last
    # holder (a leaver's card end-dated on the last day of service, badging out of the final night)
    tail_ok = f"(CASE WHEN idn.tail THEN hour({local}) < {NIGHT_TAIL_HOUR} ELSE TRUE END)"
    # a row without a usable time has its own reason (its time's), and no date to resolve an
    # identity on: it is not also called an unknown identity, which would have its file read again
    # on every ingest in case the identity had since been loaded
    # only a row without staff_id is resolved: the others' join key and local date are NULL, so
    # they match nothing without converting their time (the join computes its conditions' values
    # for every row: 26.5 M device events carrying both took 6.7 CPU-s in the join, 1.0 now)
    day = f"(CASE WHEN b.staff_id IS NULL THEN {t} END)"
    join = (f"LEFT JOIN idn_segments idn ON idn.system = CASE WHEN b.staff_id IS NULL THEN lower(b.system) END "
            f"AND idn.identifier = CASE WHEN b.staff_id IS NULL THEN lower(b.identifier) END "
            f"AND {day} >= idn.seg_from AND (idn.seg_to IS NULL OR {day} <= idn.seg_to)")
    staff = f"COALESCE(b.staff_id, CASE WHEN idn.n = 1 AND {tail_ok} THEN idn.first_id END)"
    err = f"""(CASE
        WHEN b.staff_id IS NOT NULL THEN {EMPTY_ERRORS}
        WHEN b.identifier IS NULL THEN [{{'column': 'staff_id', 'reason': 'required value is empty (no staff_id and no identifier)'}}]
        WHEN b.{q(table.time_column)} IS NULL THEN {EMPTY_ERRORS}
        WHEN coalesce(idn.n, 0) = 0 OR NOT {tail_ok} THEN [{{'column': 'identifier', 'reason': 'unknown identity: system ' || coalesce(b.system, '?') || ', identifier ' || b.identifier || ' on ' || coalesce(CAST({t} AS VARCHAR), '?') || {zeros}}}]
        WHEN idn.n > 1 THEN [{{'column': 'identifier', 'reason': 'ambiguous identity: ' || b.system || '/' || b.identifier || ' maps to more than one staff_id on that date (identities are matched in any case)'}}]
        ELSE {EMPTY_ERRORS} END)"""
    return staff, err, join, resolve


def duplicates(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Temp table ``dup``: keys that occur more than once among this export's rows.

    Steps so the big pass holds one integer per row and can spill to disk: the hashes of the
    rows' keys are sorted and each compared with the next (a hash seen twice is next to its
    twin: 2.2 s for system_access's 44.5 M keys at 46,000 x 12, where grouping the hashes took
    5.4 s and grouping the keys' text 4.0 s), then only the rows of hashes seen twice
    are grouped by their key itself, so colliding hashes of different keys are no duplicate;
    occurrences are listed for the (few) duplicated keys only.
    """
    key = ", ".join(q(k) for k in table.key)
    notnull = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    on = " AND ".join(f"k.{q(c)} = t.{q(c)}" for c in table.key)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE dupk AS
        WITH hashed AS (SELECT hash({key}) AS h FROM typed WHERE {notnull}),
        twice AS (SELECT DISTINCT h FROM (SELECT h, lead(h) OVER (ORDER BY h) AS nx FROM hashed) WHERE h = nx)
        SELECT {key}, min(_row_hash) <> max(_row_hash) AS conflicting
        FROM typed SEMI JOIN twice ON hash({key}) = twice.h
        WHERE {notnull} GROUP BY {key} HAVING count(*) > 1"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE dup AS
        SELECT {", ".join(f"k.{q(c)}" for c in table.key)}, any_value(k.conflicting) AS conflicting,
               list(struct_pack(f := t.__file, r := t.__row) ORDER BY t.__file, t.__row) AS occ
        FROM dupk k JOIN typed t ON {on} GROUP BY ALL"""
    )
    con.execute("DROP TABLE dupk")


def final_view(con: duckdb.DuckDBPyConnection, table: Table, prior_sql: str | None) -> None:
    """View ``final``: every typed row with all its errors and its change status."""
    on = " AND ".join(f"d.{q(k)} = t.{q(k)}" for k in table.key)
    col = lit(table.key[0]) if len(table.key) == 1 else "NULL"
    where_many = "CASE WHEN len(list_distinct(list_transform(d.occ, lambda o: o.f))) = 1 THEN " \
        "array_to_string(list_transform(d.occ[1:5], lambda o: CAST(o.r AS VARCHAR)), ', ') ELSE " \
        "array_to_string(list_transform(d.occ[1:5], lambda o: o.f || ':' || o.r), ', ') END"
    first = "d.occ[1]"
    dup_err = f"""CASE
        WHEN d.conflicting THEN [{{'column': {col}, 'reason': 'duplicate key ({", ".join(table.key)}): rows ' || {where_many} || ' share it with different values'}}]
        WHEN NOT d.conflicting AND NOT ({first}.f = t.__file AND {first}.r = t.__row) THEN [{{'column': NULL,
             'reason': 'exact duplicate of row ' || {first}.r || CASE WHEN {first}.f <> t.__file THEN ' of ' || {first}.f ELSE '' END}}]
        ELSE {EMPTY_ERRORS} END"""
    if prior_sql:
        pon = " AND ".join(f"p.{q(k)} = t.{q(k)}" for k in table.key)
        prior = f"LEFT JOIN (SELECT {', '.join(q(k) for k in table.key)}, _row_hash AS __prior_hash FROM ({prior_sql})) p ON {pon}"
        unchanged, updated = "coalesce(p.__prior_hash = t._row_hash, FALSE)", "coalesce(p.__prior_hash <> t._row_hash, FALSE)"
    else:
        prior, unchanged, updated = "", "FALSE", "FALSE"
    # no key twice (the usual export): the join would only hash every row's key twice (statistics and write)
    errors, dups = "t.__errors", ""
    if con.execute("SELECT EXISTS (SELECT 1 FROM dup)").fetchone()[0]:
        errors = f"CASE WHEN d.conflicting IS NULL THEN t.__errors ELSE CAST(list_concat(t.__errors, {dup_err}) AS {ERROR_LIST}) END"
        dups = f"LEFT JOIN dup d ON {on}"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW final AS
        SELECT t.* EXCLUDE (__errors), {errors} AS __errors, {unchanged} AS __unchanged, {updated} AS __updated
        FROM typed t {dups} {prior}"""
    )


def _duck(kind: str) -> str:
    return {"bool": "BOOLEAN", "int": "BIGINT", "float": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMP"}.get(
        kind, "VARCHAR"
    )
