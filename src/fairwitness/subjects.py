"""What the lake holds about people: line management and per-person source summaries.

Used by governance (independence checks along the line-management chain, the
subject access export) without it reading the lake itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fairwitness.contract import BY_NAME
from fairwitness.ingest.validate import q
from fairwitness.workspace import Workspace


def line_managers(workspace: str | Path) -> Mapping[str, str | None]:
    """staff_id -> line manager's staff_id, from the current ``people`` table."""
    ws = Workspace(workspace)
    if "people" not in ws.loaded_tables():
        return {}
    con = ws.connect()
    try:
        return dict(con.execute("SELECT staff_id, line_manager_id FROM people").fetchall())
    finally:
        con.close()


def source_summary(workspace: str | Path, staff_id: str) -> Mapping[str, dict[str, object]]:
    """Per loaded table: how many rows are about the person, and their first and last dates."""
    ws = Workspace(workspace)
    out: dict[str, dict[str, object]] = {}
    if not ws.exists():
        return out
    con = ws.connect()
    try:
        for name in ws.loaded_tables():
            t = BY_NAME[name]
            who = [c for c in ("staff_id", "officer_in_case", "changed_by", "authorised_by") if c in t.column_names]
            if not who:
                continue
            cond = " OR ".join(f"{q(c)} = ?" for c in who)
            tcol = t.time_column
            span = f"CAST(min({q(tcol)}) AS VARCHAR), CAST(max({q(tcol)}) AS VARCHAR)" if tcol else "NULL, NULL"
            rows, first, last = con.execute(
                f"SELECT count(*), {span} FROM {q(name)} WHERE {cond}", [staff_id] * len(who)
            ).fetchall()[0]
            if rows:
                out[name] = {"rows": rows, "first": first, "last": last}
    finally:
        con.close()
    return out
