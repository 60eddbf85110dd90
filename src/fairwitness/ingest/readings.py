"""Files read again because what their rows referred to is now held.

A row naming a unit, a site or a person the workspace does not hold is quarantined as a dangling
reference (or an unknown identity); its file is otherwise unchanged and, read before, would be
skipped by every later ingest. When the table it referred to is fixed — a refused ``sites.csv``
read again with its declaration, the missing person loaded by the next export — those rows could
load, and the force should not have to start a new workspace to load them. So a file delivered
again whose current reading (`fairwitness.workspace.CURRENT_READINGS`) quarantined rows whose
missing key the workspace now holds (`resolvable`) is read again: before the ingest's batch, for
keys loaded by earlier batches, and as a batch of its own after it, for keys the batch loaded
(`fairwitness.ingest.loader.ingest`). Its rows already held are counted unchanged, the others load,
and the new reading supersedes the old one (its quarantine entries are history). A key still
missing (a visitor's card no identity will ever name) never makes a file be read again.
"""

from __future__ import annotations

import duckdb

from fairwitness.contract import BY_NAME
from fairwitness.ingest.validate import lit, q
from fairwitness.workspace import CURRENT_READINGS


def _views(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def _field(name: str) -> str:
    """A quarantined row's value of ``name`` (its raw row as JSON; a row that could not be parsed
    is kept as its text, which holds no key)."""
    return f"(CASE WHEN json_valid(w.raw) THEN json_extract_string(w.raw, {lit('$.' + name)}) END)"


def resolvable(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(table, content hash) of every file whose current reading quarantined a row as a dangling
    reference or an unknown identity whose key the workspace's current rows now hold."""
    # the columns some quarantined row waits on, first: nearly always none, and a query naming every
    # reference of the contract costs a second to plan (most of a small daily ingest)
    waiting = set(con.execute(
        """SELECT DISTINCT table_name, "column" FROM quarantine WHERE raw IS NOT NULL
           AND (starts_with(reason, 'dangling reference') OR starts_with(reason, 'unknown identity'))"""
    ).fetchall())
    if not waiting:
        return set()
    views = _views(con)
    checks: list[str] = []
    for t in BY_NAME.values():
        for col in t.columns:
            target, _, tcol = (col.references or "").partition(".")
            if not target or target not in views or (t.name, col.name) not in waiting:
                continue
            value = f"trim({_field(col.name)})"
            checks.append(
                f"(w.table_name = {lit(t.name)} AND w.\"column\" = {lit(col.name)} AND starts_with(w.reason, 'dangling reference') "
                f"AND EXISTS (SELECT 1 FROM {q(target)} k WHERE k.{q(tcol)} = {value}))"
            )
    if "identities" in views and any(c == "identifier" for _, c in waiting):
        # identities are matched in any case (`fairwitness.ingest.checks`)
        checks.append(
            "(w.\"column\" = 'identifier' AND starts_with(w.reason, 'unknown identity') AND EXISTS (SELECT 1 FROM identities i "
            f"WHERE lower(trim(i.system)) = lower(trim({_field('system')})) "
            f"AND lower(trim(i.identifier)) = lower(trim({_field('identifier')}))))"
        )
    if not checks:
        return set()
    rows = con.execute(
        f"""SELECT DISTINCT c.table_name, c.sha256 FROM {CURRENT_READINGS} c
            JOIN quarantine w ON w.batch_id = c.batch_id AND w.table_name = c.table_name AND w.file = c.file
            WHERE w.raw IS NOT NULL AND ({' OR '.join(checks)})"""
    ).fetchall()
    return {(t, sha) for t, sha in rows}


__all__ = ["resolvable"]
